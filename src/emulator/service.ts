/**
 * The Cloud Control API itself: the eight operations over the emulator state, with asynchronous requests that
 * move (PENDING or IN_PROGRESS) -> IN_PROGRESS -> SUCCESS/FAILED on the emulator clock. What Cloud Control checks
 * before a handler runs (the input, the model against the schema, the patch) is answered by the call itself; what
 * a handler decides (AlreadyExists, NotFound on delete, conditional create-only changes) is a FAILED request.
 * Requests reach here with members already checked against the model (input.ts, called by the server).
 */
import { randomUUID } from "crypto";
import { applyPatch, Operation, validate as validatePatch } from "fast-json-patch";
import { ApiError, clientTokenConflict, notFoundMessage, requestTokenNotFound, resourceNotFound } from "./errors";
import { clone, digest, fillGeneratedIdentifier, fillReadOnly, identifierOf, Placement, withoutReadOnly, withoutWriteOnly } from "./model";
import { pointerWithin, splitPointer, valuesAt } from "./pointer";
import { SchemaFileError, SchemaRegistry, TypeInfo } from "./schemas";
import { runHooks } from "./hooks";
import { decodeNextToken, encodeNextToken, maxResults, optionalString, parseJsonMember, stringMember } from "./input";
import { RequestTracker, ServiceSettings } from "./requests";
import { RequestRecord, resourceKey, StateData } from "./state";
import type { EmulatedOperation } from "./types";

/** Picks a planned handler failure for a mutating request (fault injection), or undefined. */
export type FailurePlanner = (apiOperation: string, typeName: string) => { errorCode: string; statusMessage?: string } | undefined;

type Json = Record<string, any>;

type PlannedError = { errorCode: string; statusMessage: string };

/**
 * A ValidationException for schema violations, worded as Cloud Control's: "Model validation failed (#: required key
 * [A] not found\n#: required key [B] not found)", one violation a line (recorded in
 * aws-cloudformation/cloudformation-coverage-roadmap#2205 and pulumi-aws-native#1866).
 */
function modelValidationFailed(problems: string[]): ApiError {
    return new ApiError("ValidationException", `Model validation failed (${problems.join("\n")})`);
}

/** The Cloud Control operations over a state object. */
export class CloudControlService {
    private readonly tracker: RequestTracker;

    constructor(
        private readonly state: StateData,
        private readonly schemas: SchemaRegistry,
        private readonly settings: ServiceSettings,
        private readonly where: Placement,
        private readonly planFailure: FailurePlanner,
        private readonly onChange: () => void,
    ) {
        this.tracker = new RequestTracker(state, schemas, settings, onChange);
    }

    /** Emulator clock, epoch ms. */
    now(): number {
        return this.tracker.now();
    }

    /** Completes every request whose time has come (see {@link RequestTracker.settle}). */
    settle(): void {
        this.tracker.settle();
    }

    /** One operation at a time per resource: rejects a request while another holds the resource. */
    private assertUnlocked(typeName: string, identifier: string): void {
        if (this.tracker.lockHolder(typeName, identifier)) {
            throw new ApiError(
                "ConcurrentOperationException",
                `Another resource operation is in progress for resource '${identifier}' of type '${typeName}'.`,
            );
        }
    }

    /**
     * The type's schema. Unknown → TypeNotFoundException in AWS's words, plus how to give the emulator the type;
     * a schema file that exists but cannot be used → an error naming the file and what is wrong with it.
     */
    private requireType(typeName: string): TypeInfo {
        let info: TypeInfo | undefined;
        try {
            info = this.schemas.get(typeName);
        } catch (e) {
            if (e instanceof SchemaFileError) throw new ApiError("GeneralServiceException", SchemaRegistry.unusableMessage(typeName, e));
            throw e;
        }
        if (!info) {
            throw new ApiError("TypeNotFoundException", `The type '${typeName}' cannot be found. (${this.schemas.notFoundHint(typeName)})`);
        }
        return info;
    }

    private requireHandler(info: TypeInfo, handler: string): void {
        if (!info.handlers.has(handler)) {
            throw new ApiError(
                "UnsupportedActionException",
                `Resource type ${info.typeName} does not support ${handler.toUpperCase()} action`,
            );
        }
    }

    /** Resolves a given identifier: the primary identifier string, or a JSON object of identifier properties. */
    private resolveIdentifier(info: TypeInfo, identifier: string): string {
        if (identifier.startsWith("{")) {
            try {
                const obj = JSON.parse(identifier);
                const id = identifierOf(info, obj);
                if (id !== undefined) return id;
            } catch {
                // not JSON: use as written
            }
        }
        return identifier;
    }

    /** Replays an idempotent retry, or rejects a conflicting reuse of a ClientToken; undefined for a new token. */
    private replay(clientToken: string | undefined, fingerprint: string): Json | undefined {
        if (!clientToken) return undefined;
        const bound = this.state.clientTokens[clientToken];
        if (!bound) return undefined;
        const r = this.state.requests[bound.requestToken];
        if (!r) return undefined;
        if (r.fingerprint !== fingerprint) throw clientTokenConflict(clientToken, r.requestToken);
        return { ProgressEvent: this.tracker.progressEvent(r, "status") };
    }

    /** Records a new mutating request (the caller has checked locks and tokens). */
    private submit(
        op: EmulatedOperation,
        apiOperation: string,
        info: TypeInfo,
        target: { identifier: string | undefined; generated?: boolean },
        call: { clientToken: string | undefined; fingerprint: string },
        outcome: { model?: Record<string, unknown>; plannedError?: PlannedError },
    ): Json {
        const { clientToken, fingerprint } = call;
        // A request planned to fail carries no model: nothing is written when it settles.
        const plannedError = outcome.plannedError;
        const model = plannedError ? undefined : outcome.model;
        const now = this.now();
        const requestToken = randomUUID();
        const delay = this.tracker.durationFor(info.typeName, op);
        const record: RequestRecord = {
            requestToken,
            operation: op,
            typeName: info.typeName,
            identifier: target.identifier,
            ...(target.generated ? { generatedIdentifier: true } : {}),
            clientToken,
            fingerprint,
            startTime: now,
            pendingMs: delay,
            progressMs: delay,
            model,
            plannedError,
        };
        // An injected failure also stands in for AlreadyExists: handlers exist that report a name collision with
        // another code (GeneralServiceException "... already exists"), and a client must not take that resource.
        if (!record.plannedError || record.plannedError.errorCode === "AlreadyExists") {
            const injected = this.planFailure(apiOperation, info.typeName);
            if (injected) {
                record.plannedError = {
                    errorCode: injected.errorCode,
                    statusMessage: injected.statusMessage ?? `Injected failure: ${injected.errorCode}`,
                };
            }
        }
        const hooks = runHooks(this.settings.hooks, info.typeName, op, now, this.where);
        if (hooks.events.length > 0) {
            record.hooksRequestToken = randomUUID();
            record.hooks = hooks.events;
            if (hooks.failed && !record.plannedError) {
                record.plannedError = {
                    errorCode: "GeneralServiceException",
                    statusMessage: `Hook ${hooks.failed.HookTypeName} failed with FailureMode FAIL: ${hooks.failed.HookStatusMessage}`,
                };
            }
        }
        if (clientToken) this.state.clientTokens[clientToken] = { requestToken, time: now };
        this.state.counter++;
        // A zero-length request is complete at once (still observed through GetResourceRequestStatus).
        this.tracker.track(record);
        this.onChange();
        return { ProgressEvent: this.tracker.progressEvent(record, "start") };
    }

    // ---- operations -----------------------------------------------------------------------------------------

    /** CreateResource. */
    createResource(input: Json): Json {
        const typeName = stringMember(input, "TypeName");
        const desiredText = stringMember(input, "DesiredState");
        const clientToken = optionalString(input, "ClientToken");
        const fingerprint = digest(
            JSON.stringify(["CREATE", typeName, desiredText, input.RoleArn ?? null, input.TypeVersionId ?? null]),
            32,
        );
        this.settle();
        const replayed = this.replay(clientToken, fingerprint);
        if (replayed) return replayed;
        const info = this.requireType(typeName);
        this.requireHandler(info, "create");
        const desired = parseJsonMember(desiredText, "DesiredState");
        if (typeof desired !== "object" || desired === null || Array.isArray(desired)) {
            throw new ApiError("InvalidRequestException", "DesiredState must be a JSON object");
        }
        const model = clone(desired as Record<string, unknown>);
        // Cloud Control validates the model before any handler runs: the call itself fails (recorded).
        const problems: string[] = [];
        for (const p of info.readOnly) {
            for (const found of valuesAt(model, p)) problems.push(`#${found.pointer}: read-only property is not permitted in DesiredState`);
        }
        problems.push(...info.validate(model));
        if (problems.length > 0) throw modelValidationFailed(problems);
        // Determined by the DesiredState: named in every event. Otherwise the service makes it up (a name, an ARN).
        const given = identifierOf(info, model);
        const seed = `${typeName}:${this.state.counter}:${clientToken ?? ""}`;
        fillGeneratedIdentifier(info, model, seed);
        fillReadOnly(info, model, this.where, seed);
        const identifier = identifierOf(info, model);
        let plannedError: PlannedError | undefined;
        if (identifier === undefined) {
            plannedError = {
                errorCode: "InvalidRequest",
                statusMessage: "Model validation failed (#: the primary identifier cannot be determined)",
            };
        } else if (this.state.resources[resourceKey(typeName, identifier)]) {
            plannedError = {
                errorCode: "AlreadyExists",
                statusMessage: `Resource of type '${typeName}' with identifier '${identifier}' already exists.`,
            };
        }
        if (identifier !== undefined && !plannedError) this.assertUnlocked(typeName, identifier);
        const target = { identifier, generated: given === undefined };
        return this.submit("CREATE", "CreateResource", info, target, { clientToken, fingerprint }, { model, plannedError });
    }

    /** GetResource. */
    getResource(input: Json): Json {
        const typeName = stringMember(input, "TypeName");
        const given = stringMember(input, "Identifier");
        this.settle();
        const info = this.requireType(typeName);
        this.requireHandler(info, "read");
        const identifier = this.resolveIdentifier(info, given);
        const res = this.state.resources[resourceKey(typeName, identifier)];
        if (!res) throw resourceNotFound(typeName, identifier);
        return {
            TypeName: typeName,
            ResourceDescription: { Identifier: identifier, Properties: JSON.stringify(withoutWriteOnly(info, res.properties)) },
        };
    }

    /**
     * UpdateResource. Like Cloud Control, the patch applies to the resource's current model as its read handler
     * returns it, without write-only properties; the result (what the update handler receives, and what the
     * emulator stores) must be schema-valid, so a required write-only property must be re-sent by every patch
     * (AWS's answer quoted in terraform-provider-awscc#190; the ValidationException recorded in
     * pulumi-aws-native#277).
     */
    updateResource(input: Json): Json {
        const typeName = stringMember(input, "TypeName");
        const given = stringMember(input, "Identifier");
        const patchText = stringMember(input, "PatchDocument");
        const clientToken = optionalString(input, "ClientToken");
        const fingerprint = digest(
            JSON.stringify(["UPDATE", typeName, given, patchText, input.RoleArn ?? null, input.TypeVersionId ?? null]),
            32,
        );
        this.settle();
        const replayed = this.replay(clientToken, fingerprint);
        if (replayed) return replayed;
        const info = this.requireType(typeName);
        this.requireHandler(info, "update");
        const identifier = this.resolveIdentifier(info, given);
        const patch = parseJsonMember(patchText, "PatchDocument");
        if (!Array.isArray(patch))
            throw new ApiError("ValidationException", "Invalid patch update: the patch document must be a JSON array of operations");
        const shapeError = validatePatch(patch as Operation[]);
        if (shapeError)
            throw new ApiError("ValidationException", `Invalid patch update: ${shapeError.name} at operation ${shapeError.index}`);
        const res = this.state.resources[resourceKey(typeName, identifier)];
        if (!res) throw resourceNotFound(typeName, identifier);
        const current = withoutWriteOnly(info, res.properties);
        let next: Record<string, unknown>;
        try {
            next = applyPatch(clone(current), patch as Operation[], true, false).newDocument;
        } catch (e) {
            throw new ApiError("ValidationException", patchErrorMessage(e));
        }
        // What the patch modifies: a test op reads only, and a copy only reads its source; a move removes it.
        const paths = (patch as Operation[]).flatMap((o) => (o.op === "test" ? [] : o.op === "move" ? [o.path, o.from] : [o.path]));
        // A patch path at or below a property touches it; one above it (replacing a parent) only if its value changes.
        const touching = (set: string[][]) =>
            set
                .filter(
                    (p) =>
                        paths.some((ptr) => pointerWithin(ptr, p)) ||
                        (paths.some((ptr) => isAncestor(ptr, p)) &&
                            JSON.stringify(valuesAt(current, p)) !== JSON.stringify(valuesAt(next, p))),
                )
                .map((p) => `/properties/${p.join("/")}`);
        const readOnlyHit = touching(info.readOnly);
        if (readOnlyHit.length > 0) {
            throw new ApiError(
                "ValidationException",
                `Invalid patch update: readOnlyProperties [${readOnlyHit.join(", ")}] cannot be updated`,
            );
        }
        const createOnlyHit = touching(info.createOnly);
        if (createOnlyHit.length > 0) {
            throw new ApiError(
                "NotUpdatableException",
                `Invalid patch update: createOnlyProperties [${createOnlyHit.join(", ")}] cannot be updated`,
            );
        }
        const problems = info.validate(withoutReadOnly(info, next));
        if (problems.length > 0) throw modelValidationFailed(problems);
        this.assertUnlocked(typeName, identifier);
        let plannedError: PlannedError | undefined;
        // Whether a conditional create-only change can be made in place is the handler's call: a FAILED request.
        const changedConditional = info.conditionalCreateOnly.filter(
            (p) => JSON.stringify(valuesAt(current, p)) !== JSON.stringify(valuesAt(next, p)),
        );
        if (changedConditional.length > 0) {
            plannedError = {
                errorCode: "NotUpdatable",
                statusMessage: `Update of conditionalCreateOnlyProperties [${changedConditional.map((p) => `/properties/${p.join("/")}`).join(", ")}] requires replacement`,
            };
        }
        return this.submit("UPDATE", "UpdateResource", info, { identifier }, { clientToken, fingerprint }, { model: next, plannedError });
    }

    /** DeleteResource: a missing resource is accepted and fails later with NotFound, as recorded. */
    deleteResource(input: Json): Json {
        const typeName = stringMember(input, "TypeName");
        const given = stringMember(input, "Identifier");
        const clientToken = optionalString(input, "ClientToken");
        const fingerprint = digest(JSON.stringify(["DELETE", typeName, given, input.RoleArn ?? null, input.TypeVersionId ?? null]), 32);
        this.settle();
        const replayed = this.replay(clientToken, fingerprint);
        if (replayed) return replayed;
        const info = this.requireType(typeName);
        this.requireHandler(info, "delete");
        const identifier = this.resolveIdentifier(info, given);
        this.assertUnlocked(typeName, identifier);
        const exists = Boolean(this.state.resources[resourceKey(typeName, identifier)]);
        const notFound = exists ? undefined : { errorCode: "NotFound", statusMessage: notFoundMessage(typeName, identifier) };
        return this.submit("DELETE", "DeleteResource", info, { identifier }, { clientToken, fingerprint }, { plannedError: notFound });
    }

    /**
     * ListResources. A type whose list handler takes input (handlers.list.handlerSchema, e.g. the cluster of an
     * EKS node group) needs a ResourceModel giving its required properties, and lists only the resources matching
     * the properties it gives (AWS's message: awslabs/mcp#403).
     */
    listResources(input: Json): Json {
        const typeName = stringMember(input, "TypeName");
        const limit = maxResults(input, 100);
        const offset = decodeNextToken(input);
        this.settle();
        const info = this.requireType(typeName);
        this.requireHandler(info, "list");
        const filter = this.listFilter(info, optionalString(input, "ResourceModel"));
        const all = Object.values(this.state.resources)
            .filter(
                (r) =>
                    r.typeName === typeName &&
                    Object.entries(filter).every(([k, v]) => JSON.stringify(r.properties[k]) === JSON.stringify(v)),
            )
            .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
        const page = all.slice(offset, offset + limit);
        const out: Json = {
            TypeName: typeName,
            ResourceDescriptions: page.map((r) => ({
                Identifier: r.identifier,
                Properties: JSON.stringify(withoutWriteOnly(info, r.properties)),
            })),
        };
        if (offset + limit < all.length) out.NextToken = encodeNextToken(offset + limit);
        return out;
    }

    /** The properties a list request filters by: those of the list handler's input that the ResourceModel gives. */
    private listFilter(info: TypeInfo, modelText: string | undefined): Record<string, unknown> {
        const model = modelText === undefined ? {} : parseJsonMember(modelText, "ResourceModel");
        if (typeof model !== "object" || model === null || Array.isArray(model))
            throw new ApiError("InvalidRequestException", "ResourceModel must be a JSON object");
        const missing = info.listInput.required.filter((k) => (model as Json)[k] === undefined);
        if (missing.length > 0) {
            throw new ApiError(
                "InvalidRequestException",
                `Missing or invalid ResourceModel property in ${info.typeName} list handler request input.Required property: (${missing.map((k) => `#: required key [${k}] not found`).join("; ")})`,
            );
        }
        return Object.fromEntries(
            info.listInput.properties.filter((k) => (model as Json)[k] !== undefined).map((k) => [k, (model as Json)[k]]),
        );
    }

    /** GetResourceRequestStatus. */
    getResourceRequestStatus(input: Json): Json {
        const token = stringMember(input, "RequestToken");
        this.settle();
        const r = this.state.requests[token];
        if (!r) throw requestTokenNotFound(token);
        const out: Json = { ProgressEvent: this.tracker.progressEvent(r, "status") };
        if (r.hooks && r.hooks.length > 0) out.HooksProgressEvent = r.hooks;
        return out;
    }

    /** ListResourceRequests. */
    listResourceRequests(input: Json): Json {
        const limit = maxResults(input, 20);
        const offset = decodeNextToken(input);
        const filter = (input.ResourceRequestStatusFilter ?? {}) as Json;
        const ops: string[] | undefined = Array.isArray(filter.Operations) && filter.Operations.length > 0 ? filter.Operations : undefined;
        const statuses: string[] | undefined =
            Array.isArray(filter.OperationStatuses) && filter.OperationStatuses.length > 0 ? filter.OperationStatuses : undefined;
        this.settle();
        const events = Object.values(this.state.requests)
            .sort((a, b) => b.startTime - a.startTime || (a.requestToken < b.requestToken ? -1 : 1))
            .map((r) => this.tracker.progressEvent(r, "status"))
            .filter((e) => (!ops || ops.includes(e.Operation)) && (!statuses || statuses.includes(e.OperationStatus)));
        const out: Json = { ResourceRequestStatusSummaries: events.slice(offset, offset + limit) };
        if (offset + limit < events.length) out.NextToken = encodeNextToken(offset + limit);
        return out;
    }

    /**
     * CancelResourceRequest: a running request starts cancelling; cancelling one already cancelling or cancelled
     * answers its event again; a finished one is a ValidationException (recorded: localstack test_cancel_request,
     * test_cancel_edge_cases).
     */
    cancelResourceRequest(input: Json): Json {
        const token = stringMember(input, "RequestToken");
        this.settle();
        const r = this.state.requests[token];
        if (!r) throw requestTokenNotFound(token);
        if (r.status === "SUCCESS" || r.status === "FAILED")
            throw new ApiError("ValidationException", `Request ${token} is already in status ${r.status}`);
        if (r.cancelTime === undefined) {
            this.tracker.cancel(r);
            this.onChange();
        }
        return { ProgressEvent: this.tracker.progressEvent(r, "status") };
    }
}

/** Whether a concrete patch pointer names a strict ancestor of a schema path. */
function isAncestor(ptr: string, path: string[]): boolean {
    const parts = splitPointer(ptr);
    return parts.length < path.length && parts.every((seg, i) => path[i] === "*" || path[i] === seg);
}

/**
 * Why a patch could not be applied, in the words of Cloud Control's patch library as recorded ("[REPLACE
 * Operation] noSuchPath in source, path provided : //Code", pulumi-aws-native#277: the path printed after a "/").
 */
function patchErrorMessage(e: unknown): string {
    const err = e as { name?: string; operation?: { op?: string; path?: string; from?: string } };
    const op = String(err.operation?.op ?? "").toUpperCase();
    switch (err.name) {
        case "TEST_OPERATION_FAILED":
            return `[${op} Operation] value mismatch`;
        case "OPERATION_FROM_UNRESOLVABLE":
            return `[${op} Operation] noSuchPath in source, path provided : /${err.operation?.from ?? ""}`;
        default:
            return `[${op} Operation] noSuchPath in source, path provided : /${err.operation?.path ?? ""}`;
    }
}

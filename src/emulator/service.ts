/**
 * The Cloud Control API itself: the eight operations over the emulator state, with asynchronous requests
 * that move PENDING -> IN_PROGRESS -> SUCCESS/FAILED on the emulator clock.
 */
import { randomUUID } from "crypto";
import { applyPatch, Operation, validate as validatePatch } from "fast-json-patch";
import { ApiError, notFoundMessage } from "./errors";
import {
    clone,
    digest,
    fillGeneratedIdentifier,
    fillReadOnly,
    identifierOf,
    Placement,
    withoutReadOnly,
    withoutWriteOnly,
} from "./model";
import { pointerWithin, splitPointer, valuesAt } from "./pointer";
import { SchemaRegistry, TypeInfo } from "./schemas";
import { runHooks } from "./hooks";
import { decodeNextToken, encodeNextToken, maxResults, optionalString, parseJsonMember, requireString } from "./input";
import { RequestTracker, ServiceSettings } from "./requests";
import { RequestRecord, resourceKey, StateData } from "./state";
import type { EmulatedOperation } from "./types";

/** Picks a planned handler failure for a mutating request (fault injection), or undefined. */
export type FailurePlanner = (apiOperation: string, typeName: string) => { errorCode: string; statusMessage?: string } | undefined;

type Json = Record<string, any>;

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
            throw new ApiError("ConcurrentOperationException", `Another resource operation is in progress for resource '${identifier}' of type '${typeName}'.`);
        }
    }

    private requireType(typeName: string): TypeInfo {
        const info = this.schemas.get(typeName);
        if (!info) throw new ApiError("TypeNotFoundException", `The type '${typeName}' cannot be found.`);
        return info;
    }

    private requireHandler(info: TypeInfo, handler: string): void {
        if (!info.handlers.has(handler)) {
            throw new ApiError("UnsupportedActionException", `Resource type ${info.typeName} does not support ${handler.toUpperCase()} action`);
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
        if (r.fingerprint !== fingerprint) {
            throw new ApiError("ClientTokenConflictException", `The client token ${clientToken} was already used with a different request.`);
        }
        return { ProgressEvent: this.tracker.progressEvent(r) };
    }

    /** Records a new mutating request (the caller has checked locks and tokens). */
    private submit(
        op: EmulatedOperation,
        apiOperation: string,
        info: TypeInfo,
        identifier: string | undefined,
        clientToken: string | undefined,
        fingerprint: string,
        model: Record<string, unknown> | undefined,
        plannedError: { errorCode: string; statusMessage: string } | undefined,
    ): Json {
        const now = this.now();
        const requestToken = randomUUID();
        const delay = this.tracker.durationFor(info.typeName, op);
        const record: RequestRecord = {
            requestToken,
            operation: op,
            typeName: info.typeName,
            identifier,
            clientToken,
            fingerprint,
            startTime: now,
            pendingMs: delay,
            progressMs: delay,
            model,
            plannedError,
        };
        if (!record.plannedError) {
            const injected = this.planFailure(apiOperation, info.typeName);
            if (injected) {
                record.plannedError = { errorCode: injected.errorCode, statusMessage: injected.statusMessage ?? `Injected failure: ${injected.errorCode}` };
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
        return { ProgressEvent: this.tracker.progressEvent(record) };
    }

    // ---- operations -----------------------------------------------------------------------------------------

    /** CreateResource. */
    createResource(input: Json): Json {
        const typeName = requireString(input, "TypeName", 196);
        const desiredText = requireString(input, "DesiredState", 262144);
        const clientToken = optionalString(input, "ClientToken");
        const fingerprint = digest(JSON.stringify(["CREATE", typeName, desiredText, input.RoleArn ?? null, input.TypeVersionId ?? null]), 32);
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
        const problems: string[] = [];
        for (const p of info.readOnly) {
            for (const found of valuesAt(model, p)) problems.push(`#${found.pointer}: read-only property is not permitted in DesiredState`);
        }
        problems.push(...info.validate(model));
        const seed = `${typeName}:${this.state.counter}:${clientToken ?? ""}`;
        fillGeneratedIdentifier(info, model, seed);
        fillReadOnly(info, model, this.where, seed);
        const identifier = identifierOf(info, model);
        let plannedError: { errorCode: string; statusMessage: string } | undefined;
        if (problems.length > 0) {
            plannedError = { errorCode: "InvalidRequest", statusMessage: `Model validation failed (${problems.join("; ")})` };
        } else if (identifier === undefined) {
            plannedError = { errorCode: "InvalidRequest", statusMessage: "Model validation failed (#: the primary identifier cannot be determined)" };
        } else if (this.state.resources[resourceKey(typeName, identifier)]) {
            plannedError = { errorCode: "AlreadyExists", statusMessage: `Resource of type '${typeName}' with identifier '${identifier}' already exists.` };
        }
        if (identifier !== undefined && !plannedError) this.assertUnlocked(typeName, identifier);
        return this.submit("CREATE", "CreateResource", info, identifier, clientToken, fingerprint, plannedError ? undefined : model, plannedError);
    }

    /** GetResource. */
    getResource(input: Json): Json {
        const typeName = requireString(input, "TypeName", 196);
        const given = requireString(input, "Identifier", 1024);
        this.settle();
        const info = this.requireType(typeName);
        this.requireHandler(info, "read");
        const identifier = this.resolveIdentifier(info, given);
        const res = this.state.resources[resourceKey(typeName, identifier)];
        if (!res) throw new ApiError("ResourceNotFoundException", notFoundMessage(typeName, identifier));
        return {
            TypeName: typeName,
            ResourceDescription: { Identifier: identifier, Properties: JSON.stringify(withoutWriteOnly(info, res.properties)) },
        };
    }

    /** UpdateResource. */
    updateResource(input: Json): Json {
        const typeName = requireString(input, "TypeName", 196);
        const given = requireString(input, "Identifier", 1024);
        const patchText = requireString(input, "PatchDocument", 65536);
        const clientToken = optionalString(input, "ClientToken");
        const fingerprint = digest(JSON.stringify(["UPDATE", typeName, given, patchText, input.RoleArn ?? null, input.TypeVersionId ?? null]), 32);
        this.settle();
        const replayed = this.replay(clientToken, fingerprint);
        if (replayed) return replayed;
        const info = this.requireType(typeName);
        this.requireHandler(info, "update");
        const identifier = this.resolveIdentifier(info, given);
        const patch = parseJsonMember(patchText, "PatchDocument");
        if (!Array.isArray(patch)) throw new ApiError("ValidationException", "Invalid patch update: the patch document must be a JSON array of operations");
        const shapeError = validatePatch(patch as Operation[]);
        if (shapeError) throw new ApiError("ValidationException", `Invalid patch update: ${shapeError.name} at operation ${shapeError.index}`);
        const res = this.state.resources[resourceKey(typeName, identifier)];
        let next: Record<string, unknown> | undefined;
        if (res) {
            try {
                next = applyPatch(clone(res.properties), patch as Operation[], true, false).newDocument;
            } catch (e) {
                throw new ApiError("ValidationException", `Invalid patch update: ${patchErrorSummary(e)}`);
            }
        }
        // What the patch modifies: a test op reads only, and a copy only reads its source; a move removes it.
        const paths = (patch as Operation[]).flatMap((o) => (o.op === "test" ? [] : o.op === "move" ? [o.path, o.from] : [o.path]));
        // A patch path at or below a property touches it; one above it (replacing a parent) only if its value changes.
        const touching = (set: string[][]) =>
            set
                .filter(
                    (p) =>
                        paths.some((ptr) => pointerWithin(ptr, p)) ||
                        (res !== undefined &&
                            paths.some((ptr) => isAncestor(ptr, p)) &&
                            JSON.stringify(valuesAt(res.properties, p)) !== JSON.stringify(valuesAt(next, p))),
                )
                .map((p) => `/properties/${p.join("/")}`);
        const readOnlyHit = touching(info.readOnly);
        if (readOnlyHit.length > 0) {
            throw new ApiError("ValidationException", `Invalid patch update: readOnlyProperties [${readOnlyHit.join(", ")}] cannot be updated`);
        }
        const createOnlyHit = touching(info.createOnly);
        if (createOnlyHit.length > 0) {
            throw new ApiError("NotUpdatableException", `Invalid patch update: createOnlyProperties [${createOnlyHit.join(", ")}] cannot be updated`);
        }
        this.assertUnlocked(typeName, identifier);
        if (!res || !next) {
            return this.submit("UPDATE", "UpdateResource", info, identifier, clientToken, fingerprint, undefined, {
                errorCode: "NotFound",
                statusMessage: notFoundMessage(typeName, identifier),
            });
        }
        let plannedError: { errorCode: string; statusMessage: string } | undefined;
        const changedConditional = info.conditionalCreateOnly.filter(
            (p) => JSON.stringify(valuesAt(res.properties, p)) !== JSON.stringify(valuesAt(next, p)),
        );
        if (changedConditional.length > 0) {
            plannedError = {
                errorCode: "NotUpdatable",
                statusMessage: `Update of conditionalCreateOnlyProperties [${changedConditional.map((p) => `/properties/${p.join("/")}`).join(", ")}] requires replacement`,
            };
        } else {
            const problems = info.validate(withoutReadOnly(info, next));
            if (problems.length > 0) plannedError = { errorCode: "InvalidRequest", statusMessage: `Model validation failed (${problems.join("; ")})` };
        }
        return this.submit("UPDATE", "UpdateResource", info, identifier, clientToken, fingerprint, plannedError ? undefined : next, plannedError);
    }

    /** DeleteResource. */
    deleteResource(input: Json): Json {
        const typeName = requireString(input, "TypeName", 196);
        const given = requireString(input, "Identifier", 1024);
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
        return this.submit("DELETE", "DeleteResource", info, identifier, clientToken, fingerprint, undefined, exists ? undefined : {
            errorCode: "NotFound",
            statusMessage: notFoundMessage(typeName, identifier),
        });
    }

    /** ListResources. */
    listResources(input: Json): Json {
        const typeName = requireString(input, "TypeName", 196);
        const limit = maxResults(input, 100, 100);
        const offset = decodeNextToken(input);
        this.settle();
        const info = this.requireType(typeName);
        this.requireHandler(info, "list");
        const all = Object.values(this.state.resources)
            .filter((r) => r.typeName === typeName)
            .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
        const page = all.slice(offset, offset + limit);
        const out: Json = {
            TypeName: typeName,
            ResourceDescriptions: page.map((r) => ({ Identifier: r.identifier, Properties: JSON.stringify(withoutWriteOnly(info, r.properties)) })),
        };
        if (offset + limit < all.length) out.NextToken = encodeNextToken(offset + limit);
        return out;
    }

    /** GetResourceRequestStatus. */
    getResourceRequestStatus(input: Json): Json {
        const token = requireString(input, "RequestToken", 128);
        this.settle();
        const r = this.state.requests[token];
        if (!r) throw new ApiError("RequestTokenNotFoundException", `Request with token ${token} was not found.`);
        const out: Json = { ProgressEvent: this.tracker.progressEvent(r) };
        if (r.hooks && r.hooks.length > 0) out.HooksProgressEvent = r.hooks;
        return out;
    }

    /** ListResourceRequests. */
    listResourceRequests(input: Json): Json {
        const limit = maxResults(input, 20, 100);
        const offset = decodeNextToken(input);
        const filter = (input.ResourceRequestStatusFilter ?? {}) as Json;
        const ops: string[] | undefined = Array.isArray(filter.Operations) && filter.Operations.length > 0 ? filter.Operations : undefined;
        const statuses: string[] | undefined =
            Array.isArray(filter.OperationStatuses) && filter.OperationStatuses.length > 0 ? filter.OperationStatuses : undefined;
        this.settle();
        const events = Object.values(this.state.requests)
            .sort((a, b) => b.startTime - a.startTime || (a.requestToken < b.requestToken ? -1 : 1))
            .map((r) => this.tracker.progressEvent(r))
            .filter((e) => (!ops || ops.includes(e.Operation)) && (!statuses || statuses.includes(e.OperationStatus)));
        const out: Json = { ResourceRequestStatusSummaries: events.slice(offset, offset + limit) };
        if (offset + limit < events.length) out.NextToken = encodeNextToken(offset + limit);
        return out;
    }

    /** CancelResourceRequest. */
    cancelResourceRequest(input: Json): Json {
        const token = requireString(input, "RequestToken", 128);
        this.settle();
        const r = this.state.requests[token];
        if (!r) throw new ApiError("RequestTokenNotFoundException", `Request with token ${token} was not found.`);
        if (r.status !== undefined || r.cancelTime !== undefined) {
            throw new ApiError(
                "ConcurrentModificationException",
                `Resource request ${token} cannot be cancelled: only PENDING or IN_PROGRESS requests can be cancelled.`,
            );
        }
        this.tracker.cancel(r);
        this.onChange();
        return { ProgressEvent: this.tracker.progressEvent(r) };
    }
}

/** Whether a concrete patch pointer names a strict ancestor of a schema path. */
function isAncestor(ptr: string, path: string[]): boolean {
    const parts = splitPointer(ptr);
    return parts.length < path.length && parts.every((seg, i) => path[i] === "*" || path[i] === seg);
}

function patchErrorSummary(e: unknown): string {
    const err = e as { name?: string; index?: number; operation?: { op?: string; path?: string } };
    const where = err.operation?.path !== undefined ? ` at ${err.operation.path}` : "";
    return `operation ${err.index ?? "?"}${where} cannot be applied`;
}

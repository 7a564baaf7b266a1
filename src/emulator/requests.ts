/**
 * The lifecycle of resource requests on the emulator clock: PENDING -> IN_PROGRESS -> SUCCESS/FAILED (or
 * CANCEL_IN_PROGRESS -> CANCEL_COMPLETE), applying each request's effect when it completes, expiry after 7 days,
 * and the ProgressEvent of a request as of now.
 */
import { notFoundMessage } from "./errors";
import { withoutWriteOnly } from "./model";
import { SchemaRegistry } from "./schemas";
import { RequestRecord, resourceKey, StateData } from "./state";
import type { Behaviour, EmulatedOperation, HookConfig, OperationDurations } from "./types";

/** Seven days: how long Cloud Control keeps resource requests. */
export const REQUEST_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** 36 hours: how long a ClientToken stays bound to its request. */
export const CLIENT_TOKEN_TTL_MS = 36 * 3600 * 1000;

/** Settings read on every request (they can change at run time). */
export interface ServiceSettings {
    operationDelayMs: number;
    durations: Record<string, OperationDurations>;
    behaviour: Behaviour;
    hooks: HookConfig[];
}

/**
 * Who reads an event: "start" is the answer of the call that started the request (CreateResource, ...);
 * "status" a later read (GetResourceRequestStatus, ListResourceRequests, a replayed start call, a cancel).
 */
export type EventView = "start" | "status";

type Json = Record<string, any>;

const opKey: Record<EmulatedOperation, keyof OperationDurations> = { CREATE: "create", UPDATE: "update", DELETE: "delete" };

/** Tracks resource requests over the state. */
export class RequestTracker {
    /** Tokens of requests not yet final: the only ones settle() and the per-resource lock need to look at. */
    private readonly open = new Set<string>();
    private lastExpiry = -Infinity;

    constructor(
        private readonly state: StateData,
        private readonly schemas: SchemaRegistry,
        private readonly settings: ServiceSettings,
        private readonly onChange: () => void,
    ) {
        for (const r of Object.values(state.requests)) if (r.status === undefined) this.open.add(r.requestToken);
    }

    /** Emulator clock, epoch ms. */
    now(): number {
        return Date.now() + this.state.clockOffsetMs;
    }

    /** Phase length (ms) of an operation on a type. */
    durationFor(typeName: string, op: EmulatedOperation): number {
        const key = opKey[op];
        return this.settings.durations[typeName]?.[key] ?? this.settings.durations["*"]?.[key] ?? this.settings.operationDelayMs;
    }

    /** Records a new request; one without duration completes at once. */
    track(record: RequestRecord): void {
        this.state.requests[record.requestToken] = record;
        this.open.add(record.requestToken);
        if (record.pendingMs <= 0) this.complete(record);
    }

    /** Starts cancelling an open request (open ones have a duration: track() completes the others at once). */
    cancel(r: RequestRecord): void {
        r.cancelTime = this.now();
    }

    private endOf(r: RequestRecord): number {
        if (r.cancelTime !== undefined) return r.cancelTime + r.pendingMs;
        return r.startTime + r.pendingMs + r.progressMs;
    }

    /** Completes every request whose time has come, oldest completion first, applying its effect. */
    settle(): void {
        const now = this.now();
        const due = [...this.open]
            .map((t) => this.state.requests[t])
            .filter((r) => r !== undefined && this.endOf(r) <= now)
            .sort((a, b) => this.endOf(a) - this.endOf(b));
        for (const r of due) this.complete(r);
        // Expiry is on a 7-day / 36-hour scale: a sweep per emulator minute is plenty.
        const swept = now - this.lastExpiry >= 60_000;
        if (swept) this.expire(now);
        if (due.length > 0 || swept) this.onChange();
    }

    private expire(now: number): void {
        this.lastExpiry = now;
        for (const [token, r] of Object.entries(this.state.requests)) {
            if (r.status !== undefined && now - r.startTime >= REQUEST_RETENTION_MS) delete this.state.requests[token];
        }
        for (const [token, t] of Object.entries(this.state.clientTokens)) {
            if (now - t.time >= CLIENT_TOKEN_TTL_MS) delete this.state.clientTokens[token];
        }
    }

    /**
     * Ends a request, applying its effect. A cancelled request ends CANCEL_COMPLETE; when it was cancelled after
     * its handler started (its second phase) and `cancelKeepsWork` is on, what the handler did stays: Cloud
     * Control cancels without rollback (LocalStack's test_cancel_request: "the bucket might still have been created").
     */
    private complete(r: RequestRecord): void {
        this.open.delete(r.requestToken);
        r.endTime = this.endOf(r);
        const cancelled = r.cancelTime !== undefined;
        const started = cancelled && r.cancelTime! >= r.startTime + r.pendingMs;
        if (cancelled && !(started && this.settings.behaviour.cancelKeepsWork && !r.plannedError)) {
            r.status = "CANCEL_COMPLETE";
            return;
        }
        const fail = (errorCode: string, statusMessage: string) => {
            // A cancelled request whose work cannot be done just ends cancelled.
            if (cancelled) r.status = "CANCEL_COMPLETE";
            else Object.assign(r, { status: "FAILED", errorCode, statusMessage });
        };
        if (r.plannedError) return fail(r.plannedError.errorCode, r.plannedError.statusMessage);
        const info = this.schemas.get(r.typeName);
        const key = resourceKey(r.typeName, r.identifier ?? "");
        const existing = this.state.resources[key];
        if (!info) return fail("InternalFailure", `Type ${r.typeName} is no longer available`);
        switch (r.operation) {
            case "CREATE":
                if (existing)
                    return fail("AlreadyExists", `Resource of type '${r.typeName}' with identifier '${r.identifier}' already exists.`);
                this.state.resources[key] = { typeName: r.typeName, identifier: r.identifier!, properties: r.model! };
                r.resourceModel = JSON.stringify(withoutWriteOnly(info, r.model!));
                break;
            case "UPDATE":
                if (!existing) return fail("NotFound", notFoundMessage(r.typeName, r.identifier));
                existing.properties = r.model!;
                r.resourceModel = JSON.stringify(withoutWriteOnly(info, r.model!));
                break;
            case "DELETE":
                if (!existing) return fail("NotFound", notFoundMessage(r.typeName, r.identifier));
                delete this.state.resources[key];
                break;
        }
        r.status = cancelled ? "CANCEL_COMPLETE" : "SUCCESS";
        if (cancelled) r.workKept = true;
    }

    /** The request's ProgressEvent in wire form, as of now, as `view` sees it. */
    progressEvent(r: RequestRecord, view: EventView): Json {
        const now = this.now();
        const behaviour = this.settings.behaviour;
        const phaseEnd = r.startTime + r.pendingMs;
        let status: string;
        // When the current status began (EventTime moves from event to event, as recorded) and when it next changes.
        let since: number;
        let next: number | undefined;
        if (r.status) {
            status = r.status;
            since = r.endTime ?? now;
        } else if (r.cancelTime !== undefined) {
            status = "CANCEL_IN_PROGRESS";
            since = r.cancelTime;
            next = this.endOf(r);
        } else if (now < phaseEnd) {
            status = behaviour.initialStatus;
            since = r.startTime;
            next = phaseEnd;
        } else {
            status = "IN_PROGRESS";
            since = phaseEnd;
            next = this.endOf(r);
        }
        const event: Json = {
            TypeName: r.typeName,
            Operation: r.operation,
            OperationStatus: status,
            RequestToken: r.requestToken,
            EventTime: since / 1000,
        };
        if (r.identifier !== undefined && this.namesIdentifier(r, status, view)) event.Identifier = r.identifier;
        if (r.hooksRequestToken) event.HooksRequestToken = r.hooksRequestToken;
        if (r.status === "FAILED") {
            event.ErrorCode = r.errorCode;
            event.StatusMessage = r.statusMessage;
        }
        if (r.resourceModel !== undefined && r.status === "SUCCESS" && behaviour.resourceModel) event.ResourceModel = r.resourceModel;
        const hinted = behaviour.retryAfter === "all" || (behaviour.retryAfter === "status" && view === "status");
        if (next !== undefined && hinted) event.RetryAfter = next / 1000;
        return event;
    }

    /**
     * Whether an event names the request's identifier: always when the caller gave or determined it; a generated
     * one only once the request made the resource ("late": SUCCESS, or a cancel that kept the handler's work), or
     * from the first status read on ("early").
     */
    private namesIdentifier(r: RequestRecord, status: string, view: EventView): boolean {
        if (!r.generatedIdentifier) return true;
        const madeIt = status === "SUCCESS" || (r.workKept === true && r.operation === "CREATE");
        return madeIt || (this.settings.behaviour.identifier === "early" && view === "status");
    }

    /** The open request holding a resource, if any (one operation at a time per resource). */
    lockHolder(typeName: string, identifier: string): RequestRecord | undefined {
        for (const token of this.open) {
            const r = this.state.requests[token];
            if (r && r.typeName === typeName && r.identifier === identifier) return r;
        }
        return undefined;
    }
}

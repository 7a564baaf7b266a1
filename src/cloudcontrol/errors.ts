import type { HookProgressEvent, OutcomeKind, ProgressEvent } from "./types";

/** Fields of a {@link CloudControlError}. */
export interface CloudControlErrorDetails {
    /** CREATE | UPDATE | DELETE | READ | ... */
    operation?: string;
    typeName?: string;
    identifier?: string;
    requestToken?: string;
    /** ErrorCode of the FAILED event, or "Timeout" / "Aborted" / an exception name. */
    errorCode?: string;
    statusMessage?: string;
    /** The last OperationStatus seen (useful on timeouts). */
    lastStatus?: string;
    hooks?: HookProgressEvent[];
    /** How the operation ended: fail, replace, gone, cancelled, retry (retries exhausted) or timeout. */
    outcome?: OutcomeKind | "timeout";
    /** The last ProgressEvent seen, without its ResourceModel (property values may be secret). */
    event?: ProgressEvent;
    /** Request tokens and error codes of earlier attempts of the same operation, oldest first. */
    attempts?: { requestToken?: string; errorCode?: string }[];
    cause?: unknown;
}

/**
 * The one error type of the Cloud Control layer. Its message says what failed and what to do next;
 * it never includes desired-state or property values, which may be secret.
 */
export class CloudControlError extends Error implements CloudControlErrorDetails {
    operation?: string;
    typeName?: string;
    identifier?: string;
    requestToken?: string;
    errorCode?: string;
    statusMessage?: string;
    lastStatus?: string;
    hooks?: HookProgressEvent[];
    outcome?: OutcomeKind | "timeout";
    event?: ProgressEvent;
    attempts?: { requestToken?: string; errorCode?: string }[];

    constructor(message: string, details: CloudControlErrorDetails = {}) {
        super(message, details.cause === undefined ? undefined : { cause: details.cause });
        this.name = "CloudControlError";
        const { cause: _cause, event, ...rest } = details;
        Object.assign(this, rest);
        if (event) this.event = withoutResourceModel(event);
    }
}

/** A copy of a ProgressEvent without ResourceModel, the one field that carries property values. */
export function withoutResourceModel(event: ProgressEvent): ProgressEvent {
    const { ResourceModel: _model, ...rest } = event;
    return rest;
}

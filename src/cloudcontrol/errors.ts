import type { HookProgressEvent, OutcomeKind } from "./types";

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

    constructor(message: string, details: CloudControlErrorDetails = {}) {
        super(message, details.cause === undefined ? undefined : { cause: details.cause });
        this.name = "CloudControlError";
        const { cause: _cause, ...rest } = details;
        Object.assign(this, rest);
    }
}

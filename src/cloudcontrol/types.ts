import type { ProgressEvent, HookProgressEvent } from "@aws-sdk/client-cloudcontrol";
import type { Operation } from "fast-json-patch";
import type { Clock } from "./clock";
import type { PollSchedule } from "./schedule";

export type { ProgressEvent, HookProgressEvent };

/** What a ProgressEvent means for the caller. */
export type OutcomeKind = "success" | "pending" | "retry" | "replace" | "gone" | "cancelled" | "fail";

/** The classification of one ProgressEvent (see "What each Cloud Control outcome does" in README.md). */
export interface Outcome {
    kind: OutcomeKind;
    /** ErrorCode of a FAILED event, or the failing hook's type name for a hook failure. */
    errorCode?: string;
    /** A sentence a person can act on; never contains property values. */
    message: string;
    /** Warnings from hooks with FailureMode WARN. */
    warnings: string[];
}

/** Where a client sends its requests and as whom. One client is reused per distinct settings. */
export interface ClientSettings {
    region?: string;
    /** Endpoint override; otherwise AWS_ENDPOINT_URL_CLOUDCONTROL / AWS_ENDPOINT_URL are honoured by the SDK. */
    endpoint?: string;
    /** Shared-config profile (stack config `aws:profile`). */
    profile?: string;
    /** Attempts per API call including the SDK's own retries (adaptive mode). Default 5. */
    maxAttempts?: number;
}

/** Options of {@link waitForRequest}. */
export interface WaitOptions {
    /** Deadline in seconds; when it passes the request is cancelled and a timeout error thrown. */
    timeout?: number;
    /** Aborting cancels the request the same way as a timeout. */
    signal?: AbortSignal;
    /** Called on every status change (and on new StatusMessage or hook events), with the request's hook events. */
    onProgress?: (event: ProgressEvent, hooks?: HookProgressEvent[]) => void;
    /** Called once per distinct warning (failed hooks with FailureMode WARN). */
    onWarning?: (message: string) => void;
    /** Human-readable progress lines (status changes, retried status calls, cancellation). Never carries property values. */
    log?: (message: string) => void;
    /** Context for error messages. */
    operation?: string;
    typeName?: string;
    identifier?: string;
    /**
     * The ProgressEvent the start call (CreateResource, ...) returned: its RetryAfter is honoured before the first
     * status call. Without it the first status call is immediate.
     */
    initialEvent?: ProgressEvent;
    /** How long to wait for CANCEL_COMPLETE after a deadline or abort, seconds. Default 30. */
    cancelWaitSeconds?: number;
    /** Overrides of the polling schedule (see DEFAULT_POLL_SCHEDULE). */
    schedule?: Partial<PollSchedule>;
    /** @internal Time source; tests and simulations pass a VirtualClock. */
    clock?: Clock;
    /** @internal Random source in [0, 1) for jitter; tests pass a fixed one. */
    random?: () => number;
}

/** Options shared by the whole-operation helpers (start, wait, bounded retry of retryable FAILED events). */
export interface RunOptions extends Omit<WaitOptions, "operation" | "typeName" | "identifier" | "initialEvent"> {
    roleArn?: string;
    typeVersionId?: string;
    /** Attempts for retryable FAILED events (Throttling, NotStabilized, ...). Default 4. */
    maxAttempts?: number;
    /** First wait before re-running an operation after a retryable FAILED event, ms (doubling, jittered). Default 1000. */
    retryBaseDelayMs?: number;
}

export interface CreateInput {
    typeName: string;
    desiredState: Record<string, unknown>;
    /** Idempotency token the caller controls (same token + same request → the same request back). */
    clientToken: string;
}

export interface UpdateInput {
    typeName: string;
    identifier: string;
    patch: Operation[];
    clientToken?: string;
}

export interface DeleteInput {
    typeName: string;
    identifier: string;
    clientToken?: string;
}

/** A live resource as GetResource returns it (write-only properties are never returned). */
export interface LiveResource {
    identifier: string;
    properties: Record<string, unknown>;
}

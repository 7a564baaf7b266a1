import type { CloudControlClientConfig, ProgressEvent, HookProgressEvent } from "@aws-sdk/client-cloudcontrol";
import type { Operation } from "fast-json-patch";
import type { Clock } from "./clock";
import type { Timeout } from "./duration";
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
    /**
     * Credentials, as the SDK takes them: static keys (`{ accessKeyId, secretAccessKey, sessionToken? }`) or a
     * provider function. Otherwise the profile, else the SDK's default chain.
     */
    credentials?: CloudControlClientConfig["credentials"];
    /** Attempts per API call including the SDK's own retries (standard mode). Default 5. */
    maxAttempts?: number;
    /**
     * The account's Cloud Control request rate for this region, requests per second (stack config
     * `cloudcontrol:maxRequestsPerSecond`). Otherwise CLOUDCONTROL_MAX_REQUESTS_PER_SECOND, else learned from
     * throttling. Every call of the process to the same account and region shares it.
     */
    maxRequestsPerSecond?: number;
}

/** Options of {@link waitForRequest}. */
export interface WaitOptions {
    /**
     * Deadline: seconds, or a duration such as "90s", "10m", "1h30m" (the same forms as the provider's `timeouts`);
     * when it passes the request is cancelled and a timeout error thrown.
     */
    timeout?: Timeout;
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
    /**
     * @internal When the timeout started counting, on `clock` (default: now). A run's wait counts from the run's
     * start, so the deadline and the timeout its messages name are the run's, not what was left of it.
     */
    timeoutFrom?: number;
}

/** Options shared by the whole-operation helpers (start, wait, bounded retry of retryable FAILED events). */
export interface RunOptions extends Omit<WaitOptions, "operation" | "typeName" | "identifier" | "initialEvent" | "timeoutFrom"> {
    /** IAM role Cloud Control assumes to act on the resource (its RoleArn); default: the caller's credentials. */
    roleArn?: string;
    /** Version of a private or third-party type to use (its TypeVersionId); default: the default version. */
    typeVersionId?: string;
    /** Attempts for retryable FAILED events (Throttling, NotStabilized, ...). Default 4. */
    maxAttempts?: number;
    /** First wait before re-running an operation after a retryable FAILED event, ms (doubling, jittered). Default 1000. */
    retryBaseDelayMs?: number;
}

/** What {@link runCreate} creates. */
export interface CreateInput {
    /** Cloud Control type name, e.g. AWS::Logs::LogGroup. */
    typeName: string;
    /** The resource's properties, as the type's registry schema describes them (sent as DesiredState JSON). */
    desiredState: Record<string, unknown>;
    /**
     * Idempotency token the caller controls (same token + same request → the same request back, so a create re-run
     * after a crash adopts what the first run made). Without one, a fresh token is made for this call (still reused
     * across its own retries), and a re-run after a crash can create a second resource.
     */
    clientToken?: string;
}

/** What {@link runUpdate} changes. */
export interface UpdateInput {
    /** Cloud Control type name. */
    typeName: string;
    /** The resource's primary identifier. */
    identifier: string;
    /** RFC 6902 patch of the resource's properties (sent as PatchDocument). */
    patch: Operation[];
    /** Idempotency token (see {@link CreateInput.clientToken}); made up once per call when absent. */
    clientToken?: string;
}

/** What {@link runDelete} deletes. */
export interface DeleteInput {
    /** Cloud Control type name. */
    typeName: string;
    /** The resource's primary identifier. */
    identifier: string;
    /** Idempotency token (see {@link CreateInput.clientToken}); made up once per call when absent. */
    clientToken?: string;
}

/** What {@link RunResult} says the operation did. */
export type RunAction =
    /** runCreate made the resource. */
    | "created"
    /** runCreate adopted the resource a failed attempt of its own left behind (see docs/cloudcontrol.md). */
    | "adopted"
    /** runUpdate applied the patch. */
    | "updated"
    /** runDelete deleted the resource. */
    | "deleted"
    /** runDelete found the resource already gone (counts as deleted). */
    | "alreadyGone";

/** What runCreate, runUpdate and runDelete resolve to. */
export interface RunResult {
    /** The resource's primary identifier. */
    identifier: string;
    /** What happened. */
    action: RunAction;
    /**
     * The request's last ProgressEvent: SUCCESS, or the FAILED event of an adopted create or of a delete that found
     * the resource gone. Absent only when no request ran (DeleteResource answered ResourceNotFoundException).
     */
    event?: ProgressEvent;
}

/** A live resource as GetResource returns it (write-only properties are never returned). */
export interface LiveResource {
    identifier: string;
    properties: Record<string, unknown>;
}

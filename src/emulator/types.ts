/**
 * Public types of the local Cloud Control emulator. The emulator shares no module with the provider:
 * it is judged by the real AWS SDK talking to it over HTTP.
 */

/** Mutating operations as Cloud Control names them in ProgressEvent.Operation. */
export type EmulatedOperation = "CREATE" | "UPDATE" | "DELETE";

/** Milliseconds each phase of a mutating request lasts (PENDING then IN_PROGRESS). */
export interface OperationDurations {
    create?: number;
    update?: number;
    delete?: number;
}

/**
 * A fault the emulator injects. Rules are matched in order on every incoming request (by API operation name,
 * e.g. "GetResourceRequestStatus", and optionally type name); `count` limits how many times a rule fires
 * (default: unlimited), `probability` (0..1, default 1) draws from the seeded generator.
 */
export type FaultRule = FaultMatch &
    (
        | { kind: "throttle" } // 400 ThrottlingException, as AWS sends it
        | { kind: "throttle429" } // 429 ThrottlingException
        | { kind: "server"; status?: 500 | 502 | 503 | 504 } // 5xx (ServiceInternalError / HandlerInternalFailure ...)
        | { kind: "reset" } // destroy the socket without answering (the request is not processed)
        | { kind: "lost" } // process the request, then destroy the socket: the answer is lost (tests ClientToken reuse)
        | { kind: "slow"; delayMs: number } // answer normally, after a delay
        | { kind: "concurrent" } // 409 ConcurrentOperationException
        | { kind: "failed"; errorCode: string; statusMessage?: string } // the mutating request ends FAILED with ErrorCode
    );

/** Which requests a fault rule applies to. */
export interface FaultMatch {
    /** API operation(s) (CreateResource, GetResourceRequestStatus, ...); default all. For kind "failed": CreateResource/UpdateResource/DeleteResource. */
    operation?: string | string[];
    typeName?: string;
    count?: number;
    probability?: number;
}

/** A configured CloudFormation hook that runs on matching mutating requests. */
export interface HookConfig {
    /** Hook type name, e.g. "Private::Guard::Check". */
    name: string;
    typeName?: string;
    operations?: EmulatedOperation[];
    /** FAIL: a failing hook fails the request. WARN: the request goes on and the event carries the warning. */
    failureMode: "FAIL" | "WARN";
    /** Whether the hook's check fails (HOOK_COMPLETE_FAILED) or passes (HOOK_COMPLETE_SUCCEEDED). Default true. */
    fails?: boolean;
    message?: string;
}

/** One line of the request log: every HTTP request the emulator answered (or dropped). */
export interface RequestLogEntry {
    /** Emulator clock, epoch milliseconds. */
    time: number;
    /** "CreateResource", "GetResourceRequestStatus", ..., "DescribeType", or "Unknown". */
    operation: string;
    httpStatus: number;
    /** Exception short name for errors ("ThrottlingException"), or "reset". */
    error?: string;
    typeName?: string;
    identifier?: string;
    requestToken?: string;
    /** OperationStatus returned, for GetResourceRequestStatus and mutating calls. */
    operationStatus?: string;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
    /** TCP port; 0 (default) picks a free one. Always binds `host` (default 127.0.0.1). */
    port?: number;
    host?: string;
    /** Directory of registry schema files (`aws-logs-loggroup.json`, ...). Default: ../shared/cfn-schemas when it exists. `false`: built-in types only. */
    schemas?: string | false;
    /** How long each mutating operation stays in progress, ms (default 100). */
    operationDelayMs?: number;
    /** Per type name (or "*") and operation durations, ms; overrides operationDelayMs. */
    durations?: Record<string, OperationDurations>;
    /** Send RetryAfter hints in in-progress events (default true). */
    retryAfter?: boolean;
    /** Seed of the fault generator (default 1). */
    seed?: number;
    faults?: FaultRule[];
    hooks?: HookConfig[];
    /** Account-wide token bucket: past this many requests a second, answer ThrottlingException. Off by default. */
    rateLimit?: { requestsPerSecond: number; burst?: number };
    /** Persist resources and requests to this file (atomically), and load it at start. */
    stateFile?: string;
    region?: string;
    accountId?: string;
}

/** A resource held by the emulator, as tests see it (write-only values included). */
export interface EmulatedResource {
    typeName: string;
    identifier: string;
    properties: Record<string, unknown>;
}

/** A running emulator. */
export interface Emulator {
    /** e.g. "http://127.0.0.1:43121" — for both Cloud Control and CloudFormation DescribeType. */
    endpoint: string;
    port: number;
    region: string;
    /** Every request answered so far, oldest first. */
    readonly requestLog: RequestLogEntry[];
    /** Count of log entries by operation (optionally only those matching a predicate). */
    countRequests(operation?: string, filter?: (e: RequestLogEntry) => boolean): number;
    clearRequestLog(): void;
    /** Add fault rules at run time (appended to the list). */
    injectFaults(...rules: FaultRule[]): void;
    clearFaults(): void;
    setHooks(hooks: HookConfig[]): void;
    setDurations(durations: Record<string, OperationDurations>): void;
    setRetryAfter(enabled: boolean): void;
    setRateLimit(limit: { requestsPerSecond: number; burst?: number } | undefined): void;
    /** Move the emulator clock forward (request expiry after 7 days, durations). */
    advanceClock(ms: number): void;
    /** Live resources, for assertions. */
    listResources(typeName?: string): EmulatedResource[];
    getResource(typeName: string, identifier: string): EmulatedResource | undefined;
    /** Out-of-band changes (drift), bypassing the API. */
    putResource(typeName: string, identifier: string, properties: Record<string, unknown>): void;
    deleteResourceOutOfBand(typeName: string, identifier: string): boolean;
    close(): Promise<void>;
}

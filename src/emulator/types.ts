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
    /** Only requests for this type name; default all. */
    typeName?: string;
    /** Fire at most this many times; default unlimited. */
    count?: number;
    /** Chance of firing on a matching request, 0 to 1 (seeded); default 1. */
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

/** A named set of {@link Behaviour}s: "aws" (the default) or "strict" (the least convenient variant AWS shows). */
export type EmulatorProfile = "aws" | "strict";

/**
 * Which progress events carry RetryAfter: "status" (events read back through GetResourceRequestStatus and
 * ListResourceRequests while a request runs; never the start call's own answer, as recorded), "all" (the start
 * call's answer too), "none".
 */
export type RetryAfterMode = "status" | "all" | "none";

/**
 * The behaviours where real Cloud Control varies; each profile fixes all of them (see docs/emulator.md).
 */
export interface Behaviour {
    retryAfter: RetryAfterMode;
    /**
     * When a create's events name a generated identifier (one the DesiredState does not determine): "early" from
     * the first status read after the start call, "late" only once the request is final. An identifier the
     * DesiredState determines is always named from the start, as AWS does.
     */
    identifier: "early" | "late";
    /** Whether SUCCESS events of CREATE and UPDATE carry the ResourceModel (write-only properties removed). */
    resourceModel: boolean;
    /** Status of a mutating request in its first phase (the second phase is always IN_PROGRESS). */
    initialStatus: "PENDING" | "IN_PROGRESS";
    /**
     * Whether a request cancelled in its second phase (its handler at work) still takes effect when it reaches
     * CANCEL_COMPLETE: Cloud Control does not roll back (a cancelled create may have made the resource).
     */
    cancelKeepsWork: boolean;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
    /**
     * Profile for the behaviours below that are not given explicitly: "aws" or "strict". Default: the environment
     * variable CLOUDCONTROL_EMULATOR_PROFILE, else "aws".
     */
    profile?: EmulatorProfile;
    /** TCP port; 0 (default) picks a free one. Always binds `host` (default 127.0.0.1). */
    port?: number;
    /** Address to bind (default 127.0.0.1). */
    host?: string;
    /**
     * Directory of registry schema files (`aws-logs-loggroup.json`, ...), served over the registry bundled with the
     * package (every public type). Default: the bundled registry alone. `false`: only the six built-in types.
     */
    schemas?: string | false;
    /** How long each mutating operation stays in progress, ms (default 100). */
    operationDelayMs?: number;
    /** Per type name (or "*") and operation durations, ms; overrides operationDelayMs. */
    durations?: Record<string, OperationDurations>;
    /** Which events carry RetryAfter hints (profile default: "status"; true means "all", false "none"). */
    retryAfter?: RetryAfterMode | boolean;
    /** When a generated identifier appears in a create's events (profile default: "late"). */
    identifier?: Behaviour["identifier"];
    /** ResourceModel on SUCCESS events of CREATE and UPDATE (profile default: false). */
    resourceModel?: boolean;
    /** Status of a request's first phase (profile default: "IN_PROGRESS"). */
    initialStatus?: Behaviour["initialStatus"];
    /** A request cancelled in its second phase still takes effect (profile default: true). */
    cancelKeepsWork?: boolean;
    /** Seed of the fault generator (default 1). */
    seed?: number;
    /** Fault rules, tried in order on every request (see FaultRule). */
    faults?: FaultRule[];
    /** CloudFormation hooks run on matching mutating requests. */
    hooks?: HookConfig[];
    /** Account-wide token bucket: past this many requests a second, answer ThrottlingException. Off by default. */
    rateLimit?: { requestsPerSecond: number; burst?: number };
    /** Persist resources and requests to this file (atomically), and load it at start. */
    stateFile?: string;
    /** The region it answers as, in ARNs and client settings (default us-east-1). */
    region?: string;
    /** The 12-digit account id in ARNs (default 123456789012). */
    accountId?: string;
}

/**
 * A resource held by the emulator, as tests see it: the model its handler last received, write-only values
 * included when they were sent (an update's patch applies to the model without them, as Cloud Control's does).
 */
export interface EmulatedResource {
    typeName: string;
    identifier: string;
    properties: Record<string, unknown>;
}

/** What an AWS SDK client needs to talk to the emulator. */
export interface EmulatorClientConfig {
    endpoint: string;
    region: string;
    /** Static dummy credentials: requests must be signed, any key is accepted. */
    credentials: { accessKeyId: string; secretAccessKey: string };
}

/** A running emulator. */
export interface Emulator {
    /** e.g. "http://127.0.0.1:43121" — for both Cloud Control and CloudFormation DescribeType. */
    endpoint: string;
    /** The port it listens on (the one picked when `port` was 0). */
    port: number;
    /** The region it answers as (default us-east-1). */
    region: string;
    /** Endpoint, region and static credentials for an SDK client: `new CloudControlClient(emulator.clientConfig())`. */
    clientConfig(): EmulatorClientConfig;
    /** The environment variables that point the AWS SDK and CLI at the emulator (what the CLI prints to export). */
    readonly env: Readonly<Record<string, string>>;
    /** The behaviours in effect (profile and options resolved); see setBehaviour. */
    readonly behaviour: Readonly<Behaviour>;
    /** Every request answered so far, oldest first. */
    readonly requestLog: RequestLogEntry[];
    /** Count of log entries by operation (optionally only those matching a predicate). */
    countRequests(operation?: string, filter?: (e: RequestLogEntry) => boolean): number;
    /** Empties the request log. */
    clearRequestLog(): void;
    /** Add fault rules at run time (appended to the list). */
    injectFaults(...rules: FaultRule[]): void;
    /** Removes every fault rule. */
    clearFaults(): void;
    /** Replaces the Cloud Control hooks that run on matching operations. */
    setHooks(hooks: HookConfig[]): void;
    /** Replaces the per-type operation durations (keys: type name or "*"). */
    setDurations(durations: Record<string, OperationDurations>): void;
    /** Changes some behaviours at run time (requests already running follow the new settings too). */
    setBehaviour(changes: Partial<Behaviour>): void;
    /** Shorthand for setBehaviour({ retryAfter }): true is "all", false "none". */
    setRetryAfter(mode: RetryAfterMode | boolean): void;
    /** Sets (or, with undefined, removes) the account's request rate limit: calls over it are throttled. */
    setRateLimit(limit: { requestsPerSecond: number; burst?: number } | undefined): void;
    /** Move the emulator clock forward (request expiry after 7 days, durations). */
    advanceClock(ms: number): void;
    /** Live resources, for assertions. */
    listResources(typeName?: string): EmulatedResource[];
    /** One live resource, for assertions; undefined when there is none. */
    getResource(typeName: string, identifier: string): EmulatedResource | undefined;
    /** Out-of-band changes (drift), bypassing the API. */
    putResource(typeName: string, identifier: string, properties: Record<string, unknown>): void;
    /** Deletes a resource bypassing the API (a deletion behind the stack's back); false if there was none. */
    deleteResourceOutOfBand(typeName: string, identifier: string): boolean;
    /** Stops the server and drops its connections; calling it again does nothing. */
    close(): Promise<void>;
}

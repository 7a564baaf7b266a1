import {
    CancelResourceRequestCommand,
    CreateResourceCommand,
    DeleteResourceCommand,
    GetResourceCommand,
    GetResourceRequestStatusCommand,
    UpdateResourceCommand,
    paginateListResourceRequests,
    type CloudControlClient,
    type ProgressEvent,
} from "@aws-sdk/client-cloudcontrol";
import { systemClock, type Clock } from "./clock";
import { timeoutSeconds } from "./duration";
import { CloudControlError } from "./errors";
import { pace, queuedMessage } from "./pacer";
import { defaultTimeoutSeconds, waitForRequest } from "./poller";
import { abortAt, DeadlineReached, retry, type RetryContext, type RetryOptions } from "./retry";
import { errorMessage, errorName, isTransientError, isUncancellable } from "./sdk-errors";
import { assertClientToken, attemptToken, newClientToken } from "./tokens";
import type { CreateInput, DeleteInput, LiveResource, RunOptions, RunResult, UpdateInput } from "./types";

/** Default attempts of a whole operation after retryable FAILED events. */
const DEFAULT_MAX_ATTEMPTS = 4;

/** Longest wait before re-running a whole operation after a retryable FAILED event. */
const OPERATION_RETRY_MAX_MS = 30_000;

/**
 * Retryable FAILED CREATE codes that mean the handler refused before acting, so nothing was created. The other
 * retryable codes (NotStabilized, ServiceTimeout, NetworkFailure, InternalFailure, ServiceInternalError) often
 * come after the resource exists; without an Identifier to check, creating again could make a second one.
 */
const NOTHING_CREATED_CODES: ReadonlySet<string> = new Set(["Throttling", "ResourceConflict"]);

type MutatingOperation = "CREATE" | "UPDATE" | "DELETE";
type StartCommand = CreateResourceCommand | UpdateResourceCommand | DeleteResourceCommand;
const START_CALL: Record<MutatingOperation, string> = { CREATE: "CreateResource", UPDATE: "UpdateResource", DELETE: "DeleteResource" };

/** Both 409s of a start call mean "busy, ask again later": the request itself is fine. */
function isBusy(err: unknown): boolean {
    const name = errorName(err);
    return name === "ConcurrentOperationException" || name === "ResourceConflictException";
}

/** One run of an operation: its context for messages, its clock and its overall deadline. */
class Run {
    readonly clock: Clock;
    readonly random: () => number;
    readonly deadline: number;
    /** When the run began, on its clock: its timeout counts from here. */
    readonly startedAt: number;
    /** The run's timeout, seconds. */
    readonly timeoutS: number;
    readonly maxAttempts: number;
    /** Earlier attempts that failed retryably, for error messages. */
    readonly attempts: { requestToken?: string; errorCode?: string }[] = [];

    constructor(
        readonly client: CloudControlClient,
        readonly operation: MutatingOperation,
        readonly typeName: string,
        readonly identifier: string | undefined,
        readonly options: RunOptions,
    ) {
        const seconds = timeoutSeconds(options.timeout, `${operation} ${typeName}`);
        this.clock = options.clock ?? systemClock;
        this.random = options.random ?? Math.random;
        this.startedAt = this.clock.now();
        this.timeoutS = seconds ?? defaultTimeoutSeconds(operation);
        this.deadline = this.startedAt + this.timeoutS * 1000;
        this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    }

    describe(): string {
        return `${this.operation} ${this.typeName}${this.identifier ? ` ${this.identifier}` : ""}`;
    }

    log(message: string): void {
        this.options.log?.(message);
    }

    /** The run's clock, randomness, abort signal and deadline, for the retry module. */
    context(): RetryContext {
        return { clock: this.clock, random: this.random, signal: this.options.signal, deadline: this.deadline };
    }

    error(message: string, details: ConstructorParameters<typeof CloudControlError>[1]): CloudControlError {
        return new CloudControlError(message, {
            operation: this.operation,
            typeName: this.typeName,
            identifier: this.identifier,
            attempts: this.attempts.length > 0 ? [...this.attempts] : undefined,
            ...details,
        });
    }

    timeout(why: string): CloudControlError {
        return this.error(
            `${this.describe()} did not finish before its deadline (${why}; no request is running). If it legitimately takes longer, raise its timeout.`,
            {
                errorCode: "Timeout",
                outcome: "timeout",
            },
        );
    }

    aborted(): CloudControlError {
        return this.error(`${this.describe()} was aborted by the caller (no request was running).`, {
            errorCode: "Aborted",
            outcome: "cancelled",
        });
    }

    /** An exception from a start call (CreateResource, ...) that will not go away by asking again. */
    startFailure(err: unknown, token: string): CloudControlError {
        const name = errorName(err);
        const said = errorMessage(err);
        const base = { errorCode: name, cause: err } as const;
        switch (name) {
            case "ResourceNotFoundException":
                return this.error(
                    `${this.describe()}: the resource does not exist (deleted outside this program?). Cloud Control said: ${said}`,
                    { ...base, outcome: "gone" },
                );
            case "NotUpdatableException":
                return this.error(
                    `${this.describe()}: a property that cannot change in place changed; the resource must be replaced. Cloud Control said: ${said}`,
                    { ...base, outcome: "replace" },
                );
            case "ClientTokenConflictException":
                return this.error(
                    `${this.describe()}: ClientToken ${token} was already used within the last 36 hours for a different request; an idempotency token must not be reused for a changed request. Cloud Control said: ${said}`,
                    { ...base, outcome: "fail" },
                );
            case "AlreadyExistsException":
                return this.error(
                    `${this.describe()}: a resource with the same identifier already exists; import it or choose another name.${this.earlierAttempts()} Cloud Control said: ${said}`,
                    { ...base, outcome: "fail" },
                );
            case "TypeNotFoundException":
                return this.error(
                    `${this.describe()}: the type is not known in this region/account (check the type name, the region, and for private types the registration). Cloud Control said: ${said}`,
                    { ...base, outcome: "fail" },
                );
            default:
                return this.error(`${this.describe()}: ${START_CALL[this.operation]} failed with ${name}: ${said}`, {
                    ...base,
                    outcome: isTransientError(err) ? "retry" : "fail",
                });
        }
    }

    earlierAttempts(): string {
        if (this.attempts.length === 0) return "";
        const list = this.attempts.map((a) => `${a.requestToken ?? "?"} (${a.errorCode ?? "?"})`).join(", ");
        return ` Earlier attempts of this operation failed and may have left the resource behind: ${list}.`;
    }

    /**
     * Sends a start call through the account's pacer. While queued there it is dropped at the deadline or on the
     * caller's abort; once sent it is never aborted (an accepted request must not go unnoticed).
     */
    async send(command: StartCommand): Promise<{ ProgressEvent?: ProgressEvent }> {
        const { signal, dispose } = abortAt(this.clock, this.deadline, this.options.signal);
        pace(command, { signal, onQueued: (n) => this.log(queuedMessage(this.describe(), START_CALL[this.operation], n)) });
        try {
            return await (this.client.send as (c: StartCommand) => Promise<{ ProgressEvent?: ProgressEvent }>)(command);
        } finally {
            dispose();
        }
    }

    /**
     * Calls a start operation with the same ClientToken until Cloud Control accepts it: transient errors,
     * ConcurrentOperationException (another operation on the resource is running) and ResourceConflictException
     * (the resource is busy, "try again later") are waited out, up to the deadline.
     * The same token makes a repeated call safe: Cloud Control returns the request it already has.
     */
    async start(token: string, command: () => StartCommand): Promise<ProgressEvent> {
        if (this.options.signal?.aborted) throw this.aborted();
        const out = await retry(() => this.send(command()), {
            ...this.context(),
            baseMs: 1000,
            maxMs: 15_000,
            retryable: (err) => isBusy(err) || isTransientError(err),
            onRetry: (err, _failures, delay) =>
                this.log(
                    `${this.describe()}: ${errorName(err)}${isBusy(err) ? " (the resource is busy with another operation)" : ""}; trying again in ${(delay / 1000).toFixed(1)} s`,
                ),
            giveUp: (err, reason) => {
                if (err instanceof DeadlineReached)
                    return this.timeout(`queued behind the account's rate limit before ${START_CALL[this.operation]}`);
                if (reason === "aborted" || this.options.signal?.aborted) return this.aborted();
                if (reason === "deadline" && isBusy(err)) return this.timeout(`still ${errorName(err)} when starting`);
                return this.startFailure(err, token);
            },
        });
        if (!out.ProgressEvent?.RequestToken)
            throw this.error(`${this.describe()}: Cloud Control accepted the request but returned no request token.`, { outcome: "fail" });
        return out.ProgressEvent;
    }

    /** Waits for a started request until the run's deadline. */
    wait(event: ProgressEvent): Promise<ProgressEvent> {
        const { roleArn: _r, typeVersionId: _t, maxAttempts: _m, retryBaseDelayMs: _b, ...waitOptions } = this.options;
        return waitForRequest(this.client, event.RequestToken!, {
            ...waitOptions,
            timeout: this.timeoutS,
            timeoutFrom: this.startedAt,
            operation: this.operation,
            typeName: this.typeName,
            identifier: this.identifier,
            initialEvent: event,
        });
    }

    /**
     * Runs attempt 1, 2, ... of the operation (attempt n with the deterministic ClientToken `${base}-n`, see
     * attemptToken) until one resolves. An attempt whose request ended in a retryable FAILED event is run again after
     * a backoff (1 s doubling, at most 30 s), at most maxAttempts times, within the deadline; then the error has
     * outcome "retry" and lists every attempt.
     */
    operate<T>(base: string, attempt: (token: string) => Promise<T>): Promise<T> {
        const record = (err: CloudControlError): void =>
            void this.attempts.push({ requestToken: err.requestToken, errorCode: err.errorCode });
        return retry((n) => attempt(attemptToken(base, n)), {
            ...this.context(),
            maxAttempts: this.maxAttempts,
            baseMs: this.options.retryBaseDelayMs ?? 1000,
            maxMs: OPERATION_RETRY_MAX_MS,
            // A FAILED event's outcome; a start call that gave up at the deadline (outcome retry too) is final.
            retryable: (err) => err instanceof CloudControlError && err.outcome === "retry" && err.lastStatus === "FAILED",
            onRetry: (err, n, delay) => {
                record(err as CloudControlError);
                this.log(
                    `${this.describe()} failed with ${(err as CloudControlError).errorCode} (retryable); attempt ${n + 1} of ${this.maxAttempts} in ${(delay / 1000).toFixed(1)} s`,
                );
            },
            giveUp: (err, reason, n) => {
                if (reason === "final") return this.finalize(err);
                const failed = err as CloudControlError;
                record(failed);
                if (reason === "attempts") {
                    return this.error(
                        `${this.describe()} failed ${n} times with retryable errors; giving up. Last failure: ${failed.message}`,
                        {
                            requestToken: failed.requestToken,
                            errorCode: failed.errorCode,
                            statusMessage: failed.statusMessage,
                            lastStatus: failed.lastStatus,
                            hooks: failed.hooks,
                            event: failed.event,
                            outcome: "retry",
                            cause: failed,
                        },
                    );
                }
                return reason === "deadline" ? this.timeout(`retrying after ${failed.errorCode}`) : this.aborted();
            },
        });
    }

    /** Adds the earlier attempts to an error about to leave runCreate/runUpdate/runDelete. */
    finalize(err: unknown): unknown {
        if (err instanceof CloudControlError && this.attempts.length > 0 && !err.attempts) {
            err.attempts = [...this.attempts];
            if (err.errorCode === "AlreadyExists" || err.errorCode === "AlreadyExistsException") err.message += this.earlierAttempts();
        }
        return err;
    }
}

/**
 * CreateResource, wait, and retry retryable FAILED events without ever duplicating the resource: attempt n uses the
 * deterministic ClientToken `${clientToken}-n`, a new attempt starts only once the previous request is final, and
 * when a failed attempt reports an Identifier that GetResource finds, that resource is adopted instead of creating
 * another. A failed attempt with no Identifier is retried only for codes that mean nothing was created
 * (NOTHING_CREATED_CODES); otherwise it fails, naming the request token so a person can check.
 *
 * Without `clientToken` a fresh one is made for this call (its retries still share it); pass your own to make a
 * re-run after a crash replay the same request instead of creating a second resource.
 * Resolves to the identifier, action "created" (or "adopted") and the final event (the FAILED event naming the
 * resource when adopted).
 */
export async function runCreate(client: CloudControlClient, input: CreateInput, options: RunOptions = {}): Promise<RunResult> {
    const run = new Run(client, "CREATE", input.typeName, undefined, options);
    const base = input.clientToken ?? newClientToken();
    assertClientToken(base, `create ${input.typeName}`);
    return run.operate(base, async (token): Promise<RunResult> => {
        const started = await run.start(
            token,
            () =>
                new CreateResourceCommand({
                    TypeName: input.typeName,
                    DesiredState: JSON.stringify(input.desiredState),
                    ClientToken: token,
                    RoleArn: options.roleArn,
                    TypeVersionId: options.typeVersionId,
                }),
        );
        try {
            const event = await run.wait(started);
            if (!event.Identifier)
                throw run.error(
                    `${run.describe()} succeeded but Cloud Control returned no identifier (request token ${event.RequestToken}).`,
                    { outcome: "fail", requestToken: event.RequestToken, event },
                );
            return { identifier: event.Identifier, action: "created", event };
        } catch (err) {
            if (!(err instanceof CloudControlError) || err.outcome !== "retry") throw err;
            if (err.identifier) {
                // The failed attempt got far enough to name the resource: if it exists, it is ours.
                const live = await getResource(
                    client,
                    {
                        typeName: input.typeName,
                        identifier: err.identifier,
                        roleArn: options.roleArn,
                        typeVersionId: options.typeVersionId,
                    },
                    run.context(),
                ).catch((readError: unknown) => {
                    if (options.signal?.aborted) throw run.aborted();
                    throw run.error(
                        `${run.describe()} failed with ${err.errorCode} after naming resource ${err.identifier}, which could not be checked (${readError instanceof CloudControlError ? readError.errorCode : errorName(readError)}); not creating again, to avoid a duplicate. Check whether ${err.identifier} exists, then import or delete it.`,
                        {
                            identifier: err.identifier,
                            requestToken: err.requestToken,
                            errorCode: err.errorCode,
                            statusMessage: err.statusMessage,
                            lastStatus: err.lastStatus,
                            event: err.event,
                            outcome: "fail",
                            cause: readError,
                        },
                    );
                });
                if (live) {
                    run.log(
                        `${run.describe()}: the failed attempt (${err.errorCode}) left resource ${live.identifier} behind; adopting it instead of creating another`,
                    );
                    return {
                        identifier: live.identifier,
                        action: "adopted",
                        event: err.event ?? { Identifier: live.identifier, OperationStatus: "FAILED", RequestToken: err.requestToken },
                    };
                }
            } else if (!NOTHING_CREATED_CODES.has(err.errorCode ?? "")) {
                // Nothing to look up: report rather than risk a duplicate.
                throw run.error(
                    `${run.describe()} failed with ${err.errorCode} (request token ${err.requestToken}) without naming a resource; the create may have left a resource behind, so it is not created again. Check for it (ListResourceRequests / GetResourceRequestStatus with that token, or the console), then import or delete it and run again.`,
                    {
                        requestToken: err.requestToken,
                        errorCode: err.errorCode,
                        statusMessage: err.statusMessage,
                        lastStatus: err.lastStatus,
                        hooks: err.hooks,
                        event: err.event,
                        outcome: "fail",
                        cause: err,
                    },
                );
            }
            throw err; // retryable, and nothing was left behind: the next attempt creates it
        }
    });
}

/**
 * UpdateResource with an RFC 6902 patch, wait, and retry retryable FAILED events (a fresh attempt token only once
 * the previous request is final). Throws CloudControlError with outcome "replace" on NotUpdatable and "gone" when
 * the resource no longer exists. Resolves to the identifier, action "updated" and the SUCCESS event.
 */
export async function runUpdate(client: CloudControlClient, input: UpdateInput, options: RunOptions = {}): Promise<RunResult> {
    const run = new Run(client, "UPDATE", input.typeName, input.identifier, options);
    const base = input.clientToken ?? newClientToken();
    assertClientToken(base, `update ${input.typeName} ${input.identifier}`);
    return run.operate(base, async (token): Promise<RunResult> => {
        const started = await run.start(
            token,
            () =>
                new UpdateResourceCommand({
                    TypeName: input.typeName,
                    Identifier: input.identifier,
                    PatchDocument: JSON.stringify(input.patch),
                    ClientToken: token,
                    RoleArn: options.roleArn,
                    TypeVersionId: options.typeVersionId,
                }),
        );
        return { identifier: input.identifier, action: "updated", event: await run.wait(started) };
    });
}

/**
 * DeleteResource and wait, retrying retryable FAILED events. A resource that is already gone (ResourceNotFound on
 * the call, or a FAILED NotFound event) counts as deleted: action "alreadyGone" then, "deleted" when this call
 * deleted it.
 */
export async function runDelete(client: CloudControlClient, input: DeleteInput, options: RunOptions = {}): Promise<RunResult> {
    const run = new Run(client, "DELETE", input.typeName, input.identifier, options);
    const base = input.clientToken ?? newClientToken();
    assertClientToken(base, `delete ${input.typeName} ${input.identifier}`);
    /** The result for an error saying the resource is gone; any other error is rethrown. */
    const alreadyGone = (err: unknown): RunResult => {
        if (!(err instanceof CloudControlError) || err.outcome !== "gone") throw err;
        run.log(`${run.describe()}: already gone`);
        return { identifier: input.identifier, action: "alreadyGone", event: err.event };
    };
    return run.operate(base, async (token): Promise<RunResult> => {
        let started: ProgressEvent;
        try {
            started = await run.start(
                token,
                () =>
                    new DeleteResourceCommand({
                        TypeName: input.typeName,
                        Identifier: input.identifier,
                        ClientToken: token,
                        RoleArn: options.roleArn,
                        TypeVersionId: options.typeVersionId,
                    }),
            );
        } catch (err) {
            return alreadyGone(err);
        }
        try {
            return { identifier: input.identifier, action: "deleted", event: await run.wait(started) };
        } catch (err) {
            return alreadyGone(err);
        }
    });
}

/** Clock, randomness, abort and deadline of a short call made on behalf of a run (or of a caller). */
export interface CallOptions extends RetryContext {
    /** Progress lines (a long wait in the account's pacer). */
    log?: (message: string) => void;
}

/** A short call's retries: a few tries while transient (not for errors `final` says asking again cannot change), backoff 0.5 s doubling. */
function shortRetry(options: CallOptions, final: (err: unknown) => boolean = () => false): RetryOptions {
    return { ...options, maxAttempts: 4, retryable: (err) => isTransientError(err) && !final(err) };
}

/**
 * Sends a short call (a read, a status, a cancel) through the account's pacer, abortable by `options.signal`; while
 * queued in the pacer it is also dropped at `options.deadline`, as start calls are.
 */
async function sendShort<T>(
    client: CloudControlClient,
    command: GetResourceCommand | GetResourceRequestStatusCommand | CancelResourceRequestCommand,
    what: string,
    options: CallOptions,
): Promise<T> {
    const call = command.constructor.name.replace(/Command$/, "");
    const queued = abortAt(options.clock ?? systemClock, options.deadline ?? Infinity, options.signal);
    pace(command, { signal: queued.signal, onQueued: options.log && ((n) => options.log!(queuedMessage(what, call, n))) });
    const send = client.send as (this: CloudControlClient, c: unknown, o: { abortSignal?: AbortSignal }) => Promise<T>;
    try {
        return await send.call(client, command, { abortSignal: options.signal });
    } catch (err) {
        if (queued.signal.reason instanceof DeadlineReached && !options.signal?.aborted) {
            throw new CloudControlError(`${what}: ${call} was still queued behind the account's rate limit at the deadline`, {
                outcome: "timeout",
                cause: err,
            });
        }
        throw err;
    } finally {
        queued.dispose();
    }
}

/** GetResource; undefined when the resource does not exist. Transient errors are retried a few times. */
export async function getResource(
    client: CloudControlClient,
    input: { typeName: string; identifier: string; roleArn?: string; typeVersionId?: string },
    options: CallOptions = {},
): Promise<LiveResource | undefined> {
    const what = `READ ${input.typeName} ${input.identifier}`;
    try {
        const out = await retry(
            () =>
                sendShort<{ ResourceDescription?: { Identifier?: string; Properties?: string } }>(
                    client,
                    new GetResourceCommand({
                        TypeName: input.typeName,
                        Identifier: input.identifier,
                        RoleArn: input.roleArn,
                        TypeVersionId: input.typeVersionId,
                    }),
                    what,
                    options,
                ),
            shortRetry(options),
        );
        const description = out.ResourceDescription;
        let properties: Record<string, unknown> = {};
        if (description?.Properties) {
            try {
                properties = JSON.parse(description.Properties) as Record<string, unknown>;
            } catch {
                throw new CloudControlError(`${what}: GetResource returned Properties that are not JSON.`, {
                    operation: "READ",
                    typeName: input.typeName,
                    identifier: input.identifier,
                    outcome: "fail",
                });
            }
        }
        return { identifier: description?.Identifier ?? input.identifier, properties };
    } catch (err) {
        if (err instanceof CloudControlError) throw err;
        if (errorName(err) === "ResourceNotFoundException") return undefined;
        throw new CloudControlError(`${what}: GetResource failed with ${errorName(err)}: ${errorMessage(err)}`, {
            operation: "READ",
            typeName: input.typeName,
            identifier: input.identifier,
            errorCode: errorName(err),
            outcome: isTransientError(err) ? "retry" : "fail",
            cause: err,
        });
    }
}

/**
 * GetResourceRequestStatus, once (transient errors retried a few times): the request's current event, or undefined
 * when Cloud Control has no request with that token. Use {@link waitForRequest} to wait for it to finish.
 */
export async function getRequestStatus(
    client: CloudControlClient,
    requestToken: string,
    options: CallOptions = {},
): Promise<ProgressEvent | undefined> {
    const command = () => new GetResourceRequestStatusCommand({ RequestToken: requestToken });
    return requestCall(client, command, "GetResourceRequestStatus", requestToken, options, {
        absent: (err) => errorName(err) === "RequestTokenNotFoundException",
    });
}

/**
 * CancelResourceRequest. Resolves with the request's event (CANCEL_IN_PROGRESS, ...), or undefined when there is
 * nothing to cancel: the token is unknown, or the request is already final (AWS answers ValidationException
 * "Request ... is already in status SUCCESS", as recorded; the model's ConcurrentModificationException too).
 */
export async function cancelRequest(
    client: CloudControlClient,
    requestToken: string,
    options: CallOptions = {},
): Promise<ProgressEvent | undefined> {
    const command = () => new CancelResourceRequestCommand({ RequestToken: requestToken });
    return requestCall(client, command, "CancelResourceRequest", requestToken, options, {
        // Not cancellable any more (finished, or ConcurrentModification): asking again will not change that.
        final: isUncancellable,
        absent: (err) => errorName(err) === "RequestTokenNotFoundException" || isUncancellable(err),
    });
}

/**
 * One call about a request token, transient errors retried a few times (but for those `final` picks out): the
 * request's event, undefined when `absent` says the error means there is no such request (to act on), else a
 * CloudControlError naming the operation and the token.
 */
async function requestCall(
    client: CloudControlClient,
    command: () => GetResourceRequestStatusCommand | CancelResourceRequestCommand,
    operation: string,
    requestToken: string,
    options: CallOptions,
    rules: { absent: (err: unknown) => boolean; final?: (err: unknown) => boolean },
): Promise<ProgressEvent | undefined> {
    try {
        const send = () => sendShort<{ ProgressEvent?: ProgressEvent }>(client, command(), `request ${requestToken}`, options);
        return (await retry(send, shortRetry(options, rules.final))).ProgressEvent;
    } catch (err) {
        const name = errorName(err);
        if (rules.absent(err)) return undefined;
        throw new CloudControlError(`${operation} for request ${requestToken} failed with ${name}: ${errorMessage(err)}`, {
            requestToken,
            errorCode: name,
            outcome: "fail",
            cause: err,
        });
    }
}

/** ListResourceRequests, all pages, optionally filtered by operation (CREATE, ...) and status (IN_PROGRESS, ...). */
export async function listRequests(
    client: CloudControlClient,
    filter: { operations?: string[]; statuses?: string[] } = {},
): Promise<ProgressEvent[]> {
    const events: ProgressEvent[] = [];
    const statusFilter =
        filter.operations || filter.statuses
            ? {
                  Operations: filter.operations as NonNullable<ProgressEvent["Operation"]>[] | undefined,
                  OperationStatuses: filter.statuses as NonNullable<ProgressEvent["OperationStatus"]>[] | undefined,
              }
            : undefined;
    for await (const page of paginateListResourceRequests({ client }, { ResourceRequestStatusFilter: statusFilter })) {
        events.push(...(page.ResourceRequestStatusSummaries ?? []));
    }
    return events;
}

import {
    CancelResourceRequestCommand,
    CreateResourceCommand,
    DeleteResourceCommand,
    GetResourceCommand,
    UpdateResourceCommand,
    paginateListResourceRequests,
    type CloudControlClient,
    type ProgressEvent,
} from "@aws-sdk/client-cloudcontrol";
import { systemClock, type Clock } from "./clock";
import { CloudControlError } from "./errors";
import { assertTimeout, defaultTimeoutSeconds, waitForRequest } from "./poller";
import { failureBackoff } from "./schedule";
import { errorMessage, errorName, isTransientError } from "./sdk-errors";
import { assertClientToken, attemptToken, newClientToken } from "./tokens";
import type { CreateInput, DeleteInput, LiveResource, RunOptions, UpdateInput } from "./types";

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

/** One run of an operation: its context for messages, its clock and its overall deadline. */
class Run {
    readonly clock: Clock;
    readonly random: () => number;
    readonly deadline: number;
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
        assertTimeout(options.timeout, `${operation} ${typeName}`);
        this.clock = options.clock ?? systemClock;
        this.random = options.random ?? Math.random;
        this.deadline = this.clock.now() + (options.timeout ?? defaultTimeoutSeconds(operation)) * 1000;
        this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    }

    describe(): string {
        return `${this.operation} ${this.typeName}${this.identifier ? ` ${this.identifier}` : ""}`;
    }

    log(message: string): void {
        this.options.log?.(message);
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

    /** Sleeps `ms` unless the deadline or the caller's abort comes first (then throws). */
    async pause(ms: number, why: string): Promise<void> {
        if (this.clock.now() + ms >= this.deadline) {
            throw this.error(`${this.describe()} did not finish before its deadline (${why}; no request is running). If it legitimately takes longer, raise its timeout.`, {
                errorCode: "Timeout",
                outcome: "timeout",
            });
        }
        try {
            await this.clock.sleep(ms, this.options.signal);
        } catch {
            throw this.aborted();
        }
    }

    aborted(): CloudControlError {
        return this.error(`${this.describe()} was aborted by the caller (no request was running).`, { errorCode: "Aborted", outcome: "cancelled" });
    }

    /** An exception from a start call (CreateResource, ...) that will not go away by asking again. */
    startFailure(err: unknown, token: string): CloudControlError {
        const name = errorName(err);
        const said = errorMessage(err);
        const base = { errorCode: name, cause: err } as const;
        switch (name) {
            case "ResourceNotFoundException":
                return this.error(`${this.describe()}: the resource does not exist (deleted outside this program?); refresh to drop it from the state, or create it again. Cloud Control said: ${said}`, { ...base, outcome: "gone" });
            case "NotUpdatableException":
                return this.error(`${this.describe()}: a property that cannot change in place changed; the resource must be replaced. Cloud Control said: ${said}`, { ...base, outcome: "replace" });
            case "ClientTokenConflictException":
                return this.error(
                    `${this.describe()}: ClientToken ${token} was already used within the last 36 hours for a different request; an idempotency token must not be reused for a changed request. Cloud Control said: ${said}`,
                    { ...base, outcome: "fail" },
                );
            case "AlreadyExistsException":
                return this.error(`${this.describe()}: a resource with the same identifier already exists; import it or choose another name.${this.earlierAttempts()} Cloud Control said: ${said}`, { ...base, outcome: "fail" });
            case "TypeNotFoundException":
                return this.error(`${this.describe()}: the type is not known in this region/account (check the type name, the region, and for private types the registration). Cloud Control said: ${said}`, { ...base, outcome: "fail" });
            default:
                return this.error(`${this.describe()}: ${this.operation === "CREATE" ? "CreateResource" : this.operation === "UPDATE" ? "UpdateResource" : "DeleteResource"} failed with ${name}: ${said}`, {
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
     * Calls a start operation with the same ClientToken until Cloud Control accepts it: transient errors,
     * ConcurrentOperationException (another operation on the resource is running) and ResourceConflictException
     * (the resource is busy, "try again later") are waited out, up to the deadline.
     * The same token makes a repeated call safe: Cloud Control returns the request it already has.
     */
    async start(token: string, send: () => Promise<{ ProgressEvent?: ProgressEvent }>): Promise<ProgressEvent> {
        let failures = 0;
        for (;;) {
            if (this.options.signal?.aborted) throw this.aborted();
            try {
                const out = await send();
                if (!out.ProgressEvent?.RequestToken) throw this.error(`${this.describe()}: Cloud Control accepted the request but returned no request token.`, { outcome: "fail" });
                return out.ProgressEvent;
            } catch (err) {
                if (err instanceof CloudControlError) throw err;
                const name = errorName(err);
                // Both 409s mean "busy, ask again later": the request itself is fine.
                const busy = name === "ConcurrentOperationException" || name === "ResourceConflictException";
                if (!busy && !isTransientError(err)) throw this.startFailure(err, token);
                failures++;
                const delay = failureBackoff(failures, this.random(), 1000, 15_000);
                this.log(`${this.describe()}: ${name}${busy ? " (the resource is busy with another operation)" : ""}; trying again in ${(delay / 1000).toFixed(1)} s`);
                try {
                    await this.pause(delay, `still ${name} when starting`);
                } catch (stop) {
                    if (stop instanceof CloudControlError && stop.outcome === "timeout" && !busy) {
                        throw this.startFailure(err, token);
                    }
                    throw stop;
                }
            }
        }
    }

    /** Waits for a started request with what is left of the deadline. */
    wait(event: ProgressEvent): Promise<ProgressEvent> {
        const { roleArn: _r, typeVersionId: _t, maxAttempts: _m, retryBaseDelayMs: _b, ...waitOptions } = this.options;
        return waitForRequest(this.client, event.RequestToken!, {
            ...waitOptions,
            timeout: Math.max(0, this.deadline - this.clock.now()) / 1000,
            operation: this.operation,
            typeName: this.typeName,
            identifier: this.identifier,
            initialEvent: event,
        });
    }

    /**
     * After a retryable FAILED outcome: records it, and either pauses before the next attempt or, when attempts are
     * used up, throws an error with outcome "retry".
     */
    async afterRetryable(err: CloudControlError, attempt: number): Promise<void> {
        this.attempts.push({ requestToken: err.requestToken, errorCode: err.errorCode });
        if (attempt >= this.maxAttempts) {
            throw this.error(`${this.describe()} failed ${attempt} times with retryable errors; giving up. Last failure: ${err.message}`, {
                requestToken: err.requestToken,
                errorCode: err.errorCode,
                statusMessage: err.statusMessage,
                lastStatus: err.lastStatus,
                hooks: err.hooks,
                event: err.event,
                outcome: "retry",
                cause: err,
            });
        }
        const delay = failureBackoff(attempt, this.random(), this.options.retryBaseDelayMs ?? 1000, OPERATION_RETRY_MAX_MS);
        this.log(`${this.describe()} failed with ${err.errorCode} (retryable); attempt ${attempt + 1} of ${this.maxAttempts} in ${(delay / 1000).toFixed(1)} s`);
        await this.pause(delay, `retrying after ${err.errorCode}`);
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
 * Resolves to the identifier and the final event (the FAILED event with the identifier when adopted).
 */
export async function runCreate(client: CloudControlClient, input: CreateInput, options: RunOptions = {}): Promise<{ identifier: string; event: ProgressEvent }> {
    const run = new Run(client, "CREATE", input.typeName, undefined, options);
    assertClientToken(input.clientToken, `create ${input.typeName}`);
    try {
        for (let attempt = 1; ; attempt++) {
            const token = attemptToken(input.clientToken, attempt);
            const started = await run.start(token, () =>
                client.send(
                    new CreateResourceCommand({
                        TypeName: input.typeName,
                        DesiredState: JSON.stringify(input.desiredState),
                        ClientToken: token,
                        RoleArn: options.roleArn,
                        TypeVersionId: options.typeVersionId,
                    }),
                ),
            );
            try {
                const event = await run.wait(started);
                if (!event.Identifier) throw run.error(`${run.describe()} succeeded but Cloud Control returned no identifier (request token ${event.RequestToken}).`, { outcome: "fail", requestToken: event.RequestToken, event });
                return { identifier: event.Identifier, event };
            } catch (err) {
                if (!(err instanceof CloudControlError) || err.outcome !== "retry") throw err;
                if (err.identifier) {
                    // The failed attempt got far enough to name the resource: if it exists, it is ours.
                    const live = await getResource(
                        client,
                        { typeName: input.typeName, identifier: err.identifier, roleArn: options.roleArn, typeVersionId: options.typeVersionId },
                        { clock: run.clock, random: run.random, signal: options.signal, deadline: run.deadline },
                    ).catch((readError: unknown) => {
                        if (options.signal?.aborted) throw run.aborted();
                        throw run.error(
                            `${run.describe()} failed with ${err.errorCode} after naming resource ${err.identifier}, which could not be checked (${readError instanceof CloudControlError ? readError.errorCode : errorName(readError)}); not creating again, to avoid a duplicate. Check whether ${err.identifier} exists, then import or delete it.`,
                            { identifier: err.identifier, requestToken: err.requestToken, errorCode: err.errorCode, statusMessage: err.statusMessage, lastStatus: err.lastStatus, event: err.event, outcome: "fail", cause: readError },
                        );
                    });
                    if (live) {
                        run.log(`${run.describe()}: the failed attempt (${err.errorCode}) left resource ${live.identifier} behind; adopting it instead of creating another`);
                        return { identifier: live.identifier, event: err.event ?? { Identifier: live.identifier, OperationStatus: "FAILED", RequestToken: err.requestToken } };
                    }
                } else if (!NOTHING_CREATED_CODES.has(err.errorCode ?? "")) {
                    // Nothing to look up: report rather than risk a duplicate.
                    throw run.error(
                        `${run.describe()} failed with ${err.errorCode} (request token ${err.requestToken}) without naming a resource; the create may have left a resource behind, so it is not created again. Check for it (ListResourceRequests / GetResourceRequestStatus with that token, or the console), then import or delete it and run again.`,
                        { requestToken: err.requestToken, errorCode: err.errorCode, statusMessage: err.statusMessage, lastStatus: err.lastStatus, hooks: err.hooks, event: err.event, outcome: "fail", cause: err },
                    );
                }
                await run.afterRetryable(err, attempt);
            }
        }
    } catch (err) {
        throw run.finalize(err);
    }
}

/**
 * UpdateResource with an RFC 6902 patch, wait, and retry retryable FAILED events (a fresh attempt token only once
 * the previous request is final). Throws CloudControlError with outcome "replace" on NotUpdatable and "gone" when
 * the resource no longer exists.
 */
export async function runUpdate(client: CloudControlClient, input: UpdateInput, options: RunOptions = {}): Promise<ProgressEvent> {
    const run = new Run(client, "UPDATE", input.typeName, input.identifier, options);
    const base = input.clientToken ?? newClientToken();
    assertClientToken(base, `update ${input.typeName} ${input.identifier}`);
    try {
        for (let attempt = 1; ; attempt++) {
            const token = attemptToken(base, attempt);
            const started = await run.start(token, () =>
                client.send(
                    new UpdateResourceCommand({
                        TypeName: input.typeName,
                        Identifier: input.identifier,
                        PatchDocument: JSON.stringify(input.patch),
                        ClientToken: token,
                        RoleArn: options.roleArn,
                        TypeVersionId: options.typeVersionId,
                    }),
                ),
            );
            try {
                return await run.wait(started);
            } catch (err) {
                if (!(err instanceof CloudControlError) || err.outcome !== "retry") throw err;
                await run.afterRetryable(err, attempt);
            }
        }
    } catch (err) {
        throw run.finalize(err);
    }
}

/**
 * DeleteResource and wait, retrying retryable FAILED events. A resource that is already gone (ResourceNotFound on
 * the call, or a FAILED NotFound event) counts as deleted: resolves false then, true when this call deleted it.
 */
export async function runDelete(client: CloudControlClient, input: DeleteInput, options: RunOptions = {}): Promise<boolean> {
    const run = new Run(client, "DELETE", input.typeName, input.identifier, options);
    const base = input.clientToken ?? newClientToken();
    assertClientToken(base, `delete ${input.typeName} ${input.identifier}`);
    const alreadyGone = (err: unknown): boolean => {
        if (!(err instanceof CloudControlError) || err.outcome !== "gone") return false;
        run.log(`${run.describe()}: already gone`);
        return true;
    };
    try {
        for (let attempt = 1; ; attempt++) {
            const token = attemptToken(base, attempt);
            let started: ProgressEvent;
            try {
                started = await run.start(token, () =>
                    client.send(
                        new DeleteResourceCommand({
                            TypeName: input.typeName,
                            Identifier: input.identifier,
                            ClientToken: token,
                            RoleArn: options.roleArn,
                            TypeVersionId: options.typeVersionId,
                        }),
                    ),
                );
            } catch (err) {
                if (alreadyGone(err)) return false;
                throw err;
            }
            try {
                await run.wait(started);
                return true;
            } catch (err) {
                if (alreadyGone(err)) return false;
                if (!(err instanceof CloudControlError) || err.outcome !== "retry") throw err;
                await run.afterRetryable(err, attempt);
            }
        }
    } catch (err) {
        throw run.finalize(err);
    }
}

/** Clock, randomness, abort and deadline of a short call made on behalf of a run (or of a caller). */
export interface CallOptions {
    clock?: Clock;
    random?: () => number;
    signal?: AbortSignal;
    /** Absolute time (clock.now()) after which no retry is waited for. */
    deadline?: number;
}

/** Calls `fn`, asking again (a few times, with backoff) while it fails with transient errors other than `final` ones. */
async function withTransientRetry<T>(fn: () => Promise<T>, final: string[] = [], options: CallOptions = {}, attempts = 4): Promise<T> {
    const clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    for (let i = 1; ; i++) {
        try {
            return await fn();
        } catch (err) {
            if (i >= attempts || !isTransientError(err) || final.includes(errorName(err))) throw err;
            const delay = failureBackoff(i, random());
            if (options.deadline !== undefined && clock.now() + delay >= options.deadline) throw err;
            // An abort while sleeping ends the retries with the last error.
            await clock.sleep(delay, options.signal).catch(() => {
                throw err;
            });
        }
    }
}

/** GetResource; undefined when the resource does not exist. Transient errors are retried a few times. */
export async function getResource(
    client: CloudControlClient,
    input: { typeName: string; identifier: string; roleArn?: string; typeVersionId?: string },
    options: CallOptions = {},
): Promise<LiveResource | undefined> {
    try {
        const out = await withTransientRetry(
            () =>
                client.send(new GetResourceCommand({ TypeName: input.typeName, Identifier: input.identifier, RoleArn: input.roleArn, TypeVersionId: input.typeVersionId }), {
                    abortSignal: options.signal,
                }),
            [],
            options,
        );
        const description = out.ResourceDescription;
        let properties: Record<string, unknown> = {};
        if (description?.Properties) {
            try {
                properties = JSON.parse(description.Properties) as Record<string, unknown>;
            } catch {
                throw new CloudControlError(`READ ${input.typeName} ${input.identifier}: GetResource returned Properties that are not JSON.`, {
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
        throw new CloudControlError(`READ ${input.typeName} ${input.identifier}: GetResource failed with ${errorName(err)}: ${errorMessage(err)}`, {
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
 * CancelResourceRequest. Resolves with the request's event (CANCEL_IN_PROGRESS, ...), or undefined when there is
 * nothing to cancel: the token is unknown, or the request is already final (AWS answers ValidationException
 * "Request ... is already in status SUCCESS", as recorded; the model's ConcurrentModificationException too).
 */
export async function cancelRequest(client: CloudControlClient, requestToken: string): Promise<ProgressEvent | undefined> {
    try {
        // ConcurrentModification (HTTP 500) means "not cancellable any more": asking again will not change that.
        const out = await withTransientRetry(() => client.send(new CancelResourceRequestCommand({ RequestToken: requestToken })), ["ConcurrentModificationException"]);
        return out.ProgressEvent;
    } catch (err) {
        const name = errorName(err);
        if (name === "RequestTokenNotFoundException" || name === "ConcurrentModificationException") return undefined;
        if (name === "ValidationException" && /is already in status/.test(errorMessage(err))) return undefined;
        throw new CloudControlError(`CancelResourceRequest for request ${requestToken} failed with ${name}: ${errorMessage(err)}`, {
            requestToken,
            errorCode: name,
            outcome: "fail",
            cause: err,
        });
    }
}

/** ListResourceRequests, all pages, optionally filtered by operation (CREATE, ...) and status (IN_PROGRESS, ...). */
export async function listRequests(client: CloudControlClient, filter: { operations?: string[]; statuses?: string[] } = {}): Promise<ProgressEvent[]> {
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

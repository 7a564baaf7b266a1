import { CancelResourceRequestCommand, GetResourceRequestStatusCommand, type CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { classifyProgressEvent } from "./classify";
import { systemClock, type Clock } from "./clock";
import { timeoutSeconds } from "./duration";
import { durationsFor, requestDuration, type DurationEstimates } from "./duration-estimates";
import { CloudControlError, type CloudControlErrorDetails } from "./errors";
import { pace, queuedMessage } from "./pacer";
import { abortAt, backoffDelay, DeadlineReached, retry, serverNow } from "./retry";
import { DEFAULT_POLL_SCHEDULE, nextPollDelay, type PollSchedule } from "./schedule";
import { errorMessage, errorName, isAbortError, isTransientError, isUncancellable } from "./sdk-errors";
import type { HookProgressEvent, Outcome, ProgressEvent, WaitOptions } from "./types";

/** Default deadlines per operation, seconds: 60 min for create and update, 30 min for delete. */
export const DEFAULT_TIMEOUT_SECONDS: Readonly<Record<string, number>> = Object.freeze({ CREATE: 3600, UPDATE: 3600, DELETE: 1800 });

/** The default deadline for an operation (CREATE, UPDATE, DELETE; anything else gets 60 min), seconds. */
export function defaultTimeoutSeconds(operation?: string): number {
    return DEFAULT_TIMEOUT_SECONDS[(operation ?? "").toUpperCase()] ?? 3600;
}

const DEFAULT_CANCEL_WAIT_SECONDS = 30;

/** Why waiting stopped before the request finished. */
type StopReason = "timeout" | "aborted";

type StatusAnswer = { ProgressEvent?: ProgressEvent; HooksProgressEvent?: HookProgressEvent[] };

/** How one call is sent: until when, whether the caller's abort applies, and whether it may let others go first. */
interface SendOptions {
    /** Absolute time (clock.now()) at which the call, queued or in flight, is aborted. */
    until: number;
    /** The cancel path ignores the caller's signal: it already fired. */
    ignoreCallerSignal?: boolean;
    /** See PaceOptions.deferUntil. */
    deferUntil?: number;
}

function formatDuration(ms: number): string {
    const s = ms / 1000;
    if (s < 120) return `${+s.toFixed(1)} s`;
    return `${+(s / 60).toFixed(1)} min`;
}

/** Everything one wait needs, resolved from the options once. */
class Waiter {
    readonly clock: Clock;
    readonly random: () => number;
    readonly schedule: PollSchedule;
    readonly start: number;
    readonly timeoutMs: number;
    readonly deadline: number;
    lastEvent?: ProgressEvent;
    lastHooks?: HookProgressEvent[];
    private lastSignature?: string;
    private readonly warned = new Set<string>();
    private readonly durations: DurationEstimates;
    /** When the next status call is due, and until when it may let other calls go first (see plan). */
    private nextAt: number;
    private deferUntil?: number;

    constructor(
        readonly client: CloudControlClient,
        readonly requestToken: string,
        readonly options: WaitOptions,
        timeoutS: number | undefined,
    ) {
        this.clock = options.clock ?? systemClock;
        this.random = options.random ?? Math.random;
        this.schedule = { ...DEFAULT_POLL_SCHEDULE, ...options.schedule };
        this.start = this.clock.now();
        const seconds = timeoutS ?? defaultTimeoutSeconds(options.operation ?? options.initialEvent?.Operation);
        this.timeoutMs = seconds * 1000;
        this.deadline = (options.timeoutFrom ?? this.start) + this.timeoutMs;
        this.nextAt = this.start;
        this.durations = durationsFor(client);
    }

    /** The type and operation, for duration estimates (known when the start call's event or the options say). */
    private kind(): { typeName: string; operation: string } | undefined {
        const typeName = this.options.typeName ?? this.options.initialEvent?.TypeName;
        const operation = this.options.operation ?? this.options.initialEvent?.Operation;
        return typeName && operation ? { typeName, operation } : undefined;
    }

    /**
     * The soonest this request could be done (clock.now()): its start plus the shortest recent duration of its type
     * and operation seen by this client; undefined unless the wait began with the start call's event (then `start`
     * is the request's start).
     */
    private earliestEnd(): number | undefined {
        const kind = this.kind();
        if (!this.options.initialEvent || !kind) return undefined;
        const shortest = this.durations.shortest(kind.typeName, kind.operation);
        return shortest === undefined ? undefined : this.start + shortest + this.schedule.hintMarginMs;
    }

    /**
     * Learns how long its type's operation takes: from a request that succeeded, its duration; from one still running
     * with a RetryAfter, that it takes at least that long; from one that ended otherwise, nothing.
     */
    private learn(event: ProgressEvent, outcome: Outcome["kind"]): void {
        const kind = this.kind();
        if (!this.options.initialEvent || !kind) return;
        const { typeName, operation } = kind;
        if (outcome === "success")
            this.durations.record(
                typeName,
                operation,
                requestDuration(this.options.initialEvent, event, this.clock.now() - this.start),
                this.requestToken,
            );
        else if (outcome !== "pending") this.durations.forget(typeName, operation, this.requestToken);
        else if (event.RetryAfter instanceof Date)
            this.durations.notBefore(
                typeName,
                operation,
                this.requestToken,
                event.RetryAfter.getTime() - serverNow(this.client, this.clock) + (this.clock.now() - this.start),
            );
    }

    /** "CREATE AWS::Logs::LogGroup my-group" for messages. */
    describe(): string {
        const e = this.lastEvent ?? this.options.initialEvent;
        const op = this.options.operation ?? e?.Operation ?? "Request";
        const type = this.options.typeName ?? e?.TypeName ?? "";
        const id = this.options.identifier ?? e?.Identifier;
        return `${op} ${type}${id ? ` ${id}` : ""}`.replace(/\s+/g, " ").trim();
    }

    log(message: string): void {
        this.options.log?.(message);
    }

    /** Records an event; reports it when something a person would care about changed. */
    observe(event: ProgressEvent, hooks: HookProgressEvent[] | undefined): Outcome {
        this.lastEvent = event;
        if (hooks) this.lastHooks = hooks;
        const hookSig = (hooks ?? []).map((h) => `${h.HookTypeName}:${h.HookStatus}:${h.HookStatusMessage ?? ""}`).join(",");
        const signature = `${event.OperationStatus}|${event.StatusMessage ?? ""}|${hookSig}`;
        const outcome = classifyProgressEvent(event, hooks);
        if (signature !== this.lastSignature) {
            this.lastSignature = signature;
            this.log(`${this.describe()}: ${event.OperationStatus}${event.StatusMessage ? ` (${event.StatusMessage})` : ""}`);
            this.notify("onProgress", () => this.options.onProgress?.(event, hooks));
        }
        for (const warning of outcome.warnings) {
            if (this.warned.has(warning)) continue;
            this.warned.add(warning);
            this.log(`warning: ${warning}`);
            this.notify("onWarning", () => this.options.onWarning?.(warning));
        }
        return outcome;
    }

    /** Runs a caller's callback; a callback that throws must not make us lose track of a running request. */
    private notify(name: string, fn: () => void): void {
        try {
            fn();
        } catch (err) {
            this.log(`${name} callback threw ${errorName(err)}: ${errorMessage(err)} (ignored)`);
        }
    }

    /** Delay before the next status call after this event (schedule or hint alone: for cancelling and errors). */
    delayAfter(event: ProgressEvent, sinceMs: number): number {
        return this.plan(event, sinceMs, false).delayMs;
    }

    /**
     * When to ask next after this event while waiting for the request to finish, and until when that call may let
     * others go first while the account's pacer is busy (see PaceOptions.deferUntil).
     * - Never before the request could be done (`floor`): once this client has seen requests of the type succeed,
     *   no status call is made before the shortest of those durations has passed since this one started. It would
     *   answer "still running" (a mid-operation RetryAfter, the first read after the start).
     * - At a PENDING request's hint, before anything is known of the type: the answer is IN_PROGRESS, which only says
     *   when to ask again; while the pacer is busy that call waits for at most as long again as the wait has lasted
     *   (the schedule's growth, doubled).
     * Either way a request that meanwhile finished is seen with one status call.
     */
    plan(event: ProgressEvent, sinceMs: number, floor = true): { delayMs: number; deferUntil?: number } {
        const now = this.clock.now();
        const hint = event.RetryAfter instanceof Date ? event.RetryAfter.getTime() - serverNow(this.client, this.clock) : undefined;
        const next = nextPollDelay(now - sinceMs, hint, this.random(), this.schedule);
        const earliest = floor ? this.earliestEnd() : undefined;
        if (earliest !== undefined) return { delayMs: Math.max(next.delayMs, earliest - now) };
        const at = now + next.delayMs;
        return {
            delayMs: next.delayMs,
            deferUntil: next.fromHint && event.OperationStatus === "PENDING" ? at + (at - this.start) : undefined,
        };
    }

    /** What every error of this wait carries: the request, its resource and the last event seen. */
    private context(): CloudControlErrorDetails {
        const e = this.lastEvent;
        return {
            operation: this.options.operation ?? e?.Operation,
            typeName: this.options.typeName ?? e?.TypeName,
            identifier: this.options.identifier ?? e?.Identifier,
            requestToken: this.requestToken,
            statusMessage: e?.StatusMessage,
            lastStatus: e?.OperationStatus,
            hooks: this.lastHooks,
            event: e,
        };
    }

    /** The error for a final, unsuccessful outcome of the event observe() just recorded. */
    failure(outcome: Outcome): CloudControlError {
        return new CloudControlError(`${outcome.message} (request token ${this.requestToken})`, {
            ...this.context(),
            errorCode: outcome.errorCode,
            outcome: outcome.kind,
        });
    }

    /** The error for a status or cancel call that failed for good (not transient). */
    callFailure(err: unknown, call: string): CloudControlError {
        const name = errorName(err);
        const base = { ...this.context(), outcome: "fail" as const, cause: err };
        if (name === "RequestTokenNotFoundException") {
            return new CloudControlError(
                `${this.describe()}: Cloud Control has no request with token ${this.requestToken} (${call}). Requests are kept for 7 days and only in the region and account that received them; ` +
                    `check the region and credentials, or read the resource by its identifier instead of waiting on the request.`,
                { ...base, errorCode: "RequestTokenNotFound" },
            );
        }
        return new CloudControlError(
            `${this.describe()}: ${call} for request ${this.requestToken} failed with ${name}: ${errorMessage(err)}`,
            { ...base, errorCode: name },
        );
    }

    /**
     * Sends one command through the account's pacer, aborted (queued or in flight) by the caller's signal, unless
     * `ignoreCallerSignal`, or at `until` (then it throws DeadlineReached). A long wait in the pacer is reported.
     */
    async send<T>(command: GetResourceRequestStatusCommand | CancelResourceRequestCommand, how: SendOptions): Promise<T> {
        const { signal, dispose } = abortAt(this.clock, how.until, how.ignoreCallerSignal ? undefined : this.options.signal);
        const call = command instanceof CancelResourceRequestCommand ? "CancelResourceRequest" : "GetResourceRequestStatus";
        pace(command, {
            signal,
            deferUntil: how.deferUntil,
            onQueued: (n) => this.log(queuedMessage(this.describe(), call, n)),
        });
        try {
            // The SDK's send() is typed per command; both commands here are built by this module.
            return (await (this.client.send as (c: unknown, o: { abortSignal: AbortSignal }) => Promise<T>)(command, {
                abortSignal: signal,
            })) as T;
        } catch (err) {
            if (signal.aborted)
                throw signal.reason instanceof DeadlineReached
                    ? signal.reason
                    : Object.assign(new Error("aborted"), { name: "AbortError" });
            throw err;
        } finally {
            dispose();
        }
    }

    /** Sleeps until `at` (or the caller's abort). Returns false when aborted. */
    async sleepUntil(at: number): Promise<boolean> {
        try {
            await this.clock.sleep(at - this.clock.now(), this.options.signal);
            return true;
        } catch (err) {
            if (this.options.signal?.aborted) return false;
            throw err;
        }
    }

    /** Plans the next status call after this event (see plan). */
    private planAfter(event: ProgressEvent): void {
        const next = this.plan(event, this.start);
        this.nextAt = this.clock.now() + next.delayMs;
        this.deferUntil = next.deferUntil;
    }

    /** Waits until the request is final (see poll); however it ends, it no longer counts as running for estimates. */
    async wait(): Promise<ProgressEvent> {
        const initial = this.options.initialEvent;
        // A final start event is confirmed by one status call (which also brings the hook events).
        if (initial && this.observe(initial, undefined).kind === "pending") {
            this.learn(initial, "pending");
            this.planAfter(initial);
        }
        try {
            return await this.poll();
        } finally {
            // However it ended, this request no longer tells how long its type takes at least.
            const kind = this.kind();
            if (kind) this.durations.forget(kind.typeName, kind.operation, this.requestToken);
        }
    }

    /**
     * The loop: poll until final, the deadline, or the caller's abort. Throttling, 5xx and network errors of the
     * status call are retried (retry module) with backoff, never sooner than the schedule, until the deadline.
     */
    private async poll(): Promise<ProgressEvent> {
        for (;;) {
            if (this.options.signal?.aborted) return this.stop("aborted");
            if (this.clock.now() >= this.deadline) return this.stop("timeout");
            if (this.nextAt > this.clock.now() && !(await this.sleepUntil(Math.min(this.nextAt, this.deadline))))
                return this.stop("aborted");
            if (this.options.signal?.aborted) return this.stop("aborted");
            if (this.clock.now() >= this.deadline) return this.stop("timeout");
            let out: StatusAnswer;
            try {
                out = await retry(
                    () =>
                        this.send<StatusAnswer>(new GetResourceRequestStatusCommand({ RequestToken: this.requestToken }), {
                            until: this.deadline,
                            deferUntil: this.deferUntil,
                        }),
                    {
                        clock: this.clock,
                        random: this.random,
                        signal: this.options.signal,
                        deadline: this.deadline,
                        retryable: (err) => !isAbortError(err) && isTransientError(err),
                        delay: (failures) => Math.max(backoffDelay(failures, this.random()), this.delayAfter({}, this.start)),
                        onRetry: (err, failures, delay) =>
                            this.log(
                                `${this.describe()}: status call failed with ${errorName(err)} (${failures} in a row); asking again in ${formatDuration(delay)}`,
                            ),
                    },
                );
            } catch (err) {
                if (err instanceof DeadlineReached) return this.stop("timeout");
                if (this.options.signal?.aborted) return this.stop("aborted");
                if (!isTransientError(err)) throw this.callFailure(err, "GetResourceRequestStatus");
                // Still failing, and no time left for another try: the deadline is the user's, so wait it out.
                if (!(await this.sleepUntil(this.deadline))) return this.stop("aborted");
                return this.stop("timeout");
            }
            const event = out.ProgressEvent;
            if (!event) {
                this.planAfter({});
                continue;
            }
            const outcome = this.observe(event, out.HooksProgressEvent);
            this.learn(event, outcome.kind);
            if (outcome.kind === "success") return event;
            if (outcome.kind !== "pending") throw this.failure(outcome);
            this.planAfter(event);
        }
    }

    /**
     * The deadline passed or the caller aborted: cancel the request, wait briefly for CANCEL_COMPLETE, then throw.
     * If the request finished meanwhile, its real result wins (a success resolves: nothing is left orphaned).
     */
    async stop(reason: StopReason): Promise<ProgressEvent> {
        const statusBefore = this.lastEvent?.OperationStatus;
        const cancelStart = this.clock.now();
        const cancelUntil = cancelStart + (this.options.cancelWaitSeconds ?? DEFAULT_CANCEL_WAIT_SECONDS) * 1000;
        const why = reason === "timeout" ? `did not finish within ${formatDuration(this.timeoutMs)}` : "was aborted by the caller";
        this.log(`${this.describe()} ${why}; cancelling request ${this.requestToken}`);
        const cancelled = await this.cancel(cancelStart, cancelUntil);
        const done = cancelled.done ?? (await this.awaitFinal(cancelStart, cancelUntil, cancelled.nextAt));
        if (done) return done;
        const last = this.lastEvent?.OperationStatus;
        const confirmed = last === "CANCEL_COMPLETE";
        const message =
            `${this.describe()} ${why}; request ${this.requestToken} ` +
            (confirmed ? "was cancelled (CANCEL_COMPLETE)" : `was asked to cancel but its last status was ${last ?? "unknown"}`) +
            (statusBefore && statusBefore !== last ? `; status before cancelling: ${statusBefore}` : "") +
            (reason === "timeout" ? ". If the operation legitimately takes longer, raise its timeout." : ".");
        throw new CloudControlError(message, {
            ...this.context(),
            errorCode: reason === "timeout" ? "Timeout" : "Aborted",
            outcome: reason === "timeout" ? "timeout" : "cancelled",
        });
    }

    /** A success (returned) or final failure (thrown) seen while cancelling; undefined while pending or cancelled. */
    private conclude(event: ProgressEvent, hooks: HookProgressEvent[] | undefined): ProgressEvent | undefined {
        const outcome = this.observe(event, hooks);
        if (outcome.kind === "success") {
            this.log(`${this.describe()} finished before it could be cancelled`);
            return event;
        }
        if (outcome.kind !== "pending" && outcome.kind !== "cancelled") throw this.failure(outcome);
        return undefined;
    }

    /**
     * CancelResourceRequest: up to 3 tries while transient (ConcurrentModification means "not cancellable any more").
     * Any other answer (typically: the request is already final) sends us to read the status. Returns the request's
     * result if the answer already shows it, and when to read the status next.
     */
    private async cancel(cancelStart: number, cancelUntil: number): Promise<{ done?: ProgressEvent; nextAt: number }> {
        let out: { ProgressEvent?: ProgressEvent };
        try {
            out = await retry(
                () =>
                    this.send(new CancelResourceRequestCommand({ RequestToken: this.requestToken }), {
                        until: Math.max(cancelUntil, this.clock.now() + 5000),
                        ignoreCallerSignal: true,
                    }),
                {
                    clock: this.clock,
                    random: this.random,
                    deadline: cancelUntil,
                    maxAttempts: 3,
                    baseMs: 200,
                    maxMs: 2000,
                    retryable: (err) => !(err instanceof DeadlineReached) && isTransientError(err) && !isUncancellable(err),
                },
            );
        } catch (err) {
            if (errorName(err) === "RequestTokenNotFoundException") throw this.callFailure(err, "CancelResourceRequest");
            if (!(err instanceof DeadlineReached))
                this.log(`${this.describe()}: CancelResourceRequest answered ${errorName(err)}; reading the request's status`);
            return { nextAt: this.clock.now() };
        }
        if (!out.ProgressEvent) return { nextAt: this.clock.now() };
        const done = this.conclude(out.ProgressEvent, undefined);
        return { done, nextAt: this.clock.now() + this.delayAfter(out.ProgressEvent, cancelStart) };
    }

    /**
     * Status calls (ignoring the caller's signal: it already fired) until the request is final or CANCEL_COMPLETE, or
     * `until`. The first call happens even if `until` has passed, so a finished request is never misreported.
     * Returns the SUCCESS event if the request finished after all.
     */
    private async awaitFinal(cancelStart: number, until: number, nextAt: number): Promise<ProgressEvent | undefined> {
        for (let first = true; first || this.clock.now() < until; first = false) {
            if (this.lastEvent?.OperationStatus === "CANCEL_COMPLETE") return undefined;
            if (!first && nextAt > this.clock.now()) await this.clock.sleep(Math.min(nextAt, until) - this.clock.now());
            if (!first && this.clock.now() >= until) break;
            let out: StatusAnswer;
            try {
                out = await retry(
                    () =>
                        this.send<StatusAnswer>(new GetResourceRequestStatusCommand({ RequestToken: this.requestToken }), {
                            until: Math.max(until, this.clock.now() + 5000),
                            ignoreCallerSignal: true,
                        }),
                    {
                        clock: this.clock,
                        random: this.random,
                        deadline: until,
                        baseMs: 200,
                        maxMs: 2000,
                        retryable: (err) => !(err instanceof DeadlineReached) && isTransientError(err),
                    },
                );
            } catch (err) {
                if (err instanceof DeadlineReached || isTransientError(err)) return undefined;
                throw this.callFailure(err, "GetResourceRequestStatus");
            }
            const done = out.ProgressEvent ? this.conclude(out.ProgressEvent, out.HooksProgressEvent) : undefined;
            if (done) return done;
            nextAt = this.clock.now() + this.delayAfter(out.ProgressEvent ?? {}, cancelStart);
        }
        return undefined;
    }
}

/**
 * Polls GetResourceRequestStatus until the request is final. Resolves with the SUCCESS event; throws a
 * {@link CloudControlError} otherwise (its `outcome` says whether to replace, retry, treat as gone, ...).
 *
 * - Honours RetryAfter (never asks before it, asks right after it); otherwise follows DEFAULT_POLL_SCHEDULE.
 * - Every call goes through the account's pacer when the client has one (getCloudControlClient); while other calls
 *   wait there, the status call at a PENDING request's hint lets them go first (see Waiter.plan).
 * - Throttling, 5xx and network errors of the status call are retried with backoff until the deadline.
 * - At the deadline (`timeout`: seconds or "10m"-style, default per operation) or when `signal` aborts: CancelResourceRequest, a brief wait
 *   for CANCEL_COMPLETE, then a CloudControlError with outcome "timeout" (or "cancelled" for an abort) carrying the
 *   request token and the last status. A request that succeeded meanwhile resolves instead.
 */
export async function waitForRequest(client: CloudControlClient, requestToken: string, options: WaitOptions = {}): Promise<ProgressEvent> {
    if (!requestToken)
        throw new CloudControlError(
            "waitForRequest needs a request token (the RequestToken of the ProgressEvent the start call returned).",
            { outcome: "fail", ...pickContext(options) },
        );
    const seconds = timeoutSeconds(options.timeout, "waitForRequest");
    return new Waiter(client, requestToken, options, seconds).wait();
}

function pickContext(options: WaitOptions): { operation?: string; typeName?: string; identifier?: string } {
    return { operation: options.operation, typeName: options.typeName, identifier: options.identifier };
}

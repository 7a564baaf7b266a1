import { CancelResourceRequestCommand, GetResourceRequestStatusCommand, type CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { classifyProgressEvent } from "./classify";
import { systemClock, type Clock } from "./clock";
import { CloudControlError, type CloudControlErrorDetails } from "./errors";
import { DEFAULT_POLL_SCHEDULE, failureBackoff, nextPollDelay, type PollSchedule } from "./schedule";
import { errorMessage, errorName, isAbortError, isTransientError } from "./sdk-errors";
import type { HookProgressEvent, Outcome, ProgressEvent, WaitOptions } from "./types";

/** Default deadlines per operation, seconds: 60 min for create and update, 30 min for delete. */
export const DEFAULT_TIMEOUT_SECONDS: Readonly<Record<string, number>> = Object.freeze({ CREATE: 3600, UPDATE: 3600, DELETE: 1800 });

/** The default deadline for an operation (CREATE, UPDATE, DELETE; anything else gets 60 min), seconds. */
export function defaultTimeoutSeconds(operation?: string): number {
    return DEFAULT_TIMEOUT_SECONDS[(operation ?? "").toUpperCase()] ?? 3600;
}

const DEFAULT_CANCEL_WAIT_SECONDS = 30;

/** Clock skew (as the SDK measured it) below which RetryAfter is read on our own clock. */
const SKEW_THRESHOLD_MS = 5000;

/** Why waiting stopped before the request finished. */
type StopReason = "timeout" | "aborted";

/** Thrown internally when our own deadline timer aborts an in-flight call. */
class DeadlineReached extends Error {
    constructor() {
        super("deadline reached");
        this.name = "AbortError";
    }
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

    constructor(
        readonly client: CloudControlClient,
        readonly requestToken: string,
        readonly options: WaitOptions,
    ) {
        this.clock = options.clock ?? systemClock;
        this.random = options.random ?? Math.random;
        this.schedule = { ...DEFAULT_POLL_SCHEDULE, ...options.schedule };
        this.start = this.clock.now();
        const seconds = options.timeout ?? defaultTimeoutSeconds(options.operation ?? options.initialEvent?.Operation);
        this.timeoutMs = seconds * 1000;
        this.deadline = this.start + this.timeoutMs;
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

    /**
     * The server's notion of now, for RetryAfter (server time). The SDK measures the skew from each response's
     * Date header, which has 1-second resolution: under SKEW_THRESHOLD_MS that measurement is mostly rounding
     * noise (it would make us ask up to a second late), so only a real skew is corrected.
     */
    serverNow(): number {
        const offset = (this.client as { config?: { systemClockOffset?: number } }).config?.systemClockOffset;
        const skew = typeof offset === "number" && Math.abs(offset) >= SKEW_THRESHOLD_MS ? offset : 0;
        return this.clock.now() + skew;
    }

    /** Delay before the next status call after this event. */
    delayAfter(event: ProgressEvent, sinceMs: number): number {
        const hint = event.RetryAfter instanceof Date ? event.RetryAfter.getTime() - this.serverNow() : undefined;
        return nextPollDelay(this.clock.now() - sinceMs, hint, this.random(), this.schedule).delayMs;
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
        return new CloudControlError(`${outcome.message} (request token ${this.requestToken})`, { ...this.context(), errorCode: outcome.errorCode, outcome: outcome.kind });
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
        return new CloudControlError(`${this.describe()}: ${call} for request ${this.requestToken} failed with ${name}: ${errorMessage(err)}`, { ...base, errorCode: name });
    }

    /** Sends one command, aborted by the caller's signal (unless `ignoreCallerSignal`) or at `until`. */
    async send<T>(command: unknown, until: number, ignoreCallerSignal = false): Promise<T> {
        const controller = new AbortController();
        const stopTimer = new AbortController();
        const callerSignal = ignoreCallerSignal ? undefined : this.options.signal;
        const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
        callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
        if (callerSignal?.aborted) controller.abort(callerSignal.reason);
        this.clock.sleep(until - this.clock.now(), stopTimer.signal).then(
            () => controller.abort(new DeadlineReached()),
            () => undefined,
        );
        try {
            // The SDK's send() is typed per command; the commands here are built by this module.
            return (await (this.client.send as (c: unknown, o: { abortSignal: AbortSignal }) => Promise<T>)(command, { abortSignal: controller.signal })) as T;
        } catch (err) {
            if (controller.signal.aborted) throw controller.signal.reason instanceof DeadlineReached ? controller.signal.reason : Object.assign(new Error("aborted"), { name: "AbortError" });
            throw err;
        } finally {
            stopTimer.abort();
            callerSignal?.removeEventListener("abort", onCallerAbort);
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

    /** The main loop: poll until final, the deadline, or the caller's abort. */
    async wait(): Promise<ProgressEvent> {
        let nextAt = this.start;
        if (this.options.initialEvent) {
            const initial = this.options.initialEvent;
            const outcome = this.observe(initial, undefined);
            // A final start event is confirmed by one status call (which also brings the hook events).
            if (outcome.kind === "pending") nextAt = this.start + this.delayAfter(initial, this.start);
        }
        let failures = 0;
        for (;;) {
            if (this.options.signal?.aborted) return this.stop("aborted");
            if (this.clock.now() >= this.deadline) return this.stop("timeout");
            if (nextAt > this.clock.now() && !(await this.sleepUntil(Math.min(nextAt, this.deadline)))) return this.stop("aborted");
            if (this.options.signal?.aborted) return this.stop("aborted");
            if (this.clock.now() >= this.deadline) return this.stop("timeout");
            let out: { ProgressEvent?: ProgressEvent; HooksProgressEvent?: HookProgressEvent[] };
            try {
                out = await this.send(new GetResourceRequestStatusCommand({ RequestToken: this.requestToken }), this.deadline);
            } catch (err) {
                if (err instanceof DeadlineReached) return this.stop("timeout");
                if (isAbortError(err) && this.options.signal?.aborted) return this.stop("aborted");
                if (!isTransientError(err)) throw this.callFailure(err, "GetResourceRequestStatus");
                failures++;
                const delay = Math.max(failureBackoff(failures, this.random()), this.delayAfter({}, this.start));
                this.log(`${this.describe()}: status call failed with ${errorName(err)} (${failures} in a row); asking again in ${formatDuration(delay)}`);
                nextAt = this.clock.now() + delay;
                continue;
            }
            failures = 0;
            const event = out.ProgressEvent;
            if (!event) {
                nextAt = this.clock.now() + this.delayAfter({}, this.start);
                continue;
            }
            const outcome = this.observe(event, out.HooksProgressEvent);
            if (outcome.kind === "success") return event;
            if (outcome.kind !== "pending") throw this.failure(outcome);
            nextAt = this.clock.now() + this.delayAfter(event, this.start);
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
        const conclude = (event: ProgressEvent, hooks: HookProgressEvent[] | undefined): ProgressEvent | undefined => {
            const outcome = this.observe(event, hooks);
            if (outcome.kind === "success") {
                this.log(`${this.describe()} finished before it could be cancelled`);
                return event;
            }
            if (outcome.kind !== "pending" && outcome.kind !== "cancelled") throw this.failure(outcome);
            return undefined;
        };
        // CancelResourceRequest: a few tries while transient. Any other answer (typically: the request is already
        // final) sends us to read the status.
        let nextAt = this.clock.now();
        for (let attempt = 1; attempt <= 3 && (attempt === 1 || this.clock.now() < cancelUntil); attempt++) {
            try {
                const out = await this.send<{ ProgressEvent?: ProgressEvent }>(
                    new CancelResourceRequestCommand({ RequestToken: this.requestToken }),
                    Math.max(cancelUntil, this.clock.now() + 5000),
                    true,
                );
                if (out.ProgressEvent) {
                    const done = conclude(out.ProgressEvent, undefined);
                    if (done) return done;
                    nextAt = this.clock.now() + this.delayAfter(out.ProgressEvent, cancelStart);
                }
                break;
            } catch (err) {
                if (err instanceof CloudControlError) throw err;
                if (err instanceof DeadlineReached) break;
                const name = errorName(err);
                if (name === "RequestTokenNotFoundException") throw this.callFailure(err, "CancelResourceRequest");
                if (!isTransientError(err) || name === "ConcurrentModificationException" || attempt === 3) {
                    this.log(`${this.describe()}: CancelResourceRequest answered ${name}; reading the request's status`);
                    break;
                }
                await this.clock.sleep(Math.min(failureBackoff(attempt, this.random(), 200, 2000), Math.max(0, cancelUntil - this.clock.now())));
            }
        }
        // Poll (ignoring the caller's signal: it already fired) until the request is final or the wait runs out; the
        // first status call happens even if the wait is already used up, so a finished request is never misreported.
        let failures = 0;
        for (let first = true; (first || this.clock.now() < cancelUntil) && this.lastEvent?.OperationStatus !== "CANCEL_COMPLETE"; first = false) {
            if (!first && nextAt > this.clock.now()) await this.clock.sleep(Math.min(nextAt, cancelUntil) - this.clock.now());
            if (!first && this.clock.now() >= cancelUntil) break;
            try {
                const out = await this.send<{ ProgressEvent?: ProgressEvent; HooksProgressEvent?: HookProgressEvent[] }>(
                    new GetResourceRequestStatusCommand({ RequestToken: this.requestToken }),
                    Math.max(cancelUntil, this.clock.now() + 5000),
                    true,
                );
                failures = 0;
                if (out.ProgressEvent) {
                    const done = conclude(out.ProgressEvent, out.HooksProgressEvent);
                    if (done) return done;
                    nextAt = this.clock.now() + this.delayAfter(out.ProgressEvent, cancelStart);
                } else {
                    nextAt = this.clock.now() + this.delayAfter({}, cancelStart);
                }
            } catch (err) {
                if (err instanceof CloudControlError) throw err;
                if (err instanceof DeadlineReached) break;
                if (!isTransientError(err)) throw this.callFailure(err, "GetResourceRequestStatus");
                failures++;
                nextAt = this.clock.now() + failureBackoff(failures, this.random(), 200, 2000);
            }
        }
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
}

/**
 * Polls GetResourceRequestStatus until the request is final. Resolves with the SUCCESS event; throws a
 * {@link CloudControlError} otherwise (its `outcome` says whether to replace, retry, treat as gone, ...).
 *
 * - Honours RetryAfter (never asks before it, asks right after it); otherwise follows DEFAULT_POLL_SCHEDULE.
 * - Throttling, 5xx and network errors of the status call are retried with backoff until the deadline.
 * - At the deadline (`timeout`, default per operation) or when `signal` aborts: CancelResourceRequest, a brief wait
 *   for CANCEL_COMPLETE, then a CloudControlError with outcome "timeout" (or "cancelled" for an abort) carrying the
 *   request token and the last status. A request that succeeded meanwhile resolves instead.
 */
export async function waitForRequest(client: CloudControlClient, requestToken: string, options: WaitOptions = {}): Promise<ProgressEvent> {
    if (!requestToken) throw new CloudControlError("waitForRequest needs a request token (the RequestToken of the ProgressEvent the start call returned).", { outcome: "fail", ...pickContext(options) });
    assertTimeout(options.timeout, "waitForRequest");
    return new Waiter(client, requestToken, options).wait();
}

/** Throws a clear error unless `timeout` is absent or a number of seconds ≥ 0 (Infinity: no deadline). */
export function assertTimeout(timeout: unknown, context: string): void {
    if (timeout === undefined) return;
    if (typeof timeout !== "number" || !(timeout >= 0)) {
        throw new CloudControlError(`${context}: timeout must be a number of seconds >= 0 (got ${typeof timeout === "number" ? String(timeout) : typeof timeout})`, { outcome: "fail" });
    }
}

function pickContext(options: WaitOptions): { operation?: string; typeName?: string; identifier?: string } {
    return { operation: options.operation, typeName: options.typeName, identifier: options.identifier };
}

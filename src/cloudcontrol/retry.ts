/**
 * The one retry policy of the Cloud Control layer: "try again while the failure is transient, until the deadline",
 * with exponential backoff and jitter on an injectable clock, and the one notion of the server's clock. Every loop
 * that asks Cloud Control again (start calls, whole-operation retries, status and cancel calls, short reads) is
 * built on {@link retry}.
 */
import { systemClock, type Clock } from "./clock";
import { isTransientError } from "./sdk-errors";

/**
 * Delay before the next attempt after `failures` consecutive failures: `baseMs` doubling up to `maxMs`, with jitter
 * in [50 %, 100 %] of that ("equal jitter"), so many callers failing together spread out but each still waits a
 * real, growing pause. `random` is a draw in [0, 1).
 */
export function backoffDelay(failures: number, random: number, baseMs = 500, maxMs = 20_000): number {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** Why {@link retry} stopped trying. */
export type GiveUpReason =
    /** the error is not worth another attempt */
    | "final"
    /** `maxAttempts` attempts were made */
    | "attempts"
    /** the next attempt could not start before the deadline */
    | "deadline"
    /** the signal aborted while waiting to try again */
    | "aborted";

/** Clock, randomness, abort and deadline shared by the retries of one operation. */
export interface RetryContext {
    clock?: Clock;
    /** Random source in [0, 1) for jitter. */
    random?: () => number;
    /** Aborting ends the wait before the next attempt (the attempt in flight is the caller's business). */
    signal?: AbortSignal;
    /** Absolute time (clock.now()) after which no attempt is started. */
    deadline?: number;
}

/** Options of {@link retry}. */
export interface RetryOptions extends RetryContext {
    /** Attempts in all, the first included. Default: unbounded (the deadline bounds them). */
    maxAttempts?: number;
    /** First backoff delay and its ceiling, ms (see {@link backoffDelay}). Default 500 ms doubling to 20 s. */
    baseMs?: number;
    maxMs?: number;
    /** Whether an error is worth another attempt. Default: the SDK's throttling/transient classification. */
    retryable?: (err: unknown, attempt: number) => boolean;
    /** The wait before the next attempt, instead of the backoff. */
    delay?: (failures: number, err: unknown) => number;
    /** Called before each wait (for progress lines). */
    onRetry?: (err: unknown, failures: number, delayMs: number) => void;
    /** What to throw when giving up. Default: the last error. */
    giveUp?: (err: unknown, reason: GiveUpReason, attempts: number) => unknown;
}

/**
 * Runs `attempt(1)`, `attempt(2)`, ... until one resolves. After a failure it decides, in this order: a
 * non-retryable error, the last of `maxAttempts`, a wait that would end at or after the deadline, or an abort while
 * waiting each end the retries (through `giveUp`); otherwise it waits the backoff and tries again.
 */
export async function retry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
    const clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    const retryable = options.retryable ?? ((err: unknown) => isTransientError(err));
    for (let n = 1; ; n++) {
        try {
            return await attempt(n);
        } catch (err) {
            const stop = (reason: GiveUpReason): never => {
                throw options.giveUp ? options.giveUp(err, reason, n) : err;
            };
            if (!retryable(err, n)) stop("final");
            if (options.maxAttempts !== undefined && n >= options.maxAttempts) stop("attempts");
            const delay = Math.max(0, options.delay ? options.delay(n, err) : backoffDelay(n, random(), options.baseMs, options.maxMs));
            if (options.deadline !== undefined && clock.now() + delay >= options.deadline) stop("deadline");
            options.onRetry?.(err, n, delay);
            try {
                await clock.sleep(delay, options.signal);
            } catch {
                stop("aborted");
            }
        }
    }
}

/**
 * Clock skew (as the SDK measured it) below which the server's clock is taken to be ours. The SDK sets
 * `systemClockOffset` from every response's HTTP Date header (@aws-sdk/core, getUpdatedSystemClockOffset), which
 * has whole seconds and arrives after the network's latency: below a few seconds the "offset" is that rounding and
 * latency, not skew (applying it would make us ask up to a second late).
 */
export const CLOCK_SKEW_THRESHOLD_MS = 5000;

/**
 * Now on the server's clock (for RetryAfter and EventTime): our clock plus the offset the SDK measured from the
 * client's responses, when that offset is a real skew (see {@link CLOCK_SKEW_THRESHOLD_MS}).
 */
export function serverNow(client: { config?: unknown }, clock: Clock = systemClock): number {
    const offset = (client.config as { systemClockOffset?: unknown } | undefined)?.systemClockOffset;
    const skew = typeof offset === "number" && Math.abs(offset) >= CLOCK_SKEW_THRESHOLD_MS ? offset : 0;
    return clock.now() + skew;
}

/** The error an {@link abortAt} signal aborts with when its time comes. */
export class DeadlineReached extends Error {
    constructor() {
        super("deadline reached");
        this.name = "AbortError";
    }
}

/**
 * An AbortSignal that aborts at `at` (clock time, with a {@link DeadlineReached}) or when `parent` aborts (with the
 * parent's reason), whichever comes first. Call `dispose()` when done, to drop the timer and the listener.
 */
export function abortAt(clock: Clock, at: number, parent?: AbortSignal): { signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    const stopTimer = new AbortController();
    const onParentAbort = (): void => controller.abort(parent?.reason);
    if (parent?.aborted) controller.abort(parent.reason);
    else parent?.addEventListener("abort", onParentAbort, { once: true });
    if (Number.isFinite(at)) {
        clock.sleep(at - clock.now(), stopTimer.signal).then(
            () => controller.abort(new DeadlineReached()),
            () => undefined,
        );
    }
    return {
        signal: controller.signal,
        dispose: () => {
            stopTimer.abort();
            parent?.removeEventListener("abort", onParentAbort);
        },
    };
}

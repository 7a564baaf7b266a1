/**
 * When to ask GetResourceRequestStatus next. Pure functions of elapsed time, the server's hint and a random draw,
 * so they can be unit-tested and simulated exactly. The reasoning is in docs/cloudcontrol.md.
 */

/** Tuning of the polling schedule. */
export interface PollSchedule {
    /** First delay, ms: fast operations (a log group, a parameter) are found within a few hundred ms. */
    initialDelayMs: number;
    /**
     * The delay grows in proportion to the time already waited (delay ≈ ratio × elapsed): the overshoot stays a fixed
     * fraction of the operation's duration, which is the same as geometric growth by (1 + ratio) per poll.
     */
    ratio: number;
    /** Ceiling of the delay, ms, so a slow operation is still noticed within seconds of finishing. */
    maxDelayMs: number;
    /** ± fraction of random spread, so many resources polled together do not call in lock-step. */
    jitter: number;
    /** Asked this long after a RetryAfter hint, ms, to absorb timer and clock granularity. */
    hintMarginMs: number;
}

/** The default schedule: 200 ms, growing with 20 % of the elapsed time, at most 3 s, ±20 % jitter. */
export const DEFAULT_POLL_SCHEDULE: Readonly<PollSchedule> = Object.freeze({
    initialDelayMs: 200,
    ratio: 0.2,
    maxDelayMs: 3000,
    jitter: 0.2,
    hintMarginMs: 10,
});

/** Delay before the next status call when the server gave no usable hint. `random` is a draw in [0, 1). */
export function scheduledDelay(elapsedMs: number, random: number, schedule: PollSchedule = DEFAULT_POLL_SCHEDULE): number {
    const base = Math.min(schedule.maxDelayMs, Math.max(schedule.initialDelayMs, schedule.ratio * Math.max(0, elapsedMs)));
    return Math.round(base * (1 + schedule.jitter * (2 * random - 1)));
}

/**
 * Delay before the next status call. A RetryAfter hint still in the future wins (never ask before it, ask right
 * after it); a hint already past says nothing new, so the schedule applies.
 * @param elapsedMs time since waiting began
 * @param untilHintMs RetryAfter minus the server's current time, or undefined without a hint
 */
export function nextPollDelay(
    elapsedMs: number,
    untilHintMs: number | undefined,
    random: number,
    schedule: PollSchedule = DEFAULT_POLL_SCHEDULE,
): { delayMs: number; fromHint: boolean } {
    if (untilHintMs !== undefined && Number.isFinite(untilHintMs) && untilHintMs > 0) {
        return { delayMs: Math.ceil(untilHintMs) + schedule.hintMarginMs, fromHint: true };
    }
    return { delayMs: scheduledDelay(elapsedMs, random, schedule), fromHint: false };
}

/**
 * Time as the poller sees it. Injectable so the schedule, deadline and retry logic can be tested (and simulated in
 * the benchmark) on virtual time, deterministically and without real sleeping.
 */

/** A source of wall-clock time and timers. */
export interface Clock {
    /** Milliseconds since the epoch (comparable with ProgressEvent.RetryAfter / EventTime). */
    now(): number;
    /** Resolves after `ms`; rejects with the signal's reason when `signal` aborts first. */
    sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): unknown {
    return signal.reason ?? Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
}

/** setTimeout fires at once for delays above this (2^31 - 1 ms, about 24.8 days): longer sleeps go in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The real clock: Date.now and setTimeout. */
export const systemClock: Clock = {
    now: () => Date.now(),
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
        return new Promise((resolve, reject) => {
            if (signal?.aborted) return reject(abortReason(signal));
            const until = Date.now() + Math.max(0, ms);
            let timer: NodeJS.Timeout;
            const onAbort = (): void => {
                clearTimeout(timer);
                reject(abortReason(signal!));
            };
            const step = (): void => {
                const left = until - Date.now();
                if (left > MAX_TIMER_MS) {
                    timer = setTimeout(step, MAX_TIMER_MS);
                    return;
                }
                timer = setTimeout(
                    () => {
                        signal?.removeEventListener("abort", onAbort);
                        resolve();
                    },
                    Math.max(0, left),
                );
            };
            signal?.addEventListener("abort", onAbort, { once: true });
            step();
        });
    },
};

interface Timer {
    at: number;
    seq: number;
    resolve: () => void;
}

/**
 * A virtual clock for tests and simulations. Time only moves inside {@link VirtualClock.run}: whenever every promise
 * chain is idle, the clock jumps to the earliest pending timer and fires it. Nothing really sleeps.
 */
export class VirtualClock implements Clock {
    private t: number;
    private seq = 0;
    private timers: Timer[] = [];

    constructor(startMs = Date.UTC(2026, 0, 1)) {
        this.t = startMs;
    }

    now(): number {
        return this.t;
    }

    /** Number of timers waiting to fire. */
    get pendingTimers(): number {
        return this.timers.length;
    }

    /** Moves time forward by `ms`, firing timers due on the way (in order). */
    advance(ms: number): void {
        const target = this.t + Math.max(0, ms);
        for (;;) {
            const next = this.earliest();
            if (!next || next.at > target) break;
            this.fire(next);
        }
        this.t = target;
    }

    sleep(ms: number, signal?: AbortSignal): Promise<void> {
        return new Promise((resolve, reject) => {
            if (signal?.aborted) return reject(abortReason(signal));
            const timer: Timer = {
                at: this.t + Math.max(0, ms),
                seq: this.seq++,
                resolve: () => {
                    signal?.removeEventListener("abort", onAbort);
                    resolve();
                },
            };
            const onAbort = (): void => {
                this.timers = this.timers.filter((x) => x !== timer);
                reject(abortReason(signal!));
            };
            signal?.addEventListener("abort", onAbort, { once: true });
            this.timers.push(timer);
        });
    }

    /**
     * Runs `fn` to completion on virtual time. Throws if `fn` waits on nothing this clock controls (a deadlock in a
     * simulation), instead of hanging.
     */
    async run<T>(fn: () => Promise<T>): Promise<T> {
        let settled = false;
        const result = fn().finally(() => {
            settled = true;
        });
        result.catch(() => undefined);
        let idleTurns = 0;
        while (!settled) {
            // Let every promise chain (and any setImmediate work, e.g. an in-memory fake server) settle first.
            await new Promise<void>((r) => setImmediate(r));
            if (settled) break;
            const next = this.earliest();
            if (!next) {
                if (++idleTurns > 1000) throw new Error("VirtualClock.run: the task waits on something other than this clock's timers");
                continue;
            }
            idleTurns = 0;
            this.fire(next);
        }
        return result;
    }

    private earliest(): Timer | undefined {
        let best: Timer | undefined;
        for (const x of this.timers) if (!best || x.at < best.at || (x.at === best.at && x.seq < best.seq)) best = x;
        return best;
    }

    private fire(timer: Timer): void {
        this.timers = this.timers.filter((x) => x !== timer);
        if (timer.at > this.t) this.t = timer.at;
        timer.resolve();
    }
}

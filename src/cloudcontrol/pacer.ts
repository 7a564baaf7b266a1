/**
 * One pacer per account and region: every attempt of every Cloud Control call a process makes waits its turn in one
 * first-come-first-served token bucket, so that under an account's rate limit requests queue here instead of being
 * throttled there and retried. The rate is the user's (`maxRequestsPerSecond`) or, when unset, learned from
 * throttling: start at a safe rate, back off on a throttle, probe upward while calls wait. The SDK's own retries
 * stay as a backstop; the pacer sits inside them (after the retry middleware), so their attempts wait their turn too.
 *
 * Why not the SDK's adaptive retry mode: its client-side limiter (@smithy/core/retry DefaultRateLimiter) only
 * engages after throttles, sizes itself from the measured send rate with a cubic curve, and collapsed to 0-5
 * requests/s after a few throttles in our 200-resource benchmark, so that every call, status polls included, waited
 * seconds before its first attempt.
 */
import type { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { systemClock, type Clock } from "./clock";
import { isThrottlingError } from "./sdk-errors";

/** Rate a learning pacer starts at, requests/s: below the limits seen on Cloud Control (about 25-30/s, aws-nuke#508). */
export const LEARNED_START_RPS = 20;
/** Lowest rate backing off goes to, requests/s. */
export const MIN_RPS = 1;
/** Highest rate a learning pacer probes up to, requests/s. */
export const MAX_LEARNED_RPS = 1000;
/**
 * Bucket capacity, in seconds of the current rate: a burst of calls after a quiet spell goes out at once up to it.
 * Less than an account bucket holding a second's worth (the emulator's default), so that calls reaching Cloud
 * Control up to 0.25 s closer together than they left still fit; 0.5 s measured 1.10-1.12x the bound at 50
 * resources, 0.75 s 1.05-1.06x, 1 s drew throttles.
 */
export const BURST_SECONDS = 0.75;
/** Factor applied to the rate on a throttle. */
const DECREASE_FACTOR = 0.7;
/** Throttles within this long of a decrease belong to the same burst and do not decrease again, ms. */
const DECREASE_COOLDOWN_MS = 1000;
/** While calls wait, the rate is raised at most this often, ms, and only this long after a throttle. */
const PROBE_INTERVAL_MS = 1000;
const PROBE_AFTER_THROTTLE_MS = 2000;
/**
 * The pacer counts as busy from a moment when a call had to wait, or its bucket was drawn below half, until this
 * long after it, ms: demand comes in bursts (a tree level's creates, then their polls a phase later), and a
 * deferrable call that comes due just after a burst drained would otherwise take capacity the next burst needs.
 */
export const BUSY_MEMORY_MS = 2000;
/** A call that has waited this long for its turn is reported (progress lines say why a deployment is slow), ms. */
export const QUEUED_NOTICE_MS = 3000;

/** What a call that has waited long is told (see {@link PaceOptions.onQueued}). */
export interface QueueNotice {
    /** How long it has waited, ms. */
    waitedMs: number;
    /** Calls that will go before it. */
    ahead: number;
    /** The pacer's current rate, requests/s. */
    requestsPerSecond: number;
}

/** The progress line for a call that waited long: "CREATE AWS::SSM::Parameter p1: CreateResource queued behind ...". */
export function queuedMessage(what: string, call: string, n: QueueNotice): string {
    return `${what}: ${call} queued behind the account's rate limit for ${(n.waitedMs / 1000).toFixed(1)} s (${n.ahead} calls ahead, ${+n.requestsPerSecond.toFixed(1)} requests/s)`;
}

/** Per-call options, attached to a command with {@link pace}. */
export interface PaceOptions {
    /** Aborting drops the call from the queue; it then rejects with the signal's reason. */
    signal?: AbortSignal;
    /**
     * The call's answer cannot change what the caller does next before this time (clock.now(), ms). While the pacer
     * is busy (a call had to wait, or the bucket was below half, within the last BUSY_MEMORY_MS), it is held back
     * until then, or until the pacer is quiet again; then it takes its turn as if it had arrived at that time. When
     * the pacer is quiet it goes at once.
     */
    deferUntil?: number;
    /** Called once, when the call has waited {@link QUEUED_NOTICE_MS} for its turn. */
    onQueued?: (notice: QueueNotice) => void;
}

/** The pacer's state, for progress lines, tests and benchmarks. */
export interface PacerSnapshot {
    requestsPerSecond: number;
    /** The user's rate, or undefined when the rate is learned. */
    maxRequestsPerSecond?: number;
    queued: number;
    granted: number;
    /** Throttling errors seen by attempts that went through this pacer. */
    throttled: number;
}

interface Ticket {
    seq: number;
    arrived: number;
    options: PaceOptions;
    resolve(): void;
    reject(reason: unknown): void;
    /** Stops the abort listener and the notice timer. */
    cleanup(): void;
}

/** A first-come-first-served token bucket with a learned or fixed rate (see the module comment). */
export class Pacer {
    private rps: number;
    private max?: number;
    private tokens: number;
    private refilledAt: number;
    private readonly queue: Ticket[] = [];
    private seq = 0;
    private wake?: { at: number; stop: AbortController };
    private lastDecrease = -Infinity;
    /** Until when the pacer counts as busy (see BUSY_MEMORY_MS). */
    private busyUntil = -Infinity;
    private lastIncrease: number;
    /** The rate at the last throttle: probing below it is quick, above it slow. */
    private throttledAtRps?: number;
    private granted = 0;
    private throttles = 0;

    constructor(
        options: { maxRequestsPerSecond?: number } = {},
        readonly clock: Clock = systemClock,
    ) {
        this.max = validRate(options.maxRequestsPerSecond);
        this.rps = this.max ?? LEARNED_START_RPS;
        this.tokens = this.burst();
        this.refilledAt = clock.now();
        this.lastIncrease = this.refilledAt;
    }

    /** Sets (a number) or clears (undefined: learn it) the user's rate. */
    setMaxRequestsPerSecond(value: number | undefined): void {
        const max = validRate(value);
        if (max === this.max) return;
        this.refill();
        this.max = max;
        if (max !== undefined) this.rps = max;
        this.tokens = Math.min(this.tokens, this.burst());
        this.pump();
    }

    snapshot(): PacerSnapshot {
        return {
            requestsPerSecond: this.rps,
            maxRequestsPerSecond: this.max,
            queued: this.queue.length,
            granted: this.granted,
            throttled: this.throttles,
        };
    }

    /** Resolves when it is this call's turn; rejects with the signal's reason if it aborts first. */
    acquire(options: PaceOptions = {}): Promise<void> {
        const signal = options.signal;
        if (signal?.aborted) return Promise.reject(signal.reason);
        this.refill();
        const held = options.deferUntil !== undefined && options.deferUntil > this.clock.now() && this.clock.now() < this.busyUntil;
        if (this.queue.length === 0 && this.tokens >= 1 && !held) {
            this.take();
            return Promise.resolve();
        }
        return new Promise<void>((resolve, reject) => {
            const noticeTimer = new AbortController();
            const onAbort = (): void => {
                const i = this.queue.indexOf(ticket);
                if (i < 0) return;
                this.queue.splice(i, 1);
                ticket.cleanup();
                reject(signal!.reason);
                this.pump();
            };
            const ticket: Ticket = {
                seq: this.seq++,
                arrived: this.clock.now(),
                options,
                resolve,
                reject,
                cleanup: () => {
                    noticeTimer.abort();
                    signal?.removeEventListener("abort", onAbort);
                },
            };
            signal?.addEventListener("abort", onAbort, { once: true });
            if (options.onQueued) {
                this.clock.sleep(QUEUED_NOTICE_MS, noticeTimer.signal).then(
                    () => this.notice(ticket),
                    () => undefined,
                );
            }
            this.queue.push(ticket);
            this.pump();
        });
    }

    /** An attempt that went through this pacer was throttled: slow down (once per burst of throttles). */
    throttled(): void {
        this.throttles++;
        const now = this.clock.now();
        if (now - this.lastDecrease < DECREASE_COOLDOWN_MS) return;
        this.refill();
        this.throttledAtRps = this.rps;
        this.rps = Math.max(MIN_RPS, this.rps * DECREASE_FACTOR);
        this.lastDecrease = now;
        // The account's bucket is empty: do not spend a burst into it.
        this.tokens = Math.min(this.tokens, 0);
        this.pump();
    }

    private burst(): number {
        return Math.max(1, this.rps * BURST_SECONDS);
    }

    private refill(): void {
        const now = this.clock.now();
        this.tokens = Math.min(this.burst(), this.tokens + ((now - this.refilledAt) / 1000) * this.rps);
        this.refilledAt = now;
    }

    private take(): void {
        this.tokens -= 1;
        this.granted++;
        // A bucket drawn below half: the rate is in real use.
        if (this.tokens < this.burst() / 2) this.busyUntil = this.clock.now() + BUSY_MEMORY_MS;
    }

    /** Grants every call whose turn it is, probes upward while calls still wait, and sets the timer for the next. */
    private pump(): void {
        this.refill();
        for (let next = this.nextIndex(); next >= 0 && this.tokens >= 1; next = this.nextIndex()) {
            const [ticket] = this.queue.splice(next, 1);
            this.take();
            ticket.cleanup();
            ticket.resolve();
        }
        if (this.queue.length === 0) {
            this.wake?.stop.abort();
            this.wake = undefined;
            return;
        }
        const now = this.clock.now();
        let at: number;
        if (this.nextIndex() >= 0) {
            // Calls wait for a token. Unless only held calls the quiet let go are waiting, the pacer is busy (and may
            // go faster).
            if (this.queue.some((t) => (t.options.deferUntil ?? -Infinity) <= now)) {
                this.busyUntil = now + BUSY_MEMORY_MS;
                this.probe();
            }
            at = this.refilledAt + Math.ceil(((1 - this.tokens) / this.rps) * 1000);
        } else {
            // Only held calls wait: until the first one's time, or until the pacer is quiet.
            at = Math.min(this.busyUntil, ...this.queue.map((t) => t.options.deferUntil ?? now));
        }
        if (this.wake?.at === at) return;
        this.wake?.stop.abort();
        const stop = new AbortController();
        this.wake = { at, stop };
        this.clock.sleep(at - now, stop.signal).then(
            () => {
                if (this.wake?.stop === stop) this.wake = undefined;
                this.pump();
            },
            () => undefined,
        );
    }

    /**
     * Whose turn it is (-1: nobody's yet): the earliest arrival among calls that may go. A deferred call may go once
     * its `deferUntil` has come (it counts as arriving then) or once the pacer is quiet (then only held calls wait,
     * and they go in arrival order).
     */
    private nextIndex(): number {
        const now = this.clock.now();
        const quiet = now >= this.busyUntil;
        let best = -1;
        let bestKey = Infinity;
        for (let i = 0; i < this.queue.length; i++) {
            const t = this.queue[i];
            const defer = t.options.deferUntil;
            if (defer !== undefined && defer > now && !quiet) continue;
            const key = defer !== undefined && defer <= now ? Math.max(t.arrived, defer) : t.arrived;
            if (key < bestKey || (key === bestKey && t.seq < this.queue[best].seq)) {
                best = i;
                bestKey = key;
            }
        }
        return best;
    }

    /** While calls wait, raise the rate (the user's rate caps it): fast until the first throttle, then gently. */
    private probe(): void {
        const now = this.clock.now();
        const ceiling = this.max ?? MAX_LEARNED_RPS;
        if (this.rps >= ceiling || now - this.lastIncrease < PROBE_INTERVAL_MS || now - this.lastDecrease < PROBE_AFTER_THROTTLE_MS) return;
        this.lastIncrease = now;
        // Nothing throttled yet: double each second (an account without a limit is reached within seconds). After a
        // throttle: back to 90 % of the rate that was throttled by a quarter a second, then 5 % a second.
        const knee = this.throttledAtRps === undefined ? Infinity : this.throttledAtRps * 0.9;
        const growth = this.throttledAtRps === undefined ? 2 : 1.25;
        const next = this.rps < knee ? Math.min(this.rps * growth, Math.max(knee, this.rps)) : this.rps + Math.max(0.5, this.rps * 0.05);
        this.rps = Math.min(ceiling, next);
    }

    private notice(ticket: Ticket): void {
        const ahead = this.queue.filter(
            (t) => t !== ticket && (t.options.deferUntil ?? -Infinity) <= (ticket.options.deferUntil ?? -Infinity) && t.seq < ticket.seq,
        ).length;
        try {
            ticket.options.onQueued?.({ waitedMs: this.clock.now() - ticket.arrived, ahead, requestsPerSecond: this.rps });
        } catch {
            // A progress callback must not break pacing.
        }
    }
}

function validRate(value: number | undefined): number | undefined {
    return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Where per-call options travel from {@link pace} to the pacing middleware. */
const CONTEXT_KEY = "cloudControlPace";

/**
 * Attaches per-call pacing options to a command (abort while queued, deferral, the queued notice). Harmless on a
 * client without a pacer. Returns the command.
 */
export function pace<C extends { middlewareStack: { add: (...args: never[]) => void } }>(command: C, options: PaceOptions): C {
    const stack = command.middlewareStack as unknown as { add(mw: unknown, opts: { step: string; name: string; override: boolean }): void };
    stack.add(
        (next: (args: unknown) => Promise<unknown>, context: Record<string, unknown>) => (args: unknown) => {
            context[CONTEXT_KEY] = options;
            return next(args);
        },
        { step: "initialize", name: "cloudControlPaceOptions", override: true },
    );
    return command;
}

/**
 * The options {@link pace} attached to a command, read the way the pacing middleware reads them: for fakes of
 * `client.send()` in tests, which have no middleware of their own.
 */
export function paceOptionsOf(command: { middlewareStack: unknown }): PaceOptions | undefined {
    const context: Record<string, unknown> = {};
    const stack = command.middlewareStack as {
        resolve(handler: () => Promise<unknown>, context: Record<string, unknown>): (args: unknown) => Promise<unknown>;
    };
    // The options middleware sets the context synchronously, before anything is awaited.
    stack
        .resolve(
            () => Promise.resolve({ output: {} }),
            context,
        )({ input: {} })
        .catch(() => undefined);
    return context[CONTEXT_KEY] as PaceOptions | undefined;
}

/**
 * Puts every attempt of every call of `client` through `pacer`: the middleware sits after the SDK's retry middleware
 * (so each retry waits its turn too) and before signing (so a request is signed when it leaves), and tells the
 * pacer about throttles.
 */
export function attachPacer(client: CloudControlClient, pacer: Pacer): void {
    attached.set(client, pacer);
    const middleware = (next: (args: unknown) => Promise<unknown>, context: Record<string, unknown>) => async (args: unknown) => {
        await pacer.acquire((context[CONTEXT_KEY] as PaceOptions | undefined) ?? {});
        try {
            return await next(args);
        } catch (err) {
            if (isThrottlingError(err)) pacer.throttled();
            throw err;
        }
    };
    (client.middlewareStack as unknown as { addRelativeTo(mw: unknown, opts: Record<string, unknown>): void }).addRelativeTo(middleware, {
        name: "cloudControlPacer",
        relation: "before",
        toMiddleware: "httpSigningMiddleware",
        override: true,
    });
}

const attached = new WeakMap<CloudControlClient, Pacer>();

/** The pacer a client's calls go through (undefined for a client not made by getCloudControlClient). */
export function pacerOf(client: CloudControlClient): Pacer | undefined {
    return attached.get(client);
}

const pacers = new Map<string, Pacer>();

/**
 * The process-wide pacer for `key` (an account and region), created on first use. A `maxRequestsPerSecond` (the
 * user's setting) is applied to it each time; undefined is no opinion: a new pacer learns its rate, an existing one
 * keeps what it has (a caller that sets nothing does not undo another's setting).
 */
export function pacerFor(key: string, maxRequestsPerSecond: number | undefined): Pacer {
    let pacer = pacers.get(key);
    if (!pacer) {
        pacer = new Pacer({ maxRequestsPerSecond });
        pacers.set(key, pacer);
    } else if (maxRequestsPerSecond !== undefined) {
        pacer.setMaxRequestsPerSecond(maxRequestsPerSecond);
    }
    return pacer;
}

/** Forgets every pacer (tests; a long-lived process that changes accounts). Calls already queued still complete. */
export function clearPacers(): void {
    pacers.clear();
}

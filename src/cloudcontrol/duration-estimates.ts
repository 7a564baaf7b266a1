/**
 * How long operations of each type have taken, as one client saw them, so the poller does not ask about a request
 * before it could be done. Measured from the requests' own EventTime stamps (when the request began, from the start
 * call's event, to when it succeeded, from the SUCCESS event; Cloud Control moves EventTime from event to event),
 * else on our clock. The shortest recent duration is the floor: a request of the type is not asked about earlier
 * (its answer would be "still running"), which under an account's rate limit saves the calls every other resource
 * is waiting for, and costs nothing in detection unless a request finishes faster than any recent one.
 */
import type { ProgressEvent } from "./types";

/** Samples kept per type and operation. */
const SAMPLES = 16;

/** Recent durations of operations, by type and operation. */
export class DurationEstimates {
    private readonly samples = new Map<string, number[]>();
    /** Requests still running, by type and operation: how long each is known to take at least (RetryAfter). */
    private readonly running = new Map<string, Map<string, number>>();

    /** Records that a request of `operation` of `typeName` took `ms` (it is no longer running). */
    record(typeName: string, operation: string, ms: number, requestToken?: string): void {
        const key = `${operation} ${typeName}`;
        if (requestToken) this.running.get(key)?.delete(requestToken);
        if (!(ms >= 0) || !Number.isFinite(ms)) return;
        const list = this.samples.get(key) ?? [];
        list.push(ms);
        if (list.length > SAMPLES) list.shift();
        this.samples.set(key, list);
    }

    /** Records that a running request will not be done before `ms` after its start (its RetryAfter says so). */
    notBefore(typeName: string, operation: string, requestToken: string, ms: number): void {
        if (!(ms > 0) || !Number.isFinite(ms)) return;
        const key = `${operation} ${typeName}`;
        const requests = this.running.get(key) ?? new Map<string, number>();
        requests.set(requestToken, Math.max(ms, requests.get(requestToken) ?? 0));
        this.running.set(key, requests);
    }

    /** Forgets a running request that ended otherwise (failed, cancelled, given up). */
    forget(typeName: string, operation: string, requestToken: string): void {
        this.running.get(`${operation} ${typeName}`)?.delete(requestToken);
    }

    /**
     * The soonest a request of `operation` of `typeName` is likely to be done, ms after its start: the shortest
     * recent duration; before any succeeded, the least that the requests still running are known to take;
     * undefined when nothing is known.
     */
    shortest(typeName: string, operation: string): number | undefined {
        const key = `${operation} ${typeName}`;
        const list = this.samples.get(key);
        if (list?.length) return Math.min(...list);
        const bounds = [...(this.running.get(key)?.values() ?? [])];
        return bounds.length ? Math.min(...bounds) : undefined;
    }
}

/**
 * A request's duration, ms: from the start event's EventTime to the SUCCESS event's when both are stamped and
 * differ, else `observedMs` (our clock, from the start call's answer to the SUCCESS answer).
 */
export function requestDuration(start: ProgressEvent, success: ProgressEvent, observedMs: number): number {
    const from = start.EventTime instanceof Date ? start.EventTime.getTime() : NaN;
    const to = success.EventTime instanceof Date ? success.EventTime.getTime() : NaN;
    return to > from ? to - from : observedMs;
}

const perClient = new WeakMap<object, DurationEstimates>();

/** The estimates of one client (one per client, so that tests and accounts do not mix). */
export function durationsFor(client: object): DurationEstimates {
    let estimates = perClient.get(client);
    if (!estimates) {
        estimates = new DurationEstimates();
        perClient.set(client, estimates);
    }
    return estimates;
}

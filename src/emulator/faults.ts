/**
 * Deterministic fault injection (seeded) and the account-wide request-rate limit.
 */
import type { FaultRule } from "./types";

/** mulberry32: a tiny seeded generator, so a fault schedule repeats exactly for the same seed. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

interface ActiveRule {
    rule: FaultRule;
    fired: number;
}

/** Matches fault rules against incoming requests, in order. */
export class FaultInjector {
    private rules: ActiveRule[] = [];
    private random: () => number;

    constructor(seed: number, rules: FaultRule[] = []) {
        this.random = seededRandom(seed);
        this.add(...rules);
    }

    /** Appends rules. */
    add(...rules: FaultRule[]): void {
        for (const rule of rules) this.rules.push({ rule, fired: 0 });
    }

    clear(): void {
        this.rules = [];
    }

    /**
     * The first rule that fires for this request, among rules of the given kinds ("failed" rules are drawn
     * separately, when a mutating request is accepted).
     */
    draw(operation: string, typeName: string | undefined, failedOnly: boolean): FaultRule | undefined {
        for (const active of this.rules) {
            const { rule } = active;
            if ((rule.kind === "failed") !== failedOnly) continue;
            if (rule.count !== undefined && active.fired >= rule.count) continue;
            const ops = rule.operation === undefined ? undefined : Array.isArray(rule.operation) ? rule.operation : [rule.operation];
            if (ops && !ops.includes(operation)) continue;
            if (rule.typeName !== undefined && rule.typeName !== typeName) continue;
            if (rule.probability !== undefined && rule.probability < 1 && this.random() >= rule.probability) continue;
            active.fired++;
            return rule;
        }
        return undefined;
    }
}

/** Account-wide token bucket: `requestsPerSecond` refill, `burst` capacity (default: one second's worth). */
export class TokenBucket {
    private tokens: number;
    private last: number;

    constructor(
        readonly requestsPerSecond: number,
        readonly burst: number = Math.max(1, requestsPerSecond),
        now: number = Date.now(),
    ) {
        if (!(requestsPerSecond > 0)) throw new Error(`rateLimit.requestsPerSecond must be a positive number`);
        this.tokens = this.burst;
        this.last = now;
    }

    /** Takes one token; false when the bucket is empty (the request is throttled). */
    take(now: number = Date.now()): boolean {
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.requestsPerSecond);
        this.last = now;
        if (this.tokens < 1) return false;
        this.tokens -= 1;
        return true;
    }
}

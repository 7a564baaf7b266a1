/**
 * Unit tests of the account pacer (src/cloudcontrol/pacer.ts) on a virtual clock: first come first served at the
 * rate, calls dropped at their deadline or abort while queued, deferred calls, the "queued" notice, and a rate
 * learned from throttling against a simulated account token bucket.
 */
import * as assert from "assert";
import { VirtualClock } from "../../src/cloudcontrol/clock";
import { BURST_SECONDS, BUSY_MEMORY_MS, LEARNED_START_RPS, Pacer, QUEUED_NOTICE_MS, type QueueNotice } from "../../src/cloudcontrol/pacer";
import { abortAt, DeadlineReached } from "../../src/cloudcontrol/retry";

const T0 = Date.UTC(2026, 0, 1);

/** Acquires once per label, all at the current time; resolves with [label, grant time] in grant order. */
async function grants(
    clock: VirtualClock,
    pacer: Pacer,
    labels: string[],
    options: (label: string) => Parameters<Pacer["acquire"]>[0] = () => ({}),
): Promise<[string, number][]> {
    const order: [string, number][] = [];
    await clock.run(() => Promise.all(labels.map((l) => pacer.acquire(options(l)).then(() => void order.push([l, clock.now() - T0])))));
    return order;
}

/** The account side of a simulation: Cloud Control's token bucket (refill `rps`, capacity `burst`, starts full). */
class AccountBucket {
    private tokens: number;
    private last: number;
    accepted: number[] = [];
    throttled = 0;
    constructor(
        readonly clock: VirtualClock,
        readonly rps: number,
        readonly burst = rps,
    ) {
        this.tokens = burst;
        this.last = clock.now();
    }
    take(): boolean {
        const now = this.clock.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rps);
        this.last = now;
        if (this.tokens < 1) {
            this.throttled++;
            return false;
        }
        this.tokens -= 1;
        this.accepted.push(now);
        return true;
    }
}

/**
 * `workers` callers that each send request after request (20 ms round trip) for `ms`, through the pacer, to the
 * account; a throttled request is told to the pacer and retried, as the SDK would.
 */
async function saturate(clock: VirtualClock, pacer: Pacer, account: AccountBucket, ms: number, workers = 40): Promise<void> {
    const end = clock.now() + ms;
    const worker = async () => {
        while (clock.now() < end) {
            await pacer.acquire();
            await clock.sleep(10);
            const ok = account.take();
            await clock.sleep(10);
            if (!ok) pacer.throttled();
        }
    };
    await clock.run(() => Promise.all(Array.from({ length: workers }, worker)));
}

function rateBetween(times: number[], from: number, to: number): number {
    return times.filter((t) => t >= from && t < to).length / ((to - from) / 1000);
}

describe("Pacer (unit, virtual clock)", () => {
    it("grants calls first come first served at the set rate, after a burst of BURST_SECONDS' worth", async () => {
        const clock = new VirtualClock(T0);
        const pacer = new Pacer({ maxRequestsPerSecond: 4 }, clock);
        assert.strictEqual(4 * BURST_SECONDS, 3, "the times below assume a burst of 3 at 4/s");
        const labels = Array.from({ length: 10 }, (_, i) => `c${i}`);
        const order = await grants(clock, pacer, labels);
        assert.deepStrictEqual(
            order.map(([l]) => l),
            labels,
            "arrival order",
        );
        assert.deepStrictEqual(
            order.map(([, t]) => t),
            [0, 0, 0, 250, 500, 750, 1000, 1250, 1500, 1750],
        );
        assert.deepStrictEqual(pacer.snapshot(), { requestsPerSecond: 4, maxRequestsPerSecond: 4, queued: 0, granted: 10, throttled: 0 });
    });

    it("lets a call that arrives later wait behind those already queued", async () => {
        const clock = new VirtualClock(T0);
        const pacer = new Pacer({ maxRequestsPerSecond: 4 }, clock);
        const order: string[] = [];
        await clock.run(async () => {
            const first = ["a", "b", "c", "d", "e"].map((l) => pacer.acquire().then(() => order.push(l)));
            await clock.sleep(100);
            const late = pacer.acquire().then(() => order.push("late"));
            await Promise.all([...first, late]);
        });
        // a, b, c are the burst; d (250) and e (500) were queued before "late" (100) arrived.
        assert.deepStrictEqual(order, ["a", "b", "c", "d", "e", "late"]);
        assert.strictEqual(clock.now() - T0, 750);
    });

    it("drops a call whose deadline passes while it is queued, and gives its turn to the next", async () => {
        const clock = new VirtualClock(T0);
        const pacer = new Pacer({ maxRequestsPerSecond: 1 }, clock);
        const outcomes: string[] = [];
        await clock.run(async () => {
            await pacer.acquire(); // the burst (1 token)
            const deadline = abortAt(clock, clock.now() + 500);
            const doomed = pacer.acquire({ signal: deadline.signal }).then(
                () => outcomes.push(`doomed granted at ${clock.now() - T0}`),
                (err: unknown) =>
                    outcomes.push(`doomed ${err instanceof DeadlineReached ? "DeadlineReached" : String(err)} at ${clock.now() - T0}`),
            );
            const next = pacer.acquire().then(() => outcomes.push(`next granted at ${clock.now() - T0}`));
            await Promise.all([doomed, next]);
            deadline.dispose();
        });
        assert.deepStrictEqual(outcomes, ["doomed DeadlineReached at 500", "next granted at 1000"]);
        assert.strictEqual(pacer.snapshot().granted, 2);
    });

    it("rejects at once a call whose signal already aborted", async () => {
        const pacer = new Pacer({ maxRequestsPerSecond: 5 }, new VirtualClock(T0));
        await assert.rejects(pacer.acquire({ signal: AbortSignal.abort(new Error("too late")) }), /too late/);
        assert.strictEqual(pacer.snapshot().granted, 0);
    });

    it("lets a deferred call yield to every other waiting call until its deferUntil, then take its place", async () => {
        const clock = new VirtualClock(T0);
        const pacer = new Pacer({ maxRequestsPerSecond: 4 }, clock);
        await grants(clock, pacer, ["b1", "b2", "b3"]); // empty the burst
        const order = await grants(clock, pacer, ["hint", "x1", "x2", "x3", "x4", "x5"], (l) =>
            l === "hint" ? { deferUntil: clock.now() + 600 } : {},
        );
        // x1, x2 go first (250, 500); at 750 the hint's time (600) has come, but x3..x5 arrived before it.
        assert.deepStrictEqual(order, [
            ["x1", 250],
            ["x2", 500],
            ["x3", 750],
            ["x4", 1000],
            ["x5", 1250],
            ["hint", 1500],
        ]);

        // Once its time has come it counts as arriving then: before a call that arrived later still.
        const clock2 = new VirtualClock(T0);
        const pacer2 = new Pacer({ maxRequestsPerSecond: 4 }, clock2);
        await grants(clock2, pacer2, ["b1", "b2", "b3"]);
        const order2: [string, number][] = [];
        const note = (l: string) => () => void order2.push([l, clock2.now() - T0]);
        await clock2.run(async () => {
            const early = [
                pacer2.acquire().then(note("x1")),
                pacer2.acquire().then(note("x2")),
                pacer2.acquire({ deferUntil: clock2.now() + 375 }).then(note("hint")),
            ];
            await clock2.sleep(400);
            await Promise.all([...early, pacer2.acquire().then(note("y1"))]);
        });
        assert.deepStrictEqual(order2, [
            ["x1", 250],
            ["x2", 500],
            ["hint", 750],
            ["y1", 1000],
        ]);
    });

    it("sends a deferred call at once when nothing else waits", async () => {
        const clock = new VirtualClock(T0);
        const pacer = new Pacer({ maxRequestsPerSecond: 10 }, clock);
        const order = await grants(clock, pacer, ["hint"], () => ({ deferUntil: clock.now() + 10_000 }));
        assert.deepStrictEqual(order, [["hint", 0]]);
    });

    it("holds deferred calls back while the pacer is busy (a call waited, or the bucket was below half, within BUSY_MEMORY_MS), then lets them go", async () => {
        const clock = new VirtualClock(T0);
        const pacer = new Pacer({ maxRequestsPerSecond: 4 }, clock);
        // One call leaves 2 of 3 tokens: not busy, a deferred call goes at once.
        await grants(clock, pacer, ["a1"]);
        assert.deepStrictEqual(await grants(clock, pacer, ["d0"], () => ({ deferUntil: clock.now() + 60_000 })), [["d0", 0]]);
        // That drew the bucket below half (1 of 3): busy. d1 and d2 are held; x1 takes the last token, x2 waits for
        // the next (250) and leaves the bucket empty, so the pacer is busy until 250 + BUSY_MEMORY_MS; then the held
        // calls go from the refilled bucket.
        const order = await grants(clock, pacer, ["d1", "d2", "x1", "x2"], (l) =>
            l.startsWith("d") ? { deferUntil: clock.now() + 60_000 } : {},
        );
        assert.deepStrictEqual(order, [
            ["x1", 0],
            ["x2", 250],
            ["d1", 250 + BUSY_MEMORY_MS],
            ["d2", 250 + BUSY_MEMORY_MS],
        ]);
    });

    it("tells a call once that it has waited long, with how many go before it", async () => {
        const clock = new VirtualClock(T0);
        const pacer = new Pacer({ maxRequestsPerSecond: 2 }, clock);
        const notices: [string, QueueNotice][] = [];
        const labels = Array.from({ length: 10 }, (_, i) => `c${i}`);
        await grants(clock, pacer, labels, (l) => ({ onQueued: (n) => notices.push([l, n]) }));
        // At 2/s the burst is 1.5: c0 at once, then c1 at 0.25 s and one every 0.5 s, c6 at 2.75 s; c7 and later
        // were still waiting after QUEUED_NOTICE_MS.
        assert.deepStrictEqual(
            notices.map(([l]) => l),
            ["c7", "c8", "c9"],
        );
        assert.deepStrictEqual(notices[0][1], { waitedMs: QUEUED_NOTICE_MS, ahead: 0, requestsPerSecond: 2 });
        assert.strictEqual(notices[2][1].ahead, 2);
    });

    describe("learning the rate (no rate set)", () => {
        it("starts at a safe rate, backs off on throttles and settles near the account's limit, with few throttles", async () => {
            const clock = new VirtualClock(T0);
            const pacer = new Pacer({}, clock);
            assert.strictEqual(pacer.snapshot().requestsPerSecond, LEARNED_START_RPS);
            const account = new AccountBucket(clock, 15);
            await saturate(clock, pacer, account, 60_000);
            const attempts = account.accepted.length + account.throttled;
            assert.ok(account.throttled / attempts < 0.03, `throttled ${account.throttled} of ${attempts}`);
            const late = rateBetween(account.accepted, T0 + 20_000, T0 + 60_000);
            assert.ok(late >= 12 && late <= 15.5, `settled at ${late.toFixed(1)} requests/s`);
            assert.strictEqual(pacer.snapshot().throttled, account.throttled);
        });

        it("probes upward while calls wait and nothing is throttled", async () => {
            const clock = new VirtualClock(T0);
            const pacer = new Pacer({}, clock);
            const account = new AccountBucket(clock, 10_000);
            await saturate(clock, pacer, account, 15_000, 400);
            assert.strictEqual(account.throttled, 0);
            assert.ok(
                pacer.snapshot().requestsPerSecond > 5 * LEARNED_START_RPS,
                `only ${pacer.snapshot().requestsPerSecond}/s after 15 s`,
            );
        });
    });

    describe("a rate set by the user", () => {
        it("is a ceiling: under a higher limit it stays there, with no throttle", async () => {
            const clock = new VirtualClock(T0);
            const pacer = new Pacer({ maxRequestsPerSecond: 20 }, clock);
            const account = new AccountBucket(clock, 20);
            await saturate(clock, pacer, account, 30_000);
            assert.strictEqual(account.throttled, 0);
            assert.strictEqual(pacer.snapshot().requestsPerSecond, 20);
            const rate = rateBetween(account.accepted, T0 + 5_000, T0 + 30_000);
            assert.ok(rate > 19.5 && rate <= 20, `${rate}`);
        });

        it("backs off when the account throttles anyway (another client shares it) and recovers up to it", async () => {
            const clock = new VirtualClock(T0);
            const pacer = new Pacer({ maxRequestsPerSecond: 20 }, clock);
            const shared = new AccountBucket(clock, 12);
            await saturate(clock, pacer, shared, 30_000);
            const attempts = shared.accepted.length + shared.throttled;
            assert.ok(shared.throttled / attempts < 0.05, `throttled ${shared.throttled} of ${attempts}`);
            assert.ok(pacer.snapshot().requestsPerSecond < 20);
            // The other client leaves: the pacer climbs back to the user's rate and no further.
            const alone = new AccountBucket(clock, 1000);
            await saturate(clock, pacer, alone, 20_000);
            assert.strictEqual(pacer.snapshot().requestsPerSecond, 20);
        });

        it("changes when the setting changes, and clearing it learns from where it is", () => {
            const clock = new VirtualClock(T0);
            const pacer = new Pacer({ maxRequestsPerSecond: 20 }, clock);
            pacer.setMaxRequestsPerSecond(5);
            assert.deepStrictEqual([pacer.snapshot().requestsPerSecond, pacer.snapshot().maxRequestsPerSecond], [5, 5]);
            pacer.setMaxRequestsPerSecond(undefined);
            assert.deepStrictEqual([pacer.snapshot().requestsPerSecond, pacer.snapshot().maxRequestsPerSecond], [5, undefined]);
        });
    });
});

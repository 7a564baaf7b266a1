/**
 * Unit tests of the polling schedule's pure functions and of VirtualClock (the fake clock the poller's other unit
 * tests use).
 */
import * as assert from "assert";
import { DEFAULT_POLL_SCHEDULE, nextPollDelay, scheduledDelay } from "../../src/cloudcontrol/schedule";
import { systemClock, VirtualClock } from "../../src/cloudcontrol/clock";

describe("poll schedule (unit)", () => {
    it("starts near 200 ms and grows with the time already waited", () => {
        assert.strictEqual(scheduledDelay(0, 0.5), 200);
        assert.strictEqual(scheduledDelay(400, 0.5), 200);
        assert.strictEqual(scheduledDelay(2000, 0.5), 400);
        assert.strictEqual(scheduledDelay(8000, 0.5), 1600);
    });

    it("is capped at 3 s however long the operation runs", () => {
        assert.strictEqual(scheduledDelay(60_000, 0.5), 3000);
        assert.strictEqual(scheduledDelay(3_600_000, 0.5), 3000);
    });

    it("spreads each delay by ±20 % jitter", () => {
        assert.strictEqual(scheduledDelay(60_000, 0), 2400);
        assert.strictEqual(scheduledDelay(60_000, 0.999999), 3600);
        assert.strictEqual(scheduledDelay(0, 0), 160);
    });

    it("gives a geometric series of poll times: few calls for fast operations, bounded overshoot for slow ones", () => {
        let t = 0;
        const times: number[] = [];
        while (t < 300_000) {
            t += scheduledDelay(t, 0.5);
            times.push(t);
        }
        // Fast operations are seen within a few hundred ms, with only a handful of calls.
        assert.ok(times.filter((x) => x <= 1000).length <= 5);
        // Between consecutive polls the gap never exceeds the cap: overshoot on a long operation is at most 3 s.
        for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] <= DEFAULT_POLL_SCHEDULE.maxDelayMs);
        // A 5-minute operation costs about one call per 3 s, not one per 200 ms.
        assert.ok(times.length < 120, `${times.length} calls in 300 s`);
    });

    it("honours a RetryAfter hint in the future: never before it, a small margin after it", () => {
        assert.deepStrictEqual(nextPollDelay(5000, 1234, 0.5), { delayMs: 1244, fromHint: true });
        // even when the hint is far beyond what the schedule would pick
        assert.deepStrictEqual(nextPollDelay(0, 60_000, 0.5), { delayMs: 60_010, fromHint: true });
        // and when it is sooner than the schedule
        assert.deepStrictEqual(nextPollDelay(60_000, 5, 0.5), { delayMs: 15, fromHint: true });
    });

    it("falls back to the schedule when the hint is absent or already past", () => {
        assert.deepStrictEqual(nextPollDelay(2000, undefined, 0.5), { delayMs: 400, fromHint: false });
        assert.deepStrictEqual(nextPollDelay(2000, -300, 0.5), { delayMs: 400, fromHint: false });
        assert.deepStrictEqual(nextPollDelay(2000, NaN, 0.5), { delayMs: 400, fromHint: false });
    });
});

describe("systemClock (unit)", () => {
    it("sleeps longer than setTimeout's 24.8-day limit without firing at once", async () => {
        const ctl = new AbortController();
        const outcome = systemClock.sleep(2 ** 31 + 1000, ctl.signal).then(
            () => "fired",
            (e: Error) => e.name,
        );
        await systemClock.sleep(30);
        ctl.abort();
        assert.strictEqual(await outcome, "AbortError");
    });
});

describe("VirtualClock (unit)", () => {
    it("runs timers in time order without real sleeping", async () => {
        const clock = new VirtualClock(1000);
        const seen: string[] = [];
        await clock.run(async () => {
            await Promise.all([
                clock.sleep(3_600_000).then(() => seen.push(`hour@${clock.now()}`)),
                clock.sleep(5).then(() => seen.push(`5ms@${clock.now()}`)),
            ]);
        });
        assert.deepStrictEqual(seen, ["5ms@1005", `hour@${1000 + 3_600_000}`]);
    });

    it("rejects a sleep when its signal aborts, and drops the timer", async () => {
        const clock = new VirtualClock(0);
        const ctl = new AbortController();
        const result = await clock.run(async () => {
            const long = clock.sleep(10_000, ctl.signal).then(
                () => "slept",
                (e: Error) => e.name,
            );
            await clock.sleep(100);
            ctl.abort();
            return long;
        });
        assert.strictEqual(result, "AbortError");
        assert.strictEqual(clock.now(), 100);
        assert.strictEqual(clock.pendingTimers, 0);
    });

    it("reports a task that waits on nothing it controls instead of hanging", async () => {
        const clock = new VirtualClock(0);
        await assert.rejects(
            clock.run(() => new Promise<void>(() => undefined)),
            /waits on something other than this clock/,
        );
    });
});

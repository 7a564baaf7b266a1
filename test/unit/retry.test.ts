/**
 * Unit tests of the one retry policy (src/cloudcontrol/retry.ts) on a virtual clock: backoff and jitter, which
 * errors are retried, attempts, the deadline, aborts, and the server's clock.
 */
import * as assert from "assert";
import { VirtualClock } from "../../src/cloudcontrol/clock";
import { abortAt, backoffDelay, DeadlineReached, retry, serverNow, type GiveUpReason } from "../../src/cloudcontrol/retry";
import { isTransientError } from "../../src/cloudcontrol/sdk-errors";

const T0 = Date.UTC(2026, 0, 1);

function sdkError(name: string, status: number): Error {
    return Object.assign(new Error(`${name} from the fake`), { name, $metadata: { httpStatusCode: status } });
}

/** An attempt function that fails with `errors` in order, then resolves "ok"; records when each attempt ran. */
function flaky(clock: VirtualClock, errors: Error[]): { attempt: (n: number) => Promise<string>; times: number[] } {
    const times: number[] = [];
    return {
        times,
        attempt: async () => {
            times.push(clock.now() - T0);
            const err = errors.shift();
            if (err) throw err;
            return "ok";
        },
    };
}

describe("retry (unit, virtual clock)", () => {
    it("backs off exponentially with equal jitter, capped", () => {
        assert.strictEqual(backoffDelay(1, 0), 250);
        assert.strictEqual(backoffDelay(1, 0.999999), 500);
        assert.strictEqual(backoffDelay(3, 0), 1000);
        assert.strictEqual(backoffDelay(30, 0.999999), 20_000);
        assert.strictEqual(backoffDelay(1, 0, 1000, 30_000), 500);
        assert.strictEqual(backoffDelay(10, 0.999999, 1000, 30_000), 30_000);
    });

    it("tries again while the error is transient (the SDK's classification), waiting the backoff each time", async () => {
        const clock = new VirtualClock(T0);
        const { attempt, times } = flaky(clock, [
            sdkError("ThrottlingException", 400),
            sdkError("ServiceUnavailable", 503),
            Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
        ]);
        assert.strictEqual(await clock.run(() => retry(attempt, { clock, random: () => 0.5 })), "ok");
        assert.deepStrictEqual(times, [0, 375, 375 + 750, 375 + 750 + 1500]);
    });

    it("stops at once on a final error, at maxAttempts, or when the next try would start at or after the deadline", async () => {
        const reasons: GiveUpReason[] = [];
        const giveUp = (err: unknown, reason: GiveUpReason) => {
            reasons.push(reason);
            return err;
        };
        const clock = new VirtualClock(T0);
        const final = flaky(clock, [sdkError("AccessDeniedException", 400)]);
        await assert.rejects(
            clock.run(() => retry(final.attempt, { clock, giveUp })),
            /AccessDenied/,
        );
        const capped = flaky(
            clock,
            Array.from({ length: 9 }, () => sdkError("ThrottlingException", 400)),
        );
        await assert.rejects(
            clock.run(() => retry(capped.attempt, { clock, maxAttempts: 3, giveUp })),
            /Throttling/,
        );
        assert.strictEqual(capped.times.length, 3);
        const start = clock.now();
        const late = flaky(
            clock,
            Array.from({ length: 9 }, () => sdkError("ThrottlingException", 400)),
        );
        await assert.rejects(
            clock.run(() => retry(late.attempt, { clock, random: () => 0.999, deadline: start + 1200, giveUp })),
            /Throttling/,
        );
        // 0 and ~500 ms fit; the next wait (~1 s more) would end after the deadline, so it gives up without sleeping.
        assert.strictEqual(late.times.length, 2);
        assert.strictEqual(clock.now() - start, 500);
        assert.deepStrictEqual(reasons, ["final", "attempts", "deadline"]);
    });

    it("gives up when the signal aborts during the wait, and maps the error with giveUp", async () => {
        const clock = new VirtualClock(T0);
        const ctl = new AbortController();
        const { attempt, times } = flaky(
            clock,
            Array.from({ length: 9 }, () => sdkError("ThrottlingException", 400)),
        );
        const pending = retry(attempt, {
            clock,
            signal: ctl.signal,
            giveUp: (_err, reason, attempts) => new Error(`${reason} after ${attempts}`),
        });
        const outcome = pending.then(
            () => "resolved",
            (e: Error) => e.message,
        );
        await new Promise((r) => setImmediate(r));
        ctl.abort();
        assert.strictEqual(await outcome, "aborted after 1");
        assert.strictEqual(times.length, 1);
    });

    it("uses a caller's retryable test and delay, and tells onRetry about each wait", async () => {
        const clock = new VirtualClock(T0);
        const seen: string[] = [];
        const { attempt, times } = flaky(clock, [new Error("not yet"), new Error("not yet")]);
        const result = await clock.run(() =>
            retry(attempt, {
                clock,
                retryable: (e) => (e as Error).message === "not yet",
                delay: (n) => n * 100,
                onRetry: (_e, n, ms) => seen.push(`${n}:${ms}`),
            }),
        );
        assert.strictEqual(result, "ok");
        assert.deepStrictEqual(times, [0, 100, 300]);
        assert.deepStrictEqual(seen, ["1:100", "2:200"]);
    });

    it("does not retry an abort, even one that looks transient", () => {
        assert.strictEqual(
            isTransientError(Object.assign(new Error("aborted"), { name: "AbortError", $metadata: { httpStatusCode: 503 } })),
            false,
        );
        assert.strictEqual(isTransientError(new DeadlineReached()), false);
    });
});

describe("serverNow and abortAt (unit)", () => {
    it("applies the SDK's clock offset only when it is a real skew, not the Date header's rounding", () => {
        const clock = new VirtualClock(T0);
        assert.strictEqual(serverNow({ config: { systemClockOffset: -900 } }, clock), T0);
        assert.strictEqual(serverNow({ config: { systemClockOffset: 4999 } }, clock), T0);
        assert.strictEqual(serverNow({ config: { systemClockOffset: 60_000 } }, clock), T0 + 60_000);
        assert.strictEqual(serverNow({ config: { systemClockOffset: -7_000 } }, clock), T0 - 7_000);
        assert.strictEqual(serverNow({ config: {} }, clock), T0);
    });

    it("aborts at its time with DeadlineReached, or with the parent's reason first", async () => {
        const clock = new VirtualClock(T0);
        const tick = () => new Promise((r) => setImmediate(r));
        const timed = abortAt(clock, T0 + 1000);
        clock.advance(999);
        await tick();
        assert.strictEqual(timed.signal.aborted, false);
        clock.advance(1);
        await tick();
        assert.ok(timed.signal.reason instanceof DeadlineReached);
        timed.dispose();

        const parent = new AbortController();
        const child = abortAt(clock, clock.now() + 1000, parent.signal);
        parent.abort(new Error("caller gave up"));
        assert.strictEqual((child.signal.reason as Error).message, "caller gave up");
        child.dispose();
        assert.strictEqual(clock.pendingTimers, 0, "dispose drops the timer");
    });
});

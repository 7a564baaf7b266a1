/** Unit tests of the per-type duration estimates the poller uses not to ask before a request could be done. */
import * as assert from "assert";
import { DurationEstimates, durationsFor, requestDuration } from "../../src/cloudcontrol/duration-estimates";

describe("DurationEstimates (unit)", () => {
    it("keeps the shortest of the recent durations per type and operation", () => {
        const d = new DurationEstimates();
        assert.strictEqual(d.shortest("AWS::SSM::Parameter", "CREATE"), undefined);
        for (const ms of [3000, 2500, 4000]) d.record("AWS::SSM::Parameter", "CREATE", ms);
        d.record("AWS::SSM::Parameter", "DELETE", 100);
        assert.strictEqual(d.shortest("AWS::SSM::Parameter", "CREATE"), 2500);
        assert.strictEqual(d.shortest("AWS::SSM::Parameter", "DELETE"), 100);
        assert.strictEqual(d.shortest("AWS::Logs::LogGroup", "CREATE"), undefined);
        // Only the last 16 count: an old fast one ages out.
        for (let i = 0; i < 16; i++) d.record("AWS::SSM::Parameter", "CREATE", 5000);
        assert.strictEqual(d.shortest("AWS::SSM::Parameter", "CREATE"), 5000);
    });

    it("before any succeeded, uses the least that running requests are known to take, until they end", () => {
        const d = new DurationEstimates();
        d.notBefore("AWS::SQS::Queue", "CREATE", "a", 800);
        d.notBefore("AWS::SQS::Queue", "CREATE", "a", 1500); // a later RetryAfter of the same request
        d.notBefore("AWS::SQS::Queue", "CREATE", "b", 1200);
        assert.strictEqual(d.shortest("AWS::SQS::Queue", "CREATE"), 1200);
        d.forget("AWS::SQS::Queue", "CREATE", "b");
        assert.strictEqual(d.shortest("AWS::SQS::Queue", "CREATE"), 1500);
        d.record("AWS::SQS::Queue", "CREATE", 1700, "a");
        assert.strictEqual(d.shortest("AWS::SQS::Queue", "CREATE"), 1700, "a measured duration wins");
    });

    it("measures a request by its events' EventTime when they differ, else on our clock", () => {
        const start = { EventTime: new Date(1_000_000) };
        assert.strictEqual(requestDuration(start, { EventTime: new Date(1_002_500) }, 2_700), 2500);
        assert.strictEqual(requestDuration(start, { EventTime: new Date(1_000_000) }, 2_700), 2700, "EventTime that never moves");
        assert.strictEqual(requestDuration({}, {}, 2_700), 2700);
    });

    it("keeps one set of estimates per client", () => {
        const a = {};
        assert.strictEqual(durationsFor(a), durationsFor(a));
        assert.notStrictEqual(durationsFor(a), durationsFor({}));
    });
});

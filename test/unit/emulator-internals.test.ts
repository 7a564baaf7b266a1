import * as assert from "assert";
import { FaultInjector, seededRandom, TokenBucket } from "../../src/emulator/faults";
import { deletePath, pointerWithin, propertyPath, splitPointer, valuesAt } from "../../src/emulator/pointer";
import { schemaFileName, SchemaRegistry } from "../../src/emulator/schemas";
import { builtinSchemas } from "../../src/emulator/builtin-schemas";

describe("emulator internals", () => {
    it("maps type names to registry schema file names", () => {
        assert.strictEqual(schemaFileName("AWS::Logs::LogGroup"), "aws-logs-loggroup.json");
        assert.strictEqual(schemaFileName("AWS::EC2::VPC"), "aws-ec2-vpc.json");
    });

    it("refuses type names that could escape the schema directory", () => {
        const registry = new SchemaRegistry(undefined, null);
        assert.strictEqual(registry.get("../../etc/passwd"), undefined);
        assert.strictEqual(registry.get("AWS::Logs::../x"), undefined);
        assert.ok(registry.get("AWS::Logs::LogGroup"));
    });

    it("exposes the real metadata of the built-in types", () => {
        const registry = new SchemaRegistry(undefined, null);
        const table = registry.get("AWS::DynamoDB::Table")!;
        assert.deepStrictEqual(table.conditionalCreateOnly, [["KeySchema"]]);
        assert.deepStrictEqual(table.writeOnly, [["ImportSourceSpecification"]]);
        const bucket = registry.get("AWS::S3::Bucket")!;
        assert.ok(bucket.writeOnly.some((p) => p.join("/") === "LifecycleConfiguration/Rules/*/NoncurrentVersionExpirationInDays"));
        assert.deepStrictEqual(Object.keys(builtinSchemas).sort(), [
            "AWS::DynamoDB::Table",
            "AWS::IAM::Role",
            "AWS::Logs::LogGroup",
            "AWS::S3::Bucket",
            "AWS::SQS::Queue",
            "AWS::SSM::Parameter",
        ]);
    });

    it("walks schema pointers with * wildcards over models", () => {
        const model = { Rules: [{ A: 1, B: 2 }, { A: 3 }], C: { D: 4 } };
        assert.deepStrictEqual(propertyPath("/properties/Rules/*/A"), ["Rules", "*", "A"]);
        assert.deepStrictEqual(valuesAt(model, ["Rules", "*", "A"]), [
            { pointer: "/Rules/0/A", value: 1 },
            { pointer: "/Rules/1/A", value: 3 },
        ]);
        deletePath(model, ["Rules", "*", "A"]);
        assert.deepStrictEqual(model.Rules, [{ B: 2 }, {}]);
        assert.ok(pointerWithin("/Rules/1/A", ["Rules", "*", "A"]));
        assert.ok(!pointerWithin("/Rules", ["Rules", "*", "A"]));
        // RFC 6901 unescaping: ~1 is "/", ~0 is "~" (in that order, so "~01" stays "~1").
        assert.deepStrictEqual(splitPointer("/a~1b/c~0d/e~01"), ["a/b", "c~d", "e~1"]);
        assert.deepStrictEqual(splitPointer(""), []);
        assert.ok(pointerWithin("/Tags/a~1b", ["Tags", "a/b"]));
    });

    it("repeats the same random sequence for the same seed", () => {
        const a = seededRandom(3);
        const b = seededRandom(3);
        const xs = Array.from({ length: 5 }, () => a());
        assert.deepStrictEqual(
            xs,
            Array.from({ length: 5 }, () => b()),
        );
        assert.ok(xs.every((x) => x >= 0 && x < 1));
    });

    it("fires fault rules in order, up to their count, for matching operations only", () => {
        const f = new FaultInjector(1, [
            { kind: "throttle", operation: "GetResource", count: 1 },
            { kind: "server", status: 502 },
        ]);
        assert.strictEqual(f.draw("GetResource", undefined, false)?.kind, "throttle");
        assert.strictEqual(f.draw("GetResource", undefined, false)?.kind, "server");
        assert.strictEqual(f.draw("CreateResource", undefined, true), undefined);
    });

    it("refills the token bucket at the configured rate", () => {
        const bucket = new TokenBucket(2, 2, 0);
        assert.deepStrictEqual([bucket.take(0), bucket.take(0), bucket.take(0)], [true, true, false]);
        assert.strictEqual(bucket.take(499), false);
        assert.strictEqual(bucket.take(500), true);
        assert.throws(() => new TokenBucket(0), /requestsPerSecond must be a positive number/);
    });
});

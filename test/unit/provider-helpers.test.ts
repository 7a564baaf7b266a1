import * as assert from "assert";
import { parseResourceSchema } from "../../src/schema";
import { builtinSchemas } from "../../src/emulator/builtin-schemas";
import { createClientToken } from "../../src/provider/client-token";
import { predictedIdentifier, withWriteOnlyValues } from "../../src/provider/live-model";
import { propertyPath } from "../../src/provider/paths";
import { operationTimeout, parseDuration } from "../../src/provider/timeouts";
import type { ProviderInputs } from "../../src/provider/types";

describe("provider helpers", () => {
    it("parses timeouts in seconds and durations", () => {
        assert.strictEqual(parseDuration(90), 90);
        assert.strictEqual(parseDuration("90"), 90);
        assert.strictEqual(parseDuration("30m"), 1800);
        assert.strictEqual(parseDuration("1h30m"), 5400);
        assert.strictEqual(parseDuration("2h"), 7200);
        assert.strictEqual(parseDuration("1m30s"), 90);
        for (const bad of ["", "soon", "-5", 0, -1, NaN, Infinity, "30x", {}]) {
            assert.strictEqual(parseDuration(bad), undefined, `bad: ${String(bad)}`);
        }
        assert.strictEqual(operationTimeout({ create: "10m" }, "create"), 600);
        assert.strictEqual(operationTimeout({ create: "10m" }, "delete"), undefined);
        assert.strictEqual(operationTimeout(undefined, "update"), undefined);
    });

    describe("create ClientToken", () => {
        const base: ProviderInputs = {
            typeName: "AWS::SQS::Queue",
            desiredState: { VisibilityTimeout: 30, DelaySeconds: 0 },
            __identity: { project: "p", stack: "dev", name: "jobs" },
            __generation: 0,
        };
        it("is the same for the same resource and desired state, whatever the key order (a re-run)", () => {
            const reordered = { ...base, desiredState: { DelaySeconds: 0, VisibilityTimeout: 30 } };
            assert.strictEqual(createClientToken(base, "create"), createClientToken(reordered, "create"));
            assert.match(createClientToken(base, "create"), /^[0-9a-f]{64}$/);
        });
        it("differs by identity, desired state, generation, purpose and attempt", () => {
            const token = createClientToken(base, "create");
            const variants: ProviderInputs[] = [
                { ...base, __identity: { project: "p", stack: "prod", name: "jobs" } },
                { ...base, __identity: { project: "p", stack: "dev", name: "jobs2" } },
                { ...base, desiredState: { VisibilityTimeout: 31, DelaySeconds: 0 } },
                { ...base, typeName: "AWS::SNS::Topic" },
                { ...base, __generation: 1 },
                { ...base, roleArn: "arn:aws:iam::123456789012:role/other" },
            ];
            for (const v of variants) assert.notStrictEqual(createClientToken(v, "create"), token);
            assert.notStrictEqual(createClientToken(base, "replace:x"), token);
            assert.notStrictEqual(createClientToken(base, "create", 1), token);
        });
        it("is random without an identity (two anonymous resources must not share one)", () => {
            const anonymous = { ...base, __identity: undefined };
            assert.notStrictEqual(createClientToken(anonymous, "create"), createClientToken(anonymous, "create"));
        });
    });

    it("turns JSON pointers into Pulumi property paths", () => {
        assert.strictEqual(propertyPath("/LogGroupName"), "desiredState.LogGroupName");
        assert.strictEqual(propertyPath("/Tags/0/Key"), "desiredState.Tags[0].Key");
        assert.strictEqual(propertyPath("/a~1b/with space"), 'desiredState["a/b"]["with space"]');
        assert.strictEqual(propertyPath(""), "desiredState");
        assert.strictEqual(propertyPath("/"), 'desiredState[""]');
    });

    it("predicts a user-set identifier (compound ones joined with |) and not a generated one", () => {
        const logGroup = parseResourceSchema(builtinSchemas["AWS::Logs::LogGroup"] as never);
        assert.strictEqual(predictedIdentifier({ LogGroupName: "g" }, logGroup), "g");
        assert.strictEqual(predictedIdentifier({}, logGroup), undefined);
        const queue = parseResourceSchema(builtinSchemas["AWS::SQS::Queue"] as never);
        assert.strictEqual(predictedIdentifier({ QueueName: "q" }, queue), undefined); // QueueUrl is generated
        const compound = parseResourceSchema({ typeName: "A::B::C", properties: { X: {}, Y: {} }, primaryIdentifier: ["/properties/X", "/properties/Y"] });
        assert.strictEqual(predictedIdentifier({ X: "a", Y: 2 }, compound), "a|2");
    });

    it("keeps write-only values from the desired state in the live model", () => {
        const parameter = parseResourceSchema(builtinSchemas["AWS::SSM::Parameter"] as never);
        const live = { Name: "p", Type: "String", Value: "v", Arn: "arn" };
        const merged = withWriteOnlyValues(live, { Name: "p", Type: "String", Value: "v", Description: "d", Tier: "Standard" }, parameter);
        assert.deepStrictEqual(merged, { ...live, Description: "d", Tier: "Standard" });
        assert.deepStrictEqual(live, { Name: "p", Type: "String", Value: "v", Arn: "arn" }, "the live model is not modified");
    });
});

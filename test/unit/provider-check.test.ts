import * as assert from "assert";
import { UNKNOWN } from "../../src/diff";
import { builtinSchemas } from "../../src/emulator/builtin-schemas";
import { check } from "../../src/provider/impl";
import { checkAgainstSchema } from "../../src/provider/validate";
import { parseResourceSchema } from "../../src/schema";

// Every case passes the registry schema explicitly (`schema` input), so no DescribeType call is made.
const logGroupSchema = builtinSchemas["AWS::Logs::LogGroup"];
const parameterSchema = builtinSchemas["AWS::SSM::Parameter"];
const identity = { project: "proj", stack: "dev", name: "app-logs" };
const SECRET = "s3cr3t-value-never-printed";

function inputs(overrides: Record<string, unknown>): Record<string, unknown> {
    return {
        typeName: "AWS::Logs::LogGroup",
        desiredState: { LogGroupName: "app-logs", RetentionInDays: 7 },
        schema: logGroupSchema,
        __identity: identity,
        ...overrides,
    };
}

async function reasons(news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<string[]> {
    const result = await check(olds, news);
    for (const f of result.failures ?? []) {
        // The engine prints the value of a named property next to the reason: the provider never names one.
        assert.strictEqual(f.property, "");
        assert.ok(!f.reason.includes(SECRET), `a reason leaked a value: ${f.reason}`);
    }
    return (result.failures ?? []).map((f) => f.reason);
}

async function expectOne(news: Record<string, unknown>, ...fragments: string[]): Promise<void> {
    const got = await reasons(news);
    assert.strictEqual(got.length, 1, `expected one failure, got ${JSON.stringify(got)}`);
    assert.ok(got[0].startsWith("'app-logs' ("), `the reason names the resource: ${got[0]}`);
    for (const fragment of fragments) {
        assert.ok(got[0].includes(fragment), `"${got[0]}" should mention "${fragment}"`);
    }
}

describe("provider check", () => {
    it("accepts valid inputs and returns them with the resolved region, the same with or without prior state", async () => {
        const region = process.env.AWS_REGION;
        process.env.AWS_REGION = "eu-central-1";
        try {
            const fresh = await check({}, inputs({}));
            assert.deepStrictEqual(fresh.failures, []);
            assert.deepStrictEqual(fresh.inputs, { ...inputs({}), __region: "eu-central-1" });
            // A replacement is checked with no olds, an update with them: nothing in the inputs depends on which.
            assert.deepStrictEqual(
                (await check({ ...inputs({}), __region: "us-east-1", __generation: 3 }, inputs({}))).inputs,
                fresh.inputs,
            );
        } finally {
            if (region === undefined) delete process.env.AWS_REGION;
            else process.env.AWS_REGION = region;
        }
    });

    describe("provider options", () => {
        it("importId must be a non-empty string", () => expectOne(inputs({ importId: "" }), "importId must be a non-empty string"));
        it("replaceOnChanges must be a list", () =>
            expectOne(inputs({ replaceOnChanges: "/RetentionInDays" }), "replaceOnChanges must be a list of JSON pointers"));
        it("replaceOnChanges items must be JSON pointers", () =>
            expectOne(inputs({ replaceOnChanges: ["RetentionInDays"] }), "replaceOnChanges[0] must be a JSON pointer into desiredState"));
        it("replaceOnChanges must name properties of the type", () =>
            expectOne(
                inputs({ replaceOnChanges: ["/RetentionInDays", "/Retention/Days"] }),
                "replaceOnChanges[1] names desiredState.Retention.Days, which is not a property of AWS::Logs::LogGroup",
            ));
        it("replaceOnNotUpdatable must be a boolean", () =>
            expectOne(inputs({ replaceOnNotUpdatable: "yes" }), "replaceOnNotUpdatable must be true or false"));
        it("all three accept good values and unknowns", async () => {
            assert.deepStrictEqual(
                await reasons(
                    inputs({ importId: "app-logs", replaceOnChanges: ["/RetentionInDays", "/Tags/*/Value"], replaceOnNotUpdatable: true }),
                ),
                [],
            );
            assert.deepStrictEqual(
                await reasons(inputs({ importId: UNKNOWN, replaceOnChanges: [UNKNOWN], replaceOnNotUpdatable: UNKNOWN })),
                [],
            );
        });
    });

    describe("typeName", () => {
        it("is required", () => expectOne(inputs({ typeName: undefined }), "typeName is required"));
        it("must be Organization::Service::Resource", () =>
            expectOne(inputs({ typeName: "AWS::Logs" }), "typeName must have the form Organization::Service::Resource"));
        it("must be a string", () => expectOne(inputs({ typeName: 42 }), "typeName is required"));
    });

    describe("desiredState must be a JSON object", () => {
        it("is required", () => expectOne(inputs({ desiredState: undefined }), "desiredState is required"));
        it("not an array", () => expectOne(inputs({ desiredState: [SECRET] }), "desiredState must be an object", "not an array"));
        it("not a string", () => expectOne(inputs({ desiredState: SECRET }), "desiredState must be an object", "not a string"));
        it("no functions", () =>
            expectOne(inputs({ desiredState: { LogGroupName: "a", Fn: () => SECRET } }), "desiredState.Fn is a function"));
        it("no undefined leaves", () =>
            expectOne(inputs({ desiredState: { LogGroupName: "a", KmsKeyId: undefined } }), "desiredState.KmsKeyId is undefined"));
        it("no NaN", () =>
            expectOne(
                inputs({ desiredState: { LogGroupName: "a", RetentionInDays: NaN } }),
                "desiredState.RetentionInDays is not a finite number",
            ));
        it("no Infinity", () =>
            expectOne(
                inputs({ desiredState: { LogGroupName: "a", Tags: [{ Key: "k", Value: Infinity }] } }),
                "desiredState.Tags[0].Value is not a finite number",
            ));
        it("no cycles", () => {
            const state: Record<string, unknown> = { LogGroupName: "a", DataProtectionPolicy: {} };
            (state.DataProtectionPolicy as Record<string, unknown>).self = state;
            return expectOne(
                inputs({ desiredState: state }),
                "desiredState.DataProtectionPolicy.self refers back to one of its parents (a cycle)",
            );
        });
        it("no class instances", () =>
            expectOne(
                inputs({ desiredState: { LogGroupName: "a", DataProtectionPolicy: new Date() } }),
                "desiredState.DataProtectionPolicy is a Date",
            ));
    });

    describe("other arguments", () => {
        it("roleArn must be a role ARN", () => expectOne(inputs({ roleArn: "arn:aws:iam::1:user/x" }), "roleArn must be an IAM role ARN"));
        it("region must be a non-empty string", () => expectOne(inputs({ region: "" }), "region must be a non-empty string"));
        it("timeouts accept seconds and durations", async () =>
            assert.deepStrictEqual(await reasons(inputs({ timeouts: { create: 90, update: "30m", delete: "1h30m" } })), []));
        it("timeouts reject unknown operations", () => expectOne(inputs({ timeouts: { read: 5 } }), "timeouts.read is not a timeout"));
        it("timeouts reject bad durations", () =>
            expectOne(inputs({ timeouts: { create: "soon" } }), "timeouts.create must be a positive number of seconds"));
        it("timeouts reject non-positive numbers", () =>
            expectOne(inputs({ timeouts: { delete: 0 } }), "timeouts.delete must be a positive number"));
        it("schema must be JSON text when a string", () => expectOne(inputs({ schema: "{not json" }), "schema is a string but not JSON"));
        it("schema must describe the same type", () =>
            expectOne(inputs({ schema: parameterSchema }), "schema describes AWS::SSM::Parameter, not AWS::Logs::LogGroup"));
        it("schema must be a registry schema document", () =>
            expectOne(inputs({ schema: { hello: 1 } }), "schema must be a registry schema document"));
        it("schema may be given as JSON text", async () =>
            assert.deepStrictEqual(await reasons(inputs({ schema: JSON.stringify(logGroupSchema) })), []));
    });

    describe("against the registry schema", () => {
        it("rejects read-only properties", () =>
            expectOne(
                inputs({ desiredState: { LogGroupName: "a", Arn: SECRET } }),
                "desiredState.Arn is read-only in AWS::Logs::LogGroup",
            ));
        it("rejects properties the type does not have", () =>
            expectOne(
                inputs({ desiredState: { LogGroupName: "a", Retention: 7 } }),
                "desiredState.Retention is not a property the schema allows here",
            ));
        it('names a property whose name is empty (pointer "/" is one empty segment, RFC 6901)', () =>
            expectOne(inputs({ desiredState: { LogGroupName: "a", "": 7 } }), 'desiredState[""] is not a property the schema allows here'));
        it("rejects wrong types without printing the value", () =>
            expectOne(
                inputs({ desiredState: { LogGroupName: "a", DeletionProtectionEnabled: SECRET } }),
                "desiredState.DeletionProtectionEnabled must be boolean",
            ));
        it("rejects values outside an enum", () =>
            expectOne(
                inputs({ desiredState: { LogGroupName: "a", RetentionInDays: 8 } }),
                "desiredState.RetentionInDays must be one of [1,3,5,7",
            ));
        it("applies Java-style anchored patterns", () =>
            expectOne(inputs({ desiredState: { LogGroupName: "bad name!" } }), "desiredState.LogGroupName must match pattern"));
        it("checks nested items", () =>
            expectOne(inputs({ desiredState: { LogGroupName: "a", Tags: [{ Key: "k" }] } }), "desiredState.Tags[0].Value is required"));
        it("reports missing required properties", async () => {
            const got = await reasons(
                inputs({ typeName: "AWS::SSM::Parameter", schema: parameterSchema, desiredState: { Value: SECRET } }),
            );
            assert.deepStrictEqual(got, [
                "'app-logs' (AWS::SSM::Parameter): desiredState.Type is required (per the AWS::SSM::Parameter schema)",
            ]);
        });
        it("compiles a schema once: later checks do not re-read (or re-serialize) the document", () => {
            let reads = 0;
            const document = { ...logGroupSchema } as Record<string, unknown>;
            const description = document.description;
            Object.defineProperty(document, "description", { enumerable: true, get: () => (reads++, description) });
            const schema = parseResourceSchema(document as never);
            const news = { typeName: "AWS::Logs::LogGroup", desiredState: { LogGroupName: "a", RetentionInDays: 8 } };
            const first = checkAgainstSchema(news, schema);
            const afterFirst = reads;
            assert.deepStrictEqual(checkAgainstSchema(news, schema), first);
            assert.strictEqual(reads, afterFirst);
        });
        it("reports several problems at once", async () => {
            const got = await reasons(inputs({ desiredState: { LogGroupName: "a", RetentionInDays: "x", Arn: "y", Nope: 1 } }));
            assert.strictEqual(got.length, 4, JSON.stringify(got)); // read-only, unknown property, type and enum of RetentionInDays
        });
    });

    describe("unknown values (preview) pass", () => {
        it("an unknown property value", async () =>
            assert.deepStrictEqual(await reasons(inputs({ desiredState: { LogGroupName: UNKNOWN, RetentionInDays: UNKNOWN } })), []));
        it("an unknown array item", async () =>
            assert.deepStrictEqual(await reasons(inputs({ desiredState: { LogGroupName: "a", Tags: [UNKNOWN] } })), []));
        it("an unknown desiredState and typeName", async () =>
            assert.deepStrictEqual(await reasons(inputs({ desiredState: UNKNOWN, typeName: UNKNOWN })), []));
        it("but not real errors next to them", () =>
            expectOne(
                inputs({ desiredState: { LogGroupName: UNKNOWN, RetentionInDays: 8 } }),
                "desiredState.RetentionInDays must be one of",
            ));
    });
});

// Every registry schema compiles for validation (ajv, Java-style patterns translated). About 20 s for 1,665 types.
if (process.env.SLOW_TESTS && require("fs").existsSync(require("path").join(__dirname, "../../../shared/cfn-schemas"))) {
    describe("SLOW_TESTS: provider check compiles every schema in ../shared/cfn-schemas", function () {
        this.timeout(300000);
        it("validates an empty desired state against each type without a compile failure", () => {
            const fs = require("fs") as typeof import("fs");
            const path = require("path") as typeof import("path");
            const { parseResourceSchema } = require("../../src/schema") as typeof import("../../src/schema");
            const { checkAgainstSchema } = require("../../src/provider/validate") as typeof import("../../src/provider/validate");
            const dir = path.join(__dirname, "../../../shared/cfn-schemas");
            const notCompiled: string[] = [];
            const original = console.log;
            console.log = (line: string) => void notCompiled.push(line);
            try {
                for (const file of fs.readdirSync(dir)) {
                    const schema = parseResourceSchema(fs.readFileSync(path.join(dir, file), "utf8"));
                    checkAgainstSchema({ typeName: schema.typeName, desiredState: {} }, schema);
                }
            } finally {
                console.log = original;
            }
            assert.deepStrictEqual(notCompiled, []);
        });
    });
}

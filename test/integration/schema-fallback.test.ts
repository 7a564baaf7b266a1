/**
 * The provider's preview where DescribeType cannot be asked (here: no CloudFormation endpoint answers): check
 * validates a public type's desired state against the bundled registry's schema, and says so in one line.
 */
import * as assert from "assert";
import { cloudControlProvider as provider, type ProviderInputs } from "../../src/provider";
import { clearSchemaCache } from "../../src/schema";
import { saveEnv } from "../fixtures/schemas";

async function captured<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.join(" "));
    try {
        return { result: await fn(), lines };
    } finally {
        console.log = log;
    }
}

describe("provider check with DescribeType unavailable (bundled registry)", function () {
    this.timeout(30_000);
    let restoreEnv: () => void;
    beforeEach(() => {
        restoreEnv = saveEnv();
        process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9"; // a closed port: DescribeType (and everything else) fails fast
        process.env.AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
        process.env.AWS_SECRET_ACCESS_KEY = "fallback-test-secret";
        process.env.AWS_REGION = "us-east-1";
        delete process.env.AWS_ENDPOINT_URL_CLOUDFORMATION;
        clearSchemaCache();
    });
    afterEach(() => {
        restoreEnv();
        clearSchemaCache();
    });
    const inputs = (name: string, typeName: string, desiredState: Record<string, unknown>) =>
        ({ typeName, desiredState, __identity: { project: "p", stack: "s", name } }) as unknown as ProviderInputs;

    it("validates a public type against the bundled schema, warning once", async () => {
        const bad = await captured(() =>
            provider.check!({} as ProviderInputs, inputs("logs", "AWS::Logs::LogGroup", { LogGroupName: "x", RetentionInDays: 8 })),
        );
        assert.deepStrictEqual(bad.result.failures?.length, 1, JSON.stringify(bad.result.failures));
        assert.match(bad.result.failures![0].reason, /^'logs' \(AWS::Logs::LogGroup\): desiredState\.RetentionInDays must be one of/);
        assert.ok(
            bad.lines.some((l) =>
                /^warning: AWS::Logs::LogGroup: DescribeType is unavailable \(.+\); using the schema from the registry bundled with pulumi-cloudcontrol/.test(
                    l,
                ),
            ),
            bad.lines.join("\n"),
        );
        const good = await captured(() =>
            provider.check!({} as ProviderInputs, inputs("logs", "AWS::Logs::LogGroup", { LogGroupName: "x", RetentionInDays: 7 })),
        );
        assert.deepStrictEqual(good.result.failures ?? [], []);
        assert.ok(!good.lines.some((l) => l.startsWith("warning:")), "warned once per type and process");
        assert.ok(!bad.lines.join("\n").includes("fallback-test-secret"));
    });
    it("still fails a type the bundle does not have, naming it and the `schema` argument", async () => {
        const r = await captured(() => provider.check!({} as ProviderInputs, inputs("mine", "MyOrg::Private::Thing", { A: 1 })));
        assert.strictEqual(r.result.failures?.length, 1);
        assert.match(
            r.result.failures![0].reason,
            /^'mine' \(MyOrg::Private::Thing\): Could not load the registry schema of MyOrg::Private::Thing: DescribeType failed .*`schema` argument/,
        );
    });
});

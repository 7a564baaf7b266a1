/**
 * The provider's check with autonaming and default tags: which name each of the engine's Check calls gets (with
 * olds, with none, in a preview, after a crash), what stack config does, and the failures. Every case passes the
 * registry schema explicitly (`schema` input), so no DescribeType call is made.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UNKNOWN } from "../../src/diff";
import { builtinSchemas } from "../../src/emulator/builtin-schemas";
import { check } from "../../src/provider/impl";
import { journalFor } from "../../src/provider/journal";
import { readProviderConfig, setProviderConfig } from "../../src/provider/settings";
import type { CreateContext } from "../../src/provider/create-resource";
import { planReplacement } from "../../src/provider/replacement";
import type { ProviderInputs, ProviderOutputs } from "../../src/provider/types";
import { parseResourceSchema, type RegistrySchema } from "../../src/schema";
import { testSchema } from "../fixtures/schemas";

const LOGS = "AWS::Logs::LogGroup";
const logsSchema = testSchema(LOGS);
const identity = { project: "proj", stack: "dev", name: "app-logs" };

function configure(config: Record<string, unknown>): void {
    setProviderConfig(readProviderConfig((key) => config[key]));
}

function news(desiredState: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { typeName: LOGS, desiredState, schema: logsSchema, __identity: identity, ...extra };
}

/** Check's result with what it printed. */
async function checked(
    olds: Record<string, unknown>,
    n: Record<string, unknown>,
): Promise<{ inputs: ProviderInputs; reasons: string[]; lines: string[] }> {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    try {
        const r = await check(olds, n);
        for (const f of r.failures ?? [])
            assert.strictEqual(f.property, "", "the reason names the path; the engine would print the value of a named property");
        return { inputs: r.inputs!, reasons: (r.failures ?? []).map((f) => f.reason), lines };
    } finally {
        console.log = original;
    }
}

describe("provider check: autonaming and default tags", () => {
    let journalDir: string;
    let savedJournal: string | undefined;
    beforeEach(() => {
        savedJournal = process.env.PULUMI_CLOUDCONTROL_JOURNAL_DIR;
        journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "autoname-journal-"));
        process.env.PULUMI_CLOUDCONTROL_JOURNAL_DIR = journalDir;
        configure({});
    });
    afterEach(() => {
        if (savedJournal === undefined) delete process.env.PULUMI_CLOUDCONTROL_JOURNAL_DIR;
        else process.env.PULUMI_CLOUDCONTROL_JOURNAL_DIR = savedJournal;
        fs.rmSync(journalDir, { recursive: true, force: true });
        configure({});
    });

    describe("autonaming", () => {
        it("names a new resource (Check with no olds) and records which property it named", async () => {
            const { inputs, reasons } = await checked({}, news({ RetentionInDays: 7 }));
            assert.deepStrictEqual(reasons, []);
            assert.match(String(inputs.desiredState.LogGroupName), /^app-logs-[a-z0-9]{7}$/);
            assert.strictEqual(inputs.__autonamed, "LogGroupName");
            assert.strictEqual(inputs.desiredState.RetentionInDays, 7);
        });

        it("keeps the recorded name when the stack tracks the resource (Check with olds), whatever the config says now", async () => {
            const first = (await checked({}, news({ RetentionInDays: 7 }))).inputs;
            configure({ "pulumi:autonaming": '{"mode":"verbatim"}' });
            const next = (await checked(first as never, news({ RetentionInDays: 14 }))).inputs;
            assert.strictEqual(next.desiredState.LogGroupName, first.desiredState.LogGroupName);
            assert.strictEqual(next.__autonamed, "LogGroupName");
            // The program's own inputs never carry the marker: a stale one in news is dropped.
            const again = (await checked(next as never, news({ RetentionInDays: 14 }, { __autonamed: "Nope" }))).inputs;
            assert.strictEqual(again.__autonamed, "LogGroupName");
        });

        it("a replacement's Check (no olds again) makes a new name: create-before-delete cannot collide", async () => {
            const first = (await checked({}, news({}))).inputs;
            const replacement = (await checked({}, news({}))).inputs;
            assert.notStrictEqual(replacement.desiredState.LogGroupName, first.desiredState.LogGroupName);
        });

        it("gives no name to a tracked resource that has none recorded: made before autonaming, it is not replaced for it", async () => {
            const olds = { typeName: LOGS, desiredState: { RetentionInDays: 7 }, __identity: identity };
            const { inputs } = await checked(olds, news({ RetentionInDays: 7 }));
            assert.deepStrictEqual(inputs.desiredState, { RetentionInDays: 7 });
            assert.strictEqual(inputs.__autonamed, undefined);
            // A name the program set and then removed is not kept either (the diff plans the replacement; its check names it).
            const named = { typeName: LOGS, desiredState: { LogGroupName: "mine" }, __identity: identity };
            assert.deepStrictEqual((await checked(named, news({}))).inputs.desiredState, {});
        });

        it("leaves a name the program sets (even one not known yet) and a resource adopted by importId alone", async () => {
            for (const state of [{ LogGroupName: "mine" }, { LogGroupName: UNKNOWN }]) {
                const { inputs } = await checked({}, news(state));
                assert.deepStrictEqual(inputs.desiredState, state);
                assert.strictEqual(inputs.__autonamed, undefined);
            }
            assert.deepStrictEqual((await checked({}, news({}, { importId: "existing" }))).inputs.desiredState, {});
            assert.deepStrictEqual(
                (await checked({}, news({}, { __identity: undefined }))).inputs.desiredState,
                {},
                "no identity: no Pulumi name to start from",
            );
        });

        it("names a FIFO queue with the .fifo ending SQS requires", async () => {
            const queue = { typeName: "AWS::SQS::Queue", schema: builtinSchemas["AWS::SQS::Queue"] };
            assert.match(
                String((await checked({}, news({ FifoQueue: true }, queue))).inputs.desiredState.QueueName),
                /^app-logs-[a-z0-9]{7}\.fifo$/,
            );
            assert.match(String((await checked({}, news({}, queue))).inputs.desiredState.QueueName), /^app-logs-[a-z0-9]{7}$/);
        });

        it("in a preview, shows a random name as not known yet (up draws its own), and a name without randomness as it will be", async () => {
            const preview = { properties: UNKNOWN };
            const random = await checked({}, news({}, preview));
            assert.strictEqual(random.inputs.desiredState.LogGroupName, UNKNOWN);
            assert.match(
                random.lines.join("\n"),
                /LogGroupName is not set: a name is generated from 'app-logs' when the resource is created/,
            );
            configure({ "pulumi:autonaming": '{"pattern":"${stack}-${name}"}' });
            assert.strictEqual((await checked({}, news({}, preview))).inputs.desiredState.LogGroupName, "dev-app-logs");
        });

        it("after a crash mid-create, names the resource as the journal's unreported create did (in a preview too), so that create is found again", async () => {
            journalFor(identity)!.start({
                clientToken: "tok",
                typeName: LOGS,
                region: "us-east-1",
                autoname: { property: "LogGroupName", value: "app-logs-crashed" },
            });
            for (const extra of [{}, { properties: UNKNOWN }]) {
                const { inputs, lines } = await checked({}, news({}, { region: "us-east-1", ...extra }));
                assert.strictEqual(inputs.desiredState.LogGroupName, "app-logs-crashed");
                assert.match(lines.join("\n"), /app-logs-crashed is the name of a create an earlier run started and never reported/);
            }
            // Not for another type, and not when the stack already tracks the resource (its own name is kept).
            const otherType = await checked(
                {},
                news({}, { region: "us-east-1", typeName: "AWS::S3::Bucket", schema: testSchema("AWS::S3::Bucket") }),
            );
            assert.match(String(otherType.inputs.desiredState.BucketName), /^app-logs-[a-z0-9]{7}$/);
            const tracked = { typeName: LOGS, desiredState: { LogGroupName: "app-logs-live" }, __autonamed: "LogGroupName" };
            assert.strictEqual((await checked(tracked, news({}))).inputs.desiredState.LogGroupName, "app-logs-live");
        });

        it("draws a new name when the create could not find the journal's request again (expired token, another region)", async () => {
            const crashed = {
                clientToken: "tok",
                typeName: LOGS,
                region: "us-east-1",
                autoname: { property: "LogGroupName", value: "app-logs-crashed" },
            };
            // Past Cloud Control's 36 hours the create makes a new resource: the old name may be taken by the earlier one.
            journalFor(identity)!.start({ ...crashed, startedAt: new Date(Date.now() - 37 * 3600 * 1000).toISOString() });
            const expired = await checked({}, news({}, { region: "us-east-1" }));
            assert.match(String(expired.inputs.desiredState.LogGroupName), /^app-logs-[a-z0-9]{7}$/);
            assert.notStrictEqual(expired.inputs.desiredState.LogGroupName, "app-logs-crashed");

            journalFor(identity)!.start(crashed);
            const elsewhere = await checked({}, news({}, { region: "eu-west-1" }));
            assert.match(String(elsewhere.inputs.desiredState.LogGroupName), /^app-logs-[a-z0-9]{7}$/);
            assert.notStrictEqual(elsewhere.inputs.desiredState.LogGroupName, "app-logs-crashed");
            assert.match(
                elsewhere.lines.join("\n"),
                /warning: an earlier run started creating this resource in region us-east-1 .*may have created app-logs-crashed there/,
            );

            // A region only the AWS profile gives (check does not read it; the create compares the client's own):
            // the name is kept, so the create can find that request again.
            journalFor(identity)!.start({ ...crashed, region: "eu-west-1" });
            const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
            delete process.env.AWS_REGION;
            delete process.env.AWS_DEFAULT_REGION;
            try {
                const profiled = await checked({}, news({}));
                assert.strictEqual(profiled.inputs.desiredState.LogGroupName, "app-logs-crashed");
            } finally {
                for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
            }
        });

        it("pulumi:autonaming disabled: no name; a required name property is a failure naming the setting", async () => {
            configure({ "pulumi:autonaming": { mode: "disabled" } });
            assert.deepStrictEqual(
                (await checked({}, news({ RetentionInDays: 7 }))).inputs.desiredState,
                { RetentionInDays: 7 },
                "optional: Cloud Control names it",
            );
            const required = { ...logsSchema, required: ["LogGroupName"] };
            const { reasons } = await checked({}, news({}, { schema: required }));
            assert.ok(
                reasons.some(
                    (r) =>
                        r ===
                        "'app-logs' (AWS::Logs::LogGroup): desiredState.LogGroupName is required: autonaming is disabled (pulumi:autonaming), so set it",
                ),
                reasons.join("\n"),
            );
        });

        it("fails clearly, before any call, when no name can be made within the schema", async () => {
            configure({ "pulumi:autonaming": { pattern: "${name} ${hex(4)}", enforce: true } });
            const { reasons, inputs } = await checked({}, news({}));
            assert.ok(
                reasons[0].startsWith(
                    "'app-logs' (AWS::Logs::LogGroup): desiredState.LogGroupName is not set and no name can be generated for it: ${name} ${hex(4)} does not make a name matching the pattern",
                ),
                reasons.join("\n"),
            );
            assert.match(
                reasons[0],
                /\(enforced: it is not adjusted\) \(autonaming: pulumi:autonaming\); set it in desiredState or change pulumi:autonaming$/,
            );
            assert.strictEqual(inputs.desiredState.LogGroupName, undefined);
        });

        it("reports a malformed pulumi:autonaming or aws:defaultTags on every check, as the CLI refuses the stack", async () => {
            configure({ "pulumi:autonaming": '{"mode":"verbatim","pattern":"x"}', "aws:defaultTags": '{"tags":{"aws:x":"y"}}' });
            const { reasons } = await checked({}, news({ LogGroupName: "mine" }));
            assert.deepStrictEqual(reasons, [
                "'app-logs' (AWS::Logs::LogGroup): stack config pulumi:autonaming cannot specify both mode and pattern/enforce",
                `'app-logs' (AWS::Logs::LogGroup): stack config aws:defaultTags tags: "aws:x": keys starting with "aws:" are reserved for AWS`,
            ]);
        });
    });

    it("an in-update replacement (replaceOnNotUpdatable) keeps an autonamed name, so it deletes first even where the name is not the identifier", async () => {
        const QUEUE = "AWS::SQS::Queue";
        const schema = parseResourceSchema(builtinSchemas[QUEUE] as RegistrySchema);
        const ctx = { schema } as unknown as CreateContext;
        const olds = {
            typeName: QUEUE,
            identifier: "https://sqs/q-1",
            desiredState: { QueueName: "jobs-abc1234", DelaySeconds: 1 },
            properties: {},
            __autonamed: "QueueName",
        } as unknown as ProviderOutputs;
        const news = {
            typeName: QUEUE,
            desiredState: { QueueName: "jobs-abc1234", DelaySeconds: 2 },
            __autonamed: "QueueName",
        } as unknown as ProviderInputs;
        assert.deepStrictEqual(planReplacement("q-1", olds, news, ctx), {
            order: "delete-first",
            old: { typeName: QUEUE, identifier: "https://sqs/q-1" },
            keeps: "name",
        });
        const named = { ...news, __autonamed: undefined } as unknown as ProviderInputs;
        assert.strictEqual(planReplacement("q-1", olds, named, ctx).order, "create-first", "the same name, set by the program: as before");
    });

    describe("default tags", () => {
        it("merges aws:defaultTags into the tags (resource tags win, sorted) and records them; validation sees the result", async () => {
            configure({ "aws:defaultTags": { tags: { team: "core", env: "dev" } } });
            const { inputs, reasons } = await checked({}, news({ LogGroupName: "x", Tags: [{ Key: "env", Value: "prod" }] }));
            assert.deepStrictEqual(reasons, []);
            assert.deepStrictEqual(inputs.desiredState.Tags, [
                { Key: "env", Value: "prod" },
                { Key: "team", Value: "core" },
            ]);
            assert.deepStrictEqual(inputs.__defaultTags, { team: "core", env: "dev" });
            configure({ "aws:defaultTags": { tags: { ["x".repeat(200)]: "too long a key" } } });
            const long = await checked({}, news({ LogGroupName: "x" }));
            assert.ok(
                long.reasons.some((r) => /desiredState\.Tags\[0\]\.Key must NOT have more than 128 characters/.test(r)),
                long.reasons.join("\n"),
            );
        });

        it("a type whose tags cannot change in place keeps the defaults it was created with while tracked; a replacement takes the new ones", async () => {
            const createOnlyTags = {
                ...logsSchema,
                createOnlyProperties: [...(logsSchema.createOnlyProperties ?? []), "/properties/Tags"],
            };
            configure({ "aws:defaultTags": '{"tags":{"team":"core"}}' });
            const first = (await checked({}, news({ LogGroupName: "x" }, { schema: createOnlyTags }))).inputs;
            configure({ "aws:defaultTags": '{"tags":{"team":"platform"}}' });
            const tracked = await checked(first as never, news({ LogGroupName: "x" }, { schema: createOnlyTags }));
            assert.deepStrictEqual(tracked.inputs.desiredState.Tags, [{ Key: "team", Value: "core" }]);
            assert.match(
                tracked.lines.join("\n"),
                /keeps the default tags it was created with \(aws:defaultTags changed\): its Tags cannot change without replacing it/,
            );
            const replacement = (await checked({}, news({ LogGroupName: "x" }, { schema: createOnlyTags }))).inputs;
            assert.deepStrictEqual(replacement.desiredState.Tags, [{ Key: "team", Value: "platform" }]);
            // An updatable tag property follows the configuration.
            assert.deepStrictEqual((await checked(first as never, news({ LogGroupName: "x" }))).inputs.desiredState.Tags, [
                { Key: "team", Value: "platform" },
            ]);
        });

        it("adds nothing without aws:defaultTags", async () => {
            const { inputs } = await checked(
                {},
                news({
                    LogGroupName: "x",
                    Tags: [
                        { Key: "b", Value: "1" },
                        { Key: "a", Value: "2" },
                    ],
                }),
            );
            assert.deepStrictEqual(
                inputs.desiredState.Tags,
                [
                    { Key: "b", Value: "1" },
                    { Key: "a", Value: "2" },
                ],
                "not even sorted",
            );
            assert.strictEqual(inputs.__defaultTags, undefined);
        });
    });
});

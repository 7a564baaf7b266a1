/**
 * The provider's methods called directly (in this process) against the emulator, through the real AWS SDK.
 */
import * as assert from "assert";
import * as http from "http";
import type { AddressInfo } from "net";
import { UNKNOWN } from "../../src/diff";
import { startEmulator, type Emulator } from "../../src/emulator";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateResourceCommand } from "@aws-sdk/client-cloudcontrol";
import { getCloudControlClient } from "../../src/cloudcontrol";
import { cloudControlProvider as provider, type ProviderInputs, type ProviderOutputs } from "../../src/provider";
import { journalFor } from "../../src/provider/journal";
import { forgetReturned } from "../../src/provider/returned";
import { waitFor } from "../support/assertions";
import { keyA, keyB } from "../support/tables";

const ENV_KEYS = [
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_CLOUDCONTROL",
    "AWS_ENDPOINT_URL_CLOUDFORMATION",
    "AWS_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_PROFILE",
    "PULUMI_CLOUDCONTROL_JOURNAL_DIR",
];
// The create journal of the provider running in this process: a temp dir, removed at the end.
const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-test-journal-"));
after(() => fs.rmSync(journalDir, { recursive: true, force: true }));

/**
 * Runs one provider call with console.log captured (the provider's progress lines). Pulumi runs every deployment
 * in a new provider process; each call here stands for its own deployment, so the process then forgets what
 * creates returned (see returned.ts) — unless `sameDeployment`.
 */
async function captured<T>(fn: () => Promise<T>, opts: { sameDeployment?: boolean } = {}): Promise<{ result: T; lines: string[] }> {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    try {
        return { result: await fn(), lines };
    } finally {
        console.log = original;
        if (!opts.sameDeployment) forgetReturned();
    }
}

/** Inputs as CloudControlResource passes them, after check. */
async function checked(
    name: string,
    typeName: string,
    desiredState: Record<string, unknown>,
    olds: Record<string, unknown> = {},
    extra: Partial<ProviderInputs> = {},
): Promise<ProviderInputs> {
    const news = { typeName, desiredState, __identity: { project: "proj", stack: "test", name }, ...extra };
    const { result } = await captured(() => provider.check!(olds as unknown as ProviderInputs, news as ProviderInputs));
    assert.deepStrictEqual(result.failures ?? [], [], `check failed: ${JSON.stringify(result.failures)}`);
    return result.inputs!;
}

async function create(inputs: ProviderInputs): Promise<{ id: string; outs: ProviderOutputs; lines: string[] }> {
    const { result, lines } = await captured(() => provider.create(inputs));
    return { id: result.id, outs: result.outs!, lines };
}

async function errorOf(promise: Promise<unknown>): Promise<Error & Record<string, any>> {
    try {
        await promise;
    } catch (error) {
        return error as Error & Record<string, any>;
    }
    assert.fail("expected the call to fail");
}

describe("provider against the emulator", function () {
    this.timeout(30000);
    let emulator: Emulator;
    const savedEnv: Record<string, string | undefined> = {};

    before(async () => {
        emulator = await startEmulator({ schemas: false, operationDelayMs: 20 });
        for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
        Object.assign(process.env, {
            AWS_ENDPOINT_URL: emulator.endpoint,
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: "AKIDTEST",
            AWS_SECRET_ACCESS_KEY: "test-secret",
            PULUMI_CLOUDCONTROL_JOURNAL_DIR: journalDir,
        });
        delete process.env.AWS_ENDPOINT_URL_CLOUDCONTROL;
        delete process.env.AWS_ENDPOINT_URL_CLOUDFORMATION;
        delete process.env.AWS_PROFILE;
        await provider.configure!({ config: { get: () => undefined, require: () => "" } as never });
    });
    after(async () => {
        for (const key of ENV_KEYS) {
            if (savedEnv[key] === undefined) delete process.env[key];
            else process.env[key] = savedEnv[key];
        }
        await emulator?.close();
    });
    afterEach(() => {
        emulator.clearFaults();
        emulator.setHooks([]);
        emulator.setDurations({});
    });

    const cases: Array<{
        typeName: string;
        name: string;
        state: Record<string, unknown>;
        change: Record<string, unknown>;
        readOnly: string;
    }> = [
        {
            typeName: "AWS::Logs::LogGroup",
            name: "crud-logs",
            state: { LogGroupName: "crud-logs", RetentionInDays: 7 },
            change: { RetentionInDays: 14 },
            readOnly: "Arn",
        },
        {
            typeName: "AWS::SQS::Queue",
            name: "crud-queue",
            state: { VisibilityTimeout: 30 },
            change: { VisibilityTimeout: 60, DelaySeconds: 5 },
            readOnly: "QueueUrl",
        },
        {
            typeName: "AWS::SSM::Parameter",
            name: "crud-param",
            state: { Name: "crud-param", Type: "String", Value: "one" },
            change: { Value: "two" },
            readOnly: "Arn",
        },
    ];
    for (const c of cases) {
        it(`creates, reads, updates and deletes ${c.typeName}`, async () => {
            const inputs = await checked(c.name, c.typeName, c.state);
            const { id, outs, lines } = await create(inputs);
            assert.strictEqual(outs.identifier, id);
            assert.strictEqual(outs.typeName, c.typeName);
            // A queue without QueueName is autonamed from its Pulumi name (the others set their names).
            const named = inputs.__autonamed ? { [inputs.__autonamed]: inputs.desiredState[inputs.__autonamed] } : {};
            if (c.typeName === "AWS::SQS::Queue") assert.match(String(named.QueueName), /^crud-queue-[a-z0-9]{7}$/);
            assert.deepStrictEqual(outs.desiredState, { ...c.state, ...named });
            assert.ok(outs.properties[c.readOnly], `properties carry the read-only ${c.readOnly}`);
            assert.deepStrictEqual(emulator.getResource(c.typeName, id)?.properties, outs.properties);
            assert.ok(
                lines.some((l) => l.includes(`created ${id}`)),
                lines.join("\n"),
            );

            const read = await captured(() => provider.read!(id, outs));
            assert.strictEqual(read.result.id, id);
            assert.deepStrictEqual(
                (read.result.inputs as ProviderInputs).desiredState,
                { ...c.state, ...named },
                "refresh of an unchanged resource shows no drift",
            );

            const next = await checked(c.name, c.typeName, { ...c.state, ...c.change }, inputs as never);
            const diff = await captured(() => provider.diff!(id, outs, next));
            assert.deepStrictEqual(diff.result, { changes: true, replaces: [], deleteBeforeReplace: false });
            const updated = await captured(() => provider.update!(id, outs, next));
            const after = updated.result.outs!;
            assert.strictEqual(after.identifier, id);
            for (const [k, v] of Object.entries(c.change)) {
                assert.deepStrictEqual(after.properties[k], v);
                assert.deepStrictEqual(emulator.getResource(c.typeName, id)?.properties[k], v);
            }
            assert.deepStrictEqual((await captured(() => provider.diff!(id, after, next))).result.changes, false);

            await captured(() => provider.delete!(id, after));
            assert.strictEqual(emulator.getResource(c.typeName, id), undefined);
            // Deleting again (already gone) counts as deleted.
            await captured(() => provider.delete!(id, after));
            assert.strictEqual((await captured(() => provider.read!(id, after))).result.id, "");
        });
    }

    it("check loads the registry schema with DescribeType and fails preview on an unknown type or a bad desired state", async () => {
        const unknownType = await captured(() =>
            provider.check!(
                {} as ProviderInputs,
                {
                    typeName: "AWS::Nope::Thing",
                    desiredState: {},
                    __identity: { project: "p", stack: "s", name: "nope" },
                } as ProviderInputs,
            ),
        );
        assert.strictEqual(unknownType.result.failures?.length, 1);
        assert.match(unknownType.result.failures![0].reason, /^'nope' \(AWS::Nope::Thing\): .*does not know the type.*`schema` argument/);
        const bad = await captured(() =>
            provider.check!(
                {} as ProviderInputs,
                {
                    typeName: "AWS::SQS::Queue",
                    desiredState: { VisibilityTimeout: "slow" },
                    __identity: { project: "p", stack: "s", name: "q" },
                } as never,
            ),
        );
        assert.deepStrictEqual(
            bad.result.failures?.map((f) => f.reason),
            ["'q' (AWS::SQS::Queue): desiredState.VisibilityTimeout must be integer (per the AWS::SQS::Queue schema)"],
        );
        assert.strictEqual(
            emulator.countRequests("CreateResource", (e) => e.typeName === "AWS::Nope::Thing"),
            0,
        );
    });

    it("makes no UpdateResource call when nothing but settings changed", async () => {
        const inputs = await checked("settings-only", "AWS::Logs::LogGroup", { LogGroupName: "settings-only" });
        const { id, outs } = await create(inputs);
        const role = "arn:aws:iam::123456789012:role/deployer";
        const next = { ...inputs, timeouts: { update: "10m" }, roleArn: role };
        const planned = (await captured(() => provider.diff!(id, outs, next))).result;
        assert.strictEqual(planned.changes, true);
        assert.deepStrictEqual(planned.replaces ?? [], [], "a new role is not a replacement");
        const before = emulator.requestLog.length;
        const updated = await captured(() => provider.update!(id, outs, next));
        // No write: only a read that refreshes the outputs.
        assert.deepStrictEqual(
            emulator.requestLog.slice(before).map((e) => e.operation),
            ["GetResource"],
        );
        assert.deepStrictEqual(updated.result.outs!.timeouts, { update: "10m" });
        assert.strictEqual(updated.result.outs!.roleArn, role);
        await captured(() => provider.delete!(id, updated.result.outs!));
    });

    describe("diff", () => {
        it("replaces on a create-only change and prints a summary without values", async () => {
            const inputs = await checked("rename-me", "AWS::SSM::Parameter", {
                Name: "rename-me",
                Type: "String",
                Value: "secret-value-1",
            });
            const { id, outs } = await create(inputs);
            const next = await checked(
                "rename-me",
                "AWS::SSM::Parameter",
                { Name: "renamed", Type: "String", Value: "secret-value-2" },
                inputs as never,
            );
            const { result, lines } = await captured(() => provider.diff!(id, outs, next));
            assert.deepStrictEqual(result, { changes: true, replaces: ["desiredState.Name"], deleteBeforeReplace: false });
            assert.ok(
                lines.some((l) => l.includes("/Name") && l.includes("replacement")),
                lines.join("\n"),
            );
            assert.ok(
                lines.some((l) => l.includes("/Value changed")),
                lines.join("\n"),
            );
            assert.ok(!lines.join("\n").includes("secret-value"), "no values in the summary");
            await captured(() => provider.delete!(id, outs));
        });

        it("deletes before replacing when the new resource keeps the user-set identifier", async () => {
            const state = {
                TableName: "dbr-table",
                KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
                AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
            };
            const inputs = await checked("dbr-table", "AWS::DynamoDB::Table", state);
            const { id, outs } = await create(inputs);
            const next = await checked(
                "dbr-table",
                "AWS::DynamoDB::Table",
                { ...state, ImportSourceSpecification: { S3BucketSource: { S3Bucket: "b" }, InputFormat: "CSV" } },
                inputs as never,
            );
            const { result } = await captured(() => provider.diff!(id, outs, next));
            assert.deepStrictEqual(result, {
                changes: true,
                replaces: ["desiredState.ImportSourceSpecification"],
                deleteBeforeReplace: true,
            });
            await captured(() => provider.delete!(id, outs));
        });

        it("replaces on a typeName or region change", async () => {
            const inputs = await checked("moving", "AWS::Logs::LogGroup", { LogGroupName: "moving" });
            const outs = { ...inputs, identifier: "moving", properties: {} } as ProviderOutputs;
            assert.deepStrictEqual(
                (await captured(() => provider.diff!("moving", outs, { ...inputs, typeName: "AWS::SQS::Queue" }))).result.replaces,
                ["typeName"],
            );
            assert.deepStrictEqual(
                (await captured(() => provider.diff!("moving", outs, { ...inputs, region: "eu-west-1" }))).result.replaces,
                ["region"],
            );
        });

        it("ignores __provider, the identity and a __generation that older versions recorded", async () => {
            const inputs = await checked("quiet", "AWS::Logs::LogGroup", { LogGroupName: "quiet" });
            const outs = { ...inputs, identifier: "quiet", properties: {}, __provider: "old" } as ProviderOutputs;
            const next = {
                ...inputs,
                __generation: 7,
                __identity: { project: "x", stack: "y", name: "z" },
                __provider: "new",
            } as ProviderInputs;
            assert.deepStrictEqual((await captured(() => provider.diff!("quiet", outs, next))).result, {
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });
    });

    describe("NotUpdatable (default): the update fails, deletes nothing, and the next diff plans the replacement", () => {
        for (const named of [false, true]) {
            it(`records what Cloud Control refused (${named ? "user-set TableName: delete-first next" : "generated name: create-first next"})`, async () => {
                const name = named ? { TableName: "nu-named" } : {};
                const inputs = await checked(named ? "nu-named" : "nu-gen", "AWS::DynamoDB::Table", { ...name, ...keyA });
                const { id, outs } = await create(inputs);
                const next = await checked(named ? "nu-named" : "nu-gen", "AWS::DynamoDB::Table", { ...name, ...keyB }, inputs as never);
                const before = emulator
                    .listResources("AWS::DynamoDB::Table")
                    .map((r) => r.identifier)
                    .sort();
                const writes = () => emulator.countRequests("CreateResource") + emulator.countRequests("DeleteResource");
                const writesBefore = writes();
                const error = await errorOf(captured(() => provider.update!(id, outs, next)));
                assert.strictEqual(writes(), writesBefore, "no CreateResource or DeleteResource");
                // Nothing created or deleted, the table unchanged.
                assert.deepStrictEqual(
                    emulator
                        .listResources("AWS::DynamoDB::Table")
                        .map((r) => r.identifier)
                        .sort(),
                    before,
                );
                assert.deepStrictEqual(emulator.getResource("AWS::DynamoDB::Table", id)?.properties.KeySchema, keyA.KeySchema);
                assert.match(
                    error.message,
                    /cannot update .* in place: desiredState\.KeySchema cannot change without replacing the resource/,
                );
                assert.match(error.message, /Nothing was changed\. The next preview shows a replacement/);
                assert.match(error.message, /replaceOnNotUpdatable: true/);
                // A partial update: Pulumi records these outputs (the resource as it is, plus what it learned).
                assert.strictEqual(error.id, id);
                const recorded = error.properties as ProviderOutputs;
                assert.deepStrictEqual(recorded.__notUpdatable, ["/KeySchema"]);
                assert.deepStrictEqual(recorded.desiredState, outs.desiredState);
                assert.strictEqual(recorded.identifier, id);
                assert.deepStrictEqual(
                    JSON.parse(JSON.stringify(recorded)),
                    recorded,
                    "no undefined anywhere (the host could not send it)",
                );

                const planned = (await captured(() => provider.diff!(id, recorded, next))).result;
                assert.deepStrictEqual(planned, { changes: true, replaces: ["desiredState.KeySchema"], deleteBeforeReplace: named });
                // Back to the old key schema: no replacement (the engine's update for the init errors then clears it).
                assert.deepStrictEqual((await captured(() => provider.diff!(id, recorded, inputs))).result.replaces, []);
                const settled = (await captured(() => provider.update!(id, recorded, inputs))).result.outs!;
                assert.strictEqual(settled.__notUpdatable, undefined);
                // Refresh keeps what was learned.
                assert.deepStrictEqual(
                    ((await captured(() => provider.read!(id, recorded))).result.props as ProviderOutputs).__notUpdatable,
                    ["/KeySchema"],
                );
                await captured(() => provider.delete!(id, outs));
            });
        }
    });

    describe("NotUpdatable with replaceOnNotUpdatable: true → the update replaces the resource itself", () => {
        const optIn = { replaceOnNotUpdatable: true };
        // Tables without TableName get their names from Cloud Control here (an autonamed one keeps its name through
        // the replacement, so it is deleted first: test/integration/autonaming.test.ts).
        before(() =>
            provider.configure!({
                config: {
                    get: (key: string) => (key === "pulumi:autonaming" ? '{"mode":"disabled"}' : undefined),
                    require: () => "",
                } as never,
            }),
        );
        after(() => provider.configure!({ config: { get: () => undefined, require: () => "" } as never }));

        it("creates the new resource first when its identifier is generated, then deletes the old one", async () => {
            const inputs = await checked("table-gen", "AWS::DynamoDB::Table", keyA);
            const { id, outs } = await create(inputs);
            const next = await checked("table-gen", "AWS::DynamoDB::Table", keyB, inputs as never, optIn);
            const diff = await captured(() => provider.diff!(id, outs, next));
            assert.strictEqual(diff.result.changes, true);
            assert.deepStrictEqual(diff.result.replaces, [], "a conditional create-only change is planned as an update");

            const { result, lines } = await captured(() => provider.update!(id, outs, next));
            const after = result.outs!;
            assert.notStrictEqual(after.identifier, id);
            assert.deepStrictEqual(after.properties.KeySchema, keyB.KeySchema);
            const live = emulator
                .listResources("AWS::DynamoDB::Table")
                .filter((r) => r.identifier === id || r.identifier === after.identifier);
            assert.deepStrictEqual(
                live.map((r) => r.identifier),
                [after.identifier],
                "the old table is gone, the new one live",
            );
            const told = lines.join("\n");
            assert.match(told, /NotUpdatable/);
            assert.ok(told.includes(`replaced ${id} with ${after.identifier}`), told);

            // Later operations act on the new resource: refresh moves the Pulumi id, update and delete use identifier.
            const read = await captured(() => provider.read!(id, after));
            assert.strictEqual(read.result.id, after.identifier);
            assert.deepStrictEqual((read.result.inputs as ProviderInputs).desiredState, keyB);
            const again = await captured(() => provider.diff!(id, after, next));
            assert.strictEqual(again.result.changes, false);
            await captured(() => provider.delete!(id, after));
            assert.strictEqual(emulator.getResource("AWS::DynamoDB::Table", after.identifier), undefined);
        });

        it("keeps the new resource's create journal entry until the update reports it, after the old one's delete", async () => {
            const inputs = await checked("table-window", "AWS::DynamoDB::Table", keyA);
            const { id, outs } = await create(inputs);
            const next = await checked("table-window", "AWS::DynamoDB::Table", keyB, inputs as never, optIn);
            emulator.setDurations({ "AWS::DynamoDB::Table": { delete: 1000 } });
            const deletes = emulator.countRequests("DeleteResource");
            const updating = captured(() => provider.update!(id, outs, next));
            await waitFor(() => emulator.countRequests("DeleteResource") > deletes, "the old table's delete");
            // A crash now leaves the new table live and not in state: the journal is the next run's way back to it.
            const entry = journalFor(next.__identity)!.read();
            assert.ok(entry, "the create journal still holds the replacement's create while the old table is deleted");
            assert.strictEqual(entry.typeName, "AWS::DynamoDB::Table");
            assert.ok(entry.requestTokens.length > 0, "with the request that made the new table");
            const { result } = await updating;
            assert.notStrictEqual(result.outs!.identifier, id);
            assert.strictEqual(journalFor(next.__identity)!.read(), undefined, "reported: the entry is gone");
            await captured(() => provider.delete!(id, result.outs!));
        });

        it("deletes the old resource first when the replacement keeps its identifier", async () => {
            const inputs = await checked("table-named", "AWS::DynamoDB::Table", { TableName: "table-named", ...keyA });
            const { id, outs } = await create(inputs);
            const next = await checked(
                "table-named",
                "AWS::DynamoDB::Table",
                { TableName: "table-named", ...keyB },
                inputs as never,
                optIn,
            );
            const { result, lines } = await captured(() => provider.update!(id, outs, next));
            assert.strictEqual(result.outs!.identifier, "table-named");
            assert.deepStrictEqual(emulator.getResource("AWS::DynamoDB::Table", "table-named")?.properties.KeySchema, keyB.KeySchema);
            assert.strictEqual(emulator.listResources("AWS::DynamoDB::Table").filter((r) => r.identifier === "table-named").length, 1);
            assert.match(lines.join("\n"), /deleting the old resource first/);
            await captured(() => provider.delete!(id, result.outs!));
        });

        it("keeps a replaced resource it could not delete in state, and deletes it on the next update", async () => {
            const inputs = await checked("table-stuck", "AWS::DynamoDB::Table", keyA);
            const { id, outs } = await create(inputs);
            const next = await checked("table-stuck", "AWS::DynamoDB::Table", keyB, inputs as never, optIn);
            emulator.injectFaults({
                operation: "DeleteResource",
                typeName: "AWS::DynamoDB::Table",
                kind: "failed",
                errorCode: "AccessDenied",
                count: 1,
            });
            const error = await errorOf(captured(() => provider.update!(id, outs, next)));
            emulator.clearFaults();
            assert.strictEqual(error.id, id, "a partial update: Pulumi records the outputs it carries");
            const recorded = error.properties as ProviderOutputs;
            assert.notStrictEqual(recorded.identifier, id);
            assert.deepStrictEqual(
                recorded.__pendingDelete?.map((p) => p.identifier),
                [id],
            );
            assert.match(error.message, new RegExp(`deleting ${id} is retried`));
            assert.ok(emulator.getResource("AWS::DynamoDB::Table", id), "the old table is still there");

            const diff = await captured(() => provider.diff!(id, recorded, next));
            assert.strictEqual(diff.result.changes, true);
            const retried = await captured(() => provider.update!(id, recorded, next));
            assert.strictEqual(retried.result.outs!.__pendingDelete, undefined);
            assert.strictEqual(emulator.getResource("AWS::DynamoDB::Table", id), undefined, "deleted on the next update");
            await captured(() => provider.delete!(id, retried.result.outs!));
            assert.strictEqual(emulator.getResource("AWS::DynamoDB::Table", recorded.identifier), undefined);
        });

        it("a later self-replacement still deletes what an earlier one could not", async () => {
            const inputs = await checked("table-twice", "AWS::DynamoDB::Table", keyA);
            const { id, outs } = await create(inputs);
            const next = await checked("table-twice", "AWS::DynamoDB::Table", keyB, inputs as never, optIn);
            emulator.injectFaults({
                operation: "DeleteResource",
                typeName: "AWS::DynamoDB::Table",
                kind: "failed",
                errorCode: "AccessDenied",
                count: 1,
            });
            const error = await errorOf(captured(() => provider.update!(id, outs, next)));
            emulator.clearFaults();
            const recorded = error.properties as ProviderOutputs;
            assert.deepStrictEqual(
                recorded.__pendingDelete?.map((p) => p.identifier),
                [id],
            );

            // Back to keyA: NotUpdatable again, and this replacement succeeds.
            const back = await checked("table-twice", "AWS::DynamoDB::Table", keyA, next as never, optIn);
            const { result } = await captured(() => provider.update!(id, recorded, back));
            const after = result.outs!;
            assert.notStrictEqual(after.identifier, recorded.identifier);
            assert.strictEqual(after.__pendingDelete, undefined);
            assert.strictEqual(
                emulator.getResource("AWS::DynamoDB::Table", recorded.identifier),
                undefined,
                "the replaced table is deleted",
            );
            assert.strictEqual(
                emulator.getResource("AWS::DynamoDB::Table", id),
                undefined,
                "the table the first replacement left is deleted too",
            );
            await captured(() => provider.delete!(id, after));
        });

        it("a delete-first replacement that fails keeps what is pending, and destroy deletes it", async () => {
            const leftover = await create(await checked("table-leftover", "AWS::DynamoDB::Table", keyA));
            const inputs = await checked("table-named2", "AWS::DynamoDB::Table", { TableName: "table-named2", ...keyA });
            const named = await create(inputs);
            const recorded = { ...named.outs, __pendingDelete: [{ typeName: "AWS::DynamoDB::Table", identifier: leftover.id }] };
            const next = await checked(
                "table-named2",
                "AWS::DynamoDB::Table",
                { TableName: "table-named2", ...keyB },
                inputs as never,
                optIn,
            );
            emulator.injectFaults({
                operation: "CreateResource",
                typeName: "AWS::DynamoDB::Table",
                kind: "failed",
                errorCode: "InvalidRequest",
                statusMessage: "nope",
                count: 1,
            });
            const error = await errorOf(captured(() => provider.update!(named.id, recorded, next)));
            emulator.clearFaults();
            const kept = error.properties as ProviderOutputs;
            assert.strictEqual(kept.__gone, true, "the old table was deleted first and nothing replaced it");
            assert.strictEqual(kept.identifier, named.id);
            assert.deepStrictEqual(
                (await captured(() => provider.diff!(named.id, kept, next))).result.replaces,
                ["identifier"],
                "the next diff plans a create",
            );
            assert.deepStrictEqual(
                kept.__pendingDelete?.map((p) => p.identifier),
                [leftover.id],
            );
            // Refresh keeps the record (and with it the pending table), deleting nothing.
            emulator.clearRequestLog();
            const refreshed = (await captured(() => provider.read!(named.id, kept))).result;
            assert.strictEqual(emulator.countRequests("DeleteResource"), 0, "refresh deletes nothing");
            assert.strictEqual(refreshed.id, named.id, "refresh keeps the record: it still has a table to delete");
            assert.strictEqual((refreshed.props as ProviderOutputs).__gone, true);
            assert.deepStrictEqual(
                (refreshed.props as ProviderOutputs).__pendingDelete?.map((p) => p.identifier),
                [leftover.id],
            );
            await captured(() => provider.delete!(named.id, refreshed.props as ProviderOutputs));
            assert.strictEqual(emulator.getResource("AWS::DynamoDB::Table", leftover.id), undefined, "destroy deleted the pending table");
            assert.strictEqual(
                (await captured(() => provider.read!(named.id, { ...kept, __pendingDelete: [] }))).result.id,
                "",
                "nothing left to delete: refresh drops it",
            );
        });

        it("refresh of a resource deleted out of band keeps the record while replaced resources are still to be deleted, deleting nothing", async () => {
            const leftover = await create(await checked("table-orphan", "AWS::DynamoDB::Table", keyA));
            const tracked = await create(await checked("table-vanished", "AWS::DynamoDB::Table", keyA));
            const recorded: ProviderOutputs = {
                ...tracked.outs,
                __pendingDelete: [{ typeName: "AWS::DynamoDB::Table", identifier: leftover.id }],
            };
            emulator.deleteResourceOutOfBand("AWS::DynamoDB::Table", tracked.id);
            emulator.clearRequestLog();
            const kept = await captured(() => provider.read!(tracked.id, recorded));
            assert.strictEqual(kept.result.id, tracked.id, "not dropped: that would forget the pending table");
            const outs = kept.result.props as ProviderOutputs;
            assert.strictEqual(outs.__gone, true, "nothing is live: the next diff plans a create");
            assert.deepStrictEqual(
                outs.__pendingDelete?.map((p) => p.identifier),
                [leftover.id],
            );
            assert.deepStrictEqual((kept.result.inputs as ProviderInputs).desiredState, keyA);
            assert.ok(
                kept.lines.some((l) => l.includes(leftover.id) && /still has to be deleted/.test(l)),
                kept.lines.join("\n"),
            );
            // Refresh (and `preview --refresh`, which reads too) changes nothing in AWS.
            assert.strictEqual(emulator.countRequests("DeleteResource"), 0);
            assert.ok(emulator.getResource("AWS::DynamoDB::Table", leftover.id), "the pending table is still there");
            assert.deepStrictEqual((await captured(() => provider.diff!(tracked.id, outs, tracked.outs))).result.replaces, ["identifier"]);

            // A second refresh keeps it too; destroy deletes the pending table.
            const again = await captured(() => provider.read!(tracked.id, outs));
            assert.strictEqual(again.result.id, tracked.id);
            await captured(() => provider.delete!(tracked.id, again.result.props as ProviderOutputs));
            assert.strictEqual(emulator.getResource("AWS::DynamoDB::Table", leftover.id), undefined, "destroy deleted the pending table");
        });

        it("keeps a half-made replacement it could not delete in state, with the old resource", async () => {
            const inputs = await checked("table-half", "AWS::DynamoDB::Table", keyA);
            const { id, outs } = await create(inputs);
            const next = await checked("table-half", "AWS::DynamoDB::Table", keyB, inputs as never, optIn);
            const before = new Set(emulator.listResources("AWS::DynamoDB::Table").map((r) => r.identifier));
            // The replacement is created but cannot be read back (a partial create), and deleting it fails.
            emulator.injectFaults(
                { operation: "GetResource", typeName: "AWS::DynamoDB::Table", kind: "concurrent", count: 20 },
                { operation: "DeleteResource", typeName: "AWS::DynamoDB::Table", kind: "failed", errorCode: "AccessDenied", count: 1 },
            );
            const error = await errorOf(captured(() => provider.update!(id, outs, next)));
            emulator.clearFaults();
            const halfMade = emulator.listResources("AWS::DynamoDB::Table").filter((r) => !before.has(r.identifier));
            assert.strictEqual(halfMade.length, 1, "the half-made replacement is live");
            assert.strictEqual(error.id, id, "a partial update: Pulumi records the outputs it carries");
            const recorded = error.properties as ProviderOutputs;
            assert.strictEqual(recorded.identifier, id, "Pulumi goes on tracking the old resource");
            assert.deepStrictEqual(recorded.desiredState, keyA);
            assert.deepStrictEqual(
                recorded.__pendingDelete?.map((p) => p.identifier),
                [halfMade[0].identifier],
            );
            assert.match(error.message, /old resource is unchanged/);

            await captured(() => provider.delete!(id, recorded));
            assert.strictEqual(emulator.getResource("AWS::DynamoDB::Table", halfMade[0].identifier), undefined);
            assert.strictEqual(emulator.getResource("AWS::DynamoDB::Table", id), undefined);
        });

        it("deletes a pending resource with the role and type version it was recorded with", async () => {
            const leftover = await create(await checked("table-old-role", "AWS::DynamoDB::Table", keyA));
            const inputs = await checked(
                "table-new-role",
                "AWS::DynamoDB::Table",
                keyA,
                {},
                { roleArn: "arn:aws:iam::123456789012:role/new" },
            );
            const { id, outs } = await create(inputs);
            const oldRole = "arn:aws:iam::123456789012:role/old";
            const recorded = {
                ...outs,
                __pendingDelete: [
                    { typeName: "AWS::DynamoDB::Table", identifier: leftover.id, roleArn: oldRole, typeVersionId: "00000001" },
                ],
            };
            const seen: Array<{ operation: string; body: Record<string, unknown> }> = [];
            const tap = await regionRouter({ "us-east-1": emulator }, seen);
            const endpoint = process.env.AWS_ENDPOINT_URL;
            process.env.AWS_ENDPOINT_URL = tap.endpoint;
            try {
                const { result } = await captured(() => provider.update!(id, recorded, inputs));
                assert.strictEqual(result.outs!.__pendingDelete, undefined);
            } finally {
                process.env.AWS_ENDPOINT_URL = endpoint;
                await tap.close();
            }
            const deletes = seen.filter((r) => r.operation === "DeleteResource" && r.body.Identifier === leftover.id);
            assert.deepStrictEqual(
                deletes.map((r) => [r.body.RoleArn, r.body.TypeVersionId]),
                [[oldRole, "00000001"]],
            );
            assert.strictEqual(emulator.getResource("AWS::DynamoDB::Table", leftover.id), undefined);
            await captured(() => provider.delete!(id, outs));
        });

        it("leaves the old resource untouched when the replacement cannot be created", async () => {
            const inputs = await checked("table-fail", "AWS::DynamoDB::Table", keyA);
            const { id, outs } = await create(inputs);
            const next = await checked("table-fail", "AWS::DynamoDB::Table", keyB, inputs as never, optIn);
            emulator.injectFaults({
                operation: "CreateResource",
                typeName: "AWS::DynamoDB::Table",
                kind: "failed",
                errorCode: "InvalidRequest",
                statusMessage: "nope",
            });
            const error = await errorOf(captured(() => provider.update!(id, outs, next)));
            assert.match(error.message, /could not be created/);
            assert.match(error.message, /old resource is unchanged/);
            assert.deepStrictEqual(emulator.getResource("AWS::DynamoDB::Table", id)?.properties.KeySchema, keyA.KeySchema);
            emulator.clearFaults();
            await captured(() => provider.delete!(id, outs));
        });
    });

    it("keeps write-only values: no drift after a refresh", async () => {
        const state = { Name: "wo-param", Type: "String", Value: "v", Description: "write-only text", Tier: "Standard" };
        const inputs = await checked("wo-param", "AWS::SSM::Parameter", state);
        const { id, outs } = await create(inputs);
        assert.strictEqual(outs.properties.Description, "write-only text", "properties keep write-only values");
        const read = (await captured(() => provider.read!(id, outs))).result;
        assert.deepStrictEqual((read.inputs as ProviderInputs).desiredState, state);
        assert.strictEqual((read.props as ProviderOutputs).properties.Description, "write-only text");
        const next = await checked("wo-param", "AWS::SSM::Parameter", state, read.inputs as never);
        assert.deepStrictEqual((await captured(() => provider.diff!(id, read.props as ProviderOutputs, next))).result.changes, false);
        await captured(() => provider.delete!(id, outs));
    });

    it("refresh shows an out-of-band change as drift, and a deleted resource as gone", async () => {
        const inputs = await checked("drifty", "AWS::Logs::LogGroup", { LogGroupName: "drifty", RetentionInDays: 7 });
        const { id, outs } = await create(inputs);
        emulator.putResource("AWS::Logs::LogGroup", id, {
            ...emulator.getResource("AWS::Logs::LogGroup", id)!.properties,
            RetentionInDays: 30,
        });
        const read = (await captured(() => provider.read!(id, outs))).result;
        assert.strictEqual((read.inputs as ProviderInputs).desiredState.RetentionInDays, 30);
        const diff = await captured(() => provider.diff!(id, read.props as ProviderOutputs, inputs));
        assert.strictEqual(diff.result.changes, true, "the program's value differs from the refreshed one");
        emulator.deleteResourceOutOfBand("AWS::Logs::LogGroup", id);
        assert.strictEqual((await captured(() => provider.read!(id, outs))).result.id, "");
    });

    describe("importId: adopt an existing resource", () => {
        it("adopts a resource that already matches without writing to it; later changes of importId change nothing", async () => {
            const state = { LogGroupName: "adopt-same", RetentionInDays: 30 };
            const made = await create(await checked("made-elsewhere", "AWS::Logs::LogGroup", state));
            const inputs = await checked("adopt-same", "AWS::Logs::LogGroup", state, {}, { importId: "adopt-same" });
            const writes = emulator.countRequests("UpdateResource") + emulator.countRequests("CreateResource");
            const adopted = await create(inputs);
            assert.strictEqual(
                emulator.countRequests("UpdateResource") + emulator.countRequests("CreateResource"),
                writes,
                "nothing written",
            );
            assert.strictEqual(adopted.id, made.id);
            assert.strictEqual(adopted.outs.importId, "adopt-same");
            assert.ok(adopted.outs.properties.Arn);
            assert.match(adopted.lines.join("\n"), /adopted adopt-same \(importId\): it already matches/);
            assert.strictEqual((await captured(() => provider.diff!(adopted.id, adopted.outs, inputs))).result.changes, false);
            const { importId: _gone, ...without } = inputs;
            assert.strictEqual(
                (await captured(() => provider.diff!(adopted.id, adopted.outs, without as ProviderInputs))).result.changes,
                false,
                "removing importId changes nothing",
            );
            assert.strictEqual(
                (await captured(() => provider.diff!(adopted.id, adopted.outs, { ...inputs, importId: "other" }))).result.changes,
                false,
                "nor does changing it",
            );
            await captured(() => provider.delete!(adopted.id, adopted.outs));
        });

        it("brings the properties desiredState sets to their values with one UpdateResource, leaving the others alone", async () => {
            await create(
                await checked("made-elsewhere-2", "AWS::Logs::LogGroup", {
                    LogGroupName: "adopt-update",
                    RetentionInDays: 30,
                    KmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k",
                }),
            );
            const before = emulator.countRequests("UpdateResource");
            const adopted = await create(
                await checked(
                    "adopt-update",
                    "AWS::Logs::LogGroup",
                    { LogGroupName: "adopt-update", RetentionInDays: 7 },
                    {},
                    { importId: "adopt-update" },
                ),
            );
            assert.strictEqual(emulator.countRequests("UpdateResource"), before + 1);
            const live = emulator.getResource("AWS::Logs::LogGroup", "adopt-update")!.properties;
            assert.strictEqual(live.RetentionInDays, 7);
            assert.strictEqual(
                live.KmsKeyId,
                "arn:aws:kms:us-east-1:123456789012:key/k",
                "a property desiredState does not set is left alone",
            );
            assert.deepStrictEqual(adopted.outs.desiredState, { LogGroupName: "adopt-update", RetentionInDays: 7 });
            await captured(() => provider.delete!(adopted.id, adopted.outs));
        });

        it("fails without touching anything when a create-only property differs, naming it", async () => {
            const trust = {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            };
            await create(
                await checked("made-elsewhere-3", "AWS::IAM::Role", {
                    RoleName: "adopt-role",
                    Path: "/a/",
                    AssumeRolePolicyDocument: trust,
                }),
            );
            const writes = () =>
                emulator.requestLog.filter((e) => ["UpdateResource", "CreateResource", "DeleteResource"].includes(e.operation)).length;
            const before = writes();
            const inputs = await checked(
                "adopt-role",
                "AWS::IAM::Role",
                { RoleName: "adopt-role", Path: "/b/", AssumeRolePolicyDocument: trust, MaxSessionDuration: 7200 },
                {},
                { importId: "adopt-role" },
            );
            const error = await errorOf(captured(() => provider.create(inputs)));
            assert.strictEqual(writes(), before, "no write");
            assert.match(
                error.message,
                /cannot adopt adopt-role \(importId\): desiredState\.Path differs from the live resource and cannot change without replacing it\. Nothing was changed/,
            );
            assert.strictEqual(error.id, undefined, "not a partial create: nothing is claimed");
            assert.strictEqual(emulator.getResource("AWS::IAM::Role", "adopt-role")?.properties.Path, "/a/");
            assert.strictEqual(
                emulator.getResource("AWS::IAM::Role", "adopt-role")?.properties.MaxSessionDuration,
                undefined,
                "not even the updatable difference was applied",
            );
            emulator.deleteResourceOutOfBand("AWS::IAM::Role", "adopt-role");
        });

        it("fails clearly when there is nothing to adopt", async () => {
            const inputs = await checked(
                "adopt-none",
                "AWS::Logs::LogGroup",
                { LogGroupName: "adopt-none" },
                {},
                { importId: "adopt-none" },
            );
            const error = await errorOf(captured(() => provider.create(inputs)));
            assert.match(
                error.message,
                /importId adopt-none: no AWS::Logs::LogGroup with that identifier exists in us-east-1; nothing was created/,
            );
            assert.strictEqual(emulator.getResource("AWS::Logs::LogGroup", "adopt-none"), undefined);
        });
    });

    it("reports a partial create with the id when the resource was made but could not be read back", async () => {
        const inputs = await checked("partial", "AWS::Logs::LogGroup", { LogGroupName: "partial" });
        emulator.injectFaults({ operation: "GetResource", kind: "concurrent", count: 20 });
        const error = await errorOf(captured(() => provider.create(inputs)));
        emulator.clearFaults();
        assert.strictEqual(error.id, "partial");
        assert.strictEqual(error.properties.identifier, "partial");
        assert.deepStrictEqual(error.reasons, [error.message]);
        assert.match(error.message, /created partial/);
        assert.ok(emulator.getResource("AWS::Logs::LogGroup", "partial"), "the resource exists and is in the error for Pulumi to keep");
        await captured(() => provider.delete!(error.id, error.properties));
    });

    it("gives up at the create timeout, cancels the request and says so", async () => {
        emulator.setDurations({ "AWS::Logs::LogGroup": { create: 1500 } });
        const inputs = await checked("slow", "AWS::Logs::LogGroup", { LogGroupName: "slow" }, {}, { timeouts: { create: 0.5 } });
        const error = await errorOf(captured(() => provider.create(inputs)));
        assert.match(error.message, /did not finish within 0\.5 s/);
        assert.match(error.message, /CANCEL_COMPLETE/);
        assert.strictEqual(emulator.countRequests("CancelResourceRequest"), 1, "the request was cancelled");
        assert.strictEqual(emulator.getResource("AWS::Logs::LogGroup", "slow"), undefined, "a cancelled create left a resource");
        assert.strictEqual(journalFor(inputs.__identity)!.read(), undefined, "CANCEL_COMPLETE made nothing: no request to find again");
    });

    describe("hooks", () => {
        it("prints a WARN hook's warning and goes on", async () => {
            emulator.setHooks([
                {
                    name: "Private::Guard::Tags",
                    typeName: "AWS::Logs::LogGroup",
                    operations: ["CREATE"],
                    failureMode: "WARN",
                    message: "tags missing",
                },
            ]);
            const inputs = await checked("warned", "AWS::Logs::LogGroup", { LogGroupName: "warned" });
            const { id, outs, lines } = await create(inputs);
            assert.match(lines.join("\n"), /warning: .*Private::Guard::Tags/);
            await captured(() => provider.delete!(id, outs));
        });

        it("fails the create with a FAIL hook's name and message, leaving nothing behind", async () => {
            emulator.setHooks([
                {
                    name: "Private::Guard::Deny",
                    typeName: "AWS::Logs::LogGroup",
                    operations: ["CREATE"],
                    failureMode: "FAIL",
                    message: "denied by policy",
                },
            ]);
            const inputs = await checked("denied", "AWS::Logs::LogGroup", { LogGroupName: "denied" });
            const error = await errorOf(captured(() => provider.create(inputs)));
            assert.match(error.message, /Private::Guard::Deny/);
            assert.strictEqual(error.id, undefined, "not a partial create");
            assert.strictEqual(emulator.getResource("AWS::Logs::LogGroup", "denied"), undefined);
        });
    });

    it("diffs unknown values (preview) as changes, and a create-only unknown as a replacement", async () => {
        const inputs = await checked("unknowns", "AWS::Logs::LogGroup", { LogGroupName: "unknowns", RetentionInDays: 7 });
        const outs = { ...inputs, identifier: "unknowns", properties: {} } as ProviderOutputs;
        const retention = await captured(() =>
            provider.diff!("unknowns", outs, { ...inputs, desiredState: { LogGroupName: "unknowns", RetentionInDays: UNKNOWN } }),
        );
        assert.deepStrictEqual(retention.result, { changes: true, replaces: [], deleteBeforeReplace: false });
        const name = await captured(() =>
            provider.diff!("unknowns", outs, { ...inputs, desiredState: { LogGroupName: UNKNOWN, RetentionInDays: 7 } }),
        );
        assert.strictEqual(name.result.changes, true);
        assert.deepStrictEqual(name.result.replaces, ["desiredState.LogGroupName"]);
        const whole = await captured(() => provider.diff!("unknowns", outs, { ...inputs, desiredState: UNKNOWN as never }));
        assert.deepStrictEqual(
            whole.result,
            { changes: true, replaces: [], deleteBeforeReplace: false },
            "planned as an update, compared for real at deployment",
        );
        assert.match(whole.lines.join("\n"), /not known until/);
    });

    it("diffs with the resource's current schema when the schema or typeVersionId is unknown (preview), reporting a change", async () => {
        const inputs = await checked("unknown-schema", "AWS::Logs::LogGroup", { LogGroupName: "unknown-schema", RetentionInDays: 7 });
        const outs = { ...inputs, identifier: "unknown-schema", properties: {} } as ProviderOutputs;
        for (const setting of [
            { typeVersionId: UNKNOWN },
            { schema: UNKNOWN },
            { schema: { typeName: "AWS::Logs::LogGroup", properties: UNKNOWN } },
        ]) {
            const lookups = emulator.countRequests("DescribeType");
            const same = await captured(() => provider.diff!("unknown-schema", outs, { ...inputs, ...setting } as ProviderInputs));
            // (The emulator ignores VersionId; AWS would reject the placeholder: no DescribeType must ask for it.)
            assert.strictEqual(emulator.countRequests("DescribeType"), lookups, `${JSON.stringify(setting)}: no DescribeType`);
            assert.deepStrictEqual(
                same.result,
                { changes: true, replaces: [], deleteBeforeReplace: false },
                `${JSON.stringify(setting)}: the setting may change`,
            );
            assert.match(same.lines.join("\n"), /not known yet/);
            // The desired state is still compared: a create-only change is a replacement (per the current schema).
            const renamed = await captured(() =>
                provider.diff!("unknown-schema", outs, {
                    ...inputs,
                    ...setting,
                    desiredState: { LogGroupName: "unknown-schema-2", RetentionInDays: 7 },
                } as ProviderInputs),
            );
            assert.deepStrictEqual(renamed.result.replaces, ["desiredState.LogGroupName"], JSON.stringify(setting));
        }
    });

    describe("creates never hand back a resource the stack may track; crash safety through the create journal", () => {
        const client = () => getCloudControlClient({ region: "us-east-1", endpoint: emulator.endpoint });
        /** What a run killed after Cloud Control accepted its create leaves: a journal entry and a request. */
        async function crashedCreate(
            inputs: ProviderInputs,
            clientToken: string,
            desiredState = inputs.desiredState,
            entry: { startedAt?: string } = {},
        ): Promise<string> {
            const journal = journalFor(inputs.__identity)!;
            // As the provider's create records it: with the name autonaming made, if any.
            const autoname = inputs.__autonamed
                ? { property: inputs.__autonamed, value: inputs.desiredState[inputs.__autonamed] as string }
                : undefined;
            journal.start({ clientToken, typeName: inputs.typeName, region: "us-east-1", ...(autoname ? { autoname } : {}), ...entry });
            const out = await client().send(
                new CreateResourceCommand({
                    TypeName: inputs.typeName,
                    DesiredState: JSON.stringify(desiredState),
                    ClientToken: clientToken,
                }),
            );
            journal.sawRequest(out.ProgressEvent!.RequestToken!);
            return out.ProgressEvent!.RequestToken!;
        }

        it("a replacement with identical inputs makes a new resource (the engine calls check with no olds, then create)", async () => {
            const inputs = await checked("replace-queue", "AWS::SQS::Queue", { VisibilityTimeout: 46 });
            const first = await create(inputs);
            const replacement = await create(await checked("replace-queue", "AWS::SQS::Queue", { VisibilityTimeout: 46 }));
            assert.notStrictEqual(replacement.id, first.id);
            assert.strictEqual(emulator.listResources("AWS::SQS::Queue").filter((r) => r.properties.VisibilityTimeout === 46).length, 2);
            await captured(() => provider.delete!(first.id, first.outs));
            await captured(() => provider.delete!(replacement.id, replacement.outs));
        });

        it("a re-run after a crash mid-create asks for the crashed run's request and adopts its resource: one resource", async () => {
            const inputs = await checked("rerun-queue", "AWS::SQS::Queue", { VisibilityTimeout: 45 });
            const requestToken = await crashedCreate(inputs, "crashed-token-1");
            const rerun = await create(await checked("rerun-queue", "AWS::SQS::Queue", { VisibilityTimeout: 45 }));
            assert.strictEqual(
                emulator.listResources("AWS::SQS::Queue").filter((r) => r.properties.VisibilityTimeout === 45).length,
                1,
                "no second queue",
            );
            assert.match(rerun.lines.join("\n"), new RegExp(`ClientToken crashed-token-1, request ${requestToken}`));
            assert.match(rerun.lines.join("\n"), /was made by the earlier run's request; Pulumi now tracks it/);
            assert.strictEqual(journalFor(inputs.__identity)!.read(), undefined, "the journal entry is gone once reported");
            // Reported: the next create of this resource (a replacement) makes a new one.
            const replacement = await create(await checked("rerun-queue", "AWS::SQS::Queue", { VisibilityTimeout: 45 }));
            assert.notStrictEqual(replacement.id, rerun.id);
            await captured(() => provider.delete!(rerun.id, rerun.outs));
            await captured(() => provider.delete!(replacement.id, replacement.outs));
        });

        it("when the crashed run's request cannot be used (the program changed), creates a new one and names the earlier request and resource", async () => {
            const inputs = await checked("changed-queue", "AWS::SQS::Queue", { VisibilityTimeout: 48 });
            const requestToken = await crashedCreate(inputs, "crashed-token-2", { VisibilityTimeout: 40 });
            await new Promise((resolve) => setTimeout(resolve, 100));
            const earlier = emulator.listResources("AWS::SQS::Queue").find((r) => r.properties.VisibilityTimeout === 40)!;
            const made = await create(inputs);
            assert.notStrictEqual(made.id, earlier.identifier);
            const told = made.lines.join("\n");
            assert.match(told, new RegExp(`warning: an earlier run .*ClientToken crashed-token-2, request ${requestToken}`));
            assert.ok(told.includes(`It made ${earlier.identifier}`), told);
            assert.match(told, /which this stack does not track: delete it, or adopt it with importId/);
            await captured(() => provider.delete!(made.id, made.outs));
            emulator.deleteResourceOutOfBand("AWS::SQS::Queue", earlier.identifier);
        });

        it("an expired crashed create's autoname is not reused: a new name, a new resource, and a warning instead of AlreadyExists", async () => {
            const inputs = await checked("expired-logs", "AWS::Logs::LogGroup", { RetentionInDays: 3 });
            const earlierName = inputs.desiredState.LogGroupName as string;
            await crashedCreate(inputs, "crashed-token-4", inputs.desiredState, {
                startedAt: new Date(Date.now() - 37 * 3600 * 1000).toISOString(),
            });
            await waitFor(() => emulator.getResource("AWS::Logs::LogGroup", earlierName) !== undefined, "the earlier run's log group");
            const rerun = await create(await checked("expired-logs", "AWS::Logs::LogGroup", { RetentionInDays: 3 }));
            assert.notStrictEqual(rerun.id, earlierName, "a name the earlier, untracked log group does not hold");
            assert.match(
                rerun.lines.join("\n"),
                /warning: an earlier run .*ClientToken crashed-token-4.*its idempotency token has expired/,
            );
            await captured(() => provider.delete!(rerun.id, rerun.outs));
            emulator.deleteResourceOutOfBand("AWS::Logs::LogGroup", earlierName);
        });

        it("a crashed create sent to another region is not replayed here: a new resource, and a warning naming that region", async () => {
            const inputs = await checked("other-region", "AWS::Logs::LogGroup", { LogGroupName: "other-region" });
            journalFor(inputs.__identity)!.start({ clientToken: "crashed-token-5", typeName: "AWS::Logs::LogGroup", region: "eu-west-1" });
            const made = await create(inputs);
            const told = made.lines.join("\n");
            assert.match(told, /warning: an earlier run .*ClientToken crashed-token-5.*it was sent to region eu-west-1/);
            assert.doesNotMatch(told, /was made by the earlier run's request/, "a token of another region is not this region's request");
            await captured(() => provider.delete!(made.id, made.outs));
        });

        it("after a failed create, a re-run tries again with a new request", async () => {
            emulator.injectFaults({
                operation: "CreateResource",
                typeName: "AWS::Logs::LogGroup",
                kind: "failed",
                errorCode: "InvalidRequest",
                statusMessage: "quota",
                count: 1,
            });
            const inputs = await checked("retry-after-fix", "AWS::Logs::LogGroup", { LogGroupName: "retry-after-fix" });
            const error = await errorOf(captured(() => provider.create(inputs)));
            assert.match(error.message, /InvalidRequest/);
            const again = await create(inputs);
            assert.strictEqual(again.id, "retry-after-fix");
            await captured(() => provider.delete!(again.id, again.outs));
        });

        it("a create whose outcome is unknown keeps its journal entry: the re-run finds the request and adopts what it made", async () => {
            emulator.setDurations({ "AWS::Logs::LogGroup": { create: 300 } });
            const inputs = await checked("unknown-outcome", "AWS::Logs::LogGroup", { LogGroupName: "unknown-outcome" });
            // Accepted, then its status cannot be read (expired credentials): the request goes on without this run.
            const proxy = await regionRouter({ "us-east-1": emulator }, [], (operation) =>
                operation === "GetResourceRequestStatus"
                    ? { type: "ExpiredTokenException", message: "The security token included in the request is expired" }
                    : undefined,
            );
            const endpoint = process.env.AWS_ENDPOINT_URL;
            process.env.AWS_ENDPOINT_URL = proxy.endpoint;
            let error;
            try {
                error = await errorOf(captured(() => provider.create(inputs)));
            } finally {
                process.env.AWS_ENDPOINT_URL = endpoint;
                await proxy.close();
            }
            assert.match(error.message, /ExpiredTokenException/);
            assert.ok(journalFor(inputs.__identity)!.read(), "the request may still make the resource: its entry stays");
            await new Promise((resolve) => setTimeout(resolve, 500));
            assert.ok(emulator.getResource("AWS::Logs::LogGroup", "unknown-outcome"), "the earlier request made it");

            const rerun = await create(inputs);
            assert.strictEqual(rerun.id, "unknown-outcome", "adopted, not AlreadyExists");
            assert.match(rerun.lines.join("\n"), /was made by the earlier run's request; Pulumi now tracks it/);
            assert.strictEqual(journalFor(inputs.__identity)!.read(), undefined, "reported: the entry is gone");
            await captured(() => provider.delete!(rerun.id, rerun.outs));
        });

        it("AlreadyExists is never a partial create: the error names the identifier and suggests importId", async () => {
            const existing = await create(await checked("someone-elses", "AWS::Logs::LogGroup", { LogGroupName: "taken-name" }));
            const error = await errorOf(
                captured(async () =>
                    provider.create(await checked("mine", "AWS::Logs::LogGroup", { LogGroupName: "taken-name", RetentionInDays: 7 })),
                ),
            );
            assert.strictEqual(error.id, undefined, "the stack does not record a resource it did not create");
            assert.match(
                error.message,
                /^'mine' \(AWS::Logs::LogGroup\): taken-name already exists, and this deployment did not create it/,
            );
            assert.match(error.message, /set importId: "taken-name"/);
            assert.match(error.message, /deleteBeforeReplace: true/);
            assert.strictEqual(
                emulator.getResource("AWS::Logs::LogGroup", "taken-name")?.properties.RetentionInDays,
                undefined,
                "the existing resource is untouched",
            );
            await captured(() => provider.delete!(existing.id, existing.outs));
        });

        it("a collision a handler reports with another code ('... already exists') is not claimed either", async () => {
            const existing = await create(await checked("theirs", "AWS::Logs::LogGroup", { LogGroupName: "taken-too" }));
            emulator.injectFaults({
                operation: "CreateResource",
                typeName: "AWS::Logs::LogGroup",
                kind: "failed",
                errorCode: "GeneralServiceException",
                statusMessage: "Resource of type 'AWS::Logs::LogGroup' with identifier 'taken-too' already exists.",
                count: 1,
            });
            const error = await errorOf(
                captured(async () => provider.create(await checked("ours", "AWS::Logs::LogGroup", { LogGroupName: "taken-too" }))),
            );
            emulator.clearFaults();
            assert.strictEqual(error.id, undefined, "not recorded: destroy would delete a resource this stack did not make");
            assert.match(error.message, /taken-too already exists, and this deployment did not create it/);
            assert.match(error.message, /\(Cloud Control: GeneralServiceException, request [^:]+: Resource of type .* already exists\.\)$/);
            await captured(() => provider.delete!(existing.id, existing.outs));
        });

        it("never deletes what a create of the same process returned (a replacement handed back the resource it replaces)", async () => {
            const inputs = await checked("handed-back", "AWS::Logs::LogGroup", { LogGroupName: "handed-back" });
            const made = await captured(() => provider.create(inputs), { sameDeployment: true });
            const old = { ...made.result.outs!, desiredState: { LogGroupName: "handed-back", RetentionInDays: 1 } };
            const { lines } = await captured(() => provider.delete!(made.result.id, old));
            assert.ok(emulator.getResource("AWS::Logs::LogGroup", "handed-back"), "still there");
            assert.match(lines.join("\n"), /not deleting handed-back: a create in this deployment returned that resource/);
            await captured(() => provider.delete!(made.result.id, made.result.outs!));
            assert.strictEqual(emulator.getResource("AWS::Logs::LogGroup", "handed-back"), undefined, "a later deployment deletes it");
        });
    });
});

/**
 * Forwards each request to the emulator of the region its SigV4 credential scope names (two regions,
 * observably), recording the Cloud Control requests (operation and body) in `seen`. An operation `refuse` names
 * is answered with that AWS error (HTTP 400) instead of being forwarded.
 */
async function regionRouter(
    byRegion: Record<string, Emulator>,
    seen: Array<{ operation: string; body: Record<string, unknown> }> = [],
    refuse: (operation: string) => { type: string; message: string } | undefined = () => undefined,
): Promise<{ endpoint: string; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
        const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? "")?.[1];
        const target = region ? byRegion[region] : undefined;
        if (!target) {
            res.writeHead(400).end();
            return;
        }
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const operation = String(req.headers["x-amz-target"] ?? "").replace(/^CloudApiService\./, "");
            if (operation) seen.push({ operation, body: JSON.parse(body.toString("utf8") || "{}") });
            const refused = refuse(operation);
            if (refused) {
                res.writeHead(400, { "content-type": "application/x-amz-json-1.0", "x-amzn-errortype": refused.type }).end(
                    JSON.stringify({ __type: refused.type, message: refused.message }),
                );
                return;
            }
            const upstream = http.request(
                new URL(req.url ?? "/", target.endpoint),
                { method: req.method, headers: req.headers },
                (answer) => {
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(res);
                },
            );
            upstream.on("error", () => res.destroy());
            upstream.end(body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

describe("provider: the region a resource lives in", function () {
    this.timeout(30000);
    let east: Emulator;
    let west: Emulator;
    let router: { endpoint: string; close(): Promise<void> };
    const savedEnv: Record<string, string | undefined> = {};
    const stackRegion = (region: string | undefined) =>
        provider.configure!({ config: { get: (key: string) => (key === "aws:region" ? region : undefined), require: () => "" } as never });

    before(async () => {
        east = await startEmulator({ schemas: false, operationDelayMs: 20, region: "us-east-1" });
        west = await startEmulator({ schemas: false, operationDelayMs: 20, region: "eu-west-1" });
        router = await regionRouter({ "us-east-1": east, "eu-west-1": west });
        for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
        Object.assign(process.env, {
            AWS_ENDPOINT_URL: router.endpoint,
            AWS_ACCESS_KEY_ID: "AKIDTEST",
            AWS_SECRET_ACCESS_KEY: "test-secret",
            PULUMI_CLOUDCONTROL_JOURNAL_DIR: journalDir,
        });
        for (const key of ["AWS_REGION", "AWS_ENDPOINT_URL_CLOUDCONTROL", "AWS_ENDPOINT_URL_CLOUDFORMATION", "AWS_PROFILE"])
            delete process.env[key];
    });
    beforeEach(() => stackRegion("us-east-1"));
    after(async () => {
        await stackRegion(undefined);
        for (const key of ENV_KEYS) {
            if (savedEnv[key] === undefined) delete process.env[key];
            else process.env[key] = savedEnv[key];
        }
        await router?.close();
        await east?.close();
        await west?.close();
    });

    it("a stack region change replaces, and refresh and destroy still act where the resource lives", async () => {
        const inputs = await checked("regional", "AWS::Logs::LogGroup", { LogGroupName: "regional" });
        assert.strictEqual(inputs.__region, "us-east-1");
        const { id, outs } = await create(inputs);
        assert.ok(east.getResource("AWS::Logs::LogGroup", id));
        assert.strictEqual(west.getResource("AWS::Logs::LogGroup", id), undefined);
        assert.match(String(outs.properties.Arn), /:us-east-1:/);

        await stackRegion("eu-west-1");
        const next = await checked("regional", "AWS::Logs::LogGroup", { LogGroupName: "regional" }, inputs as never);
        assert.strictEqual(next.__region, "eu-west-1");
        const diff = await captured(() => provider.diff!(id, outs, next));
        assert.deepStrictEqual(diff.result, { changes: true, replaces: ["region"], deleteBeforeReplace: false });

        const read = await captured(() => provider.read!(id, outs));
        assert.strictEqual(read.result.id, id, "refresh finds it in its own region");
        assert.strictEqual((read.result.props as ProviderOutputs).__region, "us-east-1");
        await captured(() => provider.delete!(id, outs));
        assert.strictEqual(east.getResource("AWS::Logs::LogGroup", id), undefined, "destroy deleted it where it lives");
        assert.strictEqual(west.countRequests("DeleteResource"), 0);
    });

    it("an explicit region equal to the resolved one changes nothing", async () => {
        const inputs = await checked("spelled-out", "AWS::Logs::LogGroup", { LogGroupName: "spelled-out" });
        const { id, outs } = await create(inputs);
        const next = await checked("spelled-out", "AWS::Logs::LogGroup", { LogGroupName: "spelled-out" }, inputs as never, {
            region: "us-east-1",
        });
        assert.deepStrictEqual((await captured(() => provider.diff!(id, outs, next))).result, {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
        const moved = await checked("spelled-out", "AWS::Logs::LogGroup", { LogGroupName: "spelled-out" }, inputs as never, {
            region: "eu-west-1",
        });
        assert.deepStrictEqual((await captured(() => provider.diff!(id, outs, moved))).result.replaces, ["region"]);
        await captured(() => provider.delete!(id, outs));
        assert.strictEqual(east.getResource("AWS::Logs::LogGroup", id), undefined);
    });

    /**
     * Runs `fn` with an AWS profile whose region is eu-west-1 (and its credentials: with a profile named, the SDK
     * skips the environment's keys), no AWS_REGION given by it, then puts the environment back.
     */
    async function withProfileRegion(name: string, fn: () => Promise<void>): Promise<void> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-test-aws-config-"));
        const profile = `${name}-${process.pid}`;
        fs.writeFileSync(
            path.join(dir, "config"),
            `[profile ${profile}]\nregion = eu-west-1\naws_access_key_id = AKIDTEST\naws_secret_access_key = test-secret\n`,
        );
        const keys = ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_PROFILE"];
        const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
        Object.assign(process.env, {
            AWS_CONFIG_FILE: path.join(dir, "config"),
            AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "credentials"),
            AWS_PROFILE: profile,
        });
        try {
            await fn();
        } finally {
            for (const k of keys) {
                if (saved[k] === undefined) delete process.env[k];
                else process.env[k] = saved[k];
            }
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }

    it("a region the SDK takes from the AWS profile is recorded: a later aws:region replaces, and refresh and destroy still act where it lives", async () => {
        await withProfileRegion("profiled", async () => {
            await stackRegion(undefined);
            const inputs = await checked("profiled", "AWS::Logs::LogGroup", { LogGroupName: "profiled" });
            const { id, outs } = await create(inputs);
            assert.ok(west.getResource("AWS::Logs::LogGroup", id), "created in the profile's region");
            assert.strictEqual(outs.__region, "eu-west-1");
            const same = await checked("profiled", "AWS::Logs::LogGroup", { LogGroupName: "profiled" }, inputs as never);
            assert.deepStrictEqual((await captured(() => provider.diff!(id, outs, same))).result, {
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });

            await stackRegion("us-east-1");
            const next = await checked("profiled", "AWS::Logs::LogGroup", { LogGroupName: "profiled" }, inputs as never);
            assert.deepStrictEqual((await captured(() => provider.diff!(id, outs, next))).result, {
                changes: true,
                replaces: ["region"],
                deleteBeforeReplace: false,
            });
            const read = await captured(() => provider.read!(id, outs));
            assert.strictEqual(read.result.id, id, "refresh finds it in its own region");
            assert.strictEqual((read.result.props as ProviderOutputs).__region, "eu-west-1");
            const eastDeletes = east.countRequests("DeleteResource");
            await captured(() => provider.delete!(id, outs));
            assert.strictEqual(west.getResource("AWS::Logs::LogGroup", id), undefined, "destroy deleted it where it lives");
            assert.strictEqual(east.countRequests("DeleteResource"), eastDeletes);
        });
    });

    it("state recorded without a region the AWS profile gave records it on refresh", async () => {
        await withProfileRegion("profiled-legacy", async () => {
            await stackRegion(undefined);
            const inputs = await checked("profiled-legacy", "AWS::Logs::LogGroup", { LogGroupName: "profiled-legacy" });
            const { id, outs } = await create(inputs);
            const { __region: _recorded, ...legacy } = outs;
            assert.deepStrictEqual((await captured(() => provider.diff!(id, legacy as ProviderOutputs, inputs))).result.changes, false);
            const read = await captured(() => provider.read!(id, legacy));
            assert.strictEqual(read.result.id, id);
            assert.strictEqual((read.result.props as ProviderOutputs).__region, "eu-west-1");
            await captured(() => provider.delete!(id, legacy as ProviderOutputs));
            assert.strictEqual(west.getResource("AWS::Logs::LogGroup", id), undefined);
        });
    });

    it("state recorded before the region was (no __region) resolves it as before and records it on refresh", async () => {
        const inputs = await checked("legacy", "AWS::Logs::LogGroup", { LogGroupName: "legacy" });
        const { id, outs } = await create(inputs);
        const { __region: _recorded, ...legacy } = outs;
        const next = await checked("legacy", "AWS::Logs::LogGroup", { LogGroupName: "legacy" }, inputs as never);
        assert.deepStrictEqual((await captured(() => provider.diff!(id, legacy as ProviderOutputs, next))).result, {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
        const read = await captured(() => provider.read!(id, legacy));
        assert.strictEqual(read.result.id, id);
        assert.strictEqual((read.result.props as ProviderOutputs).__region, "us-east-1");
        assert.strictEqual((read.result.inputs as ProviderInputs).__region, "us-east-1");
        await captured(() => provider.delete!(id, legacy as ProviderOutputs));
        assert.strictEqual(east.getResource("AWS::Logs::LogGroup", id), undefined);
    });
});

/**
 * The provider under the real engine's call sequences (the harness follows pulumi/pulumi's step rules, see
 * engine-rules.test.ts), through Pulumi's dynamic-provider host, against the emulator: no resource the stack tracks
 * is deleted or claimed by mistake, protect holds, import and replaceOnChanges work through the provider's own
 * arguments, and every error path answers (an uncaught error in the host fails the run: see harness/index.ts).
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Emulator } from "../../src/emulator";
import { CloudControlResource, type CloudControlResourceArgs } from "../../src/resource";
import { destroy, preview, up, RunOptions, RunResult } from "../support/harness";
import { useDeployment } from "../support/harness/cloudcontrol";
import { keyA, keyB } from "../support/tables";

const LOGS = "AWS::Logs::LogGroup";
const QUEUE = "AWS::SQS::Queue";
const TABLE = "AWS::DynamoDB::Table";

/** Run options under which the provider leaves table names to Cloud Control (autonaming disabled for the type). */
function unnamedTables(opts: RunOptions): RunOptions {
    return {
        ...opts,
        config: {
            ...opts.config,
            "pulumi:autonaming": JSON.stringify({ providers: { cloudcontrol: { resources: { [TABLE]: { mode: "disabled" } } } } }),
        },
    };
}

/** A program of one CloudControlResource named `name`. */
function one(name: string, args: CloudControlResourceArgs, opts: pulumi.CustomResourceOptions = {}) {
    return () => {
        const r = new CloudControlResource(name, args, opts);
        return { identifier: r.identifier, properties: r.properties };
    };
}

describe("e2e: the provider under the engine's real call sequences", function () {
    this.timeout(120000);
    const shared = useDeployment();
    let em: Emulator;
    let base: RunOptions;
    /** Requests that write (create, update, delete), by operation. */
    const writes = () =>
        em.requestLog.filter((e) => ["CreateResource", "UpdateResource", "DeleteResource"].includes(e.operation)).map((e) => e.operation);
    const stated = (r: RunResult) => r.state.resources.filter((s) => s.custom);

    beforeEach(() => {
        // A fresh stack per test (the emulator is shared; each test uses its own names).
        ({ em, base } = shared);
        em.clearFaults();
    });

    describe("a forced replacement with identical inputs", () => {
        it("makes a new resource for a type with a generated identifier, and deletes only the old one", async () => {
            const program = one("jobs", { typeName: QUEUE, desiredState: { VisibilityTimeout: 31 } });
            const first = await up({ ...base, program });
            const oldId = stated(first)[0].id;
            const r = await up({ ...base, program, replace: ["jobs"] });
            assert.deepEqual(r.errors, []);
            assert.deepEqual(r.counts, { replace: 1, delete: 1 });
            const newId = stated(r)[0].id;
            assert.notEqual(newId, oldId, "a new queue");
            const live = em
                .listResources(QUEUE)
                .filter((q) => q.properties.VisibilityTimeout === 31)
                .map((q) => q.identifier);
            assert.deepEqual(live, [newId], "the stack's queue is live, the old one deleted");
            assert.equal(r.outputs.identifier, newId);
            await destroy(base);
        });

        it("fails clearly for a type whose identifier the user sets (create-before-delete is impossible), touching nothing", async () => {
            const program = one("named-logs", { typeName: LOGS, desiredState: { LogGroupName: "forced-logs", RetentionInDays: 7 } });
            const first = await up({ ...base, program });
            const before = em.getResource(LOGS, "forced-logs")!.properties;
            em.clearRequestLog();
            const r = await up({ ...base, program, replace: ["named-logs"] });
            assert.equal(r.ok, false);
            assert.match(r.errors[0], /forced-logs already exists, and this deployment did not create it, so it is not taken over/);
            assert.match(r.errors[0], /replace it delete-first \(resource option deleteBeforeReplace: true\)/);
            assert.deepEqual(writes(), ["CreateResource"], "only the refused create: nothing deleted");
            assert.deepEqual(em.getResource(LOGS, "forced-logs")!.properties, before);
            assert.deepEqual(stated(r), stated(first), "the state is unchanged: the old resource, not marked for deletion");
            // Delete-first, as the message says: one log group, the stack's.
            const dbr = await up({
                ...base,
                program: one(
                    "named-logs",
                    { typeName: LOGS, desiredState: { LogGroupName: "forced-logs", RetentionInDays: 7 } },
                    { deleteBeforeReplace: true },
                ),
                replace: ["named-logs"],
            });
            assert.deepEqual(dbr.errors, []);
            assert.deepEqual(em.listResources(LOGS).filter((g) => g.identifier === "forced-logs").length, 1);
            await destroy(base);
            assert.equal(em.getResource(LOGS, "forced-logs"), undefined);
        });
    });

    describe("NotUpdatable", () => {
        it("a protected table survives: the update fails and deletes nothing, the next run's replacement is refused while protected", async () => {
            const table = (key: Record<string, unknown>, protect: boolean) =>
                one("orders", { typeName: TABLE, desiredState: key }, { protect });
            const first = await up({ ...base, program: table(keyA, true) });
            const id = stated(first)[0].id;
            const pv = await preview({ ...base, program: table(keyB, true) });
            assert.deepEqual(pv.counts, { update: 1 }, "a conditional create-only change previews as an update");
            em.clearRequestLog();
            const failed = await up({ ...base, program: table(keyB, true) });
            assert.equal(failed.ok, false);
            assert.match(
                failed.errors[0],
                /cannot update .* in place: desiredState\.KeySchema cannot change without replacing the resource/,
            );
            assert.match(failed.errors[0], /The next preview shows a replacement/);
            assert.deepEqual(writes(), ["UpdateResource"], "no create, no delete");
            assert.deepEqual(em.getResource(TABLE, id)!.properties.KeySchema, keyA.KeySchema);
            assert.deepEqual(stated(failed)[0].outputs.__notUpdatable, ["/KeySchema"], "what it learned is recorded");
            assert.ok(stated(failed)[0].initErrors?.length);

            const planned = await preview({ ...base, program: table(keyB, true) });
            assert.equal(planned.ok, false);
            assert.deepEqual(planned.steps.find((s) => s.op === "replace")?.replaces, ["desiredState.KeySchema"]);
            assert.match(planned.errors[0], /unable to replace resource as it is currently marked for protection/);
            em.clearRequestLog();
            const refused = await up({ ...base, program: table(keyB, true) });
            assert.equal(refused.ok, false);
            assert.match(refused.errors[0], /marked for protection/);
            assert.deepEqual(writes(), [], "nothing written while protected");
            assert.ok(em.getResource(TABLE, id), "the table survives");

            // Unprotected, the engine replaces it (create first: the name is generated).
            const replaced = await up({ ...base, program: table(keyB, false) });
            assert.deepEqual(replaced.errors, []);
            const newId = stated(replaced)[0].id;
            assert.notEqual(newId, id);
            assert.equal(em.getResource(TABLE, id), undefined);
            assert.deepEqual(em.getResource(TABLE, newId)!.properties.KeySchema, keyB.KeySchema);
            assert.deepEqual(stated(replaced)[0].outputs.__notUpdatable, undefined);
            await destroy(base);
        });

        it("replaceOnNotUpdatable: true replaces inside the update; a failed cleanup is recorded, answered, and retried", async () => {
            const table = (key: Record<string, unknown>) =>
                one("opt-in", { typeName: TABLE, desiredState: key, replaceOnNotUpdatable: true });
            // A table named by Cloud Control (an autonamed one keeps its name, so its replacement deletes first).
            base = unnamedTables(base);
            const first = await up({ ...base, program: table(keyA) });
            const oldId = stated(first)[0].id;
            // The old table cannot be deleted: the update must still answer, with the old table pending deletion.
            em.injectFaults({ kind: "failed", operation: "DeleteResource", typeName: TABLE, errorCode: "AccessDenied", count: 1 });
            const r = await up({ ...base, program: table(keyB) });
            assert.equal(r.ok, false);
            assert.match(r.errors[0], new RegExp(`deleting ${oldId} is retried by the next update and by destroy`));
            const recorded = stated(r)[0];
            assert.deepEqual(
                (recorded.outputs.__pendingDelete as { identifier: string }[]).map((p) => p.identifier),
                [oldId],
            );
            assert.ok(em.getResource(TABLE, oldId), "not deleted yet");
            const next = await up({ ...base, program: table(keyB) });
            assert.deepEqual(next.errors, []);
            assert.equal(em.getResource(TABLE, oldId), undefined, "deleted by the next update");
            await destroy(base);
            assert.deepEqual(
                em.listResources(TABLE).filter((t) => t.identifier === oldId || t.identifier === recorded.outputs.identifier),
                [],
            );
        });

        it("replaceOnNotUpdatable: a half-made replacement that cannot be deleted is recorded with the old table, and destroy deletes both", async () => {
            const table = (key: Record<string, unknown>) =>
                one("half", { typeName: TABLE, desiredState: key, replaceOnNotUpdatable: true });
            base = unnamedTables(base);
            const first = await up({ ...base, program: table(keyA) });
            const oldId = stated(first)[0].id;
            const before = new Set(em.listResources(TABLE).map((t) => t.identifier));
            // The replacement is created but cannot be read back (a partial create), and deleting it fails too.
            em.injectFaults(
                { kind: "concurrent", operation: "GetResource", typeName: TABLE, count: 20 },
                { kind: "failed", operation: "DeleteResource", typeName: TABLE, errorCode: "AccessDenied", count: 1 },
            );
            const r = await up({ ...base, program: table(keyB) });
            em.clearFaults();
            assert.equal(r.ok, false);
            assert.match(r.errors[0], /The old resource is unchanged; deleting the half-made .* failed too/);
            const halfMade = em
                .listResources(TABLE)
                .filter((t) => !before.has(t.identifier))
                .map((t) => t.identifier);
            assert.equal(halfMade.length, 1);
            const recorded = stated(r)[0];
            assert.equal(recorded.outputs.identifier, oldId, "the stack goes on tracking the old table");
            assert.deepEqual(
                (recorded.outputs.__pendingDelete as { identifier: string }[]).map((p) => p.identifier),
                halfMade,
            );
            const d = await destroy(base);
            assert.deepEqual(d.errors, []);
            assert.equal(em.getResource(TABLE, oldId), undefined);
            assert.equal(em.getResource(TABLE, halfMade[0]), undefined);
        });

        it("replaceOnNotUpdatable with a user-set name: a failed re-create after the delete-first is recorded as gone, and the next up creates it", async () => {
            const table = (key: Record<string, unknown>) =>
                one("opt-in-named", { typeName: TABLE, desiredState: { TableName: "opt-in-named", ...key }, replaceOnNotUpdatable: true });
            await up({ ...base, program: table(keyA) });
            em.injectFaults({
                kind: "failed",
                operation: "CreateResource",
                typeName: TABLE,
                errorCode: "InvalidRequest",
                statusMessage: "refused",
                count: 1,
            });
            const r = await up({ ...base, program: table(keyB) });
            assert.equal(r.ok, false);
            assert.match(r.errors[0], /was deleted to make room for its replacement, which could not be created/);
            assert.equal(stated(r)[0].outputs.__gone, true);
            assert.equal(em.getResource(TABLE, "opt-in-named"), undefined);
            const next = await up({ ...base, program: table(keyB) });
            assert.deepEqual(next.errors, []);
            assert.deepEqual(em.getResource(TABLE, "opt-in-named")!.properties.KeySchema, keyB.KeySchema);
            await destroy(base);
        });
    });

    describe("importId", () => {
        const existing = (name: string, props: Record<string, unknown>) =>
            em.putResource(LOGS, name, { LogGroupName: name, Arn: `arn:aws:logs:us-east-1:123456789012:log-group:${name}:*`, ...props });

        it("adopts a resource in the same state without writing; later runs with or without importId change nothing; destroy deletes it", async () => {
            existing("adopt-same", { RetentionInDays: 30 });
            const program = (importId?: string) =>
                one("legacy", {
                    typeName: LOGS,
                    desiredState: { LogGroupName: "adopt-same", RetentionInDays: 30 },
                    ...(importId ? { importId } : {}),
                });
            const r = await up({ ...base, program: program("adopt-same") });
            assert.deepEqual(r.errors, []);
            assert.deepEqual(r.counts, { create: 1 });
            assert.deepEqual(writes(), [], "adopted without a write");
            assert.equal(stated(r)[0].id, "adopt-same");
            assert.deepEqual((await up({ ...base, program: program("adopt-same") })).counts, { same: 1 });
            assert.deepEqual((await up({ ...base, program: program() })).counts, { same: 1 }, "removing importId changes nothing");
            await destroy(base);
            assert.equal(em.getResource(LOGS, "adopt-same"), undefined);
        });

        it("brings an updatable difference to desiredState with one UpdateResource", async () => {
            existing("adopt-diff", { RetentionInDays: 30 });
            const r = await up({
                ...base,
                program: one("legacy", {
                    typeName: LOGS,
                    desiredState: { LogGroupName: "adopt-diff", RetentionInDays: 7 },
                    importId: "adopt-diff",
                }),
            });
            assert.deepEqual(r.errors, []);
            assert.deepEqual(writes(), ["UpdateResource"]);
            assert.equal(em.getResource(LOGS, "adopt-diff")!.properties.RetentionInDays, 7);
            await destroy(base);
        });

        it("refuses a create-only difference, naming it, without touching anything or recording anything", async () => {
            em.putResource("AWS::IAM::Role", "adopt-role", {
                RoleName: "adopt-role",
                Path: "/a/",
                Arn: "arn:aws:iam::123456789012:role/a/adopt-role",
                RoleId: "AROAEXAMPLE",
            });
            const trust = {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            };
            const r = await up({
                ...base,
                program: one("role", {
                    typeName: "AWS::IAM::Role",
                    desiredState: { RoleName: "adopt-role", Path: "/b/", AssumeRolePolicyDocument: trust },
                    importId: "adopt-role",
                }),
            });
            assert.equal(r.ok, false);
            assert.match(r.errors[0], /cannot adopt adopt-role \(importId\): desiredState\.Path differs from the live resource/);
            assert.deepEqual(writes(), []);
            assert.deepEqual(stated(r), []);
            em.deleteResourceOutOfBand("AWS::IAM::Role", "adopt-role");
        });

        it("the import resource option cannot work for a dynamic resource (pulumi/pulumi#3550): it fails before any call to AWS", async () => {
            existing("by-option", { RetentionInDays: 30 });
            const r = await up({
                ...base,
                program: one(
                    "legacy",
                    { typeName: LOGS, desiredState: { LogGroupName: "by-option", RetentionInDays: 30 } },
                    { import: "by-option" },
                ),
            });
            assert.equal(r.ok, false);
            assert.match(r.errors[0], /import failed: read: /);
            assert.equal(em.requestLog.length, 0);
            em.deleteResourceOutOfBand(LOGS, "by-option");
        });
    });

    describe("replaceOnChanges and ignoreChanges", () => {
        it("the replaceOnChanges argument replaces on a change under its pointers (delete-first: the name is kept)", async () => {
            const program = (days: number) =>
                one("retained", {
                    typeName: LOGS,
                    desiredState: { LogGroupName: "roc-logs", RetentionInDays: days },
                    replaceOnChanges: ["/RetentionInDays"],
                });
            await up({ ...base, program: program(7) });
            const pv = await preview({ ...base, program: program(14) });
            assert.deepEqual(pv.steps.find((s) => s.name === "retained")?.replaces, ["desiredState.RetentionInDays"]);
            assert.equal(pv.steps.find((s) => s.name === "retained")?.deleteBeforeReplace, true);
            em.clearRequestLog();
            const r = await up({ ...base, program: program(14) });
            assert.deepEqual(r.errors, []);
            assert.deepEqual(writes(), ["DeleteResource", "CreateResource"]);
            assert.equal(em.getResource(LOGS, "roc-logs")!.properties.RetentionInDays, 14);
            await destroy(base);
        });

        it("the replaceOnChanges resource option is a no-op for dynamic resources: an update", async () => {
            const program = (days: number) =>
                one(
                    "opt-roc",
                    { typeName: LOGS, desiredState: { LogGroupName: "opt-roc", RetentionInDays: days } },
                    { replaceOnChanges: ["desiredState.RetentionInDays", "*"] },
                );
            await up({ ...base, program: program(7) });
            const r = await up({ ...base, program: program(14) });
            assert.deepEqual(r.counts, { update: 1 });
            await destroy(base);
        });

        it("nested ignoreChanges (desiredState.Tags) keeps the tags as they were and updates the rest", async () => {
            const program = (days: number, env: string) =>
                one(
                    "tagged",
                    {
                        typeName: LOGS,
                        desiredState: { LogGroupName: "tagged-logs", RetentionInDays: days, Tags: [{ Key: "env", Value: env }] },
                    },
                    { ignoreChanges: ["desiredState.Tags"] },
                );
            await up({ ...base, program: program(7, "dev") });
            assert.deepEqual((await up({ ...base, program: program(7, "prod") })).counts, { same: 1 });
            em.clearRequestLog();
            const r = await up({ ...base, program: program(14, "prod") });
            assert.deepEqual(r.counts, { update: 1 });
            const live = em.getResource(LOGS, "tagged-logs")!.properties;
            assert.equal(live.RetentionInDays, 14);
            assert.deepEqual(live.Tags, [{ Key: "env", Value: "dev" }]);
            await destroy(base);
        });
    });

    it("preview with a schema or typeVersionId not known yet (from a resource still to be created) plans an update, not a failure", async () => {
        const program = (setting?: "schema" | "typeVersionId") => () => {
            const source = setting
                ? new CloudControlResource("setting-source", { typeName: QUEUE, desiredState: { VisibilityTimeout: 33 } })
                : undefined;
            const r = new CloudControlResource("later-setting", {
                typeName: LOGS,
                desiredState: { LogGroupName: "later-setting", RetentionInDays: 7 },
                ...(source && setting ? { [setting]: source.identifier } : {}),
            });
            return { identifier: r.identifier };
        };
        await up({ ...base, program: program() });
        for (const setting of ["schema", "typeVersionId"] as const) {
            const pv = await preview({ ...base, program: program(setting) });
            assert.deepEqual(pv.errors, [], setting);
            assert.equal(pv.steps.find((s) => s.name === "later-setting")?.op, "update", setting);
        }
        await destroy(base);
    });

    it("AlreadyExists: the stack does not claim a resource it did not create, and destroy leaves it alone", async () => {
        em.putResource(LOGS, "not-mine", {
            LogGroupName: "not-mine",
            RetentionInDays: 3,
            Arn: "arn:aws:logs:us-east-1:123456789012:log-group:not-mine:*",
        });
        const r = await up({
            ...base,
            program: one("mine", { typeName: LOGS, desiredState: { LogGroupName: "not-mine", RetentionInDays: 7 } }),
        });
        assert.equal(r.ok, false);
        assert.match(r.errors[0], /not-mine already exists, and this deployment did not create it/);
        assert.match(r.errors[0], /set importId: "not-mine"/);
        assert.deepEqual(stated(r), [], "not a partial create");
        const d = await destroy(base);
        assert.deepEqual(d.errors, []);
        assert.equal(em.getResource(LOGS, "not-mine")!.properties.RetentionInDays, 3, "untouched");
        em.deleteResourceOutOfBand(LOGS, "not-mine");
    });
});

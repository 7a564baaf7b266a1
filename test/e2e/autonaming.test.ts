/**
 * Autonaming through Pulumi's real dynamic-provider host, under the engine's call sequences (the harness follows
 * pulumi/pulumi's step rules: Check with olds before a Diff, with none for a new resource and before the Create of
 * every replacement, no Diff for a targeted one), against the emulator: names are made, kept across updates and
 * refreshes, made anew for a replacement created before the old one is deleted, reused after a crash (no second
 * resource), shown by previews as they will be or as not yet known, and shaped by `pulumi:autonaming`.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import type { Emulator } from "../../src/emulator";
import { CloudControlResource, type CloudControlResourceArgs } from "../../src/resource";
import { destroy, preview, refresh, up, RunOptions, RunResult } from "../support/harness";
import { startCloudControlHost, useDeployment } from "../support/harness/cloudcontrol";
import type { ProviderHost } from "../support/provider-host";
import { waitFor } from "../support/assertions";
import { keyA, keyB } from "../support/tables";

const LOGS = "AWS::Logs::LogGroup";
const ROLE = "AWS::IAM::Role";
const ATHENA = "AWS::Athena::WorkGroup";
const REPOSITORY = "AWS::ECR::Repository";
const TABLE = "AWS::DynamoDB::Table";
const NAMED = /^app-logs-[a-z0-9]{7}$/;

/** A program of one resource, exporting the name as desiredState and properties have it. */
function one(name: string, args: CloudControlResourceArgs, opts: pulumi.CustomResourceOptions = {}, nameProperty = "LogGroupName") {
    return () => {
        const r = new CloudControlResource(name, args, opts);
        return {
            name: r.desiredState.apply((d) => (d as Record<string, unknown>)[nameProperty]),
            live: r.properties.apply((p) => (p as Record<string, unknown>)[nameProperty]),
            identifier: r.identifier,
        };
    };
}
const logs = (retention: number, extra: Partial<CloudControlResourceArgs> = {}, opts: pulumi.CustomResourceOptions = {}) =>
    one("app-logs", { typeName: LOGS, desiredState: { RetentionInDays: retention }, ...extra }, opts);

describe("e2e: autonaming under the engine's real call sequences", function () {
    this.timeout(120000);
    const shared = useDeployment();
    let em: Emulator;
    let base: RunOptions;
    const hosts: ProviderHost[] = [];
    const logGroups = () =>
        em
            .listResources(LOGS)
            .map((g) => g.identifier)
            .filter((id) => id.startsWith("app-logs"));
    const calls = (r: RunResult) => r.calls.filter((c) => c.urn?.endsWith("::app-logs")).map((c) => c.method);
    const withConfig = (config: Record<string, string>): RunOptions => ({ ...base, config: { ...base.config, ...config } });

    beforeEach(() => {
        ({ em, base } = shared);
        em.setDurations({});
    });
    afterEach(async () => {
        for (const h of hosts.splice(0)) await h.close();
        await destroy(base);
        assert.deepEqual(logGroups(), [], "destroy leaves nothing behind");
    });

    it("names an unnamed resource, shows it in desiredState and properties, and keeps it through updates and refresh", async () => {
        const planned = await preview({ ...base, program: logs(7) });
        assert.deepEqual(planned.counts, { create: 1 });
        assert.equal(planned.outputs.name, "[unknown]", "a random name is not known before up draws it");
        assert.match(
            planned.hostOutput.stdout,
            /LogGroupName is not set: a name is generated from 'app-logs' when the resource is created/,
        );

        const created = await up({ ...base, program: logs(7) });
        assert.deepEqual(created.errors, []);
        const name = String(created.outputs.name);
        assert.match(name, NAMED);
        assert.equal(created.outputs.live, name, "the live model has it");
        assert.equal(created.outputs.identifier, name);
        assert.deepEqual(logGroups(), [name]);

        const planUpdate = await preview({ ...base, program: logs(14) });
        assert.deepEqual(planUpdate.counts, { update: 1 });
        assert.equal(planUpdate.outputs.name, name, "the name up will keep");
        const updated = await up({ ...base, program: logs(14) });
        assert.deepEqual(updated.counts, { update: 1 });
        assert.equal(updated.outputs.name, name);
        assert.equal(em.getResource(LOGS, name)!.properties.RetentionInDays, 14);

        const refreshed = await refresh(base);
        assert.deepEqual(
            refreshed.steps.map((s) => s.drift),
            [false],
            "no drift",
        );
        const again = await up({ ...base, program: logs(14) });
        assert.deepEqual(again.counts, { same: 1 });
        assert.equal(again.outputs.name, name);
    });

    it("gives a replacement a new name and creates it before deleting the old one (diff-planned and targeted)", async () => {
        const program = (retention: number) => logs(retention, { replaceOnChanges: ["/RetentionInDays"] });
        const first = String((await up({ ...base, program: program(7) })).outputs.name);

        const planned = await preview({ ...base, program: program(14) });
        const step = planned.steps.find((s) => s.name === "app-logs")!;
        assert.equal(step.op, "replace");
        assert.equal(step.deleteBeforeReplace, false, "the old name is not the new one's: create first");
        assert.equal(planned.outputs.name, "[unknown]");

        em.clearRequestLog();
        const replaced = await up({ ...base, program: program(14) });
        assert.deepEqual(replaced.errors, []);
        assert.deepEqual(calls(replaced), ["check", "diff", "check", "create", "delete"]);
        const second = String(replaced.outputs.name);
        assert.match(second, NAMED);
        assert.notEqual(second, first);
        const writes = em.requestLog
            .filter((e) => e.operation === "CreateResource" || e.operation === "DeleteResource")
            .map((e) => e.operation);
        assert.deepEqual(writes, ["CreateResource", "DeleteResource"], "create before delete");
        assert.deepEqual(logGroups(), [second]);

        const targeted = await up({ ...base, program: program(14), replace: ["app-logs"] });
        assert.deepEqual(targeted.errors, []);
        assert.deepEqual(calls(targeted), ["check", "create", "delete"], "no Diff for a targeted replacement");
        const third = String(targeted.outputs.name);
        assert.match(third, NAMED);
        assert.ok(third !== second && third !== first);
        assert.deepEqual(logGroups(), [third]);
    });

    for (const when of ["while the create is in progress", "after the create finished, before the provider heard of it"]) {
        it(`a run killed ${when}: preview shows the name the re-run uses, and the re-run makes no second resource`, async () => {
            em.setDurations({ [LOGS]: { create: 700 } });
            const host = await startCloudControlHost(em);
            hosts.push(host);
            const run1 = up({ ...base, host, program: logs(7) });
            await waitFor(
                () => em.requestLog.some((e) => e.operation === "CreateResource" && e.httpStatus === 200),
                "an accepted CreateResource",
            );
            await host.kill();
            if (when.startsWith("after")) await waitFor(() => logGroups().length > 0, "the accepted create to finish");
            assert.equal((await run1).ok, false, "the killed run failed");
            const crashed = em.requestLog.find((e) => e.operation === "CreateResource" && e.httpStatus === 200)!;

            const planned = await preview({ ...base, program: logs(7) });
            assert.deepEqual(planned.counts, { create: 1 });
            assert.match(String(planned.outputs.name), NAMED, "the crashed create's name, known");
            const rerun = await up({ ...base, program: logs(7) });
            assert.deepEqual(rerun.errors, []);
            assert.equal(rerun.outputs.name, planned.outputs.name, "the name the preview showed");
            assert.deepEqual(logGroups(), [rerun.outputs.name], "no second log group");
            const accepted = new Set(
                em.requestLog.filter((e) => e.operation === "CreateResource" && e.httpStatus === 200).map((e) => e.requestToken),
            );
            assert.deepEqual([...accepted], [crashed.requestToken], "one create request, across both runs");
            assert.equal(
                em.countRequests(undefined, (e) => e.error === "AlreadyExistsException"),
                0,
            );
        });
    }

    it("a run killed while creating a replacement: the re-run finds that replacement instead of making another", async () => {
        const program = (retention: number) => logs(retention, { replaceOnChanges: ["/RetentionInDays"] });
        const first = String((await up({ ...base, program: program(7) })).outputs.name);
        em.setDurations({ [LOGS]: { create: 700 } });
        em.clearRequestLog();
        const host = await startCloudControlHost(em);
        hosts.push(host);
        const run1 = up({ ...base, host, program: program(14) });
        await waitFor(
            () => em.requestLog.some((e) => e.operation === "CreateResource" && e.httpStatus === 200),
            "the replacement's CreateResource",
        );
        await host.kill();
        assert.equal((await run1).ok, false);
        await waitFor(() => logGroups().length === 2, "the replacement to exist");

        const rerun = await up({ ...base, program: program(14) });
        assert.deepEqual(rerun.errors, []);
        const second = String(rerun.outputs.name);
        assert.notEqual(second, first);
        assert.deepEqual(logGroups(), [second], "the crashed run's replacement is the stack's; the old one is deleted");
        const accepted = new Set(
            em.requestLog.filter((e) => e.operation === "CreateResource" && e.httpStatus === 200).map((e) => e.requestToken),
        );
        assert.equal(accepted.size, 1, "one replacement create request, across both runs: no second replacement");
    });

    it("replaceOnNotUpdatable: the replacement inside the update keeps the name (the engine records the inputs), so it deletes first", async () => {
        const table = (key: Record<string, unknown>) =>
            one("orders", { typeName: TABLE, desiredState: key, replaceOnNotUpdatable: true }, {}, "TableName");
        const first = await up({ ...base, program: table(keyA) });
        const name = String(first.outputs.name);
        assert.match(name, /^orders-[a-z0-9]{7}$/);
        em.clearRequestLog();
        const r = await up({ ...base, program: table(keyB) });
        assert.deepEqual(r.errors, []);
        assert.equal(r.outputs.name, name);
        assert.match(r.hostOutput.stdout, /the replacement keeps the identifier .*: deleting the old resource first/);
        const writes = em.requestLog
            .filter((e) => ["CreateResource", "DeleteResource", "UpdateResource"].includes(e.operation))
            .map((e) => e.operation);
        assert.deepEqual(writes, ["UpdateResource", "DeleteResource", "CreateResource"]);
        assert.deepEqual(em.getResource(TABLE, name)!.properties.KeySchema, keyB.KeySchema);
        assert.deepEqual((await up({ ...base, program: table(keyB) })).counts, { same: 1 }, "the name in state and in the program agree");
    });

    describe("pulumi:autonaming", () => {
        it("verbatim: the Pulumi name itself, shown by the preview; replacements delete first (diff-planned and targeted)", async () => {
            const verbatim = withConfig({ "pulumi:autonaming": '{"mode":"verbatim"}' });
            const program = (retention: number) => logs(retention, { replaceOnChanges: ["/RetentionInDays"] });
            const planned = await preview({ ...verbatim, program: program(7) });
            assert.equal(planned.outputs.name, "app-logs");
            const created = await up({ ...verbatim, program: program(7) });
            assert.equal(created.outputs.name, "app-logs");
            assert.deepEqual(logGroups(), ["app-logs"]);

            const replaced = await up({ ...verbatim, program: program(14) });
            assert.deepEqual(replaced.errors, []);
            assert.equal(replaced.steps.find((s) => s.name === "app-logs")!.deleteBeforeReplace, true, "the same name again: delete first");
            assert.deepEqual(logGroups(), ["app-logs"]);
            assert.equal(em.getResource(LOGS, "app-logs")!.properties.RetentionInDays, 14);
            // Targeted: no Diff; the engine's own reading of pulumi:autonaming makes it delete-first.
            const targeted = await up({ ...verbatim, program: program(14), replace: ["app-logs"] });
            assert.deepEqual(targeted.errors, []);
            assert.equal(targeted.steps.find((s) => s.name === "app-logs")!.deleteBeforeReplace, true);
            assert.deepEqual(logGroups(), ["app-logs"]);
        });

        it("disabled: no name from the provider (Cloud Control names an optional one); a required one fails the preview", async () => {
            const disabled = withConfig({ "pulumi:autonaming": '{"mode":"disabled"}' });
            const created = await up({ ...disabled, program: logs(7) });
            assert.deepEqual(created.errors, []);
            assert.equal(created.outputs.name, undefined, "desiredState has no name");
            assert.ok(created.outputs.live, "Cloud Control gave it one");
            await destroy(disabled);

            const athena = one("queries", { typeName: ATHENA, desiredState: { Description: "x" } }, {}, "Name");
            const refused = await preview({ ...disabled, program: athena });
            assert.equal(refused.ok, false);
            assert.match(
                refused.errors.join("\n"),
                /'queries' \(AWS::Athena::WorkGroup\): desiredState\.Name is required: autonaming is disabled \(pulumi:autonaming\), so set it/,
            );
            const named = await up({ ...base, program: athena });
            assert.deepEqual(named.errors, [], "by default the required name is made");
            assert.match(String(named.outputs.name), /^queries-[a-z0-9]{7}$/);
        });

        it("a pattern, top-level and per type under providers.cloudcontrol", async () => {
            const config = {
                "pulumi:autonaming": JSON.stringify({
                    pattern: "${stack}-${name}-${hex(4)}",
                    providers: { cloudcontrol: { resources: { [ROLE]: { pattern: "role-${name}" } } } },
                }),
            };
            const program = () => {
                const l = new CloudControlResource("app-logs", { typeName: LOGS, desiredState: { RetentionInDays: 7 } });
                const r = new CloudControlResource("runner", {
                    typeName: ROLE,
                    desiredState: { AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] } },
                });
                return { logs: l.desiredState.apply((d) => d.LogGroupName), role: r.desiredState.apply((d) => d.RoleName) };
            };
            const planned = await preview({ ...withConfig(config), program });
            assert.equal(planned.outputs.role, "role-runner", "no randomness: known in the preview");
            const r = await up({ ...withConfig(config), program });
            assert.deepEqual(r.errors, []);
            assert.match(String(r.outputs.logs), /^stack-app-logs-[0-9a-f]{4}$/);
            assert.equal(r.outputs.role, "role-runner");
            assert.ok(em.getResource(ROLE, "role-runner"));
        });

        it("a malformed configuration fails every check, as the CLI refuses it", async () => {
            const r = await preview({ ...withConfig({ "pulumi:autonaming": '{"mode":"verbatim","enforce":true}' }), program: logs(7) });
            assert.equal(r.ok, false);
            assert.match(r.errors.join("\n"), /stack config pulumi:autonaming cannot specify both mode and pattern\/enforce/);
        });
    });

    describe("the schema's maxLength and pattern", () => {
        // ECR RepositoryName: at most 256 characters, lowercase.
        const longName = `Images-${"x".repeat(260)}`;
        const repository = one(longName, { typeName: REPOSITORY, desiredState: {} }, {}, "RepositoryName");

        it("cuts the Pulumi name short to fit, keeping the random part, and lowercases it for the pattern", async () => {
            const r = await up({ ...base, program: repository });
            assert.deepEqual(r.errors, []);
            const name = String(r.outputs.name);
            assert.equal(name.length, 256);
            assert.ok(name.startsWith(`${longName.slice(0, 248).toLowerCase()}-`), name);
            assert.match(name, /-[a-z0-9]{7}$/);
            assert.ok(em.listResources(REPOSITORY).some((x) => x.properties.RepositoryName === name));
        });

        it("fails the preview clearly when the configured pattern cannot fit", async () => {
            const r = await preview({ ...withConfig({ "pulumi:autonaming": '{"pattern":"${name}-${hex(256)}"}' }), program: repository });
            assert.equal(r.ok, false);
            assert.match(
                r.errors.join("\n"),
                /desiredState\.RepositoryName is not set and no name can be generated for it: cannot hold \$\{name\}-\$\{hex\(256\)\} in at most 256 characters/,
            );
        });
    });
});

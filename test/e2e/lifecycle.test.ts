/**
 * The demo's lifecycle as assertions: examples/quickstart (log group, queue, parameter wired together) through
 * Pulumi's runtime and dynamic-provider host against the emulator — preview, deploy, no-op, update in place,
 * replace on a create-only change, refresh after an out-of-band change, converge, destroy.
 */
import { strict as assert } from "assert";
import * as path from "path";
import { Emulator } from "../../src/emulator";
import { destroy, preview, refresh, up, RunOptions } from "../support/harness";
import { Deployment, startDeployment } from "../support/harness/cloudcontrol";

const PROGRAM = path.join(__dirname, "..", "..", "examples", "quickstart", "index.ts");
const PROJECT = "cloudcontrol-quickstart";

describe("e2e: quickstart lifecycle (Pulumi runtime + dynamic-provider host + emulator)", function () {
    this.timeout(120000);
    let em: Emulator;
    let deployment: Deployment;
    let base: RunOptions;
    const cfg = (c: Record<string, string> = {}): RunOptions => ({ ...base, config: { ...base.config, ...c } });
    const logGroups = () => em.listResources("AWS::Logs::LogGroup");
    const retention = { [`${PROJECT}:retentionDays`]: "14" };
    // The prefix names the log group (LogGroupName: create-only) and the parameter (Name: create-only).
    const v2 = { ...retention, [`${PROJECT}:prefix`]: "e2e-v2" };

    before(async () => {
        deployment = await startDeployment({ run: { program: PROGRAM, project: PROJECT, stack: "e2e" } });
        ({ em, base } = deployment);
    });
    after(() => deployment?.close());

    it("previews three creates without writing anything", async () => {
        const r = await preview(base);
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.counts, { create: 3 });
        assert.equal(em.countRequests("CreateResource"), 0);
        assert.equal(r.outputs.queueUrl, "[unknown]", "an output the provider has not produced yet is unknown");
    });

    it("deploys: outputs flow to the dependent parameter", async () => {
        const r = await up(base);
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.counts, { create: 3 });
        assert.equal(em.listResources().length, 3);
        const arn = logGroups()[0].properties.Arn as string;
        assert.equal(r.outputs.logGroupArn, arn);
        const param = em.listResources("AWS::SSM::Parameter")[0];
        assert.ok(String(param.properties.Value).includes(arn), "the parameter holds the log group's Arn");
        const settings = r.steps.find((s) => s.name === "app-settings")!;
        const logs = r.steps.find((s) => s.name === "app-logs")!;
        assert.ok(r.steps.indexOf(settings) > r.steps.indexOf(logs), "the parameter is created after the log group");
    });

    it("does nothing when nothing changed", async () => {
        em.clearRequestLog();
        const r = await up(base);
        assert.deepEqual(r.counts, { same: 3 });
        assert.equal(em.countRequests("UpdateResource") + em.countRequests("CreateResource") + em.countRequests("DeleteResource"), 0);
    });

    it("updates RetentionInDays in place (preview says update first)", async () => {
        const p = await preview(cfg(retention));
        const ops = Object.fromEntries(p.steps.map((s) => [s.name, s.op]));
        assert.equal(ops["app-logs"], "update");
        assert.equal(ops["app-queue"], "same");
        // The parameter consumes the log group's outputs, which a preview of an update cannot know (the dynamic
        // provider host does not support previews): it is planned as a possible update, as `pulumi preview` would.
        assert.ok(["update", "same"].includes(ops["app-settings"]));
        const r = await up(cfg(retention));
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.counts, { same: 2, update: 1 });
        assert.equal(logGroups()[0].properties.RetentionInDays, 14);
        assert.equal(logGroups()[0].identifier, "quickstart-logs");
    });

    it("replaces the log group and the parameter when their create-only names change", async () => {
        const p = await preview(cfg(v2));
        const planned = p.steps.find((s) => s.name === "app-logs")!;
        assert.equal(planned.op, "replace");
        assert.ok(
            planned.replaces?.some((x) => /LogGroupName/.test(x)),
            `replaces: ${planned.replaces}`,
        );
        // The parameter's desiredState depends on the replaced log group's outputs: unknown in a preview, so the
        // provider plans a change it will settle at deploy time (here: a replacement, its Name changes too).
        assert.ok(["update", "replace"].includes(p.steps.find((s) => s.name === "app-settings")!.op));
        em.clearRequestLog();
        const r = await up(cfg(v2));
        assert.deepEqual(r.errors, []);
        // The queue only has its tags (from the prefix) updated.
        assert.deepEqual(r.counts, { replace: 2, update: 1, delete: 2 });
        assert.deepEqual(
            logGroups().map((l) => l.identifier),
            ["e2e-v2-logs"],
        );
        assert.deepEqual(
            em.listResources("AWS::SSM::Parameter").map((x) => x.identifier),
            ["/e2e-v2/settings"],
        );
        const creates = em.requestLog.findIndex((e) => e.operation === "CreateResource");
        const deletes = em.requestLog.findIndex((e) => e.operation === "DeleteResource");
        assert.ok(creates >= 0 && deletes > creates, "create before delete");
        const param = em.listResources("AWS::SSM::Parameter")[0];
        assert.ok(String(param.properties.Value).includes(String(logGroups()[0].properties.Arn)));
    });

    it("refresh finds an out-of-band change, and up converges it", async () => {
        const live = logGroups()[0];
        em.putResource("AWS::Logs::LogGroup", live.identifier, { ...live.properties, RetentionInDays: 30 });
        const r = await refresh(cfg(v2));
        assert.deepEqual(r.errors, []);
        assert.deepEqual(
            r.steps.filter((s) => s.drift).map((s) => s.name),
            ["app-logs"],
        );
        const converge = await up(cfg(v2));
        assert.deepEqual(converge.errors, []);
        assert.equal(converge.counts.update, 1);
        assert.equal(logGroups()[0].properties.RetentionInDays, 14);
    });

    it("refresh drops a resource deleted out of band, and up recreates it", async () => {
        const q = em.listResources("AWS::SQS::Queue")[0];
        assert.ok(em.deleteResourceOutOfBand("AWS::SQS::Queue", q.identifier));
        const r = await refresh(cfg(v2));
        assert.equal(r.steps.find((s) => s.name === "app-queue")?.gone, true);
        assert.ok(!r.state.resources.some((s) => s.name === "app-queue"));
        const again = await up(cfg(v2));
        assert.deepEqual(again.errors, []);
        assert.equal(again.steps.find((s) => s.name === "app-queue")?.op, "create");
        assert.equal(em.listResources("AWS::SQS::Queue").length, 1);
    });

    it("destroys everything, dependents first", async () => {
        em.clearRequestLog();
        const r = await destroy(cfg(v2));
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.counts, { delete: 3 });
        assert.deepEqual(em.listResources(), []);
        assert.deepEqual(r.state.resources, []);
        const order = r.steps.map((s) => s.name);
        assert.ok(order.indexOf("app-settings") < order.indexOf("app-logs"), "the parameter goes before the log group it references");
    });
});

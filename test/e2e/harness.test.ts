/**
 * The deployment harness itself, checked with a small file-backed test provider running in Pulumi's real
 * dynamic-provider host: preview / up / refresh / destroy, ordering, parallelism, secrets (the engine's finer step
 * rules, call by call, are in engine-rules.test.ts).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { destroy, preview, refresh, up, readStateFileText } from "../support/harness";
import { FileResource } from "../support/harness/file-resource";
import { useFileCloud } from "../support/harness/file-cloud";
import { liveResources, readOps } from "../support/harness/file-provider";

describe("deployment harness (Pulumi runtime + dynamic-provider host)", function () {
    this.timeout(60000);
    const cloud = useFileCloud("harness");

    /** a <- b (through an input), c and d independent and slow; with `barrier`, each create of c and d waits for the other's to start. */
    const program =
        (p: { bSize?: number; bName?: string; dbr?: boolean; withD?: boolean; barrier?: boolean } = {}) =>
        () => {
            const a = new FileResource("a", { name: "a" });
            const b = new FileResource("b", { name: p.bName ?? "b", size: p.bSize ?? 1, ref: a.arn, deleteBeforeReplace: p.dbr ?? false });
            const c = new FileResource("c", { name: "c", delayMs: 300, ...(p.barrier ? { waitFor: "d" } : {}) });
            const res: Record<string, pulumi.Output<unknown>> = { aArn: a.arn, bRef: b.ref as pulumi.Output<unknown>, cArn: c.arn };
            if (p.withD ?? true) res.dArn = new FileResource("d", { name: "d", delayMs: 300, ...(p.barrier ? { waitFor: "c" } : {}) }).arn;
            return res;
        };

    it("previews creates without calling create, with unknowns for outputs", async () => {
        const r = await preview({ ...cloud.opts, program: program() });
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.counts, { create: 4 });
        assert.ok(r.steps.every((s) => s.status === "planned"));
        assert.equal(r.outputs.aArn, "[unknown]");
        assert.equal(r.outputs.bRef, "[unknown]", "b's input from a is unknown during preview");
        assert.deepEqual(readOps(cloud.dir), []);
        assert.equal(fs.existsSync(cloud.opts.stateFile), false, "a preview writes no state");
    });

    it("runs up: dependents after dependencies, independent resources in parallel, outputs flow back", async () => {
        // c and d each wait for the other's create to start: run one after the other, the first would fail.
        const r = await up({ ...cloud.opts, program: program({ barrier: true }) });
        assert.deepEqual(r.errors, [], "c and d are created at the same time");
        assert.deepEqual(r.counts, { create: 4 });
        const ops = readOps(cloud.dir);
        const a = ops.find((o) => o.name === "a")!;
        const b = ops.find((o) => o.name === "b")!;
        assert.ok(b.start >= a.end, "b is created after a");
        assert.match(String(r.outputs.aArn), /^arn:file:a-/);
        assert.equal(r.outputs.bRef, r.outputs.aArn, "b received a's real output");
        assert.equal(Object.keys(liveResources(cloud.dir)).length, 4);
        assert.equal(r.state.resources.length, 4);
        const bState = r.state.resources.find((s) => s.name === "b")!;
        assert.deepEqual(bState.dependencies, [r.state.resources.find((s) => s.name === "a")!.urn]);

        const again = await up({ ...cloud.opts, program: program({ barrier: true }) });
        assert.deepEqual(again.counts, { same: 4 });
        assert.equal(readOps(cloud.dir).length, 4, "no provider call for unchanged resources");
    });

    it("updates in place, replaces create-before-delete, and delete-before-replace when asked", async () => {
        await up({ ...cloud.opts, program: program() });
        const pv = await preview({ ...cloud.opts, program: program({ bSize: 2 }) });
        assert.deepEqual(pv.counts, { same: 3, update: 1 });
        const upd = await up({ ...cloud.opts, program: program({ bSize: 2 }) });
        assert.deepEqual(upd.counts, { same: 3, update: 1 });
        const b1 = upd.state.resources.find((s) => s.name === "b")!;
        assert.equal(b1.outputs.version, 2);

        const pr = await preview({ ...cloud.opts, program: program({ bSize: 2, bName: "b2" }) });
        assert.deepEqual(pr.steps.find((s) => s.name === "b")?.replaces, ["name"]);
        assert.equal(pr.steps.find((s) => s.name === "b")?.op, "replace");
        const rep = await up({ ...cloud.opts, program: program({ bSize: 2, bName: "b2" }) });
        assert.deepEqual(rep.errors, []);
        assert.deepEqual(rep.counts, { same: 3, replace: 1, delete: 1 });
        const ops = readOps(cloud.dir);
        const created = ops.findIndex((o) => o.op === "create" && o.name === "b2");
        const deleted = ops.findIndex((o) => o.op === "delete" && o.id === b1.id);
        assert.ok(created >= 0 && deleted > created, "the new b is created before the old one is deleted");
        assert.equal(rep.state.resources.length, 4);
        assert.ok(!rep.state.resources.some((s) => s.pendingDelete));

        const dbr = await up({ ...cloud.opts, program: program({ bSize: 2, bName: "b3", dbr: true }) });
        assert.deepEqual(dbr.errors, []);
        const ops2 = readOps(cloud.dir).slice(ops.length);
        assert.deepEqual(
            ops2.map((o) => `${o.op} ${o.name}`),
            ["delete b2", "create b3"],
            "deleteBeforeReplace deletes the old one first",
        );
    });

    it("refreshes drift and disappearance", async () => {
        const first = await up({ ...cloud.opts, program: program() });
        const a = first.state.resources.find((s) => s.name === "a")!;
        const c = first.state.resources.find((s) => s.name === "c")!;
        fs.writeFileSync(
            path.join(cloud.dir, `${a.id}.json`),
            JSON.stringify({ ...a.outputs, name: "a", color: "red", __provider: undefined }),
        );
        fs.rmSync(path.join(cloud.dir, `${c.id}.json`));
        const r = await refresh(cloud.opts);
        assert.deepEqual(r.errors, []);
        const byName = Object.fromEntries(r.steps.map((s) => [s.name, s]));
        assert.equal(byName.a.drift, true);
        assert.equal(byName.c.gone, true);
        assert.equal(byName.b.drift, false);
        assert.equal(r.state.resources.find((s) => s.name === "a")!.outputs.color, "red");
        assert.ok(!r.state.resources.some((s) => s.name === "c"));
        // c is gone from state: the next up creates it again.
        const again = await up({ ...cloud.opts, program: program() });
        assert.equal(again.steps.find((s) => s.name === "c")?.op, "create");
    });

    it("deletes resources removed from the program, and destroys in reverse dependency order", async () => {
        await up({ ...cloud.opts, program: program() });
        const r = await up({ ...cloud.opts, program: program({ withD: false }) });
        assert.deepEqual(r.counts, { same: 3, delete: 1 });
        assert.equal(Object.keys(liveResources(cloud.dir)).length, 3);
        const d = await destroy(cloud.opts);
        assert.deepEqual(d.errors, []);
        assert.deepEqual(d.counts, { delete: 3 });
        const ops = readOps(cloud.dir).filter((o) => o.op === "delete");
        const ia = ops.findIndex((o) => o.name === "a");
        const ib = ops.findIndex((o) => o.name === "b");
        assert.ok(ib < ia, "b (dependent) is deleted before a");
        assert.deepEqual(liveResources(cloud.dir), {});
        assert.deepEqual(d.state.resources, []);
    });

    it("fails a check with the resource, the property and the reason, and creates nothing", async () => {
        const r = await up({ ...cloud.opts, program: () => ({ x: new FileResource("bad", { name: "bad", failCheck: true }).arn }) });
        assert.equal(r.ok, false);
        assert.equal(r.errors.length, 1);
        assert.match(r.errors[0], /pulumi-nodejs:dynamic:Resource::bad: check failed: name: name is rejected by failCheck/);
        assert.deepEqual(readOps(cloud.dir), []);
    });

    it("keeps a partially created resource in state instead of orphaning it", async () => {
        const r = await up({ ...cloud.opts, program: () => ({ x: new FileResource("p", { name: "p", failAfterCreate: true }).arn }) });
        assert.equal(r.ok, false);
        assert.match(r.errors[0], /failed to initialize/);
        const p = r.state.resources.find((s) => s.name === "p");
        assert.ok(p, "the partial resource is in state");
        assert.deepEqual(p.initErrors, ["failAfterCreate"]);
        assert.ok(liveResources(cloud.dir)[p.id]);
        const d = await destroy(cloud.opts);
        assert.deepEqual(d.errors, []);
        assert.deepEqual(liveResources(cloud.dir), {});
    });

    it("never writes a secret input to the state file and reports it as secret", async () => {
        const secret = "s3cr3t-value-4242";
        const r = await up({
            ...cloud.opts,
            program: () => ({ token: new FileResource("s", { name: "s", token: pulumi.secret(secret) }).token as pulumi.Output<string> }),
        });
        assert.deepEqual(r.errors, []);
        assert.equal(r.outputs.token, "[secret]");
        assert.ok(!readStateFileText(cloud.opts.stateFile).includes(secret), "state file holds the secret encrypted");
        assert.deepEqual(r.state.resources[0].secretKeys, ["token"]);
        // And it still round-trips: no change on the next run.
        const again = await up({
            ...cloud.opts,
            program: () => ({ token: new FileResource("s", { name: "s", token: pulumi.secret(secret) }).token as pulumi.Output<string> }),
        });
        assert.deepEqual(again.counts, { same: 1 });
    });

    it("starts and stops a host of its own for a run when none is given", async () => {
        const r = await up({
            stateFile: cloud.opts.stateFile,
            hostEnv: { ...process.env, FILE_PROVIDER_DIR: cloud.dir },
            program: () => ({ a: new FileResource("own", { name: "own" }).arn }),
        });
        assert.deepEqual(r.errors, []);
        assert.match(r.hostOutput.stdout, /created own-/);
        assert.equal(Object.keys(liveResources(cloud.dir)).length, 1);
    });

    it("reads a resource the program does not manage (Resource.get)", async () => {
        const first = await up({ ...cloud.opts, program: () => ({ arn: new FileResource("owned", { name: "owned" }).arn }) });
        const id = first.state.resources[0].id;
        const other = { ...cloud.opts, stateFile: path.join(path.dirname(cloud.opts.stateFile), "get", "stack.json") };
        const r = await up({ ...other, program: () => ({ arn: new FileResource("looked-up", { name: "owned" }, { id }).arn }) });
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.counts, { read: 1 });
        assert.equal(r.outputs.arn, `arn:file:${id}`);
        assert.deepEqual(r.state.resources, [], "a read resource is not managed (nor stored, unlike the engine's external entries)");
    });
});

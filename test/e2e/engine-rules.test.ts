/**
 * The harness follows the Pulumi engine's step rules (pulumi/pulumi pkg/resource/deploy/step_generator.go, step.go,
 * pkg/engine/update.go), checked call by call against Pulumi's real dynamic-provider host with the small file-backed
 * test provider: which olds each Check / Diff / Update / Delete / Read receives, when Diff is skipped, and what the
 * state records.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { destroy, preview, refresh, taint, up, RunResult } from "../support/harness";
import { FileResource } from "../support/harness/file-resource";
import { useFileCloud } from "../support/harness/file-cloud";
import { liveResources, readOps } from "../support/harness/file-provider";
import type { HostCall } from "../support/provider-host";

/** The calls of a run for one resource, as "method" or "method(detail)". */
function callsFor(r: RunResult, name: string): HostCall[] {
    return r.calls.filter((c) => c.urn?.endsWith(`::${name}`));
}
const methods = (calls: HostCall[]) => calls.map((c) => c.method);
/** The inputs of a call without the serialized provider (long and the same everywhere). */
const plain = (p: Record<string, unknown> | undefined) => {
    const { __provider: _p, ...rest } = p ?? {};
    return rest;
};

describe("deployment harness: the engine's step rules", function () {
    this.timeout(60000);
    const cloud = useFileCloud("engine-rules");

    const one =
        (args: Record<string, unknown>, options: pulumi.CustomResourceOptions = {}) =>
        () => ({ arn: new FileResource("r", { name: "r", ...args }, options).arn });

    describe("import", () => {
        it("reads with the id only, no inputs and no state, so the dynamic-provider host fails (pulumi/pulumi#3550)", async () => {
            const made = await up({ ...cloud.opts, program: one({ size: 1 }) });
            const id = made.state.resources[0].id;
            const other = { ...cloud.opts, stateFile: path.join(path.dirname(cloud.opts.stateFile), "import", "stack.json") };
            for (const run of [preview, up]) {
                const r = await run({
                    ...other,
                    program: () => ({ arn: new FileResource("adopted", { name: "r", size: 1 }, { import: id }).arn }),
                });
                assert.equal(r.ok, false, `${run.name} of an import fails`);
                assert.deepEqual(
                    r.calls.map((c) => ({ method: c.method, id: c.id, properties: c.properties, inputs: c.inputs })),
                    [{ method: "read", id, properties: {}, inputs: undefined }],
                );
                assert.match(r.errors[0], /import failed: read: /);
                assert.deepEqual(r.state.resources, []);
            }
        });
    });

    describe("replacements without a Diff call", () => {
        it("`up --replace`: Check with no olds, Create while the old one is live, then Delete of the old id; no Diff", async () => {
            const first = await up({ ...cloud.opts, program: one({ size: 1 }) });
            const oldId = first.state.resources[0].id;
            const pv = await preview({ ...cloud.opts, program: one({ size: 1 }), replace: ["r"] });
            assert.deepEqual(methods(callsFor(pv, "r")), ["check"], "a preview checks only");
            assert.deepEqual(pv.steps.find((s) => s.name === "r")?.replaces, ["id"]);
            const r = await up({ ...cloud.opts, program: one({ size: 1 }), replace: ["r"] });
            assert.deepEqual(r.errors, []);
            const calls = callsFor(r, "r");
            assert.deepEqual(methods(calls), ["check", "create", "delete"]);
            assert.deepEqual(calls[0].olds, {}, "Check gets no olds");
            assert.equal(calls[2].id, oldId, "the old id is deleted after");
            const ops = readOps(cloud.dir).slice(1);
            assert.deepEqual(
                ops.map((o) => o.op),
                ["create", "delete"],
                "create before delete",
            );
            assert.notEqual(r.state.resources[0].id, oldId);
        });

        it("`pulumi state taint`: the same, and the taint is gone afterwards", async () => {
            await up({ ...cloud.opts, program: one({ size: 1 }) });
            taint(cloud.opts, "r");
            const r = await up({ ...cloud.opts, program: one({ size: 1 }) });
            assert.deepEqual(methods(callsFor(r, "r")), ["check", "create", "delete"]);
            assert.equal(r.state.resources[0].taint, undefined);
            const again = await up({ ...cloud.opts, program: one({ size: 1 }) });
            assert.deepEqual(again.counts, { same: 1 });
        });

        it("a changed replacementTrigger: no Diff; Check with olds, then again with none before the Create", async () => {
            const prog = (trigger: string) => one({ size: 1 }, { replacementTrigger: trigger });
            await up({ ...cloud.opts, program: prog("a") });
            const same = await up({ ...cloud.opts, program: prog("a") });
            assert.deepEqual(methods(callsFor(same, "r")), ["check", "diff"], "an unchanged trigger: the normal diff");
            const r = await up({ ...cloud.opts, program: prog("b") });
            const calls = callsFor(r, "r");
            assert.deepEqual(methods(calls), ["check", "check", "create", "delete"]);
            assert.notDeepEqual(calls[0].olds, {});
            assert.deepEqual(calls[1].olds, {});
        });

        it("replaceWith and deletedWith: replaced with their target, without a Diff call", async () => {
            const prog = (aName: string) => () => {
                const a = new FileResource("a", { name: aName });
                const b = new FileResource("b", { name: "b" }, { replaceWith: [a] });
                const c = new FileResource("c", { name: "c" }, { deletedWith: a });
                return { b: b.arn, c: c.arn };
            };
            await up({ ...cloud.opts, program: prog("a1") });
            const r = await up({ ...cloud.opts, program: prog("a2") });
            assert.deepEqual(r.errors, []);
            assert.deepEqual(methods(callsFor(r, "b")), ["check", "check", "create", "delete"]);
            assert.deepEqual(r.steps.find((s) => s.name === "b" && s.op === "replace")?.replaces, ["replaceWith"]);
            assert.deepEqual(r.steps.find((s) => s.name === "c" && s.op === "replace")?.replaces, ["deletedWith"]);
            // c's old copy is deleted with a's old copy: no Delete call of its own.
            assert.deepEqual(methods(callsFor(r, "c")), ["check", "check", "create"]);
            assert.equal(r.steps.find((s) => s.name === "c" && s.op === "delete")?.skipped, "deletedWith");
        });
    });

    describe("deleteBeforeReplace", () => {
        it("the resource option overrides the provider's answer, both ways", async () => {
            // The file provider asks for delete-first when its input says so.
            const prog = (name: string, providerSays: boolean, option?: boolean) =>
                one({ name, deleteBeforeReplace: providerSays }, option === undefined ? {} : { deleteBeforeReplace: option });
            await up({ ...cloud.opts, program: prog("v1", true) });
            let before = readOps(cloud.dir).length;
            await up({ ...cloud.opts, program: prog("v2", true, false) });
            assert.deepEqual(
                readOps(cloud.dir)
                    .slice(before)
                    .map((o) => o.op),
                ["create", "delete"],
                "option false: create first although the provider asked to delete first",
            );
            before = readOps(cloud.dir).length;
            await up({ ...cloud.opts, program: prog("v3", false, true) });
            assert.deepEqual(
                readOps(cloud.dir)
                    .slice(before)
                    .map((o) => o.op),
                ["delete", "create"],
                "option true: delete first",
            );
            before = readOps(cloud.dir).length;
            await up({ ...cloud.opts, program: prog("v4", true) });
            assert.deepEqual(
                readOps(cloud.dir)
                    .slice(before)
                    .map((o) => o.op),
                ["delete", "create"],
                "no option: the provider's answer",
            );
        });

        it("a delete-first replacement whose create fails leaves the resource pending replacement: the next up creates without deleting", async () => {
            await up({ ...cloud.opts, program: one({ name: "v1", deleteBeforeReplace: true }) });
            const failed = await up({ ...cloud.opts, program: one({ name: "v2", deleteBeforeReplace: true, failCreate: true }) });
            assert.equal(failed.ok, false);
            assert.equal(failed.state.resources[0].pendingReplacement, true);
            const calls = methods((await up({ ...cloud.opts, program: one({ name: "v2", deleteBeforeReplace: true }) })).calls);
            assert.ok(!calls.includes("delete"), `deleted again: ${calls.join(", ")}`);
            assert.ok(calls.includes("create"));
            assert.equal(Object.keys(liveResources(cloud.dir)).length, 1);
        });
    });

    describe("protect, retainOnDelete, deletedWith", () => {
        it("a protected resource is neither replaced nor deleted; unprotecting and replacing in one run is allowed", async () => {
            await up({ ...cloud.opts, program: one({ name: "p1" }, { protect: true }) });
            const replace = await up({ ...cloud.opts, program: one({ name: "p2" }, { protect: true }) });
            assert.equal(replace.ok, false);
            assert.match(replace.errors[0], /unable to replace resource as it is currently marked for protection/);
            assert.deepEqual(methods(replace.calls), ["check", "diff"], "no create, no delete");
            const pv = await preview({ ...cloud.opts, program: one({ name: "p2" }, { protect: true }) });
            assert.equal(pv.ok, false, "a preview reports it too");
            const gone = await up({ ...cloud.opts, program: () => ({}) });
            assert.equal(gone.ok, false);
            assert.match(gone.errors[0], /cannot be deleted because it is protected/);
            const d = await destroy(cloud.opts);
            assert.equal(d.ok, false);
            assert.equal(Object.keys(liveResources(cloud.dir)).length, 1, "still there");
            const unprotected = await up({ ...cloud.opts, program: one({ name: "p2" }) });
            assert.deepEqual(unprotected.errors, []);
            assert.deepEqual(unprotected.counts, { replace: 1, delete: 1 });
        });

        it("retainOnDelete: removed from the program and destroyed without a Delete call", async () => {
            await up({
                ...cloud.opts,
                program: () => ({
                    a: new FileResource("kept", { name: "kept" }, { retainOnDelete: true }).arn,
                    b: new FileResource("other", { name: "other" }).arn,
                }),
            });
            const r = await up({ ...cloud.opts, program: () => ({ b: new FileResource("other", { name: "other" }).arn }) });
            assert.deepEqual(methods(callsFor(r, "kept")), []);
            assert.equal(r.steps.find((s) => s.name === "kept")?.skipped, "retainOnDelete");
            assert.ok(!r.state.resources.some((s) => s.name === "kept"), "gone from the state");
            assert.equal(Object.keys(liveResources(cloud.dir)).length, 2, "but not deleted");
        });

        it("deletedWith: no Delete call when its target is deleted in the same run", async () => {
            await up({
                ...cloud.opts,
                program: () => {
                    const a = new FileResource("a", { name: "a" });
                    return { c: new FileResource("c", { name: "c" }, { deletedWith: a }).arn };
                },
            });
            const d = await destroy(cloud.opts);
            assert.deepEqual(methods(d.calls), ["delete"]);
            assert.deepEqual(
                d.calls.map((c) => c.urn?.split("::").pop()),
                ["a"],
            );
        });
    });

    describe("ignoreChanges and replaceOnChanges", () => {
        it("ignoreChanges with nested paths: the old value is put back before Check and Diff", async () => {
            const prog = (tags: Record<string, string>, size: number) =>
                one({ tags, size }, { ignoreChanges: ["tags.env", 'tags["cost-center"]'] });
            await up({ ...cloud.opts, program: prog({ env: "dev", "cost-center": "1", team: "a" }, 1) });
            const ignored = await up({ ...cloud.opts, program: prog({ env: "prod", "cost-center": "2", team: "a" }, 1) });
            assert.deepEqual(ignored.counts, { same: 1 });
            assert.deepEqual(
                (callsFor(ignored, "r")[0].news as { tags: unknown }).tags,
                { env: "dev", "cost-center": "1", team: "a" },
                "Check receives the old values",
            );
            const updated = await up({ ...cloud.opts, program: prog({ env: "prod", "cost-center": "2", team: "b" }, 2) });
            assert.deepEqual(updated.counts, { update: 1 });
            const live = Object.values(liveResources(cloud.dir))[0];
            assert.deepEqual(live.tags, { env: "dev", "cost-center": "1", team: "b" });
            assert.equal(live.size, 2);
        });

        it("the replaceOnChanges option does nothing for a dynamic resource (no changed keys reach the engine)", async () => {
            await up({ ...cloud.opts, program: one({ size: 1 }, { replaceOnChanges: ["size"] }) });
            const r = await up({ ...cloud.opts, program: one({ size: 2 }, { replaceOnChanges: ["size"] }) });
            assert.deepEqual(r.counts, { update: 1 });
        });

        it("replaceOnChanges '*' turns the update a resource with init errors gets into a replacement", async () => {
            const failed = await up({ ...cloud.opts, program: one({ failAfterCreate: true }, { replaceOnChanges: ["*"] }) });
            assert.deepEqual(failed.state.resources[0].initErrors, ["failAfterCreate"]);
            const r = await up({ ...cloud.opts, program: one({}, { replaceOnChanges: ["*"] }) });
            assert.deepEqual(r.steps.find((s) => s.op === "replace")?.replaces, ["#initerror"]);
        });
    });

    describe("partial failures", () => {
        it("a partial update records the error's outputs and init errors with the OLD inputs (pulumi/pulumi#2011); the next up updates again", async () => {
            const first = await up({ ...cloud.opts, program: one({ size: 1 }) });
            const oldInputs = first.state.resources[0].inputs;
            const r = await up({ ...cloud.opts, program: one({ size: 2, failAfterUpdate: true }) });
            assert.equal(r.ok, false);
            const recorded = r.state.resources[0];
            assert.deepEqual(recorded.inputs, oldInputs, "the old inputs");
            assert.equal(recorded.outputs.size, 2, "the error's outputs");
            assert.deepEqual(recorded.initErrors, ["failAfterUpdate"]);
            // Nothing changed in the program since, yet the init errors make it an update, which clears them.
            const again = await up({ ...cloud.opts, program: one({ size: 2 }) });
            assert.deepEqual(methods(again.calls), ["check", "diff", "update"]);
            assert.equal(again.state.resources[0].initErrors, undefined);
        });

        it("a partial create during a create-before-delete replacement keeps the old copy marked for deletion", async () => {
            await up({ ...cloud.opts, program: one({ name: "v1" }) });
            const r = await up({ ...cloud.opts, program: one({ name: "v2", failAfterCreate: true }) });
            assert.equal(r.ok, false);
            const byName = r.state.resources.map((s) => [s.outputs.name, s.pendingDelete === true, s.initErrors ?? []]);
            assert.deepEqual(byName, [
                ["v2", false, ["failAfterCreate"]],
                ["v1", true, []],
            ]);
            const next = await up({ ...cloud.opts, program: one({ name: "v2" }) });
            assert.deepEqual(next.errors, []);
            assert.deepEqual(
                Object.values(liveResources(cloud.dir)).map((x) => x.name),
                ["v2"],
                "the old copy was deleted by the next up",
            );
        });
    });

    describe("refresh", () => {
        it("reads with the old inputs and outputs, diffs with the arguments swapped, and clears init errors", async () => {
            const made = await up({ ...cloud.opts, program: one({ failAfterCreate: true }) });
            const r0 = made.state.resources[0];
            assert.ok(r0.initErrors);
            const r = await refresh(cloud.opts);
            assert.deepEqual(r.errors, []);
            assert.deepEqual(methods(r.calls), ["read", "diff"]);
            const [read, diff] = r.calls;
            assert.deepEqual(plain(read.properties), plain(r0.outputs));
            assert.deepEqual(plain(read.inputs), plain(r0.inputs));
            assert.deepEqual(plain(diff.news), plain(r0.inputs), "the old inputs are the news");
            assert.equal(r.state.resources[0].initErrors, undefined);
        });

        it("`up --refresh` refreshes first, then runs the program against the refreshed state", async () => {
            const made = await up({ ...cloud.opts, program: one({ size: 1 }) });
            const id = made.state.resources[0].id;
            fs.writeFileSync(path.join(cloud.dir, `${id}.json`), JSON.stringify({ ...liveResources(cloud.dir)[id], size: 9 }));
            const plainUp = await up({ ...cloud.opts, program: one({ size: 1 }) });
            assert.deepEqual(plainUp.counts, { same: 1 }, "without --refresh the drift goes unseen");
            const r = await up({ ...cloud.opts, program: one({ size: 1 }), refresh: true });
            assert.deepEqual(methods(r.calls), ["read", "diff", "check", "diff", "update"]);
            assert.equal(liveResources(cloud.dir)[id].size, 1, "the drift is corrected in the same run");
        });
    });

    describe("the provider host is held to its answers", () => {
        it("an uncaught error in the host (an undefined in an error's properties) fails the run at once instead of hanging", async () => {
            await up({ ...cloud.opts, program: one({ size: 1 }) });
            const started = Date.now();
            await assert.rejects(
                up({ ...cloud.opts, program: one({ size: 2, undefinedInError: true }) }),
                /the dynamic-provider host reported 1 uncaught error\(s\), so calls went unanswered:[\s\S]*Unexpected struct type/,
            );
            assert.ok(Date.now() - started < 30000, "did not wait for the call's deadline");
        });

        it("every call has a deadline", async () => {
            const r = await up({
                ...cloud.opts,
                host: undefined,
                hostEnv: { ...process.env, FILE_PROVIDER_DIR: cloud.dir },
                callTimeoutSeconds: 1,
                program: one({ delayMs: 5000 }),
            });
            assert.equal(r.ok, false);
            assert.match(r.errors[0], /create failed: create: the dynamic-provider host did not answer within 1 s/);
        });
    });
});

/**
 * Default tags (stack config `aws:defaultTags`) through Pulumi's real dynamic-provider host, under the engine's call
 * sequences, against the emulator: on a Key/Value-array tag property (AWS::Logs::LogGroup) and a map
 * (AWS::SSM::Parameter), resource tags winning, shown by previews, a change of them an update of the tags only, and
 * no perpetual diff after a refresh, also after a tag changed out of band (refresh shows the drift, up corrects it).
 */
import { strict as assert } from "assert";
import type { Emulator } from "../../src/emulator";
import { CloudControlResource } from "../../src/resource";
import { destroy, preview, refresh, up, RunOptions } from "../support/harness";
import { useDeployment } from "../support/harness/cloudcontrol";

const LOGS = "AWS::Logs::LogGroup";
const PARAM = "AWS::SSM::Parameter";

const defaults = (tags: Record<string, string>) => ({ "aws:defaultTags": JSON.stringify({ tags }) });

describe("e2e: default tags under the engine's real call sequences", function () {
    this.timeout(120000);
    const shared = useDeployment();
    let em: Emulator;
    let base: RunOptions;
    const withConfig = (config: Record<string, string>): RunOptions => ({ ...base, config: { ...base.config, ...config } });

    beforeEach(() => ({ em, base } = shared));
    afterEach(() => destroy(base));

    describe("on a Key/Value array (AWS::Logs::LogGroup Tags)", () => {
        const program = () => {
            const r = new CloudControlResource("tagged-logs", {
                typeName: LOGS,
                desiredState: {
                    LogGroupName: "tagged-logs",
                    RetentionInDays: 7,
                    Tags: [
                        { Key: "env", Value: "prod" },
                        { Key: "app", Value: "web" },
                    ],
                },
            });
            return { tags: r.desiredState.apply((d) => d.Tags) };
        };
        const live = () => em.getResource(LOGS, "tagged-logs")!.properties;

        it("merges them (resource tags win, sorted by key), previews them, updates only the tags when they change", async () => {
            const v1 = withConfig(defaults({ team: "core", env: "dev" }));
            const expected = [
                { Key: "app", Value: "web" },
                { Key: "env", Value: "prod" },
                { Key: "team", Value: "core" },
            ];
            const planned = await preview({ ...v1, program });
            assert.deepEqual(planned.outputs.tags, expected, "the preview shows the merged tags");
            const created = await up({ ...v1, program });
            assert.deepEqual(created.errors, []);
            assert.deepEqual(created.outputs.tags, expected);
            assert.deepEqual(live().Tags, expected);

            const v2 = withConfig(defaults({ team: "platform", "cost-center": "42", env: "dev" }));
            const before = live();
            const plannedChange = await preview({ ...v2, program });
            assert.deepEqual(plannedChange.counts, { update: 1 }, "an update, not a replacement");
            em.clearRequestLog();
            const changed = await up({ ...v2, program });
            assert.deepEqual(changed.counts, { update: 1 });
            assert.equal(em.countRequests("CreateResource") + em.countRequests("DeleteResource"), 0);
            const summary = changed.hostOutput.stdout.split("\n").filter((l) => /^'tagged-logs' \([^)]*\): [~+\-±] /.test(l));
            assert.ok(
                summary.length > 0 && summary.every((l) => /: [~+-] \/Tags\b/.test(l)),
                `only the tags change:\n${summary.join("\n")}`,
            );
            const after = live();
            assert.deepEqual(after.Tags, [
                { Key: "app", Value: "web" },
                { Key: "cost-center", Value: "42" },
                { Key: "env", Value: "prod" },
                { Key: "team", Value: "platform" },
            ]);
            assert.deepEqual({ ...after, Tags: undefined }, { ...before, Tags: undefined }, "nothing else changed");

            const refreshed = await refresh(v2);
            assert.deepEqual(
                refreshed.steps.map((s) => s.drift),
                [false],
            );
            assert.deepEqual((await up({ ...v2, program })).counts, { same: 1 }, "no perpetual diff");

            // Without default tags, they are removed (an update again).
            const removed = await up({ ...base, program });
            assert.deepEqual(removed.counts, { update: 1 });
            assert.deepEqual(live().Tags, [
                { Key: "env", Value: "prod" },
                { Key: "app", Value: "web" },
            ]);
        });

        it("a default tag changed out of band: refresh shows the drift, the next up corrects it, then nothing is left to do", async () => {
            const v1 = withConfig(defaults({ team: "core" }));
            await up({ ...v1, program });
            const props = live();
            em.putResource(LOGS, "tagged-logs", {
                ...props,
                Tags: (props.Tags as Array<{ Key: string; Value: string }>).map((t) => (t.Key === "team" ? { ...t, Value: "hacked" } : t)),
            });

            const refreshed = await refresh(v1);
            assert.deepEqual(
                refreshed.steps.map((s) => s.drift),
                [true],
                "refresh shows the drift",
            );
            const corrected = await up({ ...v1, program });
            assert.deepEqual(corrected.counts, { update: 1 });
            assert.deepEqual(live().Tags, [
                { Key: "app", Value: "web" },
                { Key: "env", Value: "prod" },
                { Key: "team", Value: "core" },
            ]);
            assert.deepEqual(
                (await refresh(v1)).steps.map((s) => s.drift),
                [false],
            );
            assert.deepEqual((await up({ ...v1, program })).counts, { same: 1 });
        });
    });

    describe("on a map (AWS::SSM::Parameter Tags)", () => {
        const program = () => {
            const r = new CloudControlResource("tagged-param", {
                typeName: PARAM,
                desiredState: { Name: "tagged-param", Type: "String", Value: "v", Tags: { env: "prod" } },
            });
            return { tags: r.desiredState.apply((d) => d.Tags) };
        };
        const live = () => em.getResource(PARAM, "tagged-param")!.properties;

        it("merges them, previews them, and after an out-of-band change shows drift once and corrects it", async () => {
            const v1 = withConfig(defaults({ team: "core", env: "dev" }));
            const planned = await preview({ ...v1, program });
            assert.deepEqual(
                Object.entries(planned.outputs.tags as object),
                [
                    ["env", "prod"],
                    ["team", "core"],
                ],
                "sorted keys, resource tags winning",
            );
            await up({ ...v1, program });
            assert.deepEqual(live().Tags, { env: "prod", team: "core" });
            assert.deepEqual(
                (await refresh(v1)).steps.map((s) => s.drift),
                [false],
            );
            assert.deepEqual((await up({ ...v1, program })).counts, { same: 1 });

            em.putResource(PARAM, "tagged-param", { ...live(), Tags: { env: "prod", team: "hacked", extra: "added" } });
            assert.deepEqual(
                (await refresh(v1)).steps.map((s) => s.drift),
                [true],
            );
            assert.deepEqual((await up({ ...v1, program })).counts, { update: 1 });
            assert.deepEqual(live().Tags, { env: "prod", team: "core" }, "the changed tag restored, the added one removed");
            assert.deepEqual(
                (await refresh(v1)).steps.map((s) => s.drift),
                [false],
            );
            assert.deepEqual((await up({ ...v1, program })).counts, { same: 1 });

            const v2 = withConfig(defaults({ team: "platform" }));
            const changed = await up({ ...v2, program });
            assert.deepEqual(changed.counts, { update: 1 });
            assert.deepEqual(live().Tags, { env: "prod", team: "platform" });
        });
    });
});

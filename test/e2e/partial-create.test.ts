/**
 * A partial create through the real provider and host: the resource exists but its read-back failed. Pulumi must
 * keep it in state (nothing orphaned), and refresh, the next up and destroy must all be able to act on it — with the
 * provider found from the outputs the partial create recorded (the host reads `__provider` from them).
 */
import { strict as assert } from "assert";
import { Emulator } from "../../src/emulator";
import { destroy, refresh, up, RunOptions } from "../support/harness";
import { Deployment, startDeployment } from "../support/harness/cloudcontrol";
import { fleetProgram } from "../support/harness/programs/fleet";

describe("e2e: a partial create is kept in state and can be refreshed, updated and destroyed", function () {
    this.timeout(120000);
    let em: Emulator;
    let deployment: Deployment;
    let base: RunOptions;
    const program = fleetProgram({ count: 1, prefix: "partial" });

    beforeEach(async () => {
        deployment = await startDeployment({ run: { program } });
        ({ em, base } = deployment);
        // The create succeeds, every read of the new resource fails: the provider reports a partial create.
        em.injectFaults({ kind: "server", status: 500, operation: "GetResource" });
        const r = await up(base);
        em.clearFaults();
        assert.equal(r.ok, false);
        const kept = r.state.resources.find((s) => s.name === "p0");
        assert.ok(kept, "the partially created resource is in state");
        assert.ok(kept.initErrors?.length, "with its init errors");
        assert.equal(em.listResources().length, 1);
    });
    afterEach(() => deployment?.close());

    it("refresh reads it and destroy deletes it", async () => {
        const r = await refresh(base);
        assert.deepEqual(r.errors, []);
        assert.equal(r.state.resources.length, 1);
        const d = await destroy(base);
        assert.deepEqual(d.errors, []);
        assert.deepEqual(em.listResources(), []);
    });

    it("the next up settles it without a second resource", async () => {
        const r = await up(base);
        assert.deepEqual(r.errors, []);
        assert.equal(em.listResources().length, 1);
        assert.ok(!r.state.resources[0].initErrors, "init errors cleared");
        const d = await destroy(base);
        assert.deepEqual(d.errors, []);
        assert.deepEqual(em.listResources(), []);
    });
});

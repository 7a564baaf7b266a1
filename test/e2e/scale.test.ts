/**
 * Many resources with dependencies against an emulator limited to 20 requests a second: every run converges with
 * no failure, no resource is created twice, and destroy leaves the emulator empty. 30 resources always; 200 only
 * with SLOW_TESTS set.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, Emulator } from "../../src/emulator";
import { destroy, up, RunOptions } from "../support/harness";
import { cloudControlRunOptions } from "../support/harness/cloudcontrol";
import { fleetParent, fleetProgram } from "../support/harness/programs/fleet";

function scaleRun(count: number) {
    return async function (this: Mocha.Context) {
        let em: Emulator | undefined;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-scale-"));
        try {
            em = await startEmulator({ rateLimit: { requestsPerSecond: 20 } });
            // Each run starts its own provider host, as every `pulumi` command does.
            const base: RunOptions = { stateFile: path.join(dir, "stack.json"), ...cloudControlRunOptions(em) };
            const r = await up({ ...base, program: fleetProgram({ count }) });
            assert.deepEqual(r.errors, []);
            assert.deepEqual(r.counts, { create: count });
            assert.ok(em.countRequests(undefined, (e) => e.error === "ThrottlingException") > 0, "the rate limit was actually hit");

            const live = em.listResources("AWS::SSM::Parameter");
            assert.equal(live.length, count);
            assert.equal(new Set(live.map((p) => p.identifier)).size, count);
            // Each resource came from exactly one accepted create request (a retried create reuses its token).
            const accepted = em.requestLog.filter((e) => e.operation === "CreateResource" && e.httpStatus === 200);
            assert.equal(new Set(accepted.map((e) => e.requestToken)).size, count, "one create request per resource");
            assert.equal(
                em.countRequests(undefined, (e) => e.error === "AlreadyExistsException"),
                0,
            );
            // Dependents got their parent's real identifier.
            const byName = new Map(live.map((p) => [p.identifier, p]));
            for (let i = 1; i < count; i++) {
                assert.equal(String(byName.get(`/fleet/p${i}`)?.properties.Value), `/fleet/p${fleetParent(i)}`);
            }

            const d = await destroy(base);
            assert.deepEqual(d.errors, []);
            assert.deepEqual(d.counts, { delete: count });
            assert.deepEqual(em.listResources(), []);
            assert.deepEqual(d.state.resources, []);
        } finally {
            await em?.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    };
}

describe("e2e: 30 resources with dependencies, emulator rate-limited to 20 requests/s", function () {
    this.timeout(180000);
    it("deploys and destroys with zero failures and no duplicate", scaleRun(30));
});

if (process.env.SLOW_TESTS) {
    describe("e2e (SLOW_TESTS): 200 resources with dependencies, emulator rate-limited to 20 requests/s", function () {
        this.timeout(900000);
        it("deploys and destroys with zero failures and no duplicate", scaleRun(200));
    });
}

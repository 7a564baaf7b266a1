/**
 * Deployments at the account's rate limit: with stack config `cloudcontrol:maxRequestsPerSecond` equal to the
 * emulator's account limit, every call of the provider host waits its turn in the pacer, so the emulator sees no
 * throttled request at all, and nothing fails: 200 resources in a dependency tree, up and destroy (about 55 s).
 */
import { strict as assert } from "assert";
import { destroy, up } from "../support/harness";
import { startDeployment } from "../support/harness/cloudcontrol";
import { fleetParent, fleetProgram } from "../support/harness/programs/fleet";

const LIMIT = 20;

function atTheLimit(count: number) {
    return async function (this: Mocha.Context) {
        const d = await startDeployment({ emulator: { rateLimit: { requestsPerSecond: LIMIT } } });
        try {
            const base = { ...d.base, config: { ...d.base.config, "cloudcontrol:maxRequestsPerSecond": String(LIMIT) } };
            const throttled = () => d.em.countRequests(undefined, (e) => e.error === "ThrottlingException");
            const r = await up({ ...base, program: fleetProgram({ count, prefix: "paced" }) });
            assert.deepEqual(r.errors, []);
            assert.deepEqual(r.counts, { create: count });
            assert.equal(throttled(), 0, "the emulator throttled a request: something bypassed the pacer or exceeded the rate");
            const live = d.em.listResources("AWS::SSM::Parameter");
            assert.equal(live.length, count);
            const accepted = d.em.requestLog.filter((e) => e.operation === "CreateResource" && e.httpStatus === 200);
            assert.equal(new Set(accepted.map((e) => e.requestToken)).size, count, "one create request per resource");
            const byName = new Map(live.map((p) => [p.identifier, p]));
            for (let i = 1; i < count; i++) assert.equal(String(byName.get(`/paced/p${i}`)?.properties.Value), `/paced/p${fleetParent(i)}`);

            const gone = await destroy(base);
            assert.deepEqual(gone.errors, []);
            assert.deepEqual(gone.counts, { delete: count });
            assert.deepEqual(d.em.listResources(), []);
            assert.equal(throttled(), 0, "destroy was throttled");
        } finally {
            await d.close();
        }
    };
}

describe(`e2e: deploying at the account's rate limit (${LIMIT} requests/s, set in stack config)`, function () {
    this.timeout(900000);
    it("200 resources with dependencies: zero throttled requests, zero failures, one create per resource", atTheLimit(200));
});

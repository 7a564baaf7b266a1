/**
 * Faults in every phase (create, update, refresh, delete): throttling storms, 5xx, connection resets, retryable
 * FAILED codes and ConcurrentOperation. Every run converges, and the emulator ends as the state says.
 */
import { strict as assert } from "assert";
import { Emulator, FaultRule } from "../../src/emulator";
import { destroy, refresh, up, RunOptions, RunResult } from "../support/harness";
import { Deployment, startDeployment } from "../support/harness/cloudcontrol";
import { fleetProgram } from "../support/harness/programs/fleet";

const ALL_OPS = ["CreateResource", "UpdateResource", "DeleteResource", "GetResource", "GetResourceRequestStatus", "ListResourceRequests"];

/** Transport-level noise on every operation: a throttling storm, 5xx and resets (`scale` multiplies the odds). */
const noise = (ops: string[] = ALL_OPS, scale = 1): FaultRule[] => [
    { kind: "throttle", operation: ops, probability: 0.15 * scale },
    { kind: "throttle429", operation: ops, probability: 0.03 * scale },
    { kind: "server", status: 500, operation: ops, probability: 0.03 * scale },
    { kind: "server", status: 503, operation: ops, probability: 0.03 * scale },
    { kind: "reset", operation: ops, probability: 0.03 * scale },
];

function faultSuite(title: string, COUNT: number, scale: number, timeoutMs: number) {
    describe(title, function () {
        this.timeout(timeoutMs);
        let em: Emulator;
        let deployment: Deployment;
        let base: RunOptions;
        const faultsHit = () => em.requestLog.filter((e) => e.error !== undefined || e.httpStatus >= 500).length;
        const inSync = (r: RunResult) => {
            const live = em
                .listResources()
                .map((x) => x.identifier)
                .sort();
            const stated = r.state.resources
                .filter((s) => s.custom)
                .map((s) => s.id)
                .sort();
            assert.deepEqual(live, stated, "the emulator holds exactly what the state says");
        };

        before(async () => {
            deployment = await startDeployment({ emulator: { seed: 7 } });
            ({ em, base } = deployment);
        });
        afterEach(() => em.clearFaults());
        after(() => deployment?.close());

        it("create: throttling storm, 5xx, resets and retryable FAILED creates", async () => {
            em.clearRequestLog();
            em.injectFaults(
                // Retryable FAILED codes (each retry backs off for seconds: two keep the test short).
                { kind: "failed", operation: "CreateResource", errorCode: "Throttling", count: 1 },
                { kind: "failed", operation: "CreateResource", errorCode: "NetworkFailure", count: 1 },
                // Sure transport faults first (the odds alone might spare a short run), then the noise.
                { kind: "throttle", operation: "CreateResource", count: 1 },
                { kind: "server", status: 503, operation: "GetResourceRequestStatus", count: 1 },
                ...noise(ALL_OPS, scale),
            );
            const r = await up({ ...base, program: fleetProgram({ count: COUNT }) });
            assert.deepEqual(r.errors, []);
            assert.deepEqual(r.counts, { create: COUNT });
            assert.ok(em.countRequests("CreateResource", (e) => e.error === "ThrottlingException") > 0, "a create was throttled");
            assert.ok(em.countRequests("GetResourceRequestStatus", (e) => e.httpStatus === 503) > 0, "a status call got a 503");
            assert.ok(em.countRequests(undefined, (e) => e.operationStatus === "FAILED") > 0, "a create ended FAILED and was retried");
            assert.equal(em.listResources().length, COUNT);
            inSync(r);
        });

        it("update: ConcurrentOperation, retryable FAILED updates and noise", async () => {
            em.clearRequestLog();
            em.injectFaults(
                { kind: "concurrent", operation: "UpdateResource", count: 2 },
                { kind: "failed", operation: "UpdateResource", errorCode: "ResourceConflict", count: 1 },
                { kind: "failed", operation: "UpdateResource", errorCode: "ServiceInternalError", count: 1 },
                ...noise(ALL_OPS, scale),
            );
            const r = await up({ ...base, program: fleetProgram({ count: COUNT, revision: "2" }) });
            assert.deepEqual(r.errors, []);
            assert.deepEqual(r.counts, { update: COUNT });
            assert.ok(
                em.countRequests(undefined, (e) => e.error === "ConcurrentOperationException") > 0,
                "ConcurrentOperation was answered",
            );
            for (const p of em.listResources()) assert.match(String(p.properties.Value), /#2$/);
            inSync(r);
        });

        it("refresh: throttling storm, 5xx and resets on reads", async () => {
            em.clearRequestLog();
            // One sure throttle and one sure reset (the odds alone might spare a handful of reads), then the noise.
            em.injectFaults(
                { kind: "throttle", operation: "GetResource", count: 1 },
                { kind: "reset", operation: "GetResource", count: 1 },
                ...noise(["GetResource"], scale),
            );
            const r = await refresh(base);
            assert.deepEqual(r.errors, []);
            assert.equal(r.counts.refresh, COUNT);
            assert.ok(
                r.steps.every((s) => !s.drift),
                "no drift reported because of faults",
            );
            assert.ok(em.countRequests("GetResource", (e) => e.error === "ThrottlingException") > 0, "reads were throttled");
            assert.ok(em.countRequests("GetResource", (e) => e.error === "reset") > 0, "a read's connection was reset");
            inSync(r);
        });

        it("delete: ConcurrentOperation, retryable FAILED deletes and noise", async () => {
            em.clearRequestLog();
            em.injectFaults(
                { kind: "concurrent", operation: "DeleteResource", count: 2 },
                { kind: "failed", operation: "DeleteResource", errorCode: "ServiceInternalError", count: 1 },
                ...noise(ALL_OPS, scale),
            );
            const r = await destroy(base);
            assert.deepEqual(r.errors, []);
            assert.deepEqual(r.counts, { delete: COUNT });
            assert.ok(faultsHit() > 0, "faults were injected");
            assert.deepEqual(em.listResources(), []);
        });
    });
}

// Every throttle costs the SDK's adaptive retry a back-off of up to ~2 s: the always-on suite keeps the odds modest.
faultSuite("e2e: faults in every phase converge (4 resources)", 4, 0.6, 180000);
if (process.env.SLOW_TESTS) {
    faultSuite("e2e (SLOW_TESTS): a fault storm in every phase converges (30 resources, doubled odds)", 30, 2, 900000);
}

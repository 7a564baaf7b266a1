/**
 * A run killed mid-create: the provider host dies after Cloud Control accepted CreateResource. The re-run finds the
 * create in the provider's journal and asks for that request again (its ClientToken) instead of creating another:
 * no duplicate resource, and no orphan (every live resource is in state, and destroy leaves the emulator empty).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, Emulator } from "../../src/emulator";
import { destroy, up, RunOptions } from "../support/harness";
import { cloudControlRunOptions, startCloudControlHost } from "../support/harness/cloudcontrol";
import { fleetProgram } from "../support/harness/programs/fleet";
import { ProviderHost } from "../support/provider-host";
import { waitFor } from "../support/assertions";

describe("e2e: a run killed mid-create, then re-run", function () {
    this.timeout(120000);
    let em: Emulator;
    const hosts: ProviderHost[] = [];
    let dir: string;

    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-crash-"));
    });
    afterEach(async () => {
        for (const h of hosts.splice(0)) await h.close();
        await em?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    for (const when of ["while the create is in progress", "after the create finished, before the provider heard of it"]) {
        it(`leaves no duplicate and no orphan when killed ${when}`, async () => {
            const finished = when.startsWith("after");
            em = await startEmulator({ durations: { "*": { create: 700, update: 100, delete: 100 } } });
            const program = fleetProgram({ count: 3, prefix: "crash" });
            const base: RunOptions = { stateFile: path.join(dir, "stack.json"), ...cloudControlRunOptions(em) };

            const first = await startCloudControlHost(em);
            hosts.push(first);
            const run1 = up({ ...base, host: first, program });
            await waitFor(
                () => em.requestLog.some((e) => e.operation === "CreateResource" && e.httpStatus === 200),
                "an accepted CreateResource",
            );
            if (finished) {
                // Let the emulator finish the accepted request: the re-run has to find and adopt it.
                const token = em.requestLog.find((e) => e.operation === "CreateResource" && e.httpStatus === 200)!.requestToken;
                await first.kill();
                await waitFor(() => em.listResources().length > 0, "the accepted create to finish");
                assert.ok(token);
            } else {
                await first.kill();
            }
            const r1 = await run1;
            assert.equal(r1.ok, false, "the killed run failed");
            const inStateAfterCrash = r1.state.resources.filter((s) => s.custom).length;
            assert.ok(inStateAfterCrash < 3, "the interrupted resource is not in state yet");

            const second = await startCloudControlHost(em);
            hosts.push(second);
            const r2 = await up({ ...base, host: second, program });
            assert.deepEqual(r2.errors, []);
            const live = em.listResources();
            assert.equal(live.length, 3, "no duplicate");
            assert.equal(
                em.countRequests(undefined, (e) => e.error === "AlreadyExistsException"),
                0,
            );
            const accepted = new Set(
                em.requestLog.filter((e) => e.operation === "CreateResource" && e.httpStatus === 200).map((e) => e.requestToken),
            );
            assert.equal(accepted.size, 3, "one create request per resource, across both runs");
            assert.deepEqual(
                r2.state.resources.map((s) => s.id).sort(),
                live.map((x) => x.identifier).sort(),
                "every live resource is in state (no orphan)",
            );

            // A later deployment (its own host, as every `pulumi` command has).
            const d = await destroy(base);
            assert.deepEqual(d.errors, []);
            assert.deepEqual(em.listResources(), []);
        });
    }
});

/**
 * A secret in desiredState: it reaches the resource, and appears in no output, log or error — not in the stack
 * outputs, the step records, the provider host's stdout/stderr, error messages or the state file.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Emulator } from "../../src/emulator";
import { CloudControlResource } from "../../src/resource";
import { destroy, refresh, up, RunOptions, RunResult, readStateFileText } from "../support/harness";
import { Deployment, startDeployment } from "../support/harness/cloudcontrol";

const SECRET = "hunter2-e2e-secret-71ab";
const SECRET2 = "correct-horse-e2e-secret-93cd";

function program(value: string, type = "String") {
    return () => {
        const p = new CloudControlResource("secret-param", {
            typeName: "AWS::SSM::Parameter" as string, // untyped: a test below passes an invalid Type on purpose
            desiredState: { Name: "/e2e/secret", Type: type, Value: pulumi.secret(value) },
        });
        return { value: p.properties.apply((x) => x.Value as string), desired: p.desiredState, id: p.identifier };
    };
}

describe("e2e: a secret in desiredState leaks nowhere", function () {
    this.timeout(120000);
    let em: Emulator;
    let deployment: Deployment;
    let base: RunOptions;
    const seen: string[] = [];

    const assertNoLeak = (r: RunResult) => {
        const text = [
            JSON.stringify(r.outputs),
            JSON.stringify(r.steps),
            r.errors.join("\n"),
            r.hostOutput.stdout,
            r.hostOutput.stderr,
            readStateFileText(base.stateFile),
            ...seen,
        ].join("\n");
        for (const s of [SECRET, SECRET2]) assert.ok(!text.includes(s), `the secret leaked into ${r.kind}'s output, logs, errors or state`);
    };

    before(async () => {
        deployment = await startDeployment({ run: { onEvent: (e) => seen.push(JSON.stringify(e)) } });
        ({ em, base } = deployment);
    });
    after(() => deployment?.close());

    it("creates, updates and refreshes with the secret kept secret", async () => {
        const r = await up({ ...base, program: program(SECRET) });
        assert.deepEqual(r.errors, []);
        assert.equal(em.listResources("AWS::SSM::Parameter")[0].properties.Value, SECRET, "the secret reached the resource");
        assert.equal(r.outputs.value, "[secret]");
        assert.equal(r.outputs.desired, "[secret]");
        assertNoLeak(r);

        const u = await up({ ...base, program: program(SECRET2) });
        assert.deepEqual(u.errors, []);
        assert.equal(u.counts.update, 1);
        assert.equal(em.listResources("AWS::SSM::Parameter")[0].properties.Value, SECRET2);
        assertNoLeak(u);

        assertNoLeak(await refresh(base));
    });

    it("keeps it out of check failures and Cloud Control failures", async () => {
        const bad = await up({ ...base, program: program(SECRET2, "NotAType") });
        assert.equal(bad.ok, false);
        assert.match(bad.errors.join("\n"), /Type/, "the error names the property");
        assertNoLeak(bad);

        em.injectFaults({
            kind: "failed",
            operation: "UpdateResource",
            errorCode: "InvalidRequest",
            statusMessage: "Value is not acceptable",
        });
        const failed = await up({ ...base, program: program(SECRET) });
        em.clearFaults();
        assert.equal(failed.ok, false);
        assertNoLeak(failed);

        const d = await destroy(base);
        assert.deepEqual(d.errors, []);
        assertNoLeak(d);
    });
});

import * as assert from "assert";
import { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { startEmulator, type Emulator } from "../../src/emulator";
import { main } from "../../examples/library";

describe("examples/library (computePatch + waitForRequest without Pulumi) against the emulator", function () {
    this.timeout(20000);
    let emulator: Emulator;
    before(async () => {
        emulator = await startEmulator({ schemas: false, operationDelayMs: 20 });
    });
    after(async () => emulator?.close());

    it("patches only what changed (reordered tags are no change) and the update lands", async () => {
        const client = new CloudControlClient({ endpoint: emulator.endpoint, region: emulator.region, credentials: { accessKeyId: "a", secretAccessKey: "b" } });
        const lines: string[] = [];
        const keys = ["AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;
        const saved = keys.map((k) => process.env[k]);
        Object.assign(process.env, { AWS_ENDPOINT_URL: emulator.endpoint, AWS_REGION: emulator.region, AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" });
        try {
            const { patch, retention } = await main(client, (l) => lines.push(l));
            assert.deepStrictEqual(patch, [{ op: "replace", path: "/RetentionInDays", value: 14 }]);
            assert.strictEqual(retention, 14);
            assert.strictEqual(emulator.listResources("AWS::Logs::LogGroup").length, 0);
            assert.ok(lines.some((l) => l.startsWith("created ")));
        } finally {
            keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
            client.destroy();
        }
    });
});

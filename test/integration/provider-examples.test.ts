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
        const config = emulator.clientConfig();
        const client = new CloudControlClient(config);
        const lines: string[] = [];
        // Only clientConfig(): no AWS variable may be needed (none is set for the call).
        const keys = Object.keys(process.env).filter((k) => k.startsWith("AWS_"));
        const saved = keys.map((k) => process.env[k]);
        for (const k of keys) delete process.env[k];
        try {
            const { patch, retention } = await main(client, (l) => lines.push(l), { ...config, bundledFallback: false });
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

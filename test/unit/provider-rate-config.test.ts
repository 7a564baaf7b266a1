/**
 * Stack config `cloudcontrol:maxRequestsPerSecond` reaches the account pacer of the provider's clients, and a bad
 * value is a configuration problem naming the key (reported by every check, as the other stack config is).
 */
import * as assert from "assert";
import { clearClientCache } from "../../src/cloudcontrol/client";
import { pacerOf } from "../../src/cloudcontrol/pacer";
import { configure } from "../../src/provider/impl";
import { clientFor, providerConfig, setProviderConfig } from "../../src/provider/settings";

function request(config: Record<string, string>): Parameters<typeof configure>[0] {
    return { config: new Map(Object.entries(config)) } as unknown as Parameters<typeof configure>[0];
}

describe("provider: cloudcontrol:maxRequestsPerSecond", () => {
    const saved = process.env.CLOUDCONTROL_MAX_REQUESTS_PER_SECOND;
    beforeEach(() => {
        delete process.env.CLOUDCONTROL_MAX_REQUESTS_PER_SECOND;
        clearClientCache();
    });
    afterEach(() => {
        setProviderConfig({});
        clearClientCache();
        if (saved === undefined) delete process.env.CLOUDCONTROL_MAX_REQUESTS_PER_SECOND;
        else process.env.CLOUDCONTROL_MAX_REQUESTS_PER_SECOND = saved;
    });

    it("sets the rate of the pacer every call of the resource's account and region goes through", async () => {
        await configure(request({ "aws:region": "eu-west-1", "cloudcontrol:maxRequestsPerSecond": "7.5" }));
        const pacer = pacerOf(clientFor({}));
        assert.deepStrictEqual([pacer?.snapshot().maxRequestsPerSecond, pacer?.snapshot().requestsPerSecond], [7.5, 7.5]);
        assert.strictEqual(pacerOf(clientFor({ region: "eu-west-1" })), pacer, "one pacer per account and region");
        assert.notStrictEqual(pacerOf(clientFor({ region: "us-east-1" })), pacer);
    });

    it("falls back to CLOUDCONTROL_MAX_REQUESTS_PER_SECOND, then to a learned rate", async () => {
        await configure(request({ "aws:region": "eu-west-1" }));
        assert.strictEqual(pacerOf(clientFor({}))?.snapshot().maxRequestsPerSecond, undefined);
        process.env.CLOUDCONTROL_MAX_REQUESTS_PER_SECOND = "3";
        assert.strictEqual(pacerOf(clientFor({}))?.snapshot().maxRequestsPerSecond, 3);
    });

    it("reports a value that is not a positive number as a problem naming the key, and learns the rate meanwhile", async () => {
        for (const bad of ["fast", "0", "-2"]) {
            await configure(request({ "cloudcontrol:maxRequestsPerSecond": bad }));
            assert.deepStrictEqual(providerConfig().problems, [
                `stack config cloudcontrol:maxRequestsPerSecond must be a positive number of requests per second (got "${bad}")`,
            ]);
            assert.strictEqual(providerConfig().maxRequestsPerSecond, undefined);
        }
    });
});

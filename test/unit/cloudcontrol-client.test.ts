import * as assert from "assert";
import { clearClientCache, getCloudControlClient } from "../../src/cloudcontrol/client";

async function resolve<T>(value: T | (() => Promise<T> | T)): Promise<T> {
    return typeof value === "function" ? await (value as () => Promise<T> | T)() : value;
}

describe("getCloudControlClient", () => {
    const saved = { ...process.env };
    beforeEach(() => {
        clearClientCache();
        for (const k of ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CLOUDCONTROL"]) delete process.env[k];
    });
    afterEach(() => {
        clearClientCache();
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
    });

    it("reuses one client per region, endpoint and profile", () => {
        const a = getCloudControlClient({ region: "eu-west-1" });
        assert.strictEqual(getCloudControlClient({ region: "eu-west-1" }), a);
        assert.notStrictEqual(getCloudControlClient({ region: "us-east-1" }), a);
        assert.notStrictEqual(getCloudControlClient({ region: "eu-west-1", profile: "other" }), a);
        assert.notStrictEqual(getCloudControlClient({ region: "eu-west-1", endpoint: "http://127.0.0.1:4566" }), a);
    });

    it("configures region, endpoint, profile and adaptive retries", async () => {
        const client = getCloudControlClient({ region: "eu-central-1", endpoint: "http://127.0.0.1:4566", profile: "dev" });
        assert.strictEqual(await resolve(client.config.region), "eu-central-1");
        assert.strictEqual(client.config.profile, "dev");
        assert.strictEqual(await resolve(client.config.retryMode), "adaptive");
        assert.strictEqual(await resolve(client.config.maxAttempts), 5);
        const endpoint = await resolve(client.config.endpoint!);
        assert.deepStrictEqual([endpoint.hostname, endpoint.port], ["127.0.0.1", 4566]);
    });

    it("falls back to the SDK's chain for the region, and sees environment changes", async () => {
        process.env.AWS_REGION = "ap-southeast-2";
        const first = getCloudControlClient();
        assert.strictEqual(await resolve(first.config.region), "ap-southeast-2");
        process.env.AWS_REGION = "sa-east-1";
        const second = getCloudControlClient();
        assert.notStrictEqual(second, first);
        assert.strictEqual(await resolve(second.config.region), "sa-east-1");
    });

    it("gives a new client when the endpoint variable changes", () => {
        const plain = getCloudControlClient({ region: "eu-west-1" });
        process.env.AWS_ENDPOINT_URL_CLOUDCONTROL = "http://127.0.0.1:9";
        assert.notStrictEqual(getCloudControlClient({ region: "eu-west-1" }), plain);
    });
});

import * as assert from "assert";
import { clearClientCache, getCloudControlClient, maxRequestsPerSecond } from "../../src/cloudcontrol/client";
import { pacerOf } from "../../src/cloudcontrol/pacer";

async function resolve<T>(value: T | (() => Promise<T> | T)): Promise<T> {
    return typeof value === "function" ? await (value as () => Promise<T> | T)() : value;
}

describe("getCloudControlClient", () => {
    const saved = { ...process.env };
    beforeEach(() => {
        clearClientCache();
        for (const k of [
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_PROFILE",
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_CLOUDCONTROL",
            "CLOUDCONTROL_MAX_REQUESTS_PER_SECOND",
        ])
            delete process.env[k];
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

    it("configures region, endpoint, profile and standard retries, with the account's pacer after the retry middleware", async () => {
        const client = getCloudControlClient({ region: "eu-central-1", endpoint: "http://127.0.0.1:4566", profile: "dev" });
        assert.strictEqual(await resolve(client.config.region), "eu-central-1");
        assert.strictEqual(client.config.profile, "dev");
        // The pacer limits the rate; the SDK's adaptive limiter would fight it (see pacer.ts).
        assert.strictEqual(await resolve(client.config.retryMode), "standard");
        const stack = client.middlewareStack.identify();
        const at = (name: string) => stack.findIndex((m) => m.startsWith(name));
        assert.ok(
            at("retryMiddleware") >= 0 &&
                at("retryMiddleware") < at("cloudControlPacer") &&
                at("cloudControlPacer") < at("httpSigningMiddleware"),
            stack.join("\n"),
        );
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

    it("takes static credentials or a credential provider, one client per identity and secret, one pacer per account", async () => {
        const keys = { accessKeyId: "AKIDSTATIC", secretAccessKey: "static-secret" };
        const client = getCloudControlClient({ region: "eu-west-1", credentials: keys });
        assert.strictEqual(getCloudControlClient({ region: "eu-west-1", credentials: { ...keys } }), client, "same key id: same client");
        assert.notStrictEqual(getCloudControlClient({ region: "eu-west-1", credentials: { ...keys, accessKeyId: "AKIDOTHER" } }), client);
        // A corrected secret (or a new session token) gets a client of its own, in the same account's pacer.
        const rotated = getCloudControlClient({ region: "eu-west-1", credentials: { ...keys, secretAccessKey: "corrected" } });
        assert.notStrictEqual(rotated, client);
        assert.strictEqual(pacerOf(rotated), pacerOf(client));
        const session = getCloudControlClient({ region: "eu-west-1", credentials: { ...keys, sessionToken: "s2" } });
        assert.notStrictEqual(session, client);
        const identity = await (client.config.credentials as () => Promise<{ accessKeyId: string; secretAccessKey: string }>)();
        assert.deepStrictEqual([identity.accessKeyId, identity.secretAccessKey], ["AKIDSTATIC", "static-secret"]);

        const provider = async () => ({ accessKeyId: "AKIDPROVIDED", secretAccessKey: "provided-secret" });
        const fromProvider = getCloudControlClient({ region: "eu-west-1", credentials: provider });
        assert.strictEqual(getCloudControlClient({ region: "eu-west-1", credentials: provider }), fromProvider);
        assert.notStrictEqual(getCloudControlClient({ region: "eu-west-1", credentials: async () => provider() }), fromProvider);
        assert.strictEqual(
            (await (fromProvider.config.credentials as () => Promise<{ accessKeyId: string }>)()).accessKeyId,
            "AKIDPROVIDED",
        );
    });

    it("reads the account's request rate from settings, else CLOUDCONTROL_MAX_REQUESTS_PER_SECOND, and rejects a bad one", () => {
        assert.strictEqual(maxRequestsPerSecond({}), undefined, "unset: learned");
        process.env.CLOUDCONTROL_MAX_REQUESTS_PER_SECOND = "12.5";
        assert.strictEqual(maxRequestsPerSecond({}), 12.5);
        assert.strictEqual(maxRequestsPerSecond({ maxRequestsPerSecond: 40 }), 40, "settings (stack config) win");
        process.env.CLOUDCONTROL_MAX_REQUESTS_PER_SECOND = "fast";
        assert.throws(
            () => getCloudControlClient({ region: "eu-west-1" }),
            /CLOUDCONTROL_MAX_REQUESTS_PER_SECOND must be a positive number of requests per second \(got "fast"\)/,
        );
        assert.throws(() => maxRequestsPerSecond({ maxRequestsPerSecond: 0 }), /maxRequestsPerSecond must be a positive number/);
    });

    it("shares one pacer per account and region; a caller that sets no rate keeps another's", () => {
        const paced = getCloudControlClient({ region: "eu-west-1", maxRequestsPerSecond: 9 });
        const other = getCloudControlClient({ region: "eu-west-1", maxAttempts: 2 });
        assert.notStrictEqual(other, paced, "another client (attempts differ)");
        assert.strictEqual(pacerOf(other), pacerOf(paced), "the same account and region: the same pacer");
        assert.strictEqual(pacerOf(other)?.snapshot().maxRequestsPerSecond, 9);
        assert.notStrictEqual(pacerOf(getCloudControlClient({ region: "us-east-1" })), pacerOf(paced));
        getCloudControlClient({ region: "eu-west-1", maxRequestsPerSecond: 4 });
        assert.strictEqual(pacerOf(paced)?.snapshot().maxRequestsPerSecond, 4, "a new setting applies to the shared pacer");
    });
});

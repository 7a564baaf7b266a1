/**
 * The provider-host wrapper against Pulumi's real dynamic-provider host, with a small file-backed test provider
 * serialized the way pulumi.dynamic.Resource does it.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProviderHost, ProviderHostError, serializeProvider, UNKNOWN_VALUE } from "../support/provider-host";
import { fileProvider, liveResources } from "../support/harness/file-provider";

describe("provider host (Pulumi dynamic-provider host over gRPC)", function () {
    this.timeout(60000);
    let dir: string;
    let host: ProviderHost;
    const urn = "urn:pulumi:stack::project::pulumi-nodejs:dynamic:Resource::r1";

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-host-"));
        const provider = await serializeProvider(fileProvider);
        host = await ProviderHost.start({ provider, env: { ...process.env, FILE_PROVIDER_DIR: dir } });
        await host.configure({});
    });
    after(async () => {
        await host?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("starts a host that printed its port", () => {
        assert.ok(host.port > 0);
        assert.ok(host.alive);
    });

    it("runs check, diff, create, read, update and delete with plain objects", async () => {
        const checked = await host.check(urn, {}, { name: "a", size: 1 });
        assert.deepEqual(checked.failures, []);
        assert.equal(checked.inputs.name, "a");
        assert.equal(typeof checked.inputs.__provider, "string", "the host returns __provider with the inputs");

        const created = await host.create(urn, checked.inputs);
        assert.match(created.id, /^a-/);
        assert.equal(created.properties.arn, `arn:file:${created.id}`);
        assert.deepEqual(Object.keys(liveResources(dir)), [created.id]);

        const same = await host.diff(urn, created.id, created.properties, checked.inputs);
        assert.equal(same.changes, "none");

        const news = { ...checked.inputs, size: 2 };
        const upd = await host.diff(urn, created.id, created.properties, news);
        assert.deepEqual(upd, { changes: "some", replaces: [], stables: [], deleteBeforeReplace: false });
        const updated = await host.update(urn, created.id, created.properties, news);
        assert.equal(updated.properties.size, 2);
        assert.equal(updated.properties.version, 2);

        const rep = await host.diff(urn, created.id, updated.properties, { ...news, name: "b" });
        assert.deepEqual(rep.replaces, ["name"]);

        const read = await host.read(urn, created.id, updated.properties, news);
        assert.equal(read.id, created.id);
        assert.equal(read.properties.size, 2);

        await host.delete(urn, created.id, updated.properties);
        assert.deepEqual(liveResources(dir), {});
        const gone = await host.read(urn, created.id, updated.properties);
        assert.equal(gone.id, "", "an empty id means the resource is gone");
    });

    it("passes unknown values through check and diff", async () => {
        const checked = await host.check(urn, {}, { name: "c", size: UNKNOWN_VALUE });
        assert.equal(checked.inputs.size, UNKNOWN_VALUE);
        const d = await host.diff(urn, "c-1", { name: "c", size: 1 }, { name: "c", size: UNKNOWN_VALUE });
        assert.equal(d.changes, "some");
    });

    it("reports check failures", async () => {
        const checked = await host.check(urn, {}, { name: "x", failCheck: true });
        assert.deepEqual(checked.failures, [{ property: "name", reason: "name is rejected by failCheck" }]);
    });

    it("decodes a partial create into ProviderHostError.partial", async () => {
        const err = await host.create(urn, { name: "p", failAfterCreate: true }).then(
            () => assert.fail("create should fail"),
            (e: unknown) => e,
        );
        assert.ok(err instanceof ProviderHostError);
        assert.match(err.message, /failed to initialize/);
        assert.ok(err.partial, "partial-create details are decoded");
        assert.match(err.partial.id, /^p-/);
        assert.deepEqual(err.partial.reasons, ["failAfterCreate"]);
        assert.ok(liveResources(dir)[err.partial.id]);
    });

    it("captures the provider's console output", async () => {
        await host.create(urn, { name: "logged" });
        for (let i = 0; i < 50 && !/created logged-/.test(host.stdout); i++) await new Promise((r) => setTimeout(r, 20));
        assert.match(host.stdout, /created logged-/);
    });

    it("fails calls with a clear error after the host is killed", async () => {
        const h = await ProviderHost.start({
            provider: await serializeProvider(fileProvider),
            env: { ...process.env, FILE_PROVIDER_DIR: dir },
        });
        await h.configure({});
        await h.kill();
        assert.equal(h.alive, false);
        await assert.rejects(h.check(urn, {}, { name: "z" }), ProviderHostError);
    });
});

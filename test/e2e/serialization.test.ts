/**
 * The provider as Pulumi really runs it: serialized the way `pulumi.dynamic.Resource` does, loaded by Pulumi's own
 * dynamic-provider host in a fresh process (cwd = the program directory), driven over gRPC against the emulator.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type Emulator } from "../../src/emulator";
import { cloudControlProvider } from "../../src/provider";
import { transpileSources } from "../support/harness/provider-build";
import { ProviderHost, ProviderHostError, serializeProvider, type PropertyMap } from "../support/provider-host";

const repo = path.join(__dirname, "../..");
const URN = "urn:pulumi:test::proj::pulumi-nodejs:dynamic/cloudcontrol:CloudControlResource::app-logs";
const SECRET = "parameter-value-that-must-not-be-printed";

/** Lays out `pkgDir` like the built package: package.json, dist/ (the sources transpiled to CommonJS), node_modules. */
function layOutPackage(pkgDir: string): void {
    transpileSources(path.join(pkgDir, "dist"));
    fs.writeFileSync(
        path.join(pkgDir, "package.json"),
        JSON.stringify({ name: "pulumi-cloudcontrol", version: "0.0.0-test", main: "dist/index.js" }),
    );
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(pkgDir, "node_modules"), "dir");
}

/** A program directory with this package installed the way npm would: node_modules/pulumi-cloudcontrol. */
function installPackage(programDir: string): void {
    layOutPackage(path.join(programDir, "node_modules", "pulumi-cloudcontrol"));
}

// The provider's create journal, outside any program directory.
const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "serialization-journal-"));
after(() => fs.rmSync(journalDir, { recursive: true, force: true }));

function hostEnv(emulator: Emulator, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        AWS_ENDPOINT_URL: emulator.endpoint,
        AWS_ACCESS_KEY_ID: "AKIDTEST",
        AWS_SECRET_ACCESS_KEY: "test-secret",
        PULUMI_CLOUDCONTROL_JOURNAL_DIR: journalDir,
        ...extra,
    };
    // The region comes from the stack config sent with Configure (aws:region), not from the environment.
    for (const key of [
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL_CLOUDCONTROL",
        "AWS_ENDPOINT_URL_CLOUDFORMATION",
        "PULUMI_CLOUDCONTROL_PROVIDER_MODULE",
    ]) {
        if (!(key in extra)) delete env[key];
    }
    return env;
}

describe("serialized provider in Pulumi's dynamic-provider host", function () {
    this.timeout(60000);
    let emulator: Emulator;
    let programDir: string;
    let serialized: string;
    const hosts: ProviderHost[] = [];

    before(async () => {
        emulator = await startEmulator({ schemas: false, operationDelayMs: 20 });
        programDir = fs.mkdtempSync(path.join(os.tmpdir(), "cloudcontrol-program-"));
        serialized = await serializeProvider(cloudControlProvider);
    });
    after(async () => {
        await Promise.all(hosts.map((h) => h.close()));
        await emulator?.close();
        if (programDir) fs.rmSync(programDir, { recursive: true, force: true });
    });

    /**
     * A host as the engine starts one for a deployment, configured. Pulumi starts a provider process per
     * deployment, and the provider does not delete what a create of its own process returned: deletes of what a
     * create made run in a later deployment's host.
     */
    async function deployment(options: Parameters<typeof ProviderHost.start>[0]): Promise<ProviderHost> {
        const host = await ProviderHost.start({ provider: serialized, ...options });
        hosts.push(host);
        await host.configure({ "aws:region": "us-east-1" });
        return host;
    }

    it("is small and captures no client, schema or implementation", () => {
        assert.ok(
            serialized.length < 6 * 1024,
            /* ~3.8 KB today; the ceiling is 16 KB */ `serialized provider is ${serialized.length} bytes`,
        );
        assert.ok(!/CloudControlClient|\$ref|createOnlyProperties|fast-json-patch|ajv/.test(serialized), "nothing heavy captured");
        assert.match(serialized, /pulumi-cloudcontrol\/dist\/provider\/impl/);
    });

    it("runs a resource's whole lifecycle from an installed package (no ts-node, no overrides)", async () => {
        installPackage(programDir);
        const host = await deployment({ cwd: programDir, env: hostEnv(emulator) });

        const news: PropertyMap = {
            typeName: "AWS::SSM::Parameter",
            desiredState: { Name: "app-param", Type: "String", Value: SECRET, Description: "write-only" },
            __identity: { project: "proj", stack: "test", name: "app-param" },
        };
        const bad = await host.check(URN, {}, { ...news, desiredState: { Name: "app-param", Type: "Number", Value: SECRET } });
        assert.deepStrictEqual(
            bad.failures.map((f) => f.reason),
            [
                '\'app-param\' (AWS::SSM::Parameter): desiredState.Type must be one of ["String","StringList"] (per the AWS::SSM::Parameter schema)',
            ],
        );

        const checked = await host.check(URN, {}, news);
        assert.deepStrictEqual(checked.failures, []);

        const created = await host.create(URN, checked.inputs);
        assert.strictEqual(created.id, "app-param");
        assert.strictEqual(created.properties.identifier, "app-param");
        assert.strictEqual((created.properties.properties as PropertyMap).Description, "write-only");
        assert.strictEqual(created.properties.__provider, serialized, "the host stores the provider with the outputs");
        assert.strictEqual(emulator.getResource("AWS::SSM::Parameter", "app-param")?.properties.Value, SECRET);

        const changed = await host.check(URN, checked.inputs, { ...news, desiredState: { ...(news.desiredState as object), Value: "v2" } });
        const diff = await host.diff(URN, created.id, created.properties, changed.inputs);
        assert.deepStrictEqual(diff, { changes: "some", replaces: [], stables: [], deleteBeforeReplace: false });
        const updated = await host.update(URN, created.id, created.properties, changed.inputs);
        assert.strictEqual((updated.properties.properties as PropertyMap).Value, "v2");
        assert.strictEqual(emulator.getResource("AWS::SSM::Parameter", "app-param")?.properties.Value, "v2");

        const read = await host.read(URN, created.id, updated.properties, changed.inputs);
        assert.strictEqual(read.id, "app-param");
        assert.deepStrictEqual((read.inputs as PropertyMap).desiredState, (changed.inputs as PropertyMap).desiredState);
        const none = await host.diff(URN, read.id, read.properties, changed.inputs);
        assert.strictEqual(none.changes, "none");

        const renamed = await host.check(URN, changed.inputs, {
            ...news,
            desiredState: { Name: "other-param", Type: "String", Value: "v2" },
        });
        const replace = await host.diff(URN, read.id, read.properties, renamed.inputs);
        assert.deepStrictEqual(replace.replaces, ["desiredState.Name"]);

        const later = await deployment({ cwd: programDir, env: hostEnv(emulator) });
        await later.delete(URN, read.id, read.properties);
        assert.strictEqual(emulator.getResource("AWS::SSM::Parameter", "app-param"), undefined);
        const gone = await later.read(URN, read.id, read.properties);
        assert.strictEqual(gone.id, "");

        assert.match(host.stdout, /created app-param/);
        assert.match(later.stdout, /deleted app-param/);
        for (const h of [host, later])
            assert.ok(!h.stdout.includes(SECRET) && !h.stderr.includes(SECRET), "no property value in the host's output");
    });

    it("reports a partial create to the engine with the id and outputs", async () => {
        const host = await deployment({ cwd: programDir, env: hostEnv(emulator) });
        const checked = await host.check(
            URN,
            {},
            {
                typeName: "AWS::Logs::LogGroup",
                desiredState: { LogGroupName: "half-made" },
                __identity: { project: "proj", stack: "test", name: "half" },
            },
        );
        emulator.injectFaults({ operation: "GetResource", kind: "concurrent", count: 20 });
        let error: unknown;
        try {
            await host.create(URN, checked.inputs);
        } catch (e) {
            error = e;
        } finally {
            emulator.clearFaults();
        }
        assert.ok(error instanceof ProviderHostError && error.partial, `expected a partial create, got ${String(error)}`);
        assert.strictEqual(error.partial!.id, "half-made");
        assert.strictEqual(error.partial!.properties.identifier, "half-made");
        assert.ok(emulator.getResource("AWS::Logs::LogGroup", "half-made"));
        await (await deployment({ cwd: programDir, env: hostEnv(emulator) })).delete(URN, "half-made", error.partial!.properties);
        assert.strictEqual(emulator.getResource("AWS::Logs::LogGroup", "half-made"), undefined);
    });

    it("runs from this repository's TypeScript sources with PULUMI_CLOUDCONTROL_PROVIDER_MODULE", async () => {
        const bare = fs.mkdtempSync(path.join(os.tmpdir(), "cloudcontrol-bare-"));
        try {
            const options = {
                cwd: bare,
                nodeArgs: ["-r", require.resolve("ts-node/register/transpile-only")],
                env: hostEnv(emulator, {
                    PULUMI_CLOUDCONTROL_PROVIDER_MODULE: path.join(repo, "src/provider/impl.ts"),
                    TS_NODE_PROJECT: path.join(repo, "tsconfig.json"),
                }),
            };
            const host = await deployment(options);
            const checked = await host.check(
                URN,
                {},
                {
                    typeName: "AWS::Logs::LogGroup",
                    desiredState: { LogGroupName: "from-source" },
                    __identity: { project: "proj", stack: "test", name: "src" },
                },
            );
            const created = await host.create(URN, checked.inputs);
            assert.strictEqual(created.id, "from-source");
            await (await deployment(options)).delete(URN, created.id, created.properties);
            assert.strictEqual(emulator.listResources("AWS::Logs::LogGroup").length, 0);
        } finally {
            fs.rmSync(bare, { recursive: true, force: true });
        }
    });

    it("runs from a checkout of this package (the program directory is the checkout, dist/ built)", async () => {
        const checkout = fs.mkdtempSync(path.join(os.tmpdir(), "cloudcontrol-checkout-"));
        try {
            layOutPackage(checkout);
            const host = await deployment({ cwd: checkout, env: hostEnv(emulator) });
            const checked = await host.check(
                URN,
                {},
                {
                    typeName: "AWS::Logs::LogGroup",
                    desiredState: { LogGroupName: "from-checkout" },
                    __identity: { project: "proj", stack: "test", name: "co" },
                },
            );
            const created = await host.create(URN, checked.inputs);
            assert.strictEqual(created.id, "from-checkout");
            await (await deployment({ cwd: checkout, env: hostEnv(emulator) })).delete(URN, created.id, created.properties);
            assert.strictEqual(emulator.getResource("AWS::Logs::LogGroup", "from-checkout"), undefined);
        } finally {
            fs.rmSync(checkout, { recursive: true, force: true });
        }
    });

    it("fails with a clear message where the package cannot be found", async () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "cloudcontrol-empty-"));
        try {
            const host = await deployment({ cwd: empty, env: hostEnv(emulator) });
            await assert.rejects(
                host.check(URN, {}, { typeName: "AWS::Logs::LogGroup", desiredState: {} }),
                /cannot load the provider from .*Cannot find module 'pulumi-cloudcontrol\/dist\/provider\/impl'.*npm install pulumi-cloudcontrol/,
            );
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });
});

/**
 * The package as a newcomer gets it: `npm pack` (which builds dist/ and the typings), the tarball installed into a
 * fresh program outside this repository, a script type-checked (two module resolutions) and run against the
 * emulator using only `emulator.clientConfig()` — no AWS variable in the environment, no ~/.aws — and a Pulumi
 * program type-checked against the shipped typings.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** The environment of a newcomer's shell: nothing that points the SDK anywhere, a home without AWS config. */
function cleanEnv(home: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (/^(AWS_|PULUMI_CLOUDCONTROL_|TS_NODE_|CLOUDCONTROL_)/.test(key)) continue;
        env[key] = value;
    }
    return { ...env, HOME: home, AWS_EC2_METADATA_DISABLED: "true", PULUMI_CLOUDCONTROL_CACHE_DIR: path.join(home, "cache") };
}

const script = `
import { computePatch, getCloudControlClient, loadResourceSchema, runCreate, runDelete, runUpdate, startEmulator } from "pulumi-cloudcontrol";
import { builtinSchemas } from "pulumi-cloudcontrol/emulator";

async function main(): Promise<void> {
    const emulator = await startEmulator();
    try {
        const config = emulator.clientConfig();
        const client = getCloudControlClient(config);
        const typeName = "AWS::Logs::LogGroup";
        const schema = await loadResourceSchema(typeName, { ...config, cacheDir: false, bundledFallback: false });
        const before = { LogGroupName: "pack-test", RetentionInDays: 7 };
        const after = { LogGroupName: "pack-test", RetentionInDays: 14 };
        const created = await runCreate(client, { typeName, desiredState: before }, { timeout: "1m" });
        const patch = computePatch(before, after, schema);
        await runUpdate(client, { typeName, identifier: created.identifier, patch }, { timeout: "1m" });
        await runDelete(client, { typeName, identifier: created.identifier }, { timeout: "1m" });
        console.log(JSON.stringify({ identifier: created.identifier, patch, builtins: Object.keys(builtinSchemas).length }));
    } finally {
        await emulator.close();
    }
}
main().catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
});
`;

const program = `
import { CloudControlResource } from "pulumi-cloudcontrol";

export const logs = new CloudControlResource("logs", {
    typeName: "AWS::Logs::LogGroup",
    desiredState: { LogGroupName: "app-logs", RetentionInDays: 7 },
});
export const arn = logs.properties.apply((p) => p.Arn);
// @ts-expect-error a typo'd property does not compile
export const typo = new CloudControlResource("typo", { typeName: "AWS::Logs::LogGroup", desiredState: { RetentionInDay: 7 } });
export const untyped = new CloudControlResource("private", { typeName: "MyOrg::Private::Thing", desiredState: { Anything: [1] } });
`;

function tsconfig(resolution: "node10" | "node16"): object {
    return {
        compilerOptions: {
            strict: true,
            target: "ES2022",
            module: resolution === "node16" ? "node16" : "commonjs",
            moduleResolution: resolution,
            outDir: `dist-${resolution}`,
            types: ["node"],
            skipLibCheck: true,
        },
        files: ["index.ts", "program.ts"],
    };
}

describe("e2e: the packed package installed into a program of its own", function () {
    this.timeout(600_000);
    let work: string;

    before(() => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "cloudcontrol-pack-"));
    });
    after(() => {
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it("installs from the tarball, type-checks and runs against the emulator with only clientConfig()", async () => {
        const packed = await run(NPM, ["pack", "--pack-destination", work, "--json"], { cwd: ROOT, maxBuffer: 64 << 20 });
        const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[")));
        const tarball = path.join(work, info.filename);
        const files: string[] = info.files.map((f: { path: string }) => f.path);
        for (const expected of [
            "LICENSE",
            "README.md",
            "docs/emulator.md",
            "dist/index.js",
            "dist/index.d.ts",
            "dist/emulator/index.js",
            "dist/provider/impl.js",
            "data/registry-schemas.bin",
        ]) {
            assert.ok(files.includes(expected), `the tarball lacks ${expected}`);
        }
        assert.ok(
            files.some((f) => f.startsWith("typings/")),
            "the tarball lacks the generated typings",
        );
        assert.ok(!files.some((f) => f.startsWith("src/") || f.startsWith("test/")), "sources and tests are not shipped");

        const app = path.join(work, "app");
        const home = path.join(work, "home");
        fs.mkdirSync(app);
        fs.mkdirSync(home);
        fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
        const env = cleanEnv(home);
        // The npm cache of this machine serves the dependencies (the registry is reachable too).
        await run(
            NPM,
            [
                "install",
                "--no-audit",
                "--no-fund",
                "--prefer-offline",
                "--cache",
                path.join(os.homedir(), ".npm"),
                tarball,
                "@types/node@22",
            ],
            {
                cwd: app,
                env,
                maxBuffer: 64 << 20,
            },
        );
        fs.writeFileSync(path.join(app, "index.ts"), script);
        fs.writeFileSync(path.join(app, "program.ts"), program);
        for (const resolution of ["node10", "node16"] as const) {
            fs.writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify(tsconfig(resolution)));
            await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: app, env }).catch((e) => {
                assert.fail(`tsc (${resolution}) failed:\n${e.stdout}${e.stderr}`);
            });
        }
        const out = await run(process.execPath, [path.join("dist-node10", "index.js")], { cwd: app, env });
        const result = JSON.parse(out.stdout.trim().split("\n").pop()!);
        assert.strictEqual(result.identifier, "pack-test");
        assert.deepStrictEqual(result.patch, [{ op: "replace", path: "/RetentionInDays", value: 14 }]);
        assert.strictEqual(result.builtins, 6);
    });
});

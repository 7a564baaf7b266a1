/** cloudcontrol-codegen's command line: arguments, schema files, errors, and the bin itself. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCodegenArgs, UsageError } from "../../src/codegen/cli";
import { runCodegen } from "../fixtures/codegen/run";

const ROOT = path.resolve(__dirname, "..", "..");
const schemaFile = path.join(ROOT, "test", "fixtures", "codegen", "test-codegen-gadget.json");

describe("cloudcontrol-codegen arguments", () => {
    it("parses type names, schema files and DescribeType settings", () => {
        const a = parseCodegenArgs([
            "MyOrg::Svc::Thing",
            "--schema",
            "a.json",
            "--schema",
            "b.json",
            "--out",
            "t.d.ts",
            "--region",
            "eu-west-1",
            "--endpoint",
            "http://127.0.0.1:1",
            "--profile",
            "p",
            "--type-version-id",
            "00000003",
            "--module",
            "my-fork",
        ]);
        assert.deepStrictEqual(a, {
            help: false,
            typeNames: ["MyOrg::Svc::Thing"],
            schemaFiles: ["a.json", "b.json"],
            out: "t.d.ts",
            region: "eu-west-1",
            endpoint: "http://127.0.0.1:1",
            profile: "p",
            typeVersionId: "00000003",
            moduleName: "my-fork",
        });
        assert.strictEqual(parseCodegenArgs(["AWS::S3::Bucket"]).moduleName, "pulumi-cloudcontrol");
    });
    it("rejects bad command lines, naming the problem", () => {
        const cases: Array<[string[], RegExp]> = [
            [[], /name at least one type/],
            [["--bogus"], /Unknown option '--bogus'.* \(see --help\)$/],
            [["AWS::S3"], /"AWS::S3" is not a type name/],
            [["A::B::C"], /"A::B::C" is not a type name/], // AWS's model: 2 to 64 characters a segment
            [["--out"], /Option '--out <value>' argument missing/],
            [["--schema", "--out", "x"], /Option '--schema' argument is ambiguous/],
            [["My::Org::Thing", "My::Org::Other", "--type-version-id", "1"], /--type-version-id needs exactly one TYPE_NAME/],
        ];
        for (const [argv, message] of cases)
            assert.throws(
                () => parseCodegenArgs(argv),
                (e: Error) => e instanceof UsageError && message.test(e.message),
                argv.join(" "),
            );
    });
});

describe("cloudcontrol-codegen", function () {
    this.timeout(60_000);
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "codegen-cli-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("prints the typings of a schema file to standard output", async () => {
        const r = await runCodegen(["--schema", schemaFile]);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.match(r.stdout, /export declare namespace Test\.Codegen\.Gadget \{/);
        assert.strictEqual(r.stderr, "");
    });
    it("exits 2 on a usage error and 1 on a bad schema file, saying what is wrong", async () => {
        assert.deepStrictEqual(await runCodegen([]), {
            code: 2,
            stdout: "",
            stderr: "cloudcontrol-codegen: name at least one type, or a schema file with --schema (see --help)\n",
        });
        const missing = await runCodegen(["--schema", path.join(dir, "missing.json")]);
        assert.strictEqual(missing.code, 1);
        assert.match(missing.stderr, /cannot read .*missing\.json: ENOENT/);
        fs.writeFileSync(path.join(dir, "bad.json"), "{ not json");
        assert.match(
            (await runCodegen(["--schema", path.join(dir, "bad.json")])).stderr,
            /bad\.json is not valid JSON; expected a registry schema document/,
        );
        fs.writeFileSync(path.join(dir, "other.json"), JSON.stringify({ title: "not a schema" }));
        assert.match((await runCodegen(["--schema", path.join(dir, "other.json")])).stderr, /other\.json has no registry "typeName"/);
        assert.match((await runCodegen(["--schema", schemaFile, "--schema", schemaFile])).stderr, /Test::Codegen::Gadget is given twice/);
    });
    it("is the package's bin: --help, and typings written to --out", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.strictEqual(pkg.bin["cloudcontrol-codegen"], "dist/codegen/cli.js");
        const cli = path.join(ROOT, "src", "codegen", "cli.ts");
        const env = { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" };
        const help = spawnSync(process.execPath, ["-r", "ts-node/register", cli, "--help"], {
            cwd: ROOT,
            env,
            encoding: "utf8",
            timeout: 30_000,
        });
        assert.strictEqual(help.status, 0, help.stderr);
        assert.match(help.stdout, /^Usage: cloudcontrol-codegen \[options\] \[TYPE_NAME \.\.\.\]/);
        const out = path.join(dir, "nested", "types.d.ts");
        const r = spawnSync(process.execPath, ["-r", "ts-node/register", cli, "--schema", schemaFile, "--out", out], {
            cwd: ROOT,
            env,
            encoding: "utf8",
            timeout: 30_000,
        });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(
            fs.readFileSync(out, "utf8"),
            /"Test::Codegen::Gadget": \{ desiredState: Test\.Codegen\.Gadget\.DesiredState; properties: Test\.Codegen\.Gadget\.Properties \}/,
        );
        const bad = spawnSync(process.execPath, ["-r", "ts-node/register", cli, "--nope"], {
            cwd: ROOT,
            env,
            encoding: "utf8",
            timeout: 30_000,
        });
        assert.strictEqual(bad.status, 2);
    });
});

/** CloudControlResource's typing, checked with the TypeScript compiler on fixtures that must and must not compile. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateBundledTypes } from "../../src/codegen/bundled";
import { compile, compilerOptions, listDiagnostics, ROOT, stripDirectives, type Found } from "./support";

const fixtures = path.join(__dirname, "fixtures");
const accepted = path.join(fixtures, "accepted.ts");
const rejected = path.join(fixtures, "rejected.ts");
const generated = path.join(ROOT, "typings");

describe("typed desiredState and properties (tsc on fixtures)", function () {
    this.timeout(180_000);
    const { text: rejectedText, expected } = stripDirectives(fs.readFileSync(rejected, "utf8"));
    let found: Found[];

    before(() => {
        generateBundledTypes(generated); // a fresh clone running mocha alone has none yet
        found = compile([accepted, rejected], new Map([[rejected, rejectedText]]));
    });

    it("accepts typed programs (inputs at every level, typed outputs) and any desired state for untyped type names", () => {
        const errors = found.filter((f) => f.file === accepted);
        assert.deepStrictEqual(errors, [], listDiagnostics(errors));
    });

    for (const e of expected) {
        it(`rejects line ${e.line + 1} of rejected.ts: ${e.fragment}`, () => {
            const here = found.filter((f) => f.file === rejected && f.line === e.line);
            assert.ok(
                here.some((f) => f.message.includes(e.fragment)),
                `expected an error containing ${JSON.stringify(e.fragment)} on line ${e.line + 1}, got:\n${listDiagnostics(here)}`,
            );
        });
    }

    it("raises no error in rejected.ts but the expected ones", () => {
        const lines = new Set(expected.map((e) => e.line));
        const unexpected = found.filter((f) => f.file === rejected && !lines.has(f.line));
        assert.deepStrictEqual(unexpected, [], listDiagnostics(unexpected));
        assert.ok(expected.length >= 10, "the fixture holds the rejected cases");
    });
});

describe("generated typings of the bundled registry", function () {
    this.timeout(300_000);

    it("type-check without error for every bundled type (skipLibCheck off, as Pulumi's project template has it)", () => {
        generateBundledTypes(generated);
        const files = fs
            .readdirSync(generated)
            .filter((f) => f.endsWith(".d.ts"))
            .map((f) => path.join(generated, f));
        assert.ok(files.length > 1, "one file per service and the index");
        const errors = compile(files, new Map(), compilerOptions({ skipLibCheck: false }));
        assert.deepStrictEqual(errors, [], listDiagnostics(errors.slice(0, 20)));
    });

    it("are regenerated only when the bundle or the generator changed (a stamp), and replaced whole", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundled-types-"));
        try {
            const first = generateBundledTypes(dir);
            assert.strictEqual(first.written, true);
            fs.writeFileSync(path.join(dir, "aws-stale.d.ts"), "export {};\n");
            const again = generateBundledTypes(dir);
            assert.strictEqual(again.written, false, "up to date: nothing written");
            fs.writeFileSync(path.join(dir, ".stamp"), "old");
            const redone = generateBundledTypes(dir);
            assert.strictEqual(redone.written, true);
            assert.ok(!fs.existsSync(path.join(dir, "aws-stale.d.ts")), "files of services no longer bundled are removed");
            assert.strictEqual(redone.files, first.files);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

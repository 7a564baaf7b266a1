/** The bundled registry: its file format, the shipped snapshot, and the script that builds it (from a directory or a zip). */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { zipSync } from "fflate";
import { buildRegistry, readSchemaSource } from "../../scripts/build-registry";
import {
    bundledRegistry,
    bundledSchema,
    bundledSchemaText,
    bundledTypeNames,
    BUNDLE_FILE,
    decodeBundle,
    encodeBundle,
    hasBundledType,
    openRegistryBundle,
} from "../../src/registry";
import { FIXTURE_SCHEMAS, haveSharedSchemas, SHARED_SCHEMAS } from "../fixtures/schemas";

const info = { source: "test", date: "2026-01-02", license: "test schemas" };
const schema = (typeName: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ typeName, properties: { Name: { type: "string" } }, ...extra });

describe("registry bundle format", () => {
    it("round-trips every schema, inflating only the one asked for", () => {
        const schemas = new Map([
            ["AWS::B::Two", schema("AWS::B::Two", { description: "ünïcödé ✓" })],
            ["AWS::A::One", schema("AWS::A::One")],
        ]);
        const decoded = decodeBundle(encodeBundle(schemas, info));
        assert.deepStrictEqual(Object.keys(decoded.header.entries), ["AWS::A::One", "AWS::B::Two"], "sorted");
        assert.strictEqual(decoded.header.count, 2);
        assert.strictEqual(decoded.header.date, "2026-01-02");
        assert.strictEqual(decoded.text("AWS::B::Two"), schemas.get("AWS::B::Two"));
        assert.strictEqual(decoded.text("AWS::A::One"), schemas.get("AWS::A::One"));
        assert.strictEqual(decoded.text("AWS::C::Three"), undefined);
        assert.strictEqual(decoded.text("constructor"), undefined, "no prototype keys");
    });
    it("is deterministic for the same input", () => {
        const schemas = new Map([["AWS::A::One", schema("AWS::A::One")]]);
        assert.ok(encodeBundle(schemas, info).equals(encodeBundle(new Map(schemas), info)));
    });
    it("refuses what is not a bundle, a truncated one, and a corrupt entry, saying so", () => {
        const file = encodeBundle(new Map([["AWS::A::One", schema("AWS::A::One")]]), info);
        assert.throws(() => decodeBundle(Buffer.from("PK\u0003\u0004 not a bundle")), /not a registry bundle/);
        assert.throws(() => decodeBundle(file.subarray(0, 20)), /truncated registry bundle \(header\)/);
        assert.throws(
            () => decodeBundle(file.subarray(0, file.length - 3)).text("AWS::A::One"),
            /truncated registry bundle \(entry AWS::A::One\)/,
        );
        const corrupt = Buffer.from(file);
        corrupt[corrupt.length - 2] ^= 0xff;
        assert.throws(() => decodeBundle(corrupt).text("AWS::A::One"));
    });
    it("names the file when it cannot be opened", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-"));
        try {
            assert.throws(
                () => openRegistryBundle(path.join(dir, "none.bin")),
                /Cannot read the bundled registry .*none\.bin: the file is missing/,
            );
            fs.writeFileSync(path.join(dir, "junk.bin"), "junk");
            assert.throws(() => openRegistryBundle(path.join(dir, "junk.bin")), /junk\.bin: not a registry bundle/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the shipped registry snapshot", () => {
    it("records its source, date and license, and lists its types sorted", () => {
        const r = bundledRegistry();
        assert.match(r.info.date, /^\d{4}-\d{2}-\d{2}$/);
        assert.match(r.info.license, /Amazon Web Services/);
        assert.ok(r.info.source.length > 0);
        const names = bundledTypeNames();
        assert.strictEqual(names.length, r.info.count);
        assert.deepStrictEqual(names, [...names].sort());
        assert.ok(names.length >= 1600, `${names.length} types`);
        for (const t of [
            "AWS::Logs::LogGroup",
            "AWS::SQS::Queue",
            "AWS::SSM::Parameter",
            "AWS::IAM::Role",
            "AWS::S3::Bucket",
            "AWS::DynamoDB::Table",
        ])
            assert.ok(hasBundledType(t), t);
        assert.strictEqual(hasBundledType("MyOrg::Private::Thing"), false);
        assert.strictEqual(bundledSchemaText("MyOrg::Private::Thing"), undefined);
    });
    it("is documented in data/README.md with the date and count it holds", () => {
        const readme = fs.readFileSync(path.join(path.dirname(BUNDLE_FILE), "README.md"), "utf8");
        assert.ok(readme.includes(bundledRegistry().info.date), "the README names the snapshot's date");
        assert.ok(readme.includes(bundledRegistry().info.count.toLocaleString("en-US")), "the README names the count");
        assert.match(readme, /## License/);
    });
    it("hands out a fresh document each time (callers may change it)", () => {
        const a = bundledSchema("AWS::Logs::LogGroup")!;
        a.typeName = "changed";
        assert.strictEqual(bundledSchema("AWS::Logs::LogGroup")!.typeName, "AWS::Logs::LogGroup");
    });
    it("holds a valid schema under each type name, inflated on demand", () => {
        for (const name of bundledTypeNames()) {
            const doc = bundledSchema(name)!;
            assert.strictEqual(doc.typeName, name);
            assert.ok(doc.properties && typeof doc.properties === "object", `${name} has properties`);
        }
    });
    it("holds exactly the available registry schemas: all of ../shared/cfn-schemas, equal, else the fixtures' metadata", () => {
        const dir = haveSharedSchemas() ? SHARED_SCHEMAS : FIXTURE_SCHEMAS;
        const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
        if (haveSharedSchemas()) assert.strictEqual(bundledTypeNames().length, files.length, "one entry per shared schema");
        for (const file of files) {
            const source = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
            const bundled = bundledSchema(source.typeName)!;
            assert.ok(bundled, `${source.typeName} is bundled`);
            if (haveSharedSchemas()) {
                assert.deepStrictEqual(bundled, source, source.typeName);
            } else {
                // The fixtures are the real schemas trimmed to fewer properties, with their real metadata.
                for (const key of [
                    "primaryIdentifier",
                    "createOnlyProperties",
                    "readOnlyProperties",
                    "writeOnlyProperties",
                    "conditionalCreateOnlyProperties",
                ]) {
                    assert.deepStrictEqual(bundled[key], source[key], `${source.typeName} ${key}`);
                }
                for (const property of Object.keys(source.properties))
                    assert.ok(property in (bundled.properties as object), `${source.typeName}.${property}`);
            }
        }
    });
});

describe("scripts/build-registry", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "build-registry-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const sources = {
        "aws-a-one.json": JSON.stringify({ typeName: "AWS::Aa::One", properties: {} }, null, 2),
        "myorg-b-two.json": JSON.stringify(
            { typeName: "MyOrg::Bb::Two", description: "ü", properties: { X: { type: "string" } } },
            null,
            4,
        ),
        "provider.definition.schema.v1.json": JSON.stringify({ $schema: "http://json-schema.org/draft-07/schema#", title: "meta-schema" }),
    };

    it("builds the same bundle from a directory and from a CloudformationSchema.zip, skipping files that are not resource schemas", () => {
        const schemaDir = path.join(dir, "schemas");
        fs.mkdirSync(schemaDir);
        for (const [name, text] of Object.entries(sources)) fs.writeFileSync(path.join(schemaDir, name), text);
        const zipFile = path.join(dir, "CloudformationSchema.zip");
        // As AWS publishes it: JSON files at the top (a folder level is accepted too), deflated.
        const entries: Record<string, Uint8Array> = {};
        for (const [name, text] of Object.entries(sources))
            entries[name === "myorg-b-two.json" ? `nested/${name}` : name] = Buffer.from(text);
        fs.writeFileSync(zipFile, zipSync(entries, { level: 6 }));

        const fromDir = buildRegistry({ from: schemaDir, out: path.join(dir, "a.bin"), date: "2026-02-03" });
        const fromZip = buildRegistry({ from: zipFile, out: path.join(dir, "b.bin"), date: "2026-02-03", source: "schemas" });
        assert.deepStrictEqual(fromDir.skipped, ["provider.definition.schema.v1.json"]);
        assert.deepStrictEqual(fromZip.skipped, ["provider.definition.schema.v1.json"]);
        assert.strictEqual(fromDir.count, 2);
        const a = openRegistryBundle(path.join(dir, "a.bin"));
        const b = openRegistryBundle(path.join(dir, "b.bin"));
        assert.deepStrictEqual(a.typeNames(), ["AWS::Aa::One", "MyOrg::Bb::Two"]);
        assert.deepStrictEqual(b.typeNames(), a.typeNames());
        for (const name of a.typeNames()) assert.strictEqual(b.schemaText(name), a.schemaText(name));
        assert.strictEqual(
            a.schemaText("MyOrg::Bb::Two"),
            JSON.stringify(JSON.parse(sources["myorg-b-two.json"])),
            "minified, content unchanged",
        );
        assert.deepStrictEqual(a.info, { source: "schemas", date: "2026-02-03", license: a.info.license, count: 2 });
        assert.ok(
            fs.readFileSync(path.join(dir, "a.bin")).equals(fs.readFileSync(path.join(dir, "b.bin"))),
            "byte for byte the same bundle",
        );
    });
    it("dates the snapshot by its newest source file unless --date is given", () => {
        fs.writeFileSync(path.join(dir, "aws-a-one.json"), sources["aws-a-one.json"]);
        const when = new Date("2025-07-08T12:00:00Z");
        fs.utimesSync(path.join(dir, "aws-a-one.json"), when, when);
        assert.strictEqual(readSchemaSource(dir).date, "2025-07-08");
        assert.throws(() => buildRegistry({ from: dir, out: path.join(dir, "x.bin"), date: "July 8" }), /--date must be YYYY-MM-DD/);
    });
    it("refuses a source with a broken schema, a type defined twice, no schema at all, or a file that is not a zip", () => {
        fs.writeFileSync(path.join(dir, "aws-a-one.json"), sources["aws-a-one.json"]);
        fs.writeFileSync(path.join(dir, "aws-a-one-copy.json"), sources["aws-a-one.json"]);
        assert.throws(() => readSchemaSource(dir), /AWS::Aa::One is defined twice in .*: aws-a-one-copy\.json and aws-a-one\.json/);
        fs.writeFileSync(path.join(dir, "aws-a-one-copy.json"), "{ broken");
        assert.throws(() => readSchemaSource(dir), /aws-a-one-copy\.json in .* is not valid JSON/);
        const empty = path.join(dir, "empty");
        fs.mkdirSync(empty);
        assert.throws(() => readSchemaSource(empty), /holds no registry schema/);
        fs.writeFileSync(path.join(dir, "fake.zip"), "not a zip at all");
        assert.throws(() => readSchemaSource(path.join(dir, "fake.zip")), /fake\.zip is not a readable zip file/);
    });
});

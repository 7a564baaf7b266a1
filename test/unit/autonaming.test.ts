/**
 * Autonaming's parts on their own: the name-property rule over the real registry schemas (../shared when present,
 * the fixtures otherwise), `pulumi:autonaming` parsed as the Pulumi CLI parses it, and the names patterns make
 * within a schema's maxLength and pattern. Through the real host and engine sequences: test/e2e/autonaming.test.ts.
 */
import * as assert from "assert";
import {
    DEFAULT_NAMING,
    isRandom,
    makeName,
    namingFor,
    parseAutonamingConfig,
    type NameContext,
    type Naming,
} from "../../src/provider/autonaming";
import { registryRegExp } from "../../src/provider/validate";
import { nameProperty } from "../../src/schema/name-property";
import type { RegistrySchema } from "../../src/schema/types";
import { allTestSchemas, haveSharedSchemas, testSchema } from "../fixtures/schemas";

const ctx: NameContext = {
    name: "app-logs",
    project: "proj",
    stack: "dev",
    config: (key) => ({ "proj:team": "core", "aws:region": "eu-west-1" })[key],
};
type PatternNaming = Extract<Naming, { mode: "pattern" }>;
const pattern = (text: string, enforce = false): PatternNaming => ({ mode: "pattern", pattern: text, enforce, source: "test" });
const made = (naming: PatternNaming, rules: Parameters<typeof makeName>[2] = {}, c: NameContext = ctx) => {
    const r = makeName(naming, c, rules);
    assert.ok(r.ok, `expected a name, got: ${!r.ok && r.reason}`);
    return r.value;
};
const refused = (naming: PatternNaming, rules: Parameters<typeof makeName>[2] = {}, c: NameContext = ctx) => {
    const r = makeName(naming, c, rules);
    assert.ok(!r.ok, `expected no name, got ${r.ok && r.value}`);
    return r.reason;
};

describe("autonaming", () => {
    describe(`the name property (${haveSharedSchemas() ? "../shared registry schemas" : "fixture schemas"})`, () => {
        const cases: Array<[string, string | undefined]> = [
            ["AWS::SSM::Parameter", "Name"], // a writable string Name
            ["AWS::Events::Rule", "Name"],
            ["AWS::Logs::LogGroup", "LogGroupName"], // <Type>Name
            ["AWS::S3::Bucket", "BucketName"],
            ["AWS::DynamoDB::Table", "TableName"],
            ["AWS::IAM::Role", "RoleName"],
            ["AWS::Lambda::Function", "FunctionName"],
            ["AWS::EC2::SecurityGroup", "GroupName"], // the one <X>Name whose X ends the type name
            ["AWS::EFS::FileSystem", undefined],
        ];
        for (const [typeName, expected] of cases) {
            it(`${typeName}: ${expected ?? "none"}`, () => {
                const doc = testSchema(typeName);
                const found = nameProperty(doc);
                assert.strictEqual(found?.name, expected);
                if (found) {
                    const node = doc.properties![found.name] as Record<string, unknown>;
                    assert.ok(!(doc.readOnlyProperties ?? []).includes(`/properties/${found.name}`), "writable");
                    if (typeof node.maxLength === "number") assert.strictEqual(found.maxLength, node.maxLength);
                    assert.strictEqual(found.required, (doc.required ?? []).includes(found.name));
                }
            });
        }

        it("reads maxLength, minLength and pattern through a $ref, keywords beside the reference refining it", () => {
            const doc: RegistrySchema = {
                typeName: "Test::Unit::Widget",
                definitions: { NameText: { type: "string", pattern: "^[a-z-]+$", maxLength: 40 } },
                properties: { WidgetName: { $ref: "#/definitions/NameText", maxLength: 20, minLength: 3 } },
                required: ["WidgetName"],
            };
            assert.deepStrictEqual(nameProperty(doc), {
                name: "WidgetName",
                required: true,
                maxLength: 20,
                minLength: 3,
                pattern: "^[a-z-]+$",
            });
        });

        it("skips read-only and non-string candidates, and chooses none when two <X>Name properties fit", () => {
            const base = { typeName: "Test::Unit::ProvisionedProduct" };
            assert.strictEqual(
                nameProperty({
                    ...base,
                    properties: { Name: { type: "string" }, ProvisionedProductName: { type: "string" } },
                    readOnlyProperties: ["/properties/Name"],
                })?.name,
                "ProvisionedProductName",
            );
            assert.strictEqual(
                nameProperty({ ...base, properties: { Name: { type: "object" }, ProductName: { type: "string" } } })?.name,
                "ProductName",
            );
            const both = { ProductName: { type: "string" }, ProvisionedProductName: { type: "string" } };
            assert.strictEqual(
                nameProperty({ typeName: "Test::Unit::CloudFormationProvisionedProduct", properties: both }),
                undefined,
                "ambiguous",
            );
            assert.strictEqual(
                nameProperty({ ...base, properties: { OtherName: { type: "string" } } }),
                undefined,
                "Other does not end the type name",
            );
        });

        if (haveSharedSchemas()) {
            it("over every registry type: a read-only Name falls through to <Type>Name; the ambiguous type gets none", () => {
                assert.strictEqual(nameProperty(testSchema("AWS::CodeArtifact::Domain"))?.name, "DomainName");
                assert.strictEqual(nameProperty(testSchema("AWS::ServiceCatalog::CloudFormationProvisionedProduct")), undefined);
                const all = allTestSchemas();
                const named = all.filter((d) => nameProperty(d));
                for (const d of named) {
                    const p = nameProperty(d)!;
                    assert.ok(!(d.readOnlyProperties ?? []).includes(`/properties/${p.name}`), `${d.typeName}.${p.name} is writable`);
                    assert.ok(p.name === "Name" || p.name.endsWith("Name"), `${d.typeName}.${p.name}`);
                }
                // Most registry types with a physical name get one (956 of 1,665 when this was written).
                assert.ok(named.length > all.length / 2, `${named.length} of ${all.length}`);
            });
        }
    });

    describe("pulumi:autonaming, parsed as the Pulumi CLI parses it (pkg/cmd/pulumi/autonaming/config.go)", () => {
        it("is unset when empty; takes an object or its JSON text", () => {
            assert.strictEqual(parseAutonamingConfig(undefined), undefined);
            assert.strictEqual(parseAutonamingConfig(""), undefined);
            const fromText = parseAutonamingConfig('{"mode":"verbatim"}')!;
            assert.deepStrictEqual(fromText.default, { mode: "pattern", pattern: "${name}", enforce: true, source: "pulumi:autonaming" });
            assert.deepStrictEqual(parseAutonamingConfig({ mode: "disabled" })!.default, { mode: "disabled", source: "pulumi:autonaming" });
            assert.deepStrictEqual(parseAutonamingConfig({ mode: "default" })!.default, { ...DEFAULT_NAMING, source: "pulumi:autonaming" });
            assert.deepStrictEqual(parseAutonamingConfig({ pattern: "${name}-${hex(8)}", enforce: true })!.default, {
                mode: "pattern",
                pattern: "${name}-${hex(8)}",
                enforce: true,
                source: "pulumi:autonaming",
            });
        });

        it("refuses what the CLI refuses, saying where", () => {
            const refusals: Array<[unknown, RegExp]> = [
                ["{not json", /not a valid object/],
                [{ mode: "verbatim", pattern: "${name}" }, /cannot specify both mode and pattern\/enforce/],
                [{ enforce: true }, /pattern must be specified when enforce is true/],
                [{ mode: "random" }, /invalid naming mode "random"/],
                [{ pattern: "${name}", extra: 1 }, /unknown field "extra"/],
                [
                    { providers: { cloudcontrol: { resources: { "AWS::S3::Bucket": {} } } } },
                    /providers\.cloudcontrol\.resources\.AWS::S3::Bucket: mode or pattern must be specified/,
                ],
                [{ providers: { cloudcontrol: { mode: "verbatim", pattern: "x" } } }, /providers\.cloudcontrol: cannot specify both/],
                [{ pattern: "${name}-${random(8)}" }, /unknown expression \$\{random\(8\)\}/],
                [{ providers: "aws" }, /providers must be an object/],
            ];
            for (const [value, expected] of refusals) assert.throws(() => parseAutonamingConfig(value), expected, JSON.stringify(value));
        });

        it("chooses the type's entry, then its provider's default (cloudcontrol before pulumi-nodejs), then the top level, then the default", () => {
            const config = parseAutonamingConfig({
                pattern: "top-${name}",
                providers: {
                    cloudcontrol: { resources: { "AWS::S3::Bucket": { pattern: "bucket-${name}" } } },
                    "pulumi-nodejs": { mode: "verbatim", resources: { "AWS::SQS::Queue": { mode: "disabled" } } },
                },
            });
            assert.strictEqual((namingFor(config, "AWS::S3::Bucket") as PatternNaming).pattern, "bucket-${name}");
            assert.strictEqual(namingFor(config, "AWS::SQS::Queue").mode, "disabled");
            assert.strictEqual(
                (namingFor(config, "AWS::Logs::LogGroup") as PatternNaming).pattern,
                "${name}",
                "pulumi-nodejs's default (verbatim)",
            );
            assert.strictEqual(
                (
                    namingFor(
                        parseAutonamingConfig({ pattern: "top-${name}", providers: { cloudcontrol: { resources: {} } } }),
                        "AWS::Logs::LogGroup",
                    ) as PatternNaming
                ).pattern,
                "top-${name}",
                "a provider entry without its own mode or pattern: the top level",
            );
            assert.strictEqual(namingFor(undefined, "AWS::Logs::LogGroup"), DEFAULT_NAMING);
        });

        it("knows which namings are random (create-before-delete works) and which are not (pkg/resource/autonaming/strategy.go)", () => {
            assert.strictEqual(isRandom(DEFAULT_NAMING), true);
            for (const p of ["${name}-${hex(4)}", "${alphanum(3)}", "${string(2)}${name}", "x${num(5)}", "${uuid}"])
                assert.strictEqual(isRandom(pattern(p)), true, p);
            for (const p of ["${name}", "${stack}-${name}", "fixed"]) assert.strictEqual(isRandom(pattern(p)), false, p);
            assert.strictEqual(isRandom({ mode: "disabled", source: "x" }), false);
        });
    });

    describe("names", () => {
        it("by default: the Pulumi name, a hyphen and 7 random lowercase letters and digits, new each time", () => {
            const names = new Set(Array.from({ length: 20 }, () => made(DEFAULT_NAMING as PatternNaming)));
            for (const n of names) assert.match(n, /^app-logs-[a-z0-9]{7}$/);
            assert.ok(names.size > 15, "random");
        });

        it("resolves every documented expression", () => {
            assert.match(
                made(
                    pattern("${organization}_${project}_${stack}_${name}_${config.team}_${config.aws:region}"),
                    {},
                    { ...ctx, organization: "acme" },
                ),
                /^acme_proj_dev_app-logs_core_eu-west-1$/,
            );
            assert.match(
                made(pattern("${hex(5)}.${alphanum(4)}.${string(6)}.${num(3)}")),
                /^[0-9a-f]{5}\.[a-z0-9]{4}\.[a-z]{6}\.[0-9]{3}$/,
            );
            assert.match(made(pattern("${uuid}")), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
            assert.match(refused(pattern("${name}-${config.missing}")), /no value found for the stack config key proj:missing/);
            assert.match(refused(pattern("${organization}-${name}")), /\$\{organization\} is not known/);
        });

        it("cuts the Pulumi name short to fit maxLength, keeping the random part; refuses when even that cannot fit", () => {
            const long = { ...ctx, name: "a".repeat(70) };
            const role = made(DEFAULT_NAMING as PatternNaming, { maxLength: 64 }, long);
            assert.strictEqual(role.length, 64);
            assert.match(role, /^a{56}-[a-z0-9]{7}$/);
            assert.strictEqual(made(pattern("${name}/${name}"), { maxLength: 9 }, long), "aaaa/aaaa", "every ${name} is cut the same");
            assert.match(
                refused(DEFAULT_NAMING as PatternNaming, { maxLength: 8 }),
                /cannot hold \$\{name\}-\$\{alphanum\(7\)\} in at most 8 characters/,
            );
            assert.match(
                refused(pattern("${name}", true), { maxLength: 4 }),
                /does not make a name of at most 4 characters \(enforced: it is not adjusted\)/,
            );
            assert.match(refused(pattern("${name}"), { minLength: 20 }), /at least 20/);
        });

        it("adjusts a proposed name to the schema's pattern (lowercase, underscores, no separators); never an enforced one", () => {
            const lower = { pattern: registryRegExp("^[a-z0-9][a-z0-9.-]*[a-z0-9]$"), patternText: "^[a-z0-9][a-z0-9.-]*[a-z0-9]$" };
            assert.match(made(DEFAULT_NAMING as PatternNaming, lower, { ...ctx, name: "MyBucket" }), /^mybucket-[a-z0-9]{7}$/);
            const noHyphen = { pattern: registryRegExp("^[a-zA-Z][a-zA-Z0-9_]{0,47}$"), patternText: "^[a-zA-Z][a-zA-Z0-9_]{0,47}$" };
            assert.match(made(DEFAULT_NAMING as PatternNaming, noHyphen), /^app_logs_[a-z0-9]{7}$/);
            const alnum = { pattern: registryRegExp("^[A-Za-z0-9]+$"), patternText: "^[A-Za-z0-9]+$" };
            assert.match(made(DEFAULT_NAMING as PatternNaming, alnum), /^applogs[a-z0-9]{7}$/);
            assert.match(
                refused(pattern("${name}", true), lower, { ...ctx, name: "MyBucket" }),
                /does not make a name matching the pattern \^\[a-z0-9\].*\(enforced: it is not adjusted\)/,
            );
            const digits = { pattern: registryRegExp("^[0-9]+$"), patternText: "^[0-9]+$" };
            assert.match(refused(DEFAULT_NAMING as PatternNaming, digits), /does not make a name matching the pattern \^\[0-9\]\+\$$/);
        });

        it("ends a proposed name with a suffix the service requires (a FIFO queue's .fifo), within maxLength; not an enforced one", () => {
            assert.match(made(DEFAULT_NAMING as PatternNaming, { suffix: ".fifo" }), /^app-logs-[a-z0-9]{7}\.fifo$/);
            assert.match(made(DEFAULT_NAMING as PatternNaming, { suffix: ".fifo", maxLength: 16 }), /^app-[a-z0-9]{7}\.fifo$/);
            assert.strictEqual(made(pattern("${name}", true), { suffix: ".fifo" }), "app-logs");
        });

        it("translates Java anchors in registry patterns (\\A, \\z)", () => {
            assert.strictEqual(
                made(DEFAULT_NAMING as PatternNaming, { pattern: registryRegExp("\\A[.\\-_/#A-Za-z0-9]{1,512}\\z") }).startsWith(
                    "app-logs-",
                ),
                true,
            );
        });
    });
});

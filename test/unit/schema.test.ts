import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clearSchemaCache, loadResourceSchema, parseResourceSchema } from "../../src/schema";
import { cacheFileName, readCachedSchema, writeCachedSchema } from "../../src/schema/disk-cache";
import { bundledSchema } from "../../src/registry";
import { saveEnv, testSchema } from "../fixtures/schemas";

describe("parseResourceSchema", () => {
    it("turns registry pointers into property pointers (SecurityGroup)", () => {
        const s = parseResourceSchema(testSchema("AWS::EC2::SecurityGroup"));
        assert.strictEqual(s.typeName, "AWS::EC2::SecurityGroup");
        assert.deepStrictEqual(s.createOnly, ["/GroupDescription", "/GroupName", "/VpcId"]);
        assert.deepStrictEqual(s.readOnly, ["/Id", "/GroupId"]);
        assert.deepStrictEqual(s.writeOnly, ["/SecurityGroupIngress/*/SourceSecurityGroupName"]);
        assert.deepStrictEqual(s.primaryIdentifier, ["/Id"]);
        assert.strictEqual(s.tagProperty, "/Tags");
        assert.deepStrictEqual(s.required, ["GroupDescription"]);
    });
    it("finds insertionOrder:false arrays through $ref definitions, and JSON documents (IAM Role)", () => {
        const s = parseResourceSchema(testSchema("AWS::IAM::Role"));
        assert.deepStrictEqual([...s.unorderedArrays].sort(), ["/ManagedPolicyArns", "/Policies", "/Tags"]);
        assert.deepStrictEqual([...(s.jsonDocuments ?? [])].sort(), ["/AssumeRolePolicyDocument", "/Policies/*/PolicyDocument"]);
    });
    it("reads conditional create-only paths (DynamoDB Table, Events Rule)", () => {
        assert.deepStrictEqual(parseResourceSchema(testSchema("AWS::DynamoDB::Table")).conditionalCreateOnly, ["/KeySchema"]);
        assert.deepStrictEqual(parseResourceSchema(testSchema("AWS::Events::Rule")).conditionalCreateOnly, ["/EventBusName"]);
    });
    it("treats arrays without insertionOrder as ordered (the registry default is true)", () => {
        const s = parseResourceSchema({
            typeName: "Test::Order::Default",
            properties: {
                A: { type: "array", items: { type: "string" } },
                B: { type: "array", insertionOrder: true },
                C: { type: "array", insertionOrder: false },
            },
        });
        assert.deepStrictEqual(s.unorderedArrays, ["/C"]);
    });
    it("walks nested, map-valued and recursive definitions without looping", () => {
        const s = parseResourceSchema({
            typeName: "Test::Recursive::Thing",
            properties: {
                Root: { $ref: "#/definitions/Node" },
                Map: { type: "object", patternProperties: { ".*": { $ref: "#/definitions/Leaf" } } },
            },
            definitions: {
                Node: {
                    type: "object",
                    properties: {
                        Children: { type: "array", insertionOrder: false, items: { $ref: "#/definitions/Node" } },
                        Leaf: { $ref: "#/definitions/Leaf" },
                    },
                },
                Leaf: { oneOf: [{ type: "object", properties: { Ids: { type: "array", insertionOrder: false } } }, { type: "string" }] },
            },
        });
        assert.deepStrictEqual([...s.unorderedArrays].sort(), ["/Map/*/Ids", "/Root/Children", "/Root/Leaf/Ids"]);
    });
    it("accepts the JSON text of a schema", () => {
        const doc = testSchema("AWS::Logs::LogGroup");
        assert.deepStrictEqual(parseResourceSchema(JSON.stringify(doc)).createOnly, ["/LogGroupName"]);
    });
    it("rejects what is not a schema, naming the type and never echoing the content", () => {
        assert.throws(
            () => parseResourceSchema("{not json secret-value", "AWS::X::Y"),
            (e: Error) => /AWS::X::Y/.test(e.message) && /not valid JSON/.test(e.message) && !e.message.includes("secret-value"),
        );
        // Node 20's JSON.parse quotes the text in some messages: none of it may reach the error.
        assert.throws(
            () => parseResourceSchema('{"Password": hunter2-secret}', "AWS::X::Y"),
            (e: Error) => /AWS::X::Y.*not valid JSON/.test(e.message) && !e.message.includes("hunter2"),
        );
        assert.throws(() => parseResourceSchema("[]", "AWS::X::Y"), /AWS::X::Y.*registry schema object/);
        assert.throws(() => parseResourceSchema({ properties: {} } as never, "AWS::X::Y"), /AWS::X::Y.*typeName/);
        assert.throws(() => parseResourceSchema({ typeName: "AWS::X::Y", properties: [] } as never), /AWS::X::Y.*properties/);
    });
});

describe("loadResourceSchema (no network)", () => {
    let dir: string;
    let restoreEnv: () => void;
    beforeEach(() => {
        restoreEnv = saveEnv();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-cache-"));
        clearSchemaCache();
    });
    afterEach(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        restoreEnv();
        clearSchemaCache();
    });
    // A closed port: any DescribeType attempt fails fast.
    const deadEndpoint = "http://127.0.0.1:9";
    const creds = () => {
        process.env.AWS_ACCESS_KEY_ID = "AKIATESTTESTTEST";
        process.env.AWS_SECRET_ACCESS_KEY = "super-secret-key-value";
        process.env.AWS_REGION = "us-east-1";
    };

    it("uses an explicit schema (object or string) without any lookup", async () => {
        const doc = testSchema("AWS::Logs::LogGroup");
        assert.strictEqual(
            (await loadResourceSchema("AWS::Logs::LogGroup", { schema: doc, endpoint: deadEndpoint })).typeName,
            "AWS::Logs::LogGroup",
        );
        assert.deepStrictEqual(
            (await loadResourceSchema("AWS::Logs::LogGroup", { schema: JSON.stringify(doc), endpoint: deadEndpoint })).readOnly,
            ["/Arn"],
        );
    });
    it("parses an explicit schema once (the same result for the same object or text)", async () => {
        const doc = testSchema("AWS::Logs::LogGroup");
        const text = JSON.stringify(doc);
        assert.strictEqual(
            await loadResourceSchema("AWS::Logs::LogGroup", { schema: doc }),
            await loadResourceSchema("AWS::Logs::LogGroup", { schema: doc }),
        );
        assert.strictEqual(
            await loadResourceSchema("AWS::Logs::LogGroup", { schema: text }),
            await loadResourceSchema("AWS::Logs::LogGroup", { schema: text }),
        );
    });
    it("clearSchemaCache forgets parsed explicit schemas, objects as well as texts", async () => {
        const doc = testSchema("AWS::Logs::LogGroup");
        const text = JSON.stringify(doc);
        const [obj1, text1] = [
            await loadResourceSchema("AWS::Logs::LogGroup", { schema: doc }),
            await loadResourceSchema("AWS::Logs::LogGroup", { schema: text }),
        ];
        clearSchemaCache();
        assert.notStrictEqual(await loadResourceSchema("AWS::Logs::LogGroup", { schema: doc }), obj1);
        assert.notStrictEqual(await loadResourceSchema("AWS::Logs::LogGroup", { schema: text }), text1);
    });
    it("rejects an explicit schema of another type", async () => {
        await assert.rejects(
            loadResourceSchema("AWS::SQS::Queue", { schema: testSchema("AWS::Logs::LogGroup") }),
            /passed for AWS::SQS::Queue describes AWS::Logs::LogGroup/,
        );
    });
    it("rejects a malformed type name", async () => {
        await assert.rejects(loadResourceSchema("AWS::Logs", { cacheDir: false }), /expected "Org::Service::Type"/);
    });
    it("serves a fresh disk-cache entry without calling DescribeType", async () => {
        creds();
        const doc = testSchema("AWS::Logs::LogGroup");
        writeCachedSchema(dir, { typeName: "AWS::Logs::LogGroup", region: "eu-west-1", endpoint: deadEndpoint }, JSON.stringify(doc));
        const s = await loadResourceSchema("AWS::Logs::LogGroup", { cacheDir: dir, region: "eu-west-1", endpoint: deadEndpoint });
        assert.deepStrictEqual(s.createOnly, ["/LogGroupName"]);
    });
    it("keys the cache by version and region", () => {
        const a = cacheFileName({ typeName: "AWS::Logs::LogGroup", region: "us-east-1" });
        assert.notStrictEqual(a, cacheFileName({ typeName: "AWS::Logs::LogGroup", region: "eu-west-1" }));
        assert.notStrictEqual(a, cacheFileName({ typeName: "AWS::Logs::LogGroup", region: "us-east-1", typeVersionId: "00000002" }));
        assert.notStrictEqual(a, cacheFileName({ typeName: "AWS::Logs::LogGroup", region: "us-east-1", endpoint: "http://127.0.0.1:1" }));
    });
    it("expires entries after the TTL", () => {
        const key = { typeName: "AWS::Logs::LogGroup", region: "us-east-1" };
        writeCachedSchema(dir, key, "{}", 1_000_000);
        assert.strictEqual(readCachedSchema(dir, key, 60, 1_000_000 + 59_000), "{}");
        assert.strictEqual(readCachedSchema(dir, key, 60, 1_000_000 + 61_000), undefined);
    });
    it("ignores a corrupt cache entry", () => {
        const key = { typeName: "AWS::Logs::LogGroup", region: "us-east-1" };
        fs.writeFileSync(path.join(dir, cacheFileName(key)), "{corrupt");
        assert.strictEqual(readCachedSchema(dir, key, 60), undefined);
    });
    it("fails with a message naming the type and telling the user to pass `schema`, without credentials", async () => {
        creds();
        await assert.rejects(
            loadResourceSchema("AWS::Logs::LogGroup", {
                cacheDir: dir,
                endpoint: deadEndpoint,
                cacheTtlSeconds: 0,
                bundledFallback: false,
            }),
            (e: Error) => {
                assert.match(e.message, /AWS::Logs::LogGroup/);
                assert.match(e.message, /`schema`/);
                assert.ok(!e.message.includes("super-secret-key-value") && !e.message.includes("AKIATESTTESTTEST"), e.message);
                return true;
            },
        );
    });

    describe("falling back to the bundled registry", () => {
        it("uses the bundled schema of a public type when DescribeType is unavailable, warning once, caching it in memory only", async () => {
            creds();
            const warnings: string[] = [];
            const options = { cacheDir: dir, endpoint: deadEndpoint, onWarning: (m: string) => warnings.push(m) };
            const s = await loadResourceSchema("AWS::Logs::LogGroup", options);
            assert.deepStrictEqual(s.document, bundledSchema("AWS::Logs::LogGroup"));
            assert.deepStrictEqual(s.createOnly, ["/LogGroupName"]);
            assert.strictEqual(warnings.length, 1);
            assert.match(
                warnings[0],
                /^warning: AWS::Logs::LogGroup: DescribeType is unavailable \(\w+\); using the schema from the registry bundled with pulumi-cloudcontrol \(snapshot of \d{4}-\d{2}-\d{2}\)$/,
            );
            assert.ok(!warnings[0].includes("super-secret-key-value") && !warnings[0].includes("\n"));
            assert.strictEqual(await loadResourceSchema("AWS::Logs::LogGroup", options), s, "served from memory");
            assert.strictEqual(warnings.length, 1, "one warning per type and process");
            assert.deepStrictEqual(
                fs.readdirSync(dir),
                [],
                "the bundled schema is not written to the disk cache: the next run asks DescribeType again",
            );
        });
        it("falls back when no credentials can be found at all", async () => {
            for (const k of [
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "AWS_PROFILE",
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            ])
                delete process.env[k];
            process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, "no-credentials");
            process.env.AWS_CONFIG_FILE = path.join(dir, "no-config");
            process.env.AWS_EC2_METADATA_DISABLED = "true"; // no instance-metadata lookup leaves this machine
            process.env.AWS_REGION = "us-east-1";
            const warnings: string[] = [];
            const s = await loadResourceSchema("AWS::SQS::Queue", {
                cacheDir: false,
                endpoint: deadEndpoint,
                onWarning: (m) => warnings.push(m),
            });
            assert.strictEqual(s.typeName, "AWS::SQS::Queue");
            assert.match(warnings.join("\n"), /AWS::SQS::Queue: DescribeType is unavailable \(CredentialsProviderError\)/);
        });
        it("does not fall back for a type the bundle lacks, for a typeVersionId, or when disabled", async () => {
            creds();
            const warnings: string[] = [];
            const onWarning = (m: string) => warnings.push(m);
            await assert.rejects(
                loadResourceSchema("MyOrg::Private::Thing", { cacheDir: false, endpoint: deadEndpoint, onWarning }),
                /Could not load the registry schema of MyOrg::Private::Thing: DescribeType failed/,
            );
            await assert.rejects(
                loadResourceSchema("AWS::Logs::LogGroup", {
                    cacheDir: false,
                    endpoint: deadEndpoint,
                    typeVersionId: "00000002",
                    onWarning,
                }),
                /Could not load the registry schema of AWS::Logs::LogGroup/,
            );
            await assert.rejects(
                loadResourceSchema("AWS::Logs::LogGroup", { cacheDir: false, endpoint: deadEndpoint, bundledFallback: false, onWarning }),
                /Could not load the registry schema of AWS::Logs::LogGroup/,
            );
            assert.deepStrictEqual(warnings, []);
        });
        it("keeps a disk-cached DescribeType answer ahead of the bundle", async () => {
            creds();
            const live = { ...testSchema("AWS::Logs::LogGroup"), description: "as DescribeType answered" };
            writeCachedSchema(dir, { typeName: "AWS::Logs::LogGroup", region: "us-east-1", endpoint: deadEndpoint }, JSON.stringify(live));
            const s = await loadResourceSchema("AWS::Logs::LogGroup", {
                cacheDir: dir,
                region: "us-east-1",
                endpoint: deadEndpoint,
                onWarning: () => assert.fail("no fallback"),
            });
            assert.strictEqual(s.document.description, "as DescribeType answered");
        });
    });
});

/** loadResourceSchema over the wire: CloudFormation DescribeType (real SDK) on the emulator, with its caches. */
import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";
import { Emulator, startEmulator } from "../../src/emulator";
import { clearSchemaCache, loadResourceSchema } from "../../src/schema";
import { DescribeTypeCommand } from "@aws-sdk/client-cloudformation";
import { bundledSchema, hasBundledType } from "../../src/registry";
import { cloudFormation, credentials } from "../fixtures/emulator/sdk";
import { saveEnv, testSchema } from "../fixtures/schemas";

describe("loadResourceSchema with DescribeType (emulator, real SDK)", function () {
    this.timeout(30_000);
    let em: Emulator;
    let dir: string;
    let restoreEnv: () => void;
    before(async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 0 });
    });
    after(async () => {
        await em?.close();
    });
    beforeEach(() => {
        restoreEnv = saveEnv();
        process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
        process.env.AWS_SECRET_ACCESS_KEY = "secret-that-must-not-leak";
        process.env.AWS_REGION = "us-east-1";
        delete process.env.AWS_ENDPOINT_URL_CLOUDFORMATION;
        delete process.env.AWS_ENDPOINT_URL;
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-load-"));
        clearSchemaCache();
        em.clearRequestLog();
    });
    afterEach(() => {
        restoreEnv();
        fs.rmSync(dir, { recursive: true, force: true });
        clearSchemaCache();
    });
    const describeCalls = () => em.countRequests("DescribeType");

    it("fetches and parses a schema, then serves it from memory", async () => {
        const s = await loadResourceSchema("AWS::DynamoDB::Table", { endpoint: em.endpoint, cacheDir: false });
        assert.deepStrictEqual(s.conditionalCreateOnly, ["/KeySchema"]);
        assert.deepStrictEqual(s.primaryIdentifier, ["/TableName"]);
        assert.strictEqual(describeCalls(), 1);
        const again = await loadResourceSchema("AWS::DynamoDB::Table", { endpoint: em.endpoint, cacheDir: false });
        assert.strictEqual(again, s);
        assert.strictEqual(describeCalls(), 1);
    });
    it("concurrent loads of one type make one call", async () => {
        await Promise.all([1, 2, 3].map(() => loadResourceSchema("AWS::SQS::Queue", { endpoint: em.endpoint, cacheDir: false })));
        assert.strictEqual(describeCalls(), 1);
    });
    it("persists to the disk cache, which a fresh process uses until it expires", async () => {
        await loadResourceSchema("AWS::Logs::LogGroup", { endpoint: em.endpoint, cacheDir: dir });
        assert.strictEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".json")).length, 1);
        clearSchemaCache(); // as a new process would start
        const s = await loadResourceSchema("AWS::Logs::LogGroup", { endpoint: em.endpoint, cacheDir: dir });
        assert.deepStrictEqual(s.createOnly, ["/LogGroupName"]);
        assert.strictEqual(describeCalls(), 1);
        clearSchemaCache();
        await loadResourceSchema("AWS::Logs::LogGroup", { endpoint: em.endpoint, cacheDir: dir, cacheTtlSeconds: 0 });
        assert.strictEqual(describeCalls(), 2);
    });
    it("honours AWS_ENDPOINT_URL_CLOUDFORMATION when no endpoint is given", async () => {
        process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = em.endpoint;
        const s = await loadResourceSchema("AWS::IAM::Role", { cacheDir: false });
        assert.ok(s.jsonDocuments?.includes("/AssumeRolePolicyDocument"));
        assert.strictEqual(describeCalls(), 1);
    });
    it("an unknown type fails with a message naming it and telling the user to pass `schema`", async () => {
        await assert.rejects(loadResourceSchema("AWS::Nope::Thing", { endpoint: em.endpoint, cacheDir: false }), (e: Error) => {
            assert.match(e.message, /AWS::Nope::Thing/);
            assert.match(e.message, /does not know the type/);
            assert.match(e.message, /`schema`/);
            assert.ok(!e.message.includes("secret-that-must-not-leak"));
            return true;
        });
        // a failure is not cached: the next attempt asks again
        await assert.rejects(loadResourceSchema("AWS::Nope::Thing", { endpoint: em.endpoint, cacheDir: false }));
        assert.strictEqual(describeCalls(), 2);
    });
    it("DescribeType stays the source of truth: its schema is used over the bundled one, and its TypeNotFound is final", async () => {
        const warnings: string[] = [];
        const onWarning = (m: string) => warnings.push(m);
        const live = JSON.parse(
            (await cloudFormation(em).send(new DescribeTypeCommand({ Type: "RESOURCE", TypeName: "AWS::Logs::LogGroup" }))).Schema!,
        );
        assert.notDeepStrictEqual(
            live,
            bundledSchema("AWS::Logs::LogGroup"),
            "the emulator's built-in schema differs from the bundled one",
        );
        const s = await loadResourceSchema("AWS::Logs::LogGroup", { endpoint: em.endpoint, cacheDir: false, onWarning });
        assert.deepStrictEqual(s.document, live);
        // A bundled type this endpoint does not know (the emulator serves only its built-in types here).
        assert.ok(hasBundledType("AWS::EC2::VPC"));
        await assert.rejects(
            loadResourceSchema("AWS::EC2::VPC", { endpoint: em.endpoint, cacheDir: false, onWarning }),
            /AWS::EC2::VPC: CloudFormation does not know the type/,
        );
        assert.deepStrictEqual(warnings, []);
    });
    it("takes credentials (static or a provider function) instead of the environment's", async () => {
        for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]) delete process.env[k];
        process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, "none");
        process.env.AWS_CONFIG_FILE = path.join(dir, "none");
        process.env.AWS_EC2_METADATA_DISABLED = "true";
        await assert.rejects(
            loadResourceSchema("AWS::SQS::Queue", { endpoint: em.endpoint, cacheDir: false, bundledFallback: false }),
            /CredentialsProviderError/,
        );
        assert.strictEqual(describeCalls(), 0, "without credentials nothing is sent");
        const viaStatic = await loadResourceSchema("AWS::SQS::Queue", {
            endpoint: em.endpoint,
            cacheDir: false,
            bundledFallback: false,
            credentials,
        });
        assert.strictEqual(viaStatic.typeName, "AWS::SQS::Queue");
        let asked = 0;
        const provider = async () => (asked++, { accessKeyId: "AKIDPROVIDED", secretAccessKey: "provided-secret" });
        const viaProvider = await loadResourceSchema("AWS::SQS::Queue", {
            endpoint: em.endpoint,
            cacheDir: false,
            bundledFallback: false,
            credentials: provider,
        });
        assert.notStrictEqual(viaProvider, viaStatic, "other credentials, another cache entry");
        assert.ok(asked >= 1);
        assert.strictEqual(describeCalls(), 2);
    });
    it("an explicit schema wins over the lookup", async () => {
        const s = await loadResourceSchema("AWS::Logs::LogGroup", { schema: testSchema("AWS::Logs::LogGroup"), endpoint: em.endpoint });
        assert.strictEqual(s.typeName, "AWS::Logs::LogGroup");
        assert.strictEqual(describeCalls(), 0);
    });
});

describe("loadResourceSchema request shape", () => {
    let server: http.Server;
    let bodies: string[] = [];
    let denied = false;
    let restoreEnv: () => void;
    before(async () => {
        const schema = JSON.stringify(testSchema("AWS::Logs::LogGroup"));
        const xmlSchema = schema.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
        server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => {
                bodies.push(body);
                if (denied) {
                    // As CloudFormation answers a caller without cloudformation:DescribeType (awsQuery error, 403).
                    res.writeHead(403, { "content-type": "text/xml" });
                    res.end(
                        `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/dev is not authorized to perform: cloudformation:DescribeType</Message></Error><RequestId>2</RequestId></ErrorResponse>`,
                    );
                    return;
                }
                res.writeHead(200, { "content-type": "text/xml" });
                res.end(
                    `<DescribeTypeResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeTypeResult><TypeName>AWS::Logs::LogGroup</TypeName><Schema>${xmlSchema}</Schema></DescribeTypeResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeTypeResponse>`,
                );
            });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    });
    after(async () => {
        await new Promise<void>((r) => server.close(() => r()));
    });
    beforeEach(() => {
        bodies = [];
        restoreEnv = saveEnv();
        process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
        process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
        clearSchemaCache();
    });
    afterEach(() => {
        restoreEnv();
        clearSchemaCache();
    });

    it("falls back to the bundled schema, with a warning, when DescribeType is denied", async () => {
        denied = true;
        try {
            const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
            const warnings: string[] = [];
            const s = await loadResourceSchema("AWS::DynamoDB::Table", {
                endpoint,
                region: "eu-west-1",
                cacheDir: false,
                onWarning: (m) => warnings.push(m),
            });
            assert.deepStrictEqual(s.document, bundledSchema("AWS::DynamoDB::Table"));
            assert.deepStrictEqual(
                warnings.map((w) => w.replace(/\d{4}-\d{2}-\d{2}/, "DATE")),
                [
                    "warning: AWS::DynamoDB::Table: DescribeType was denied (AccessDenied); using the schema from the registry bundled with pulumi-cloudcontrol (snapshot of DATE)",
                ],
            );
            assert.strictEqual(bodies.length, 1, "denied is not retried");
            await assert.rejects(
                loadResourceSchema("AWS::DynamoDB::Table", { endpoint, region: "eu-west-1", cacheDir: false, bundledFallback: false }),
                /DescribeType failed \(AccessDenied HTTP 403\)/,
            );
        } finally {
            denied = false;
        }
    });
    it("asks for Type RESOURCE and the TypeName, and passes VersionId when typeVersionId is given", async () => {
        const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        await loadResourceSchema("AWS::Logs::LogGroup", { endpoint, region: "eu-west-1", cacheDir: false });
        await loadResourceSchema("AWS::Logs::LogGroup", { endpoint, region: "eu-west-1", cacheDir: false, typeVersionId: "00000007" });
        const [plain, versioned] = bodies.map((b) => new URLSearchParams(b));
        assert.strictEqual(plain.get("Action"), "DescribeType");
        assert.strictEqual(plain.get("Type"), "RESOURCE");
        assert.strictEqual(plain.get("TypeName"), "AWS::Logs::LogGroup");
        assert.strictEqual(plain.get("VersionId"), null);
        assert.strictEqual(versioned.get("VersionId"), "00000007");
    });
});

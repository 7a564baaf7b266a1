/** loadResourceSchema over the wire: CloudFormation DescribeType (real SDK) on the emulator, with its caches. */
import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";
import { Emulator, startEmulator } from "../../src/emulator";
import { clearSchemaCache, loadResourceSchema } from "../../src/schema";
import { credentials } from "../fixtures/emulator/sdk";
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
    it("an explicit schema wins over the lookup", async () => {
        const s = await loadResourceSchema("AWS::Logs::LogGroup", { schema: testSchema("AWS::Logs::LogGroup"), endpoint: em.endpoint });
        assert.strictEqual(s.typeName, "AWS::Logs::LogGroup");
        assert.strictEqual(describeCalls(), 0);
    });
});

describe("loadResourceSchema request shape", () => {
    let server: http.Server;
    let bodies: string[] = [];
    let restoreEnv: () => void;
    before(async () => {
        const schema = JSON.stringify(testSchema("AWS::Logs::LogGroup"));
        const xmlSchema = schema.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
        server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => {
                bodies.push(body);
                res.writeHead(200, { "content-type": "text/xml" });
                res.end(`<DescribeTypeResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeTypeResult><TypeName>AWS::Logs::LogGroup</TypeName><Schema>${xmlSchema}</Schema></DescribeTypeResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeTypeResponse>`);
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

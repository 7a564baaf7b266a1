import * as assert from "assert";
import { parseResourceSchema } from "../../src/schema";
import { builtinSchemas } from "../../src/emulator/builtin-schemas";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudControlError } from "../../src/cloudcontrol";
import { withForcedReplacements } from "../../src/provider/diff";
import { journalFor } from "../../src/provider/journal";
import { pointersNamedIn, refusedPaths } from "../../src/provider/not-updatable";
import { plainJson, ResourceStateError } from "../../src/provider/wire";
import { predictedIdentifier, withWriteOnlyValues } from "../../src/provider/live-model";
import { propertyPath } from "../../src/provider/paths";
import { bundledSchemaText } from "../../src/registry";
import { planReplacement } from "../../src/provider/replacement";
import type { ProviderInputs, ProviderOutputs } from "../../src/provider/types";
import { operationTimeout, parseDuration } from "../../src/provider/timeouts";

describe("provider helpers", () => {
    it("parses timeouts in seconds and durations", () => {
        assert.strictEqual(parseDuration(90), 90);
        assert.strictEqual(parseDuration("90"), 90);
        assert.strictEqual(parseDuration("30m"), 1800);
        assert.strictEqual(parseDuration("1h30m"), 5400);
        assert.strictEqual(parseDuration("2h"), 7200);
        assert.strictEqual(parseDuration("1m30s"), 90);
        for (const bad of ["", "soon", "-5", 0, -1, NaN, Infinity, "30x", {}]) {
            assert.strictEqual(parseDuration(bad), undefined, `bad: ${String(bad)}`);
        }
        assert.strictEqual(operationTimeout({ create: "10m" }, "create"), 600);
        assert.strictEqual(operationTimeout({ create: "10m" }, "delete"), undefined);
        assert.strictEqual(operationTimeout(undefined, "update"), undefined);
    });

    describe("create journal", () => {
        let dir: string;
        let saved: string | undefined;
        beforeEach(() => {
            saved = process.env.PULUMI_CLOUDCONTROL_JOURNAL_DIR;
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-test-"));
            process.env.PULUMI_CLOUDCONTROL_JOURNAL_DIR = dir;
        });
        afterEach(() => {
            if (saved === undefined) delete process.env.PULUMI_CLOUDCONTROL_JOURNAL_DIR;
            else process.env.PULUMI_CLOUDCONTROL_JOURNAL_DIR = saved;
            fs.rmSync(dir, { recursive: true, force: true });
        });
        const identity = { project: "p", stack: "dev", name: "jobs" };

        it("keeps an entry from start to clear, in the journal directory, with tokens and no values", () => {
            const journal = journalFor(identity)!;
            assert.strictEqual(journal.read(), undefined);
            journal.start({ clientToken: "tok-1", typeName: "AWS::SQS::Queue", region: "us-east-1" });
            journal.sawRequest("req-1");
            journal.sawRequest("req-1");
            journal.sawRequest("req-2");
            assert.strictEqual(path.dirname(journal.file), dir);
            // Another process (the next run) finds it by the same identity.
            const found = journalFor({ ...identity })!.read()!;
            assert.deepStrictEqual(
                { ...found, startedAt: typeof found.startedAt },
                {
                    v: 1,
                    clientToken: "tok-1",
                    typeName: "AWS::SQS::Queue",
                    region: "us-east-1",
                    startedAt: "string",
                    requestTokens: ["req-1", "req-2"],
                },
            );
            journal.clear();
            assert.strictEqual(journalFor(identity)!.read(), undefined);
            assert.deepStrictEqual(fs.readdirSync(dir), []);
        });

        it("keys entries by project, stack, parent and name; none without an identity", () => {
            const files = new Set(
                [
                    identity,
                    { ...identity, stack: "prod" },
                    { ...identity, project: "q" },
                    { ...identity, name: "jobs2" },
                    { ...identity, parent: "urn:pulumi:dev::p::my:Component::c" },
                ].map((id) => journalFor(id)!.file),
            );
            assert.strictEqual(files.size, 5);
            assert.strictEqual(journalFor(undefined), undefined);
        });

        it("treats an unreadable entry as none", () => {
            const journal = journalFor(identity)!;
            fs.writeFileSync(journal.file, "{not json");
            assert.strictEqual(journal.read(), undefined);
        });
    });

    it("copies values for the host as plain JSON: no undefined members anywhere", () => {
        const copy = plainJson({ a: 1, b: undefined, c: { d: undefined, e: [1, undefined] }, f: [{ g: undefined }] });
        assert.deepStrictEqual(copy, { a: 1, c: { e: [1, null] }, f: [{}] });
        const error = new ResourceStateError(
            "m",
            "id-1",
            { identifier: "x", roleArn: undefined, __pendingDelete: [{ typeName: "T", identifier: "y", roleArn: undefined }] },
            {},
        );
        assert.deepStrictEqual(error.properties, { identifier: "x", __pendingDelete: [{ typeName: "T", identifier: "y" }] });
        assert.deepStrictEqual(error.reasons, ["m"]);
    });

    describe("NotUpdatable", () => {
        const table = parseResourceSchema(builtinSchemas["AWS::DynamoDB::Table"] as never);
        const refusal = (statusMessage: string) =>
            new CloudControlError(`UPDATE failed: ${statusMessage}`, { errorCode: "NotUpdatable", statusMessage, outcome: "replace" });

        it("reads the refused paths from Cloud Control's message (indices as *)", () => {
            assert.deepStrictEqual(
                pointersNamedIn(
                    "Invalid patch update: createOnlyProperties [/properties/TableName, /properties/Tags/0/Key] cannot be updated",
                ),
                ["/TableName", "/Tags/*/Key"],
            );
            assert.deepStrictEqual(
                pointersNamedIn("Update of conditionalCreateOnlyProperties [/properties/KeySchema] requires replacement"),
                ["/KeySchema"],
            );
            assert.deepStrictEqual(pointersNamedIn("no paths here"), []);
        });
        it("falls back to the conditional create-only paths the patch touches, then to every patched path", () => {
            const patch = [
                { op: "replace" as const, path: "/KeySchema/0/AttributeName", value: "b" },
                { op: "add" as const, path: "/BillingMode", value: "PAY_PER_REQUEST" },
            ];
            assert.deepStrictEqual(
                refusedPaths(
                    refusal("Update of conditionalCreateOnlyProperties [/properties/KeySchema] requires replacement"),
                    patch,
                    table,
                ),
                ["/KeySchema"],
            );
            assert.deepStrictEqual(refusedPaths(refusal("the handler refused"), patch, table), ["/KeySchema"]);
            assert.deepStrictEqual(refusedPaths(refusal("the handler refused"), [patch[1]], table), ["/BillingMode"]);
        });
        it("treats refused paths and replaceOnChanges pointers as create-only for the diff, caching the schema", () => {
            const forced = withForcedReplacements(table, ["/BillingMode", "/TableName"]);
            assert.deepStrictEqual(forced.createOnly, [...table.createOnly, "/BillingMode"]);
            assert.strictEqual(withForcedReplacements(table, ["/BillingMode"]), forced, "the same pointers give the same schema object");
            assert.strictEqual(withForcedReplacements(table, []), table);
            assert.strictEqual(table.createOnly.includes("/BillingMode"), false, "the schema itself is not modified");
        });
    });

    it("turns JSON pointers into Pulumi property paths", () => {
        assert.strictEqual(propertyPath("/LogGroupName"), "desiredState.LogGroupName");
        assert.strictEqual(propertyPath("/Tags/0/Key"), "desiredState.Tags[0].Key");
        assert.strictEqual(propertyPath("/a~1b/with space"), 'desiredState["a/b"]["with space"]');
        assert.strictEqual(propertyPath(""), "desiredState");
        assert.strictEqual(propertyPath("/"), 'desiredState[""]');
    });

    it("predicts a user-set identifier (compound ones joined with |) and not a generated one", () => {
        const logGroup = parseResourceSchema(builtinSchemas["AWS::Logs::LogGroup"] as never);
        assert.strictEqual(predictedIdentifier({ LogGroupName: "g" }, logGroup), "g");
        assert.strictEqual(predictedIdentifier({}, logGroup), undefined);
        const queue = parseResourceSchema(builtinSchemas["AWS::SQS::Queue"] as never);
        assert.strictEqual(predictedIdentifier({ QueueName: "q" }, queue), undefined); // QueueUrl is generated
        const compound = parseResourceSchema({
            typeName: "A::B::C",
            properties: { X: {}, Y: {} },
            primaryIdentifier: ["/properties/X", "/properties/Y"],
        });
        assert.strictEqual(predictedIdentifier({ X: "a", Y: 2 }, compound), "a|2");
    });

    describe("planReplacement (replaceOnNotUpdatable) orders a replacement as the diff's deleteBeforeReplace does", () => {
        // As AWS::SageMaker::Cluster: the primary identifier is a generated ARN, the user-set name an additional one.
        const cluster = parseResourceSchema({
            typeName: "Test::Ids::Cluster",
            properties: { ClusterArn: { type: "string" }, ClusterName: { type: "string" }, Size: { type: "integer" } },
            readOnlyProperties: ["/properties/ClusterArn"],
            createOnlyProperties: ["/properties/ClusterName"],
            conditionalCreateOnlyProperties: ["/properties/Size"],
            primaryIdentifier: ["/properties/ClusterArn"],
            additionalIdentifiers: [["/properties/ClusterName"]],
        });
        const ctx = { schema: cluster } as never;
        const olds = {
            typeName: "Test::Ids::Cluster",
            identifier: "arn:old",
            properties: {},
            desiredState: { ClusterName: "c", Size: 1 },
        } as ProviderOutputs;
        const inputs = (desiredState: Record<string, unknown>) => ({ typeName: "Test::Ids::Cluster", desiredState }) as ProviderInputs;

        it("deletes first when an unchanged user-set additional identifier would collide", () => {
            const plan = planReplacement("arn:old", olds, inputs({ ClusterName: "c", Size: 2 }), ctx);
            assert.strictEqual(plan.order, "delete-first");
        });
        it("creates first after a rename, or when no identifier is set", () => {
            assert.strictEqual(planReplacement("arn:old", olds, inputs({ ClusterName: "d", Size: 2 }), ctx).order, "create-first");
            const unnamed = { ...olds, desiredState: { Size: 1 } } as ProviderOutputs;
            assert.strictEqual(planReplacement("arn:old", unnamed, inputs({ Size: 2 }), ctx).order, "create-first");
        });
    });

    it("keeps write-only values from the desired state in the live model", () => {
        const parameter = parseResourceSchema(builtinSchemas["AWS::SSM::Parameter"] as never);
        const live = { Name: "p", Type: "String", Value: "v", Arn: "arn" };
        const merged = withWriteOnlyValues(live, { Name: "p", Type: "String", Value: "v", Description: "d", Tier: "Standard" }, parameter);
        assert.deepStrictEqual(merged, { ...live, Description: "d", Tier: "Standard" });
        assert.deepStrictEqual(live, { Name: "p", Type: "String", Value: "v", Arn: "arn" }, "the live model is not modified");
    });

    it("copies write-only values into an ordered array item by item, never into an unordered one (the items may come back reordered)", () => {
        // AWS::EC2::VPNConnection: VpnTunnelOptionsSpecifications is insertionOrder: false, */PreSharedKey write-only.
        const vpn = parseResourceSchema(bundledSchemaText("AWS::EC2::VPNConnection")!);
        assert.ok(vpn.unorderedArrays.includes("/VpnTunnelOptionsSpecifications"));
        assert.ok(vpn.writeOnly.includes("/VpnTunnelOptionsSpecifications/*/PreSharedKey"));
        const desired = {
            Type: "ipsec.1",
            VpnTunnelOptionsSpecifications: [
                { TunnelInsideCidr: "169.254.10.0/30", PreSharedKey: "key-one" },
                { TunnelInsideCidr: "169.254.11.0/30", PreSharedKey: "key-two" },
            ],
        };
        // Cloud Control answers with the tunnels in another order.
        const live = {
            Type: "ipsec.1",
            VpnConnectionId: "vpn-1",
            VpnTunnelOptionsSpecifications: [{ TunnelInsideCidr: "169.254.11.0/30" }, { TunnelInsideCidr: "169.254.10.0/30" }],
        };
        const merged = withWriteOnlyValues(live, desired, vpn);
        assert.deepStrictEqual(merged.VpnTunnelOptionsSpecifications, live.VpnTunnelOptionsSpecifications, "no key on the wrong tunnel");

        // The same array declared ordered: Cloud Control keeps the order, so the copy goes item by item.
        const document = JSON.parse(bundledSchemaText("AWS::EC2::VPNConnection")!);
        document.properties.VpnTunnelOptionsSpecifications.insertionOrder = true;
        const ordered = parseResourceSchema(document);
        const inOrder = {
            ...live,
            VpnTunnelOptionsSpecifications: [{ TunnelInsideCidr: "169.254.10.0/30" }, { TunnelInsideCidr: "169.254.11.0/30" }],
        };
        assert.deepStrictEqual(
            withWriteOnlyValues(inOrder, desired, ordered).VpnTunnelOptionsSpecifications,
            desired.VpnTunnelOptionsSpecifications,
        );
    });
});

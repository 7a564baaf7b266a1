import * as assert from "assert";
import { applyPatch, deepClone } from "fast-json-patch";
import { computePatch, diffDesiredState, UNKNOWN } from "../../src/diff";
import { parseResourceSchema } from "../../src/schema";
import { schemaIndexOf } from "../../src/diff/schema-index";
import { testSchema } from "../fixtures/schemas";

const lambda = testSchema("AWS::Lambda::Function");
const sg = testSchema("AWS::EC2::SecurityGroup");
const table = testSchema("AWS::DynamoDB::Table");
const bucket = testSchema("AWS::S3::Bucket");
const rule = testSchema("AWS::Events::Rule");
const role = testSchema("AWS::IAM::Role");
const efs = testSchema("AWS::EFS::FileSystem");
const parameter = testSchema("AWS::SSM::Parameter");

const fn = (extra: Record<string, unknown> = {}) => ({
    FunctionName: "fn",
    Role: "arn:aws:iam::123456789012:role/r",
    Runtime: "nodejs20.x",
    Handler: "index.handler",
    PackageType: "Zip",
    Code: { S3Bucket: "code-bucket", S3Key: "v1.zip" },
    MemorySize: 128,
    Environment: { Variables: { A: "1", B: "2" } },
    Tags: [
        { Key: "team", Value: "core" },
        { Key: "env", Value: "dev" },
    ],
    ...extra,
});

/** fn()'s Code (write-only) rides along with every real change of fn(). */
const resentCode = { op: "add", path: "/Code", value: fn().Code };

describe("diffDesiredState / computePatch", () => {
    describe("nested precise paths", () => {
        it("patches only the changed nested member, not the whole top-level property", () => {
            const old = fn();
            const d = diffDesiredState(old, fn({ Environment: { Variables: { A: "1", B: "3" } } }), lambda);
            assert.deepStrictEqual(d.patch, [{ op: "replace", path: "/Environment/Variables/B", value: "3" }, resentCode]);
            assert.deepStrictEqual(d.replaces, []);
            assert.strictEqual(d.changes, true);
        });
        it("does not drag unchanged create-only siblings into the patch", () => {
            const old = fn({ TenancyConfig: { TenantIsolationMode: "PER_TENANT" } });
            const d = diffDesiredState(old, { ...old, MemorySize: 256 }, lambda);
            assert.deepStrictEqual(d.patch, [{ op: "replace", path: "/MemorySize", value: 256 }, resentCode]);
            assert.deepStrictEqual(d.replaces, []);
        });
        it("applies to the new state on a plain model without a schema", () => {
            const old = { a: { b: { c: 1, d: [1, 2] }, e: "x" }, f: true };
            const next = { a: { b: { c: 2, d: [1, 2, 3] } }, f: true, g: { h: null } };
            const patch = computePatch(old, next);
            assert.deepStrictEqual(applyPatch(deepClone(old), patch).newDocument, next);
            assert.ok(
                patch.every((op) => op.path !== "/a"),
                "no whole replacement of /a",
            );
        });
        it("treats key order as no change", () => {
            const a = { Environment: { Variables: { A: "1", B: "2" } }, MemorySize: 1 };
            const b = { MemorySize: 1, Environment: { Variables: { B: "2", A: "1" } } };
            assert.deepStrictEqual(computePatch(a, b, lambda), []);
            assert.strictEqual(diffDesiredState(a, b, lambda).changes, false);
        });
    });

    describe("add, replace, remove", () => {
        it("adds a property the old state lacks, replaces a changed one, removes a dropped one", () => {
            const old = { LogGroupName: "g", RetentionInDays: 7, KmsKeyId: "k" };
            const d = diffDesiredState(
                old,
                { LogGroupName: "g", RetentionInDays: 14, LogGroupClass: "STANDARD" },
                testSchema("AWS::Logs::LogGroup"),
            );
            const byPath = Object.fromEntries(d.patch.map((o) => [o.path, o.op]));
            assert.deepStrictEqual(byPath, { "/RetentionInDays": "replace", "/KmsKeyId": "remove", "/LogGroupClass": "add" });
        });
        it("uses add (never replace) for write-only targets, which reads never return", () => {
            const d = diffDesiredState(fn(), fn({ Code: { S3Bucket: "code-bucket", S3Key: "v2.zip" } }), lambda);
            assert.deepStrictEqual(d.patch, [{ op: "add", path: "/Code", value: { S3Bucket: "code-bucket", S3Key: "v2.zip" } }]);
            assert.deepStrictEqual(d.replaces, []);
        });
        it("removes a write-only property robustly (add then remove), since the live model may lack it", () => {
            const old = fn({ SnapStart: { ApplyOn: "PublishedVersions" } });
            const d = diffDesiredState(old, fn(), lambda);
            assert.deepStrictEqual(d.patch, [
                { op: "add", path: "/SnapStart", value: null },
                { op: "remove", path: "/SnapStart" },
                resentCode,
            ]);
            // ...which applies both to a model that has it and to one that does not.
            assert.deepStrictEqual(applyPatch(deepClone(old), d.patch).newDocument, fn());
            const { SnapStart: _s, ...live } = old as Record<string, unknown>;
            assert.deepStrictEqual(applyPatch(deepClone(live), d.patch).newDocument, fn());
        });
        it("appends to an array (add /-) instead of replacing it when only items were added", () => {
            const old = { Layers: ["arn:l1"] };
            assert.deepStrictEqual(computePatch(old, { Layers: ["arn:l1", "arn:l2"] }, lambda), [
                { op: "add", path: "/Layers/-", value: "arn:l2" },
            ]);
            // a change inside an ordered array replaces it whole
            assert.deepStrictEqual(computePatch({ Layers: ["a", "b"] }, { Layers: ["b", "a"] }, lambda), [
                { op: "replace", path: "/Layers", value: ["b", "a"] },
            ]);
        });
    });

    describe("read-only paths", () => {
        it("never appear in a patch and are not changes", () => {
            const d = diffDesiredState(fn({ Arn: "arn:1" }), fn({ Arn: "arn:2", SnapStartResponse: { ApplyOn: "None" } }), lambda);
            assert.deepStrictEqual(d, {
                changes: false,
                replaces: [],
                patch: [],
                deleteBeforeReplace: false,
                summary: [],
                conditionalReplaces: [],
            });
        });
        it("are dropped from values of whole-object ops", () => {
            const old = { BucketName: "b" };
            const next = {
                BucketName: "b",
                MetadataTableConfiguration: {
                    S3TablesDestination: { TableBucketArn: "arn:t", TableName: "t", TableArn: "arn:ro", TableNamespace: "ns" },
                },
            };
            const patch = computePatch(old, next, bucket);
            assert.deepStrictEqual(patch, [
                {
                    op: "add",
                    path: "/MetadataTableConfiguration",
                    value: { S3TablesDestination: { TableBucketArn: "arn:t", TableName: "t" } },
                },
            ]);
        });
    });

    describe("create-only paths", () => {
        it("a change is a replacement, never a patch op; a rename creates first", () => {
            const d = diffDesiredState(fn(), fn({ FunctionName: "fn2", MemorySize: 256 }), lambda);
            assert.deepStrictEqual(d.replaces, ["/FunctionName"]);
            assert.ok(d.patch.every((o) => o.path !== "/FunctionName"));
            assert.strictEqual(d.deleteBeforeReplace, false);
        });
        it("deletes before replacing when the user-set primary identifier stays the same", () => {
            const d = diffDesiredState(fn(), fn({ PackageType: "Image" }), lambda);
            assert.deepStrictEqual(d.replaces, ["/PackageType"]);
            assert.strictEqual(d.deleteBeforeReplace, true);
            assert.deepStrictEqual(d.patch, []);
        });
        it("does not delete first when the identifier is generated by the service (read-only)", () => {
            const d = diffDesiredState({ GroupDescription: "a", GroupName: "g" }, { GroupDescription: "b", GroupName: "g" }, sg);
            assert.deepStrictEqual(d.replaces, ["/GroupDescription"]);
            assert.strictEqual(d.deleteBeforeReplace, false);
        });
        it("does not delete first when the user does not set the identifier", () => {
            const d = diffDesiredState(
                { KeySchema: [], ImportSourceSpecification: { InputFormat: "CSV" } },
                { KeySchema: [], ImportSourceSpecification: { InputFormat: "ION" } },
                table,
            );
            assert.deepStrictEqual(d.replaces, ["/ImportSourceSpecification"]);
            assert.strictEqual(d.deleteBeforeReplace, false);
        });
        it("a change nested under a create-only object replaces at that object", () => {
            const d = diffDesiredState(
                fn({ TenancyConfig: { TenantIsolationMode: "A" } }),
                fn({ TenancyConfig: { TenantIsolationMode: "B" } }),
                lambda,
            );
            assert.deepStrictEqual(d.replaces, ["/TenancyConfig"]);
            assert.deepStrictEqual(d.patch, []);
        });
        it("adding or removing a create-only property replaces", () => {
            assert.deepStrictEqual(diffDesiredState({ GroupDescription: "a" }, { GroupDescription: "a", VpcId: "vpc-1" }, sg).replaces, [
                "/VpcId",
            ]);
            assert.deepStrictEqual(diffDesiredState({ GroupDescription: "a", VpcId: "vpc-1" }, { GroupDescription: "a" }, sg).replaces, [
                "/VpcId",
            ]);
        });
        it("S3 bucket: a new name replaces, a versioning change is a precise update", () => {
            const old = { BucketName: "b1", VersioningConfiguration: { Status: "Suspended" } };
            assert.deepStrictEqual(diffDesiredState(old, { ...old, BucketName: "b2" }, bucket).replaces, ["/BucketName"]);
            const d = diffDesiredState(old, { ...old, VersioningConfiguration: { Status: "Enabled" } }, bucket);
            assert.deepStrictEqual(d.patch, [{ op: "replace", path: "/VersioningConfiguration/Status", value: "Enabled" }]);
            assert.deepStrictEqual(d.replaces, []);
        });
    });

    describe("conditional create-only paths", () => {
        it("DynamoDB KeySchema: an update (patch op), reported as conditional, not a replacement", () => {
            const old = { TableName: "t", KeySchema: [{ AttributeName: "id", KeyType: "HASH" }] };
            const next = { TableName: "t", KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }] };
            const d = diffDesiredState(old, next, table);
            assert.deepStrictEqual(d.replaces, []);
            assert.deepStrictEqual(d.conditionalReplaces, ["/KeySchema"]);
            assert.deepStrictEqual(d.patch, [{ op: "replace", path: "/KeySchema", value: next.KeySchema }]);
            assert.strictEqual(d.deleteBeforeReplace, false);
        });
        it("Events rule EventBusName: an update", () => {
            const d = diffDesiredState({ Name: "r", EventBusName: "a" }, { Name: "r", EventBusName: "b" }, rule);
            assert.deepStrictEqual(d.patch, [{ op: "replace", path: "/EventBusName", value: "b" }]);
            assert.deepStrictEqual(d.replaces, []);
            assert.deepStrictEqual(d.conditionalReplaces, ["/EventBusName"]);
        });
        it("the summary says the change may need a replacement", () => {
            const d = diffDesiredState(
                { TableName: "t", KeySchema: [{ AttributeName: "id", KeyType: "HASH" }], BillingMode: "PROVISIONED" },
                { TableName: "t", KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST" },
                table,
            );
            assert.deepStrictEqual(d.summary.sort(), ["~ /BillingMode changed", "~ /KeySchema changed (may need a replacement)"]);
        });
    });

    describe("deleteBeforeReplace through additional identifiers", () => {
        // As AWS::SageMaker::Cluster: the primary identifier is a generated ARN, the user-set name is an additional one.
        const doc = {
            typeName: "Test::Ids::Cluster",
            properties: {
                ClusterArn: { type: "string" },
                ClusterName: { type: "string" },
                Engine: { type: "string" },
                Size: { type: "integer" },
            },
            readOnlyProperties: ["/properties/ClusterArn"],
            createOnlyProperties: ["/properties/ClusterName", "/properties/Engine"],
            primaryIdentifier: ["/properties/ClusterArn"],
            additionalIdentifiers: [["/properties/ClusterName"]],
        };
        it("a replacement that keeps a user-set additional identifier would collide: delete first", () => {
            const d = diffDesiredState({ ClusterName: "c", Engine: "a" }, { ClusterName: "c", Engine: "b" }, doc as never);
            assert.deepStrictEqual(d.replaces, ["/Engine"]);
            assert.strictEqual(d.deleteBeforeReplace, true);
        });
        it("a rename, or no name set, lets the new resource be created first", () => {
            assert.strictEqual(
                diffDesiredState({ ClusterName: "c", Engine: "a" }, { ClusterName: "d", Engine: "b" }, doc as never).deleteBeforeReplace,
                false,
            );
            assert.strictEqual(diffDesiredState({ Engine: "a" }, { Engine: "b" }, doc as never).deleteBeforeReplace, false);
            assert.strictEqual(
                diffDesiredState({ ClusterName: "c", Engine: "a" }, { ClusterName: UNKNOWN, Engine: "b" }, doc as never)
                    .deleteBeforeReplace,
                false,
            );
        });
    });

    describe("unordered arrays and tags", () => {
        const ingress = [
            { IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIp: "0.0.0.0/0" },
            { IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: "10.0.0.0/8" },
        ];
        it("reordering an insertionOrder:false array is no change", () => {
            const d = diffDesiredState(
                { GroupDescription: "a", SecurityGroupIngress: ingress },
                { GroupDescription: "a", SecurityGroupIngress: [ingress[1], ingress[0]] },
                sg,
            );
            assert.strictEqual(d.changes, false);
            assert.deepStrictEqual(d.patch, []);
        });
        it("Events rule targets compare as a set", () => {
            const t = [
                { Id: "1", Arn: "arn:a" },
                { Id: "2", Arn: "arn:b", Input: "{}" },
            ];
            assert.deepStrictEqual(computePatch({ Targets: t }, { Targets: [t[1], t[0]] }, rule), []);
            const next = [
                { Id: "2", Arn: "arn:b", Input: "{}" },
                { Id: "1", Arn: "arn:c" },
            ];
            assert.deepStrictEqual(computePatch({ Targets: t }, { Targets: next }, rule), [
                { op: "replace", path: "/Targets", value: next },
            ]);
        });
        it("multisets: a duplicate item matters", () => {
            const d = diffDesiredState({ ManagedPolicyArns: ["a", "b"] }, { ManagedPolicyArns: ["a", "b", "b"] }, role);
            assert.strictEqual(d.changes, true);
        });
        it("an item added to a set is appended, whatever the order", () => {
            assert.deepStrictEqual(computePatch({ ManagedPolicyArns: ["a", "b"] }, { ManagedPolicyArns: ["c", "b", "a"] }, role), [
                { op: "add", path: "/ManagedPolicyArns/-", value: "c" },
            ]);
        });
        it("tags compare by key: order and AWS-managed aws: tags are no change", () => {
            const old = fn({
                Tags: [
                    { Key: "a", Value: "1" },
                    { Key: "aws:cloudformation:stack-name", Value: "s" },
                    { Key: "b", Value: "2" },
                ],
            });
            const next = fn({
                Tags: [
                    { Key: "b", Value: "2" },
                    { Key: "a", Value: "1" },
                ],
            });
            assert.strictEqual(diffDesiredState(old, next, lambda).changes, false);
        });
        it("a changed tag value replaces the tag list (without aws: tags)", () => {
            const next = fn({
                Tags: [
                    { Key: "team", Value: "platform" },
                    { Key: "env", Value: "dev" },
                ],
            });
            assert.deepStrictEqual(computePatch(fn(), next, lambda), [{ op: "replace", path: "/Tags", value: next.Tags }, resentCode]);
        });
        describe("a tag list (or map) holding only aws: tags equals an absent one", () => {
            const awsTag = { Key: "aws:elasticfilesystem:default-backup", Value: "enabled" };
            const carriesAwsTag = (ops: unknown[]) => JSON.stringify(ops).includes("aws:");
            it("absent → only aws: tags, and back: no change, no op", () => {
                for (const [a, b] of [
                    [{}, { FileSystemTags: [awsTag] }],
                    [{ FileSystemTags: [awsTag] }, {}],
                ]) {
                    const d = diffDesiredState(a, b, efs);
                    assert.strictEqual(d.changes, false, JSON.stringify([a, b]));
                    assert.deepStrictEqual(d.patch, []);
                    assert.deepStrictEqual(d.summary, []);
                }
            });
            it("the same for a map of tags (AWS::SSM::Parameter)", () => {
                const base = { Name: "p", Type: "String", Value: "v" };
                for (const [a, b] of [
                    [base, { ...base, Tags: { "aws:cloudformation:stack-name": "s" } }],
                    [{ ...base, Tags: { "aws:cloudformation:stack-name": "s" } }, base],
                ]) {
                    const d = diffDesiredState(a, b, parameter);
                    assert.strictEqual(d.changes, false, JSON.stringify([a, b]));
                    assert.deepStrictEqual(d.patch, []);
                }
            });
            it("no op value carries an aws: tag, whichever side holds it", () => {
                const user = { Key: "team", Value: "core" };
                const added = computePatch({}, { FileSystemTags: [awsTag, user] }, efs);
                assert.deepStrictEqual(added, [{ op: "add", path: "/FileSystemTags", value: [user] }]);
                const replaced = computePatch({ FileSystemTags: [awsTag] }, { FileSystemTags: [user, awsTag] }, efs);
                assert.ok(!carriesAwsTag(replaced) && replaced.length === 1, JSON.stringify(replaced));
                assert.deepStrictEqual(replaced[0].path, "/FileSystemTags");
                const map = computePatch({ Name: "p" }, { Name: "p", Tags: { "aws:x": "1", team: "core" } }, parameter);
                assert.deepStrictEqual(map, [{ op: "add", path: "/Tags", value: { team: "core" } }]);
            });
        });
        describe("large sets (compared through structural-hash buckets)", () => {
            // 40 inline policies: documents as objects on one side, as text with keys reordered on the other.
            const policies = Array.from({ length: 40 }, (_, i) => ({
                PolicyName: `p${i % 20}`,
                PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [`s3:Get${i}`], Resource: "*" }] },
            }));
            const asText = (p: (typeof policies)[number]) => ({
                PolicyDocument: JSON.stringify({ Statement: p.PolicyDocument.Statement, Version: p.PolicyDocument.Version }),
                PolicyName: p.PolicyName,
            });
            it("equivalent forms in any order are equal", () => {
                const shuffled = policies.map((p, i) => policies[(i * 7) % 40]).map(asText);
                assert.deepStrictEqual(computePatch({ Policies: policies }, { Policies: shuffled }, role), []);
            });
            it("one changed member, a duplicate for a distinct member, or a member missing are changes", () => {
                const changed = policies.map(asText).reverse();
                changed[3] = { ...changed[3], PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) };
                assert.deepStrictEqual(computePatch({ Policies: policies }, { Policies: changed }, role), [
                    { op: "replace", path: "/Policies", value: changed },
                ]);
                const duplicated = [...policies.slice(1), policies[2]].reverse();
                assert.strictEqual(diffDesiredState({ Policies: policies }, { Policies: duplicated }, role).changes, true);
                assert.strictEqual(diffDesiredState({ Policies: policies }, { Policies: policies.slice(1).reverse() }, role).changes, true);
            });
            it("members added to a large set are appended, wherever they stand", () => {
                const extra = { PolicyName: "new", PolicyDocument: { Version: "2012-10-17", Statement: [] } };
                const next = [...policies.slice(0, 20), extra, ...policies.slice(20)].reverse();
                assert.deepStrictEqual(computePatch({ Policies: policies }, { Policies: next }, role), [
                    { op: "add", path: "/Policies/-", value: extra },
                ]);
            });
        });
        it("ordered arrays keep their order significant", () => {
            assert.strictEqual(
                diffDesiredState({ Architectures: ["x86_64", "arm64"] }, { Architectures: ["arm64", "x86_64"] }, lambda).changes,
                true,
            );
        });
    });

    describe("write-only values are re-sent with every update (Cloud Control's current model never holds them)", () => {
        const code = { S3Bucket: "code-bucket", S3Key: "v1.zip" };
        it("a top-level write-only value rides along as an add after the real change", () => {
            const d = diffDesiredState(
                fn({ SnapStart: { ApplyOn: "PublishedVersions" } }),
                fn({ SnapStart: { ApplyOn: "PublishedVersions" }, MemorySize: 256 }),
                lambda,
            );
            assert.deepStrictEqual(d.patch[0], { op: "replace", path: "/MemorySize", value: 256 });
            // Re-sent in the schema's order (any order does: distinct paths, all adds).
            assert.deepStrictEqual(
                [...d.patch.slice(1)].sort((a, b) => a.path.localeCompare(b.path)),
                [
                    { op: "add", path: "/Code", value: code },
                    { op: "add", path: "/SnapStart", value: { ApplyOn: "PublishedVersions" } },
                ],
            );
        });
        it("a write-only member of an object that has other members is re-sent at its own path", () => {
            const doc = {
                typeName: "Test::WriteOnly::Nested",
                properties: {
                    Name: { type: "string" },
                    Conn: { type: "object", properties: { Host: { type: "string" }, Password: { type: "string" } } },
                },
                writeOnlyProperties: ["/properties/Conn/Password"],
            };
            const old = { Name: "a", Conn: { Host: "h", Password: "p" } };
            assert.deepStrictEqual(computePatch(old, { ...old, Name: "b" }, doc as never), [
                { op: "replace", path: "/Name", value: "b" },
                { op: "add", path: "/Conn/Password", value: "p" },
            ]);
        });
        it("items holding write-only members re-send their array whole (items have no stable index)", () => {
            const ingress = [
                { IpProtocol: "tcp", FromPort: 1, ToPort: 1, SourceSecurityGroupName: "other" },
                { IpProtocol: "tcp", FromPort: 2, ToPort: 2, CidrIp: "10.0.0.0/8" },
            ];
            const old = { GroupDescription: "d", SecurityGroupIngress: ingress, Tags: [{ Key: "a", Value: "1" }] };
            const next = { ...old, Tags: [{ Key: "a", Value: "2" }] };
            assert.deepStrictEqual(computePatch(old, next, sg), [
                { op: "replace", path: "/Tags", value: next.Tags },
                { op: "add", path: "/SecurityGroupIngress", value: ingress },
            ]);
            // No item holds one: nothing to re-send.
            assert.deepStrictEqual(
                computePatch({ ...old, SecurityGroupIngress: [ingress[1]] }, { ...next, SecurityGroupIngress: [ingress[1]] }, sg),
                [{ op: "replace", path: "/Tags", value: next.Tags }],
            );
        });
        it("not when nothing really changed: no UpdateResource for nothing", () => {
            const d = diffDesiredState(fn(), fn({ Tags: [...fn().Tags].reverse() }), lambda);
            assert.deepStrictEqual(d.patch, []);
            assert.strictEqual(d.changes, false);
        });
        it("not twice: an op that already carries the value (or its parent) is enough", () => {
            const next = fn({ Code: { S3Bucket: "code-bucket", S3Key: "v2.zip" }, MemorySize: 256 });
            assert.deepStrictEqual(computePatch(fn(), next, lambda), [
                { op: "add", path: "/Code", value: next.Code },
                { op: "replace", path: "/MemorySize", value: 256 },
            ]);
        });
        it("never for create-only or read-only paths, nor a value holding an unknown", () => {
            const doc = {
                typeName: "Test::WriteOnly::Kinds",
                properties: {
                    Name: { type: "string" },
                    Key: { type: "string" },
                    Token: { type: "string" },
                    Out: { type: "object", properties: { Secret: { type: "string" } } },
                },
                createOnlyProperties: ["/properties/Key"],
                readOnlyProperties: ["/properties/Out"],
                writeOnlyProperties: ["/properties/Key", "/properties/Token", "/properties/Out/Secret"],
            };
            const old = { Name: "a", Key: "k", Token: "t", Out: { Secret: "s" } };
            assert.deepStrictEqual(computePatch(old, { ...old, Name: "b" }, doc as never), [
                { op: "replace", path: "/Name", value: "b" },
                { op: "add", path: "/Token", value: "t" },
            ]);
            const d = diffDesiredState(old, { ...old, Name: "b", Token: UNKNOWN }, doc as never);
            assert.deepStrictEqual(d.patch, [{ op: "replace", path: "/Name", value: "b" }]);
            assert.strictEqual(d.changes, true);
        });
    });

    describe("write-only paths", () => {
        it("a nested write-only change inside an unordered array replaces the array whole", () => {
            const old = { GroupDescription: "a", SecurityGroupIngress: [{ IpProtocol: "tcp", SourceSecurityGroupName: "x" }] };
            const next = { GroupDescription: "a", SecurityGroupIngress: [{ IpProtocol: "tcp", SourceSecurityGroupName: "y" }] };
            const d = diffDesiredState(old, next, sg);
            assert.deepStrictEqual(d.patch, [{ op: "replace", path: "/SecurityGroupIngress", value: next.SecurityGroupIngress }]);
        });
        it("the summary is read off the patch: re-sent write-only values are no change, arrays are reported whole", () => {
            assert.deepStrictEqual(diffDesiredState(fn(), fn({ MemorySize: 256 }), lambda).summary, ["~ /MemorySize changed"]);
            const d = diffDesiredState(
                fn(),
                fn({ Layers: ["a"], Environment: { Variables: { A: "1", B: "2", C: "3" } }, Role: UNKNOWN }),
                lambda,
            );
            assert.deepStrictEqual([...d.summary].sort(), [
                "+ /Environment/Variables/C added",
                "+ /Layers added",
                "~ /Role unknown until applied",
            ]);
            const appended = diffDesiredState(fn({ Layers: ["a"] }), fn({ Layers: ["a", "b"] }), lambda);
            assert.deepStrictEqual(appended.summary, ["~ /Layers changed"]);
        });
        it("summaries never print values (write-only or not)", () => {
            const secret = "s3cr3t-zip-contents";
            const d = diffDesiredState(fn(), fn({ Code: { ZipFile: secret }, MemorySize: 4096 }), lambda);
            assert.ok(d.summary.length >= 2, d.summary.join("\n"));
            const text = d.summary.join("\n");
            assert.ok(!text.includes(secret) && !text.includes("4096"), text);
            assert.ok(d.summary.some((l) => l.includes("/Code/ZipFile")) && d.summary.some((l) => l.includes("/MemorySize")), text);
        });
    });

    describe("JSON documents", () => {
        const doc = {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        };
        it("a policy given as a string equals the same policy as an object", () => {
            const text = JSON.stringify({
                Statement: [{ Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" }, Effect: "Allow" }],
                Version: "2012-10-17",
            });
            const d = diffDesiredState(
                { RoleName: "r", AssumeRolePolicyDocument: doc },
                { RoleName: "r", AssumeRolePolicyDocument: text },
                role,
            );
            assert.strictEqual(d.changes, false);
            assert.deepStrictEqual(d.patch, []);
            // nested JSON documents inside a set (inline policies) too
            const p = [{ PolicyName: "p", PolicyDocument: doc }];
            assert.deepStrictEqual(
                computePatch({ Policies: p }, { Policies: [{ PolicyName: "p", PolicyDocument: JSON.stringify(doc) }] }, role),
                [],
            );
        });
        it("a real change replaces the document whole", () => {
            const next = { ...doc, Version: "2008-10-17" };
            assert.deepStrictEqual(computePatch({ AssumeRolePolicyDocument: doc }, { AssumeRolePolicyDocument: next }, role), [
                { op: "replace", path: "/AssumeRolePolicyDocument", value: next },
            ]);
        });
        it("an Events rule pattern as string or object", () => {
            const pattern = { source: ["aws.ec2"], "detail-type": ["x"] };
            assert.strictEqual(diffDesiredState({ EventPattern: pattern }, { EventPattern: JSON.stringify(pattern) }, rule).changes, false);
        });
    });

    describe("unknown values", () => {
        it("anywhere means changes, and no op is built from an unknown value", () => {
            const d = diffDesiredState(fn(), fn({ Environment: { Variables: { A: UNKNOWN, B: "2" } }, MemorySize: 512 }), lambda);
            assert.strictEqual(d.changes, true);
            assert.deepStrictEqual(d.replaces, []);
            assert.deepStrictEqual(d.patch, [{ op: "replace", path: "/MemorySize", value: 512 }, resentCode]);
            assert.ok(!JSON.stringify(d.patch).includes(UNKNOWN));
        });
        it("an unknown inside an array or new member yields no op but still a change", () => {
            const d = diffDesiredState({}, { Layers: ["a", UNKNOWN] }, lambda);
            assert.strictEqual(d.changes, true);
            assert.deepStrictEqual(d.patch, []);
        });
        it("an unknown even when old and new are both unknown is a change", () => {
            assert.strictEqual(diffDesiredState({ Role: UNKNOWN }, { Role: UNKNOWN }, lambda).changes, true);
        });
        it("under a create-only path, a replacement", () => {
            const d = diffDesiredState(fn(), fn({ FunctionName: UNKNOWN }), lambda);
            assert.deepStrictEqual(d.replaces, ["/FunctionName"]);
            assert.strictEqual(d.deleteBeforeReplace, false);
            assert.ok(
                d.summary.some((l) => l.includes("/FunctionName") && l.includes("unknown")),
                d.summary.join("\n"),
            );
        });
        it("a whole unknown desired state changes and replaces every create-only path", () => {
            const d = diffDesiredState({ GroupDescription: "a" }, UNKNOWN, sg);
            assert.strictEqual(d.changes, true);
            assert.deepStrictEqual(d.replaces.sort(), ["/GroupDescription", "/GroupName", "/VpcId"]);
            assert.deepStrictEqual(d.patch, []);
        });
        it("in an unordered array, only an unknown under the items' create-only member replaces", () => {
            const doc = {
                typeName: "Test::Set::Items",
                properties: {
                    Items: {
                        type: "array",
                        insertionOrder: false,
                        items: { type: "object", properties: { Name: { type: "string" }, Note: { type: "string" } } },
                    },
                },
                createOnlyProperties: ["/properties/Items/*/Name"],
                primaryIdentifier: ["/properties/Items"],
            };
            const old = {
                Items: [
                    { Name: "a", Note: "x" },
                    { Name: "b", Note: "y" },
                ],
            };
            const note = diffDesiredState(
                old,
                {
                    Items: [
                        { Name: "b", Note: "y" },
                        { Name: "a", Note: UNKNOWN },
                    ],
                },
                doc as never,
            );
            assert.strictEqual(note.changes, true);
            assert.deepStrictEqual(note.replaces, []);
            const name = diffDesiredState(
                old,
                {
                    Items: [
                        { Name: "b", Note: "y" },
                        { Name: UNKNOWN, Note: "x" },
                    ],
                },
                doc as never,
            );
            assert.deepStrictEqual(name.replaces, ["/Items/*/Name"]);
            const item = diffDesiredState(old, { Items: [{ Name: "b", Note: "y" }, UNKNOWN] }, doc as never);
            assert.deepStrictEqual(item.replaces, ["/Items/*/Name"]);
        });
        it("an unknown parent of a create-only path replaces it", () => {
            const d = diffDesiredState(fn({ TenancyConfig: { TenantIsolationMode: "A" } }), fn({ TenancyConfig: UNKNOWN }), lambda);
            assert.deepStrictEqual(d.replaces, ["/TenancyConfig"]);
        });
    });

    describe("schema forms", () => {
        it("accepts the registry document, its JSON text or a parsed ResourceSchema alike", () => {
            const old = fn();
            const next = fn({ FunctionName: "x", Environment: { Variables: {} } });
            const a = diffDesiredState(old, next, lambda);
            assert.deepStrictEqual(diffDesiredState(old, next, parseResourceSchema(lambda)), a);
            assert.deepStrictEqual(computePatch(old, next, JSON.stringify(lambda) as never), a.patch);
            assert.deepStrictEqual(a.replaces, ["/FunctionName"]);
        });
        it("a hand-written ResourceSchema works without a document's walk results", () => {
            const s = { ...parseResourceSchema(lambda), unorderedArrays: ["/Layers"], jsonDocuments: undefined };
            assert.deepStrictEqual(computePatch({ Layers: ["a", "b"] }, { Layers: ["b", "a"] }, s), []);
        });
        it("parses each schema object once (cached per object)", () => {
            const doc = JSON.parse(JSON.stringify(lambda));
            const first = schemaIndexOf(doc);
            computePatch({}, { MemorySize: 1 }, doc);
            assert.strictEqual(schemaIndexOf(doc), first);
            assert.notStrictEqual(schemaIndexOf(JSON.parse(JSON.stringify(lambda))), first);
        });
        it("accepts hand-written pointers in the registry form too", () => {
            const s = {
                ...parseResourceSchema(lambda),
                createOnly: ["/properties/FunctionName"],
                readOnly: [],
                document: { typeName: "AWS::Lambda::Function" },
            };
            assert.deepStrictEqual(diffDesiredState({ FunctionName: "a" }, { FunctionName: "b" }, s).replaces, ["/FunctionName"]);
        });
        it("rejects a non-schema with a clear error", () => {
            assert.throws(() => computePatch({}, {}, 42 as never), /registry schema/);
            assert.throws(() => computePatch({}, {}, { properties: {} } as never), /typeName/);
        });
    });
});

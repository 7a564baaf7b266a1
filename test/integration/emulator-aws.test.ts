/**
 * The emulator answers as recorded AWS does, seen through the real SDK: each test names the recording it follows
 * (localstack tests/aws/services/cloudcontrol/test_cloudcontrol_api.snapshot.json, the Smithy model in
 * aws-sdk-js-v3, issue threads quoting real answers). docs/emulator.md has the same list as a table.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    CancelResourceRequestCommand,
    CloudControlClient,
    CreateResourceCommand,
    DeleteResourceCommand,
    GetResourceCommand,
    GetResourceRequestStatusCommand,
    InvalidRequestException,
    ListResourceRequestsCommand,
    ListResourcesCommand,
    RequestTokenNotFoundException,
    ResourceNotFoundException,
    TypeNotFoundException,
    UpdateResourceCommand,
    type ProgressEvent,
} from "@aws-sdk/client-cloudcontrol";
import { CloudFormationClient, DescribeTypeCommand } from "@aws-sdk/client-cloudformation";
import { Emulator, EmulatorOptions, PROFILE_ENV, startEmulator } from "../../src/emulator";
import { cloudControl, fixtureSchemas, rejection, waitFinal } from "../fixtures/emulator/sdk";

const LG = "AWS::Logs::LogGroup";
const BUCKET = "AWS::S3::Bucket";

describe("emulator answers as recorded AWS does", () => {
    let em: Emulator;
    let cc: CloudControlClient;
    const start = async (options: EmulatorOptions = {}) => {
        em = await startEmulator({ schemas: fixtureSchemas, operationDelayMs: 0, ...options });
        cc = cloudControl(em);
    };
    afterEach(async () => {
        cc?.destroy();
        await em?.close();
    });
    const createEvent = async (typeName: string, desired: unknown): Promise<ProgressEvent> =>
        (await cc.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(desired) }))).ProgressEvent!;
    const statusOf = async (token: string) => (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: token }))).ProgressEvent!;

    describe("the events of a request", () => {
        it("answers a create IN_PROGRESS with the identifier it was given, no RetryAfter and no ResourceModel (test_lifecycle)", async () => {
            await start({ operationDelayMs: 60_000 });
            const ev = await createEvent(LG, { LogGroupName: "first-event" });
            assert.deepStrictEqual(
                { status: ev.OperationStatus, id: ev.Identifier, retry: ev.RetryAfter, model: ev.ResourceModel, op: ev.Operation },
                { status: "IN_PROGRESS", id: "first-event", retry: undefined, model: undefined, op: "CREATE" },
            );
        });

        it("leaves a generated identifier out until the request succeeded (test_create_exceptions: a bucket without a name)", async () => {
            await start({ operationDelayMs: 60_000 });
            for (const [typeName, desired] of [
                [BUCKET, {}],
                // A read-only primary identifier is the service's to make, even when its parts are given.
                ["AWS::SQS::Queue", { QueueName: "late-q" }],
            ] as const) {
                const ev = await createEvent(typeName, desired);
                assert.strictEqual(ev.Identifier, undefined, `${typeName}: start answer`);
                assert.strictEqual((await statusOf(ev.RequestToken!)).Identifier, undefined, `${typeName}: first phase`);
                em.advanceClock(60_000);
                assert.strictEqual((await statusOf(ev.RequestToken!)).Identifier, undefined, `${typeName}: second phase`);
                em.advanceClock(60_000);
                const final = await statusOf(ev.RequestToken!);
                assert.strictEqual(final.OperationStatus, "SUCCESS");
                assert.ok(final.Identifier && em.getResource(typeName, final.Identifier), `${typeName}: named on SUCCESS`);
                const listed = await cc.send(new ListResourceRequestsCommand({}));
                assert.strictEqual(
                    listed.ResourceRequestStatusSummaries!.find((e) => e.RequestToken === ev.RequestToken)!.Identifier,
                    final.Identifier,
                );
            }
        });

        it('names a generated identifier from the first status read on with identifier "early" (the model: "may be available before SUCCESS")', async () => {
            await start({ operationDelayMs: 60_000, identifier: "early" });
            const ev = await createEvent(BUCKET, {});
            assert.strictEqual(ev.Identifier, undefined, "never in the start call's answer");
            const read = await statusOf(ev.RequestToken!);
            assert.strictEqual(read.OperationStatus, "IN_PROGRESS");
            assert.match(read.Identifier!, /^bucket-[0-9a-f]{12}$/);
        });

        it("keeps what a cancelled request's handler did once it started: no rollback (test_cancel_request: the bucket may exist)", async () => {
            await start({ operationDelayMs: 60_000 });
            const early = await createEvent(LG, { LogGroupName: "cancelled-early" });
            const late = await createEvent(LG, { LogGroupName: "cancelled-late" });
            const nameless = await createEvent(BUCKET, {});
            await cc.send(new CancelResourceRequestCommand({ RequestToken: early.RequestToken }));
            em.advanceClock(60_000); // the other two are in their second phase: their handlers are at work
            for (const ev of [late, nameless]) await cc.send(new CancelResourceRequestCommand({ RequestToken: ev.RequestToken }));
            em.advanceClock(60_000);
            const [e, l, n] = [
                await statusOf(early.RequestToken!),
                await statusOf(late.RequestToken!),
                await statusOf(nameless.RequestToken!),
            ];
            assert.deepStrictEqual(
                [e.OperationStatus, l.OperationStatus, n.OperationStatus],
                ["CANCEL_COMPLETE", "CANCEL_COMPLETE", "CANCEL_COMPLETE"],
            );
            assert.strictEqual(em.getResource(LG, "cancelled-early"), undefined, "cancelled before its handler started");
            assert.ok(em.getResource(LG, "cancelled-late"), "cancelled while its handler worked: the log group exists");
            // The generated name of what it left is in the final event, as on SUCCESS.
            assert.ok(n.Identifier && em.getResource(BUCKET, n.Identifier), JSON.stringify(n));
            cc.destroy();
            await em.close();
            await start({ operationDelayMs: 60_000, cancelKeepsWork: false });
            const discarded = await createEvent(LG, { LogGroupName: "discarded" });
            em.advanceClock(60_000);
            await cc.send(new CancelResourceRequestCommand({ RequestToken: discarded.RequestToken }));
            em.advanceClock(60_000);
            assert.strictEqual((await statusOf(discarded.RequestToken!)).OperationStatus, "CANCEL_COMPLETE");
            assert.strictEqual(em.getResource(LG, "discarded"), undefined);
        });

        it("gives no ResourceModel on SUCCESS of CREATE, UPDATE or DELETE by default; CREATE and UPDATE have it with resourceModel on", async () => {
            for (const resourceModel of [false, true]) {
                await start({ resourceModel });
                const created = await createEvent("Test::Fixture::Compound", {
                    ParentName: "rm",
                    ChildName: "x",
                    Secret: { Token: "t0k", Label: "l" },
                });
                const updated = (
                    await cc.send(
                        new UpdateResourceCommand({
                            TypeName: "Test::Fixture::Compound",
                            Identifier: "rm|x",
                            PatchDocument: JSON.stringify([{ op: "add", path: "/Size", value: 2 }]),
                        }),
                    )
                ).ProgressEvent!;
                const deleted = (await cc.send(new DeleteResourceCommand({ TypeName: "Test::Fixture::Compound", Identifier: "rm|x" })))
                    .ProgressEvent!;
                const events = [created, updated, deleted, await statusOf(created.RequestToken!), await statusOf(updated.RequestToken!)];
                assert.deepStrictEqual(
                    events.map((e) => e.OperationStatus),
                    ["SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS"],
                );
                if (!resourceModel) {
                    assert.deepStrictEqual(
                        events.map((e) => e.ResourceModel),
                        [undefined, undefined, undefined, undefined, undefined],
                    );
                } else {
                    // The handler's model without write-only values; DELETE never has one (handler contract).
                    assert.deepStrictEqual(JSON.parse(created.ResourceModel!).Secret, { Label: "l" });
                    assert.strictEqual(JSON.parse(updated.ResourceModel!).Size, 2);
                    assert.strictEqual(deleted.ResourceModel, undefined);
                }
                cc.destroy();
                await em.close();
            }
        });
    });

    describe("exceptions of the calls themselves: HTTP 400 and the recorded words", () => {
        beforeEach(() => start());

        it("TypeNotFoundException for every operation, checked before the patch (test_api_exceptions)", async () => {
            const type = "AWS::LocalStack::DoesNotExist";
            for (const call of [
                () => cc.send(new CreateResourceCommand({ TypeName: type, DesiredState: "{}" })),
                () => cc.send(new DeleteResourceCommand({ TypeName: type, Identifier: "x" })),
                () => cc.send(new GetResourceCommand({ TypeName: type, Identifier: "x" })),
                () =>
                    cc.send(
                        new UpdateResourceCommand({
                            TypeName: type,
                            Identifier: "x",
                            PatchDocument: JSON.stringify([{ op: "replace", path: "/something", value: 30 }]),
                        }),
                    ),
                // Recorded: an empty patch for a missing type is TypeNotFound too.
                () => cc.send(new UpdateResourceCommand({ TypeName: type, Identifier: "x", PatchDocument: "[]" })),
                () => cc.send(new ListResourcesCommand({ TypeName: type })),
            ]) {
                const err = await rejection(call);
                assert.ok(err instanceof TypeNotFoundException, err.name);
                assert.deepStrictEqual([err.$metadata.httpStatusCode, err.$metadata.attempts], [400, 1]);
                assert.ok(err.message.startsWith(`The type '${type}' cannot be found.`), err.message);
            }
        });

        it("RequestTokenNotFoundException for status and cancel (test_invalid_request_token_exc)", async () => {
            const err = await rejection(() => cc.send(new GetResourceRequestStatusCommand({ RequestToken: "DOESNOTEXIST" })));
            assert.ok(err instanceof RequestTokenNotFoundException, err.name);
            assert.deepStrictEqual([err.$metadata.httpStatusCode, err.message], [400, "Request with token DOESNOTEXIST was not found"]);
        });

        it("ResourceNotFoundException from GetResource and UpdateResource, worded as the read handler's failure (test_lifecycle)", async () => {
            for (const call of [
                () => cc.send(new GetResourceCommand({ TypeName: BUCKET, Identifier: "gone-bucket" })),
                () =>
                    cc.send(
                        new UpdateResourceCommand({
                            TypeName: BUCKET,
                            Identifier: "gone-bucket",
                            PatchDocument: JSON.stringify([{ op: "replace", path: "/something", value: 30 }]),
                        }),
                    ),
            ]) {
                const err = await rejection(call);
                assert.ok(err instanceof ResourceNotFoundException, err.name);
                assert.strictEqual(err.$metadata.httpStatusCode, 400);
                assert.match(
                    err.message,
                    /^AWS::S3::Bucket Handler returned status FAILED: .+ \(HandlerErrorCode: NotFound, RequestToken: [0-9a-f-]{36}\)$/,
                );
            }
            // ... while DeleteResource of it is accepted (with its identifier) and fails later (test_api_exceptions).
            const del = (await cc.send(new DeleteResourceCommand({ TypeName: BUCKET, Identifier: "gone-bucket" }))).ProgressEvent!;
            assert.strictEqual(del.Identifier, "gone-bucket");
            assert.deepStrictEqual([del.OperationStatus, del.ErrorCode], ["FAILED", "NotFound"]);
        });
    });

    describe("input constraints of the Smithy model, checked before anything else (ValidationException, 400, not retried)", () => {
        beforeEach(() => start());
        const big = (n: number) => JSON.stringify({ BucketName: "b".repeat(n) });
        for (const [what, send, message] of [
            [
                "a TypeName without three parts",
                (c: CloudControlClient) => c.send(new GetResourceCommand({ TypeName: "AWS::S3Bucket", Identifier: "x" })),
                /^1 validation error detected: Value 'AWS::S3Bucket' at 'typeName' failed to satisfy constraint: Member must satisfy regular expression pattern: \^\[A-Za-z0-9\]\{2,64\}::/,
            ],
            [
                "a TypeName too short and of one-letter parts",
                (c: CloudControlClient) => c.send(new ListResourcesCommand({ TypeName: "A::B::C" })),
                /^2 validation errors detected: Value 'A::B::C' at 'typeName' failed to satisfy constraint: Member must have length greater than or equal to 10; Value 'A::B::C' at 'typeName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
            ],
            [
                "a module type name (four parts)",
                (c: CloudControlClient) => c.send(new CreateResourceCommand({ TypeName: "Org::Svc::Thing::MODULE", DesiredState: "{}" })),
                /at 'typeName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
            ],
            [
                "a ClientToken outside [-A-Za-z0-9+/=]",
                (c: CloudControlClient) =>
                    c.send(new CreateResourceCommand({ TypeName: BUCKET, DesiredState: "{}", ClientToken: "my_token" })),
                /Value 'my_token' at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \^\[-A-Za-z0-9\+\/=\]\+\$/,
            ],
            [
                "a ClientToken of 129 characters",
                (c: CloudControlClient) =>
                    c.send(new DeleteResourceCommand({ TypeName: BUCKET, Identifier: "x", ClientToken: "t".repeat(129) })),
                /at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 128/,
            ],
            [
                "a RequestToken outside the pattern",
                (c: CloudControlClient) => c.send(new GetResourceRequestStatusCommand({ RequestToken: "not a token!" })),
                /Value 'not a token!' at 'requestToken' failed to satisfy constraint: Member must satisfy regular expression pattern/,
            ],
            [
                "a RoleArn that is not a role's",
                (c: CloudControlClient) =>
                    c.send(new GetResourceCommand({ TypeName: BUCKET, Identifier: "x", RoleArn: "arn:aws:iam::123:user/me-myself" })),
                /at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: \^arn:\.\+:iam::\[0-9\]\{12\}:role\/\.\+\$/,
            ],
            [
                "a TypeVersionId with an underscore",
                (c: CloudControlClient) => c.send(new GetResourceCommand({ TypeName: BUCKET, Identifier: "x", TypeVersionId: "v_1" })),
                /Value 'v_1' at 'typeVersionId' failed to satisfy constraint/,
            ],
            [
                "an Identifier of 1025 characters",
                (c: CloudControlClient) => c.send(new GetResourceCommand({ TypeName: BUCKET, Identifier: "i".repeat(1025) })),
                /at 'identifier' failed to satisfy constraint: Member must have length less than or equal to 1024/,
            ],
            [
                "an unknown operation in the request filter",
                (c: CloudControlClient) =>
                    c.send(new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { Operations: ["READ" as never] } })),
                /Value '\[READ\]' at 'resourceRequestStatusFilter.operations' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[CREATE, DELETE, UPDATE\]\]/,
            ],
            [
                "an unknown status in the request filter",
                (c: CloudControlClient) =>
                    c.send(
                        new ListResourceRequestsCommand({
                            ResourceRequestStatusFilter: { OperationStatuses: ["SUCCESS", "DONE" as never] },
                        }),
                    ),
                /at 'resourceRequestStatusFilter.operationStatuses' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[PENDING, IN_PROGRESS, SUCCESS, FAILED, CANCEL_IN_PROGRESS, CANCEL_COMPLETE\]\]/,
            ],
            [
                "MaxResults 0",
                (c: CloudControlClient) => c.send(new ListResourceRequestsCommand({ MaxResults: 0 })),
                /Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1/,
            ],
            [
                "MaxResults 101",
                (c: CloudControlClient) => c.send(new ListResourcesCommand({ TypeName: BUCKET, MaxResults: 101 })),
                /Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100/,
            ],
            [
                "a NextToken outside its pattern",
                (c: CloudControlClient) => c.send(new ListResourceRequestsCommand({ NextToken: "page two!" })),
                /at 'nextToken' failed to satisfy constraint: Member must satisfy regular expression pattern/,
            ],
            // Sensitive members (DesiredState, PatchDocument) are never echoed.
            [
                "a DesiredState over 262,144 characters",
                (c: CloudControlClient) => c.send(new CreateResourceCommand({ TypeName: BUCKET, DesiredState: big(262_144) })),
                /^1 validation error detected: Value at 'desiredState' failed to satisfy constraint: Member must have length less than or equal to 262144$/,
            ],
            [
                "a PatchDocument over 262,144 characters",
                (c: CloudControlClient) =>
                    c.send(
                        new UpdateResourceCommand({
                            TypeName: BUCKET,
                            Identifier: "x",
                            PatchDocument: JSON.stringify([{ op: "add", path: "/Tags", value: "t".repeat(262_144) }]),
                        }),
                    ),
                /^1 validation error detected: Value at 'patchDocument' failed to satisfy constraint: Member must have length less than or equal to 262144$/,
            ],
        ] as const) {
            it(`refuses ${what}`, async () => {
                em.clearRequestLog();
                const err = await rejection(() => send(cc));
                assert.strictEqual(err.name, "ValidationException");
                assert.deepStrictEqual([err.$metadata.httpStatusCode, err.$metadata.attempts], [400, 1]);
                assert.match(err.message, message);
                assert.strictEqual(em.requestLog.length, 1);
                assert.deepStrictEqual(em.listResources(), []);
            });
        }

        it("accepts a PatchDocument of 65,537 characters (the model allows 262,144)", async () => {
            await waitFinal(cc, (await createEvent(LG, { LogGroupName: "long-patch" })).RequestToken!);
            const ops = [
                { op: "add", path: "/FixtureOnly", value: true },
                ...Array.from({ length: 1500 }, () => ({ op: "test", path: "/LogGroupName", value: "long-patch" })),
            ];
            const text = JSON.stringify(ops);
            assert.ok(text.length > 65_536, String(text.length));
            const out = await cc.send(new UpdateResourceCommand({ TypeName: LG, Identifier: "long-patch", PatchDocument: text }));
            assert.strictEqual((await waitFinal(cc, out.ProgressEvent!.RequestToken!)).pop()!.OperationStatus, "SUCCESS");
        });
    });

    describe("ListResources of a type whose list handler needs input", () => {
        beforeEach(() => start());
        const TYPE = "Test::Fixture::ListInput";

        it("refuses a list without the ResourceModel the handler needs, in AWS's words (awslabs/mcp#403)", async () => {
            for (const model of [undefined, JSON.stringify({ Size: 1 })]) {
                const err = await rejection(() => cc.send(new ListResourcesCommand({ TypeName: TYPE, ResourceModel: model })));
                assert.ok(err instanceof InvalidRequestException, err.name);
                assert.deepStrictEqual([err.$metadata.httpStatusCode, err.$metadata.attempts], [400, 1]);
                assert.strictEqual(
                    err.message,
                    "Missing or invalid ResourceModel property in Test::Fixture::ListInput list handler request input.Required property: (#: required key [ClusterName] not found)",
                );
            }
        });

        it("lists only the resources matching the handler's input; other types ignore a ResourceModel", async () => {
            for (const [cluster, group] of [
                ["a", "1"],
                ["a", "2"],
                ["b", "1"],
            ])
                await createEvent(TYPE, { ClusterName: cluster, NodegroupName: group });
            const out = await cc.send(
                new ListResourcesCommand({ TypeName: TYPE, ResourceModel: JSON.stringify({ ClusterName: "a", Size: 99 }) }),
            );
            assert.deepStrictEqual(
                out.ResourceDescriptions!.map((d) => d.Identifier),
                ["a|1", "a|2"],
            );
            await createEvent(LG, { LogGroupName: "any" });
            const logs = await cc.send(
                new ListResourcesCommand({ TypeName: LG, ResourceModel: JSON.stringify({ LogGroupName: "other" }) }),
            );
            assert.deepStrictEqual(
                logs.ResourceDescriptions!.map((d) => d.Identifier),
                ["any"],
            );
        });
    });

    describe("generated names and ARNs", () => {
        beforeEach(() => start());

        it("gives two nameless Events rules on one bus different names and ARNs (no collision AWS would not have)", async () => {
            const a = await createEvent("AWS::Events::Rule", { EventBusName: "shared-bus", ScheduleExpression: "rate(1 minute)" });
            const b = await createEvent("AWS::Events::Rule", { EventBusName: "shared-bus", ScheduleExpression: "rate(1 minute)" });
            assert.deepStrictEqual([a.OperationStatus, b.OperationStatus], ["SUCCESS", "SUCCESS"], `${a.StatusMessage} ${b.StatusMessage}`);
            assert.notStrictEqual(a.Identifier, b.Identifier);
            for (const id of [a.Identifier!, b.Identifier!])
                assert.match(id, /^arn:aws:events:us-east-1:123456789012:rule\/rule-[0-9a-f]{12}$/);
            // The same Name twice is a real conflict.
            await createEvent("AWS::Events::Rule", { Name: "named", EventBusName: "shared-bus" });
            const again = await createEvent("AWS::Events::Rule", { Name: "named", EventBusName: "shared-bus" });
            assert.deepStrictEqual([again.OperationStatus, again.ErrorCode], ["FAILED", "AlreadyExists"]);
        });
    });

    describe("updates start from the model without write-only values (issue 11: Cloud Control's read-modify-write)", () => {
        const TYPE = "Test::Fixture::WriteOnly";
        const patch = (ops: unknown[]) =>
            cc.send(new UpdateResourceCommand({ TypeName: TYPE, Identifier: "fn", PatchDocument: JSON.stringify(ops) }));
        beforeEach(async () => {
            await start();
            const ev = await createEvent(TYPE, {
                Name: "fn",
                Code: { ZipFile: "v1" },
                Token: "t0k",
                Config: { Password: "pw", Mode: "a" },
                Memory: 1,
            });
            assert.strictEqual(ev.OperationStatus, "SUCCESS", ev.StatusMessage);
        });

        it("refuses an update that leaves out a required write-only property (pulumi-aws-native#277, terraform-provider-awscc#190)", async () => {
            const err = await rejection(() => patch([{ op: "replace", path: "/Memory", value: 2 }]));
            assert.strictEqual(err.name, "ValidationException");
            assert.strictEqual(err.$metadata.httpStatusCode, 400);
            assert.strictEqual(err.message, "Model validation failed (#: required key [Code] not found)");
            assert.strictEqual(em.getResource(TYPE, "fn")!.properties.Memory, 1, "nothing changed");
        });

        it("cannot replace a write-only value: its path is not in the model the patch applies to (pulumi-aws-native#277)", async () => {
            const err = await rejection(() => patch([{ op: "replace", path: "/Code", value: { ZipFile: "v2" } }]));
            assert.strictEqual(err.name, "ValidationException");
            assert.strictEqual(err.message, "[REPLACE Operation] noSuchPath in source, path provided : //Code");
        });

        it("hands the handler what the patch re-sent: write-only values left out are gone from what it stores", async () => {
            const out = await patch([
                { op: "add", path: "/Code", value: { ZipFile: "v2" } },
                { op: "replace", path: "/Memory", value: 2 },
            ]);
            assert.strictEqual(out.ProgressEvent!.OperationStatus, "SUCCESS", out.ProgressEvent!.StatusMessage);
            // emulator.getResource shows the model the update handler received.
            assert.deepStrictEqual(em.getResource(TYPE, "fn")!.properties, {
                Name: "fn",
                Code: { ZipFile: "v2" },
                Config: { Mode: "a" },
                Memory: 2,
                Arn: em.getResource(TYPE, "fn")!.properties.Arn,
            });
            const got = JSON.parse(
                (await cc.send(new GetResourceCommand({ TypeName: TYPE, Identifier: "fn" }))).ResourceDescription!.Properties!,
            );
            assert.deepStrictEqual(Object.keys(got).sort(), ["Arn", "Config", "Memory", "Name"]);
            assert.deepStrictEqual(got.Config, { Mode: "a" });
            // Re-sending every write-only value (nested ones where they are) keeps them all.
            await patch([
                { op: "add", path: "/Code", value: { ZipFile: "v3" } },
                { op: "add", path: "/Token", value: "t1" },
                { op: "add", path: "/Config/Password", value: "pw2" },
            ]);
            const stored = em.getResource(TYPE, "fn")!.properties;
            assert.deepStrictEqual([stored.Code, stored.Token, stored.Config], [{ ZipFile: "v3" }, "t1", { Mode: "a", Password: "pw2" }]);
        });
    });

    describe("profiles", () => {
        let saved: string | undefined;
        beforeEach(() => {
            saved = process.env[PROFILE_ENV];
            delete process.env[PROFILE_ENV];
        });
        afterEach(() => {
            if (saved === undefined) delete process.env[PROFILE_ENV];
            else process.env[PROFILE_ENV] = saved;
        });

        it('uses "aws" by default, "strict" from the option or from CLOUDCONTROL_EMULATOR_PROFILE, and explicit options over either', async () => {
            await start();
            assert.deepStrictEqual(em.behaviour, {
                retryAfter: "status",
                identifier: "late",
                resourceModel: false,
                initialStatus: "IN_PROGRESS",
                cancelKeepsWork: true,
            });
            await em.close();
            await start({ profile: "strict" });
            assert.deepStrictEqual(em.behaviour, {
                retryAfter: "none",
                identifier: "late",
                resourceModel: false,
                initialStatus: "PENDING",
                cancelKeepsWork: true,
            });
            await em.close();
            process.env[PROFILE_ENV] = "strict";
            await start({ operationDelayMs: 60_000 });
            assert.strictEqual(em.behaviour.retryAfter, "none");
            const ev = await createEvent(LG, { LogGroupName: "strict-lg" });
            assert.strictEqual(ev.OperationStatus, "PENDING");
            assert.strictEqual((await statusOf(ev.RequestToken!)).RetryAfter, undefined);
            await em.close();
            await start({ retryAfter: true, profile: "aws", initialStatus: "PENDING" });
            assert.deepStrictEqual(em.behaviour, {
                retryAfter: "all",
                identifier: "late",
                resourceModel: false,
                initialStatus: "PENDING",
                cancelKeepsWork: true,
            });
            em.setBehaviour({ identifier: "early", resourceModel: true });
            assert.deepStrictEqual(em.behaviour, {
                retryAfter: "all",
                identifier: "early",
                resourceModel: true,
                initialStatus: "PENDING",
                cancelKeepsWork: true,
            });
            assert.throws(
                () => em.setBehaviour({ identifier: "soon" as never }),
                /setBehaviour identifier: "soon" is not one of "early", "late"/,
            );
        });

        it("refuses an unknown profile, naming where it came from", async () => {
            await assert.rejects(
                startEmulator({ schemas: false, profile: "kind" as never }),
                /startEmulator option profile: unknown emulator profile "kind" \(expected one of aws, strict\)/,
            );
            process.env[PROFILE_ENV] = "lenient";
            await assert.rejects(
                startEmulator({ schemas: false }),
                /environment variable CLOUDCONTROL_EMULATOR_PROFILE: unknown emulator profile "lenient"/,
            );
        });
    });

    describe("client settings (issue 13)", () => {
        const AWS_VARS = [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_REGION",
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_CLOUDCONTROL",
            "AWS_ENDPOINT_URL_CLOUDFORMATION",
        ];
        let saved: Record<string, string | undefined>;
        beforeEach(() => {
            saved = Object.fromEntries(AWS_VARS.map((k) => [k, process.env[k]]));
            for (const k of AWS_VARS) delete process.env[k];
        });
        afterEach(() => {
            for (const [k, v] of Object.entries(saved)) {
                if (v === undefined) delete process.env[k];
                else process.env[k] = v;
            }
        });

        it("hands out clientConfig() that Cloud Control and CloudFormation clients work with, with no AWS variables set", async () => {
            await start();
            const config = em.clientConfig();
            assert.deepStrictEqual(config, {
                endpoint: em.endpoint,
                region: "us-east-1",
                credentials: { accessKeyId: "test", secretAccessKey: "test" },
            });
            const own = new CloudControlClient(config);
            const ev = (
                await own.send(new CreateResourceCommand({ TypeName: LG, DesiredState: JSON.stringify({ LogGroupName: "configured" }) }))
            ).ProgressEvent!;
            assert.strictEqual(ev.OperationStatus, "SUCCESS");
            own.destroy();
            const cf = new CloudFormationClient(em.clientConfig());
            assert.strictEqual((await cf.send(new DescribeTypeCommand({ Type: "RESOURCE", TypeName: LG }))).TypeName, LG);
            cf.destroy();
        });

        it("lists in env the variables that point the SDK at it (what the CLI prints), and they work", async () => {
            await start({ region: "eu-west-1" });
            assert.deepStrictEqual(em.env, {
                AWS_ENDPOINT_URL_CLOUDCONTROL: em.endpoint,
                AWS_ENDPOINT_URL_CLOUDFORMATION: em.endpoint,
                AWS_REGION: "eu-west-1",
                AWS_ACCESS_KEY_ID: "test",
                AWS_SECRET_ACCESS_KEY: "test",
            });
            Object.assign(process.env, em.env);
            const fromEnv = new CloudControlClient({});
            const out = await fromEnv.send(new ListResourcesCommand({ TypeName: LG }));
            assert.strictEqual(out.$metadata.httpStatusCode, 200);
            fromEnv.destroy();
        });
    });

    describe("schema files that cannot be used (issue 13)", () => {
        let dir: string;
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-schemas-"));
        });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("names the file and its problem instead of answering TypeNotFoundException", async () => {
            fs.writeFileSync(path.join(dir, "aws-sqs-queue.json"), JSON.stringify({ typeName: "AWS::SNS::Topic", properties: {} }));
            fs.writeFileSync(path.join(dir, "aws-sns-topic.json"), JSON.stringify({ typeName: "AWS::SNS::Topic" }));
            fs.writeFileSync(path.join(dir, "aws-kms-key.json"), "[]");
            await start({ schemas: dir });
            for (const [typeName, problem] of [
                ["AWS::SQS::Queue", "it declares typeName AWS::SNS::Topic, not AWS::SQS::Queue"],
                ["AWS::SNS::Topic", 'it has no "properties" object'],
                ["AWS::KMS::Key", "it is not a JSON object"],
            ]) {
                const err = await rejection(() => cc.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: "{}" })));
                assert.strictEqual(err.name, "GeneralServiceException", `${typeName}: ${err.message}`);
                assert.ok(
                    err.message.includes(path.join(dir, path.basename(typeName.toLowerCase().replace(/::/g, "-") + ".json"))),
                    err.message,
                );
                assert.ok(err.message.includes(problem), err.message);
            }
            // A type with no file at all (nor in the bundled registry) is still TypeNotFound, saying which file was looked for.
            const missing = await rejection(() =>
                cc.send(new CreateResourceCommand({ TypeName: "MyOrg::Missing::Thing", DesiredState: "{}" })),
            );
            assert.ok(missing instanceof TypeNotFoundException);
            assert.ok(missing.message.includes(path.join(dir, "myorg-missing-thing.json")), missing.message);
        });
    });
});

import * as assert from "assert";
import * as path from "path";
import {
    CloudControlServiceException,
    CreateResourceCommand,
    GetResourceCommand,
    GetResourceRequestStatusCommand,
    InvalidRequestException,
    ListResourcesCommand,
    UnsupportedActionException,
    UpdateResourceCommand,
} from "@aws-sdk/client-cloudcontrol";
import { CloudFormationServiceException, DescribeTypeCommand, TypeNotFoundException } from "@aws-sdk/client-cloudformation";
import { Emulator, startEmulator } from "../../src/emulator";
import { cloudControl, cloudFormation, fixtureSchemas, jsonHeaders, rawPost, rejection, waitFinal } from "../fixtures/emulator/sdk";

describe("emulator protocol: AWS JSON 1.0 and awsQuery as the SDK sees them", () => {
    let em: Emulator;
    before(async () => {
        em = await startEmulator({ schemas: fixtureSchemas, operationDelayMs: 0 });
    });
    after(async () => {
        await em.close();
    });

    it("answers a request without x-amz-target with UnknownOperationException (400, __type and x-amzn-errortype)", async () => {
        const headers = jsonHeaders("GetResource");
        delete headers["x-amz-target"];
        const res = await rawPost(em.endpoint, "{}", headers);
        assert.strictEqual(res.status, 400);
        assert.match(res.json.__type, /#UnknownOperationException$/);
        assert.strictEqual(res.headers.get("x-amzn-errortype"), "UnknownOperationException");
    });

    it("answers an unknown operation with UnknownOperationException", async () => {
        const res = await rawPost(em.endpoint, "{}", jsonHeaders("DescribeEverything"));
        assert.strictEqual(res.status, 400);
        assert.match(res.json.__type, /#UnknownOperationException$/);
    });

    it("answers a malformed JSON body with SerializationException (400) and keeps serving", async () => {
        for (const body of ["{not json", "[1,2]", '"text"']) {
            const res = await rawPost(em.endpoint, body, jsonHeaders("CreateResource"));
            assert.strictEqual(res.status, 400, body);
            assert.match(res.json.__type, /#SerializationException$/);
        }
        const ok = await cloudControl(em).send(new ListResourcesCommand({ TypeName: "AWS::SQS::Queue" }));
        assert.strictEqual(ok.$metadata.httpStatusCode, 200);
    });

    it("answers a missing required member with ValidationException naming the member", async () => {
        const res = await rawPost(em.endpoint, JSON.stringify({ DesiredState: "{}" }), jsonHeaders("CreateResource"));
        assert.strictEqual(res.status, 400);
        assert.match(res.json.__type, /#ValidationException$/);
        assert.match(res.json.Message, /'typeName'/);
    });

    it("rejects an unsigned request with MissingAuthenticationTokenException", async () => {
        const headers = jsonHeaders("ListResources");
        delete headers.authorization;
        const res = await rawPost(em.endpoint, JSON.stringify({ TypeName: "AWS::SQS::Queue" }), headers);
        assert.strictEqual(res.status, 400);
        assert.match(res.json.__type, /#MissingAuthenticationTokenException$/);
    });

    it("maps a DesiredState that is not JSON to InvalidRequestException (400) in the SDK", async () => {
        const err = await rejection(() =>
            cloudControl(em).send(new CreateResourceCommand({ TypeName: "AWS::SQS::Queue", DesiredState: "{oops" })),
        );
        assert.ok(err instanceof InvalidRequestException, err.name);
        assert.strictEqual(err.$metadata.httpStatusCode, 400);
        assert.strictEqual(err.$metadata.attempts, 1);
    });

    it("surfaces ValidationException (not modelled by the SDK) as a CloudControlServiceException named ValidationException", async () => {
        const cc = cloudControl(em);
        await waitFinal(
            cc,
            (
                await cc.send(
                    new CreateResourceCommand({ TypeName: "AWS::SQS::Queue", DesiredState: JSON.stringify({ QueueName: "proto-q" }) }),
                )
            ).ProgressEvent!.RequestToken!,
        );
        const id = em.listResources("AWS::SQS::Queue")[0].identifier;
        const err = await rejection(() =>
            cc.send(
                new UpdateResourceCommand({
                    TypeName: "AWS::SQS::Queue",
                    Identifier: id,
                    PatchDocument: JSON.stringify([{ op: "add", path: "/Arn", value: "x" }]),
                }),
            ),
        );
        assert.ok(err instanceof CloudControlServiceException);
        assert.strictEqual(err.name, "ValidationException");
        assert.strictEqual(err.$metadata.httpStatusCode, 400);
        assert.match(err.message, /readOnlyProperties \[\/properties\/Arn\]/);
    });

    it("answers an operation the type has no handler for with UnsupportedActionException (400, as AWS answers it)", async () => {
        const err = await rejection(() =>
            cloudControl(em).send(
                new UpdateResourceCommand({ TypeName: "Test::Fixture::Immutable", Identifier: "x", PatchDocument: "[]" }),
            ),
        );
        assert.ok(err instanceof UnsupportedActionException, err.name);
        assert.strictEqual(err.$metadata.httpStatusCode, 400);
        assert.strictEqual(err.$metadata.attempts, 1);
    });

    it("sends EventTime and RetryAfter as epoch seconds the SDK parses into Dates (RetryAfter on status reads only)", async () => {
        const slow = await startEmulator({ schemas: false, operationDelayMs: 60_000 });
        try {
            const cc = cloudControl(slow);
            const before = Date.now();
            const out = await cc.send(new CreateResourceCommand({ TypeName: "AWS::SQS::Queue", DesiredState: "{}" }));
            const after = Date.now();
            const ev = out.ProgressEvent!;
            assert.ok(ev.EventTime instanceof Date);
            // Epoch seconds with a fraction: the SDK's Date may round by a millisecond.
            assert.ok(before - 1 <= ev.EventTime.getTime() && ev.EventTime.getTime() <= after + 1);
            assert.strictEqual(ev.RetryAfter, undefined, "the start call's answer has no RetryAfter (recorded)");
            const status = (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: ev.RequestToken }))).ProgressEvent!;
            // RetryAfter is when the request next changes state: the end of its first phase.
            assert.ok(status.RetryAfter instanceof Date);
            assert.ok(Math.abs(status.RetryAfter.getTime() - ev.EventTime.getTime() - 60_000) < 5);
            slow.setRetryAfter(false);
            const unhinted = await cc.send(new GetResourceRequestStatusCommand({ RequestToken: ev.RequestToken }));
            assert.strictEqual(unhinted.ProgressEvent?.RetryAfter, undefined);
        } finally {
            await slow.close();
        }
    });

    it("serves DescribeType for a directory type, whose schema wins over the built-in one", async () => {
        const out = await cloudFormation(em).send(new DescribeTypeCommand({ Type: "RESOURCE", TypeName: "AWS::Logs::LogGroup" }));
        assert.strictEqual(out.TypeName, "AWS::Logs::LogGroup");
        assert.ok("FixtureOnly" in JSON.parse(out.Schema!).properties);
        assert.strictEqual(out.$metadata.httpStatusCode, 200);
    });

    it("serves DescribeType for built-in types not in the directory, and by Arn", async () => {
        const cf = cloudFormation(em);
        const byName = await cf.send(new DescribeTypeCommand({ Type: "RESOURCE", TypeName: "AWS::DynamoDB::Table" }));
        assert.deepStrictEqual(JSON.parse(byName.Schema!).conditionalCreateOnlyProperties, ["/properties/KeySchema"]);
        const byArn = await cf.send(new DescribeTypeCommand({ Arn: byName.Arn }));
        assert.strictEqual(byArn.TypeName, "AWS::DynamoDB::Table");
    });

    it("answers DescribeType for an unknown type with TypeNotFoundException (404, awsQuery XML error)", async () => {
        const err = await rejection(() =>
            cloudFormation(em).send(new DescribeTypeCommand({ Type: "RESOURCE", TypeName: "AWS::Nope::Nope" })),
        );
        assert.ok(err instanceof TypeNotFoundException, err.name);
        assert.ok(err instanceof CloudFormationServiceException);
        assert.strictEqual(err.$metadata.httpStatusCode, 404);
    });

    it("answers a request for a type whose schema file is broken with an error naming the file and the problem", async () => {
        const err = await rejection(() =>
            cloudControl(em).send(new GetResourceCommand({ TypeName: "Test::Fixture::Broken", Identifier: "x" })),
        );
        assert.strictEqual(err.name, "GeneralServiceException");
        assert.strictEqual(err.$metadata.httpStatusCode, 400);
        assert.strictEqual(err.$metadata.attempts, 1);
        assert.ok(err.message.includes(path.join(fixtureSchemas, "test-fixture-broken.json")), err.message);
        assert.match(err.message, /is not valid JSON/);
        const described = await rejection(() =>
            cloudFormation(em).send(new DescribeTypeCommand({ Type: "RESOURCE", TypeName: "Test::Fixture::Broken" })),
        );
        assert.strictEqual(described.name, "CFNRegistryException");
        assert.match(described.message, /test-fixture-broken\.json cannot be used: it is not valid JSON/);
    });

    it("answers malformed members of every operation with a 4xx error, never crashing or changing state", async () => {
        const before = JSON.stringify(em.listResources());
        const junk: unknown[] = [5, true, null, {}, [], "", "x".repeat(3000), "{", '[{"op":"add"}]', -1, 1.5, { Operations: "CREATE" }];
        const members = [
            "TypeName",
            "Identifier",
            "DesiredState",
            "PatchDocument",
            "ClientToken",
            "RequestToken",
            "MaxResults",
            "NextToken",
            "ResourceRequestStatusFilter",
            "RoleArn",
        ];
        const ops = [
            "CreateResource",
            "GetResource",
            "UpdateResource",
            "DeleteResource",
            "ListResources",
            "GetResourceRequestStatus",
            "ListResourceRequests",
            "CancelResourceRequest",
        ];
        const statuses = new Set<number>();
        for (const op of ops) {
            for (const member of members) {
                for (const value of junk) {
                    const body: Record<string, unknown> = {
                        TypeName: "AWS::SQS::Queue",
                        Identifier: "https://sqs.us-east-1.amazonaws.com/123456789012/nope",
                    };
                    body[member] = value;
                    const res = await rawPost(em.endpoint, JSON.stringify(body), jsonHeaders(op));
                    statuses.add(res.status);
                    if (res.status !== 200) {
                        assert.ok(
                            res.status >= 400 && res.status < 500,
                            `${op} ${member}=${JSON.stringify(value).slice(0, 20)} -> ${res.status} ${res.text}`,
                        );
                        assert.match(res.json.__type, /#\w+$/);
                    }
                }
            }
        }
        assert.ok(statuses.has(400) && statuses.has(200), [...statuses].join(","));
        const after = em.listResources().filter((r) => !before.includes(JSON.stringify(r.identifier)));
        // Only well-formed creates (junk in a member CreateResource ignores) may have added resources.
        for (const r of after) assert.strictEqual(r.typeName, "AWS::SQS::Queue");
        const ok = await cloudControl(em).send(new ListResourcesCommand({ TypeName: "AWS::SQS::Queue" }));
        assert.strictEqual(ok.$metadata.httpStatusCode, 200);
    });

    it("logs every request with operation, status and error", async () => {
        em.clearRequestLog();
        await rejection(() => cloudControl(em).send(new GetResourceCommand({ TypeName: "AWS::SQS::Queue", Identifier: "missing" })));
        assert.deepStrictEqual(
            em.requestLog.map((e) => [e.operation, e.httpStatus, e.error, e.typeName, e.identifier]),
            [["GetResource", 400, "ResourceNotFoundException", "AWS::SQS::Queue", "missing"]],
        );
        assert.strictEqual(em.countRequests("GetResource"), 1);
        assert.strictEqual(
            em.countRequests("GetResource", (e) => e.httpStatus === 200),
            0,
        );
    });
});

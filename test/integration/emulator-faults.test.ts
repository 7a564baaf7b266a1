import * as assert from "assert";
import {
    ConcurrentOperationException,
    CreateResourceCommand,
    GetResourceRequestStatusCommand,
    ListResourcesCommand,
    ThrottlingException,
} from "@aws-sdk/client-cloudcontrol";
import { Emulator, startEmulator } from "../../src/emulator";
import { DescribeTypeCommand } from "@aws-sdk/client-cloudformation";
import { cloudControl, cloudFormation, rejection } from "../fixtures/emulator/sdk";

const list = new ListResourcesCommand({ TypeName: "AWS::SQS::Queue" });

describe("emulator faults: injected errors, the SDK's own retries, seeded schedules and the rate limit", () => {
    let em: Emulator;
    afterEach(async () => {
        await em?.close();
    });

    it("sends ThrottlingException as HTTP 400 (as AWS does); the SDK retries it by name and succeeds on the third attempt", async () => {
        em = await startEmulator({ schemas: false, faults: [{ kind: "throttle", operation: "ListResources", count: 2 }] });
        const out = await cloudControl(em).send(list);
        assert.strictEqual(out.$metadata.httpStatusCode, 200);
        assert.strictEqual(out.$metadata.attempts, 3);
        assert.deepStrictEqual(
            em.requestLog.map((e) => [e.httpStatus, e.error]),
            [
                [400, "ThrottlingException"],
                [400, "ThrottlingException"],
                [200, undefined],
            ],
        );
    });

    it("gives up after the SDK's 3 attempts with a ThrottlingException instance", async () => {
        em = await startEmulator({ schemas: false, faults: [{ kind: "throttle" }] });
        const err = await rejection(() => cloudControl(em).send(list));
        assert.ok(err instanceof ThrottlingException, err.name);
        assert.strictEqual(err.$metadata.httpStatusCode, 400);
        assert.strictEqual(err.$metadata.attempts, 3);
        assert.strictEqual(em.countRequests("ListResources"), 3);
    });

    it("sends HTTP 429 ThrottlingException, also retried", async () => {
        em = await startEmulator({ schemas: false, faults: [{ kind: "throttle429", count: 5 }] });
        const err = await rejection(() => cloudControl(em, { maxAttempts: 2 }).send(list));
        assert.ok(err instanceof ThrottlingException, err.name);
        assert.strictEqual(err.$metadata.httpStatusCode, 429);
        assert.strictEqual(err.$metadata.attempts, 2);
        assert.strictEqual(
            em.countRequests("ListResources", (e) => e.httpStatus === 429),
            2,
        );
    });

    for (const status of [500, 502, 503, 504] as const) {
        it(`injects HTTP ${status}; the SDK retries it as transient`, async () => {
            em = await startEmulator({ schemas: false, faults: [{ kind: "server", status, count: 2 }] });
            const out = await cloudControl(em).send(list);
            assert.strictEqual(out.$metadata.attempts, 3);
            assert.deepStrictEqual(
                em.requestLog.map((e) => e.httpStatus),
                [status, status, 200],
            );
        });
    }

    it("resets connections; the SDK retries the reset", async () => {
        em = await startEmulator({ schemas: false, faults: [{ kind: "reset", count: 1 }] });
        const out = await cloudControl(em).send(list);
        assert.strictEqual(out.$metadata.httpStatusCode, 200);
        assert.strictEqual(out.$metadata.attempts, 2);
        assert.deepStrictEqual(
            em.requestLog.map((e) => e.error ?? e.httpStatus),
            ["reset", 200],
        );
    });

    it("loses the answer of a processed CreateResource; the SDK's retry reuses its ClientToken, so no second resource", async () => {
        em = await startEmulator({
            schemas: false,
            operationDelayMs: 0,
            faults: [{ kind: "lost", operation: "CreateResource", count: 1 }],
        });
        const out = await cloudControl(em).send(new CreateResourceCommand({ TypeName: "AWS::SQS::Queue", DesiredState: "{}" }));
        assert.strictEqual(out.$metadata.attempts, 2);
        assert.deepStrictEqual(
            em.requestLog.map((e) => e.error ?? e.httpStatus),
            ["lost", 200],
        );
        assert.strictEqual(em.listResources("AWS::SQS::Queue").length, 1);
        assert.strictEqual(out.ProgressEvent!.Identifier, em.listResources("AWS::SQS::Queue")[0].identifier);
    });

    it("answers slowly: a client with a short request timeout times out, then gets the answer once the rule is spent", async () => {
        em = await startEmulator({ schemas: false, faults: [{ kind: "slow", delayMs: 3000, count: 1 }] });
        const out = await cloudControl(em, { requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true } }).send(list);
        assert.strictEqual(out.$metadata.attempts, 2);
        assert.strictEqual(out.$metadata.httpStatusCode, 200);
    });

    it("injects ConcurrentOperationException (409), which the SDK does not retry", async () => {
        em = await startEmulator({ schemas: false, faults: [{ kind: "concurrent", operation: "CreateResource" }] });
        const err = await rejection(() =>
            cloudControl(em).send(new CreateResourceCommand({ TypeName: "AWS::SQS::Queue", DesiredState: "{}" })),
        );
        assert.ok(err instanceof ConcurrentOperationException, err.name);
        assert.strictEqual(err.$metadata.attempts, 1);
        assert.strictEqual(em.listResources().length, 0);
    });

    it("ends mutating requests FAILED with a chosen ErrorCode, only for matching types", async () => {
        em = await startEmulator({
            schemas: false,
            operationDelayMs: 0,
            faults: [{ kind: "failed", operation: "CreateResource", typeName: "AWS::SQS::Queue", errorCode: "Throttling", count: 1 }],
        });
        const cc = cloudControl(em);
        const lg = await cc.send(new CreateResourceCommand({ TypeName: "AWS::Logs::LogGroup", DesiredState: "{}" }));
        assert.strictEqual(lg.ProgressEvent!.OperationStatus, "SUCCESS");
        const q = await cc.send(new CreateResourceCommand({ TypeName: "AWS::SQS::Queue", DesiredState: "{}" }));
        const status = await cc.send(new GetResourceRequestStatusCommand({ RequestToken: q.ProgressEvent!.RequestToken }));
        assert.strictEqual(status.ProgressEvent!.OperationStatus, "FAILED");
        assert.strictEqual(status.ProgressEvent!.ErrorCode, "Throttling");
        assert.strictEqual(em.listResources("AWS::SQS::Queue").length, 0);
        const q2 = await cc.send(new CreateResourceCommand({ TypeName: "AWS::SQS::Queue", DesiredState: "{}" }));
        assert.strictEqual(q2.ProgressEvent!.OperationStatus, "SUCCESS");
    });

    it("draws probabilistic faults from the seed: the same seed gives the same schedule", async () => {
        const schedule = async (seed: number): Promise<number[]> => {
            const e = await startEmulator({ schemas: false, seed, faults: [{ kind: "throttle", probability: 0.5 }] });
            try {
                const cc = cloudControl(e, { maxAttempts: 1 });
                for (let i = 0; i < 24; i++) await cc.send(list).catch(() => undefined);
                return e.requestLog.map((x) => x.httpStatus);
            } finally {
                await e.close();
            }
        };
        em = await startEmulator({ schemas: false });
        const a = await schedule(7);
        const b = await schedule(7);
        const c = await schedule(8);
        assert.deepStrictEqual(a, b);
        assert.notDeepStrictEqual(a, c);
        assert.ok(a.includes(400) && a.includes(200), `a 50% rule both throttles and passes: ${a}`);
    });

    it("adds and clears faults at run time", async () => {
        em = await startEmulator({ schemas: false });
        const cc = cloudControl(em, { maxAttempts: 1 });
        em.injectFaults({ kind: "server", status: 503 });
        assert.strictEqual((await rejection(() => cc.send(list))).$metadata.httpStatusCode, 503);
        em.clearFaults();
        assert.strictEqual((await cc.send(list)).$metadata.httpStatusCode, 200);
    });

    it("throttles past the account-wide token bucket and recovers when it refills", async () => {
        em = await startEmulator({ schemas: false, rateLimit: { requestsPerSecond: 0.001, burst: 3 } });
        const cc = cloudControl(em, { maxAttempts: 1 });
        const outcomes: string[] = [];
        for (let i = 0; i < 5; i++) {
            outcomes.push(
                await cc.send(list).then(
                    () => "ok",
                    (e) => (e instanceof ThrottlingException ? `throttled ${e.$metadata.httpStatusCode}` : e.name),
                ),
            );
        }
        assert.deepStrictEqual(outcomes, ["ok", "ok", "ok", "throttled 400", "throttled 400"]);
        em.setRateLimit(undefined);
        assert.strictEqual((await cc.send(list)).$metadata.httpStatusCode, 200);
    });

    it("answers faults on DescribeType in the awsQuery protocol, so the CloudFormation SDK retries them too", async () => {
        em = await startEmulator({
            schemas: false,
            faults: [
                { kind: "throttle", operation: "DescribeType", count: 1 },
                { kind: "server", status: 503, operation: "DescribeType", count: 1 },
            ],
        });
        const out = await cloudFormation(em).send(new DescribeTypeCommand({ Type: "RESOURCE", TypeName: "AWS::SQS::Queue" }));
        assert.strictEqual(out.TypeName, "AWS::SQS::Queue");
        assert.strictEqual(out.$metadata.attempts, 3);
        assert.deepStrictEqual(
            em.requestLog.map((e) => [e.httpStatus, e.error]),
            [
                [400, "Throttling"],
                [503, "ServiceUnavailable"],
                [200, undefined],
            ],
        );
    });

    it("is off by default: many requests, no throttling", async () => {
        em = await startEmulator({ schemas: false });
        const cc = cloudControl(em, { maxAttempts: 1 });
        await Promise.all(Array.from({ length: 40 }, () => cc.send(list)));
        assert.strictEqual(
            em.countRequests("ListResources", (e) => e.httpStatus === 200),
            40,
        );
    });
});

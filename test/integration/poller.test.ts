/**
 * waitForRequest over the real AWS SDK against the emulator: RetryAfter, throttling and 5xx on status calls,
 * deadline → CancelResourceRequest → CANCEL_COMPLETE, abort, RequestTokenNotFound, NotUpdatable, hooks.
 */
import * as assert from "assert";
import { CloudControlClient, CreateResourceCommand, UpdateResourceCommand, type ProgressEvent } from "@aws-sdk/client-cloudcontrol";
import { clientConfig } from "../../src/cloudcontrol/client";
import { waitForRequest } from "../../src/cloudcontrol/poller";
import { startEmulator, type Emulator } from "../../src/emulator";
import { rejection } from "../support/assertions";

const LOG_GROUP = "AWS::Logs::LogGroup";

function sdkClient(em: Emulator, maxAttempts?: number): CloudControlClient {
    // Our factory's configuration (adaptive retries), with dummy credentials for the emulator.
    return new CloudControlClient({
        ...clientConfig({ region: em.region, endpoint: em.endpoint, maxAttempts }),
        credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
    });
}

async function startCreate(client: CloudControlClient, name: string): Promise<ProgressEvent> {
    const out = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }) }));
    return out.ProgressEvent!;
}

describe("waitForRequest against the emulator (real SDK)", () => {
    let em: Emulator;
    let client: CloudControlClient;
    beforeEach(async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 150 });
        client = sdkClient(em);
    });
    afterEach(async () => {
        client.destroy();
        await em.close();
    });

    const statusCalls = (token: string) =>
        em.requestLog.filter((e) => e.operation === "GetResourceRequestStatus" && e.requestToken === token);

    it("asks exactly once after each RetryAfter hint, never before it", async () => {
        em.setDurations({ [LOG_GROUP]: { create: 400 } });
        // Hints on every event, the start call's answer too (AWS usually leaves them out there).
        em.setRetryAfter("all");
        await startCreate(client, "warm-up"); // the first call of a client is slow (credentials, connection)
        const started = await startCreate(client, "hinted");
        assert.ok(started.RetryAfter instanceof Date, "the emulator sends RetryAfter");
        const hints: number[] = [started.RetryAfter!.getTime()];
        const event = await waitForRequest(client, started.RequestToken!, {
            initialEvent: started,
            onProgress: (e) => {
                if (e.RetryAfter) hints.push(e.RetryAfter.getTime());
            },
        });
        assert.strictEqual(event.OperationStatus, "SUCCESS");
        const calls = statusCalls(started.RequestToken!);
        // first phase → (hint) IN_PROGRESS → (hint) SUCCESS: one call per hint.
        assert.deepStrictEqual(
            calls.map((c) => c.operationStatus),
            ["IN_PROGRESS", "SUCCESS"],
        );
        assert.ok(calls[0].time >= hints[0], "asked before the first hint");
        assert.ok(calls[1].time >= hints[hints.length - 1], "asked before the second hint");
    });

    it("polls on its own schedule when the service gives no hint", async () => {
        em.setRetryAfter(false);
        const started = await startCreate(client, "unhinted");
        assert.strictEqual(started.RetryAfter, undefined);
        const event = await waitForRequest(client, started.RequestToken!, { initialEvent: started });
        assert.strictEqual(event.OperationStatus, "SUCCESS");
        const calls = statusCalls(started.RequestToken!);
        assert.strictEqual(calls[calls.length - 1].operationStatus, "SUCCESS");
        // 300 ms of work, first delay 200 ms growing from there: a handful of calls, not a hammering.
        assert.ok(calls.length >= 1 && calls.length <= 8, `${calls.length} status calls`);
    });

    it("rides out a throttling storm on the status call (beyond the SDK's own retries)", async () => {
        client.destroy();
        client = sdkClient(em, 2);
        const started = await startCreate(client, "throttled");
        em.injectFaults({ kind: "throttle", operation: "GetResourceRequestStatus", count: 4 });
        const logs: string[] = [];
        const event = await waitForRequest(client, started.RequestToken!, { initialEvent: started, log: (m) => logs.push(m) });
        assert.strictEqual(event.OperationStatus, "SUCCESS");
        assert.strictEqual(
            em.countRequests("GetResourceRequestStatus", (e) => e.error === "ThrottlingException"),
            4,
        );
        // The SDK (2 attempts) gave up at least twice; the poller carried on.
        assert.ok(logs.filter((l) => /status call failed with ThrottlingException/.test(l)).length >= 2, logs.join("\n"));
        assert.strictEqual(em.countRequests("CreateResource"), 1);
    });

    it("rides out 429s, 5xx answers and dropped connections on the status call", async () => {
        client.destroy();
        client = sdkClient(em, 1);
        const started = await startCreate(client, "flaky");
        em.injectFaults(
            { kind: "throttle429", operation: "GetResourceRequestStatus", count: 1 },
            { kind: "server", status: 502, operation: "GetResourceRequestStatus", count: 1 },
            { kind: "reset", operation: "GetResourceRequestStatus", count: 1 },
        );
        const logs: string[] = [];
        const event = await waitForRequest(client, started.RequestToken!, { initialEvent: started, log: (m) => logs.push(m) });
        assert.strictEqual(event.OperationStatus, "SUCCESS");
        // Each fault reached the poller (the SDK makes one attempt here) and was ridden out.
        assert.deepStrictEqual(
            em.requestLog.filter((e) => e.operation === "GetResourceRequestStatus" && e.error).map((e) => `${e.httpStatus}:${e.error}`),
            ["429:ThrottlingException", "502:ServiceInternalErrorException", "0:reset"],
        );
        assert.strictEqual(logs.filter((l) => /status call failed/.test(l)).length, 3, logs.join("\n"));
        assert.ok(em.listResources(LOG_GROUP).some((r) => r.identifier === "flaky"));
    });

    it("cancels at the deadline, sees CANCEL_COMPLETE and throws a timeout with token and last status", async () => {
        em.setDurations({ [LOG_GROUP]: { create: 1500 } });
        const started = await startCreate(client, "too-slow");
        const err = await rejection(
            waitForRequest(client, started.RequestToken!, {
                initialEvent: started,
                timeout: 0.5,
                operation: "CREATE",
                typeName: LOG_GROUP,
            }),
        );
        assert.strictEqual(err.outcome, "timeout");
        assert.strictEqual(err.errorCode, "Timeout");
        assert.strictEqual(err.requestToken, started.RequestToken);
        assert.strictEqual(err.lastStatus, "CANCEL_COMPLETE");
        assert.strictEqual(
            em.countRequests("CancelResourceRequest", (e) => e.requestToken === started.RequestToken),
            1,
        );
        assert.ok(statusCalls(started.RequestToken!).some((e) => e.operationStatus === "CANCEL_COMPLETE"));
        assert.deepStrictEqual(em.listResources(LOG_GROUP), [], "a cancelled create left a resource");
    });

    it("cancels the request when the caller aborts", async () => {
        em.setDurations({ [LOG_GROUP]: { create: 1000 } });
        const started = await startCreate(client, "aborted");
        const ctl = new AbortController();
        setTimeout(() => ctl.abort(), 200);
        const err = await rejection(waitForRequest(client, started.RequestToken!, { initialEvent: started, signal: ctl.signal }));
        assert.strictEqual(err.outcome, "cancelled");
        assert.strictEqual(err.errorCode, "Aborted");
        assert.strictEqual(err.lastStatus, "CANCEL_COMPLETE");
        assert.strictEqual(em.countRequests("CancelResourceRequest"), 1);
        assert.deepStrictEqual(em.listResources(LOG_GROUP), []);
    });

    it("stops at once on RequestTokenNotFound, with a clear message", async () => {
        const err = await rejection(
            waitForRequest(client, "00000000-0000-0000-0000-000000000000", { operation: "CREATE", typeName: LOG_GROUP }),
        );
        assert.strictEqual(err.errorCode, "RequestTokenNotFound");
        assert.match(err.message, /no request with token 00000000-0000-0000-0000-000000000000.*7 days/);
        assert.strictEqual(em.countRequests("GetResourceRequestStatus"), 1);
    });

    it("surfaces a FAILED NotUpdatable as outcome replace", async () => {
        await waitForRequest(client, (await startCreate(client, "to-update")).RequestToken!);
        em.injectFaults({
            kind: "failed",
            errorCode: "NotUpdatable",
            statusMessage: "RetentionInDays cannot change here",
            operation: "UpdateResource",
            count: 1,
        });
        const out = await client.send(
            new UpdateResourceCommand({
                TypeName: LOG_GROUP,
                Identifier: "to-update",
                PatchDocument: JSON.stringify([{ op: "add", path: "/RetentionInDays", value: 7 }]),
            }),
        );
        const err = await rejection(waitForRequest(client, out.ProgressEvent!.RequestToken!, { initialEvent: out.ProgressEvent }));
        assert.strictEqual(err.outcome, "replace");
        assert.strictEqual(err.errorCode, "NotUpdatable");
        assert.strictEqual(err.statusMessage, "RetentionInDays cannot change here");
        assert.strictEqual(err.identifier, "to-update");
    });

    it("fails a request whose FAIL-mode hook failed, naming the hook and its message", async () => {
        em.setHooks([{ name: "Private::Guard::Tags", failureMode: "FAIL", message: "missing cost-center tag" }]);
        const started = await startCreate(client, "hooked");
        const err = await rejection(waitForRequest(client, started.RequestToken!, { initialEvent: started }));
        assert.strictEqual(err.outcome, "fail");
        assert.strictEqual(err.errorCode, "Private::Guard::Tags");
        assert.match(err.message, /hook Private::Guard::Tags.*missing cost-center tag/);
        assert.strictEqual(err.hooks?.[0].HookStatus, "HOOK_COMPLETE_FAILED");
        assert.deepStrictEqual(em.listResources(LOG_GROUP), []);
    });

    it("passes a WARN-mode hook failure on as a warning and succeeds", async () => {
        em.setHooks([{ name: "Private::Guard::Advice", failureMode: "WARN", message: "consider a retention period" }]);
        const started = await startCreate(client, "warned");
        const warnings: string[] = [];
        const event = await waitForRequest(client, started.RequestToken!, { initialEvent: started, onWarning: (w) => warnings.push(w) });
        assert.strictEqual(event.OperationStatus, "SUCCESS");
        assert.strictEqual(warnings.length, 1);
        assert.match(warnings[0], /Private::Guard::Advice.*consider a retention period/);
    });
});

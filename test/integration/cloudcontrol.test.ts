/**
 * runCreate / runUpdate / runDelete / getResource / cancelRequest / listRequests over the real AWS SDK against the
 * emulator: retryable FAILED codes followed by success without a duplicate, adoption of a resource a failed attempt
 * left behind, idempotent replays, ConcurrentOperation on start, NotUpdatable → replace, NotFound → gone.
 */
import * as assert from "assert";
import { CloudControlClient, CreateResourceCommand } from "@aws-sdk/client-cloudcontrol";
import { clearClientCache, clientConfig, getCloudControlClient } from "../../src/cloudcontrol/client";
import { cancelRequest, getResource, listRequests, runCreate, runDelete, runUpdate } from "../../src/cloudcontrol/operations";
import type { RunOptions } from "../../src/cloudcontrol/types";
import { startEmulator, type Emulator } from "../../src/emulator";
import { rejection } from "../support/assertions";

const LOG_GROUP = "AWS::Logs::LogGroup";
const QUEUE = "AWS::SQS::Queue";
const FAST: RunOptions = { retryBaseDelayMs: 20 };

describe("Cloud Control operations against the emulator (real SDK)", () => {
    let em: Emulator;
    let client: CloudControlClient;
    beforeEach(async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 20 });
        client = new CloudControlClient({
            ...clientConfig({ region: em.region, endpoint: em.endpoint }),
            credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
        });
    });
    afterEach(async () => {
        client.destroy();
        await em.close();
    });

    describe("through getCloudControlClient", () => {
        const saved = { ...process.env };
        afterEach(() => {
            clearClientCache();
            for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
            Object.assign(process.env, saved);
        });

        it("creates, reads, updates, lists and deletes a resource with credentials from the SDK's chain", async () => {
            process.env.AWS_ACCESS_KEY_ID = "AKIDCHAIN";
            process.env.AWS_SECRET_ACCESS_KEY = "chain-secret";
            delete process.env.AWS_PROFILE;
            const cc = getCloudControlClient({ region: "eu-west-1", endpoint: em.endpoint });
            const progress: string[] = [];
            const { identifier } = await runCreate(
                cc,
                { typeName: LOG_GROUP, desiredState: { LogGroupName: "cycle", RetentionInDays: 7 }, clientToken: "create-cycle" },
                { onProgress: (e) => progress.push(e.OperationStatus!) },
            );
            assert.strictEqual(identifier, "cycle");
            assert.deepStrictEqual(progress[progress.length - 1], "SUCCESS");
            assert.deepStrictEqual((await getResource(cc, { typeName: LOG_GROUP, identifier }))?.properties.RetentionInDays, 7);

            const updated = await runUpdate(cc, {
                typeName: LOG_GROUP,
                identifier,
                patch: [{ op: "replace", path: "/RetentionInDays", value: 14 }],
            });
            assert.deepStrictEqual(
                [updated.identifier, updated.action, updated.event?.OperationStatus],
                [identifier, "updated", "SUCCESS"],
            );
            assert.strictEqual(em.getResource(LOG_GROUP, identifier)?.properties.RetentionInDays, 14);

            const creates = await listRequests(cc, { operations: ["CREATE"], statuses: ["SUCCESS"] });
            assert.deepStrictEqual(
                creates.map((e) => e.Identifier),
                ["cycle"],
            );
            assert.strictEqual((await listRequests(cc)).length, 2);

            const deleted = await runDelete(cc, { typeName: LOG_GROUP, identifier });
            assert.deepStrictEqual(
                [deleted.identifier, deleted.action, deleted.event?.OperationStatus],
                [identifier, "deleted", "SUCCESS"],
            );
            assert.strictEqual(await getResource(cc, { typeName: LOG_GROUP, identifier }), undefined);
            assert.strictEqual(
                (await runDelete(cc, { typeName: LOG_GROUP, identifier })).action,
                "alreadyGone",
                "a second delete finds it gone",
            );
        });
    });

    it("works through getCloudControlClient with credentials passed in, no AWS variables, and a request rate", async () => {
        const saved = { ...process.env };
        for (const k of Object.keys(process.env)) if (k.startsWith("AWS_") || k.startsWith("CLOUDCONTROL_")) delete process.env[k];
        try {
            const cc = getCloudControlClient({
                region: em.region,
                endpoint: em.endpoint,
                credentials: { accessKeyId: "AKIDPASSED", secretAccessKey: "passed-secret" },
                maxRequestsPerSecond: 50,
            });
            const { identifier, action } = await runCreate(cc, { typeName: LOG_GROUP, desiredState: { LogGroupName: "no-env" } });
            assert.deepStrictEqual([identifier, action], ["no-env", "created"]);
            assert.strictEqual((await runDelete(cc, { typeName: LOG_GROUP, identifier }, { timeout: "1m" })).action, "deleted");
        } finally {
            clearClientCache();
            Object.assign(process.env, saved);
        }
    });

    it("passes the caller's ClientToken, so a repeated create replays the same request instead of making another resource", async () => {
        const first = await runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: "once" }, clientToken: "same-token" });
        const again = await runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: "once" }, clientToken: "same-token" });
        assert.strictEqual(again.identifier, first.identifier);
        assert.strictEqual(again.event?.RequestToken, first.event?.RequestToken);
        assert.strictEqual(em.listResources(LOG_GROUP).length, 1);
    });

    it("rejects a ClientToken reused for a different request, saying so", async () => {
        await runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: "tok-a" }, clientToken: "reused" });
        const err = await rejection(
            runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: "tok-b" }, clientToken: "reused" }),
        );
        assert.strictEqual(err.errorCode, "ClientTokenConflictException");
        assert.match(err.message, /ClientToken reused was already used/);
    });

    it("retries each retryable FAILED code and then succeeds, without a duplicate resource", async () => {
        const codes = [
            "Throttling",
            "ServiceInternalError",
            "InternalFailure",
            "NetworkFailure",
            "ServiceTimeout",
            "NotStabilized",
            "ResourceConflict",
        ];
        for (const code of codes) {
            em.injectFaults({ kind: "failed", errorCode: code, operation: "CreateResource", count: 1 });
            const name = `retry-${code}`;
            const logs: string[] = [];
            const { identifier } = await runCreate(
                client,
                { typeName: LOG_GROUP, desiredState: { LogGroupName: name }, clientToken: `tok-${code}` },
                { ...FAST, log: (m) => logs.push(m) },
            );
            assert.strictEqual(identifier, name);
            assert.ok(
                logs.some((l) => l.includes(`failed with ${code} (retryable)`)),
                `${code}: ${logs.join(" | ")}`,
            );
        }
        assert.strictEqual(em.countRequests("CreateResource"), codes.length * 2);
        assert.deepStrictEqual(
            em
                .listResources(LOG_GROUP)
                .map((r) => r.identifier)
                .sort(),
            codes.map((c) => `retry-${c}`).sort(),
        );
    });

    it("creates many resources at once under an account-wide rate limit, each exactly once", async () => {
        em.setDurations({ [LOG_GROUP]: { create: 300 } });
        em.setRateLimit({ requestsPerSecond: 8, burst: 8 });
        const names = Array.from({ length: 8 }, (_, i) => `limited-${i}`);
        const results = await Promise.all(
            names.map((n) => runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: n }, clientToken: `tok-${n}` }, FAST)),
        );
        assert.deepStrictEqual(
            results.map((r) => r.identifier),
            names,
        );
        assert.ok(
            em.countRequests(undefined, (e) => e.error === "ThrottlingException") > 0,
            "the limit never throttled: the test proves nothing",
        );
        assert.deepStrictEqual(
            em
                .listResources(LOG_GROUP)
                .map((r) => r.identifier)
                .sort(),
            [...names].sort(),
        );
        assert.strictEqual(
            em.countRequests("CreateResource", (e) => e.httpStatus === 200),
            names.length,
        );
    });

    it("lists requests across pages", async () => {
        const names = Array.from({ length: 23 }, (_, i) => `page-${i}`);
        await Promise.all(
            names.map((n) =>
                client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: n }) })),
            ),
        );
        const all = await listRequests(client, { operations: ["CREATE"] });
        assert.deepStrictEqual(all.map((e) => e.Identifier).sort(), [...names].sort());
        assert.ok(em.countRequests("ListResourceRequests") >= 2, "a single page: pagination untested");
    });

    it("adopts the resource a failed attempt left behind instead of creating another", async () => {
        em.injectFaults({ kind: "failed", errorCode: "NotStabilized", operation: "CreateResource", count: 1 });
        const logs: string[] = [];
        const { identifier } = await runCreate(
            client,
            { typeName: LOG_GROUP, desiredState: { LogGroupName: "left-behind" }, clientToken: "adopt" },
            {
                ...FAST,
                log: (m) => logs.push(m),
                // A handler that created the group but failed to stabilize it: the group exists after the FAILED event.
                onProgress: (e) => {
                    if (e.OperationStatus === "FAILED") em.putResource(LOG_GROUP, e.Identifier!, { LogGroupName: e.Identifier });
                },
            },
        );
        assert.strictEqual(identifier, "left-behind");
        assert.strictEqual(em.countRequests("CreateResource"), 1, "it created again");
        assert.strictEqual(em.listResources(LOG_GROUP).length, 1);
        assert.ok(logs.some((l) => /adopting it/.test(l)));
    });

    it("gives up after maxAttempts with outcome retry", async () => {
        em.injectFaults({ kind: "failed", errorCode: "Throttling", operation: "CreateResource" });
        const err = await rejection(
            runCreate(
                client,
                { typeName: LOG_GROUP, desiredState: { LogGroupName: "never" }, clientToken: "exhaust" },
                { ...FAST, maxAttempts: 3 },
            ),
        );
        assert.strictEqual(err.outcome, "retry");
        assert.strictEqual(err.attempts?.length, 3);
        assert.strictEqual(em.countRequests("CreateResource"), 3);
        assert.deepStrictEqual(em.listResources(LOG_GROUP), []);
    });

    it("fails at once on a final code, with what to do", async () => {
        em.injectFaults({
            kind: "failed",
            errorCode: "AccessDenied",
            statusMessage: "not authorized to perform logs:CreateLogGroup",
            operation: "CreateResource",
            count: 1,
        });
        const err = await rejection(
            runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: "denied" }, clientToken: "denied" }),
        );
        assert.strictEqual(err.outcome, "fail");
        assert.strictEqual(err.errorCode, "AccessDenied");
        assert.match(
            err.message,
            /CREATE AWS::Logs::LogGroup denied failed with AccessDenied: .*grant it.*not authorized to perform logs:CreateLogGroup/,
        );
        assert.strictEqual(em.countRequests("CreateResource"), 1);
    });

    it("reports AlreadyExists as a failure to import or rename", async () => {
        em.putResource(LOG_GROUP, "taken", { LogGroupName: "taken" });
        const err = await rejection(
            runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: "taken" }, clientToken: "taken" }),
        );
        assert.strictEqual(err.errorCode, "AlreadyExists");
        assert.match(err.message, /import it or choose another name/);
    });

    it("waits out ConcurrentOperationException on the start call", async () => {
        await runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: "busy" }, clientToken: "busy" });
        em.injectFaults({ kind: "concurrent", operation: "UpdateResource", count: 2 });
        const { event } = await runUpdate(client, {
            typeName: LOG_GROUP,
            identifier: "busy",
            patch: [{ op: "add", path: "/RetentionInDays", value: 3 }],
        });
        assert.strictEqual(event?.OperationStatus, "SUCCESS");
        assert.strictEqual(
            em.countRequests("UpdateResource", (e) => e.error === "ConcurrentOperationException"),
            2,
        );
        assert.strictEqual(em.getResource(LOG_GROUP, "busy")?.properties.RetentionInDays, 3);
    });

    it("surfaces a create-only change as outcome replace (NotUpdatableException on the call)", async () => {
        await runCreate(client, { typeName: QUEUE, desiredState: { QueueName: "q1" }, clientToken: "q1" });
        const [queue] = em.listResources(QUEUE);
        const err = await rejection(
            runUpdate(client, {
                typeName: QUEUE,
                identifier: queue.identifier,
                patch: [{ op: "replace", path: "/QueueName", value: "q2" }],
            }),
        );
        assert.strictEqual(err.outcome, "replace");
        assert.strictEqual(err.errorCode, "NotUpdatableException");
        assert.match(err.message, /must be replaced.*QueueName/);
    });

    it("retries a retryable FAILED update, then succeeds", async () => {
        await runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: "upd" }, clientToken: "upd" });
        em.injectFaults({ kind: "failed", errorCode: "ResourceConflict", operation: "UpdateResource", count: 1 });
        const { event } = await runUpdate(
            client,
            { typeName: LOG_GROUP, identifier: "upd", patch: [{ op: "add", path: "/RetentionInDays", value: 30 }], clientToken: "upd-1" },
            FAST,
        );
        assert.strictEqual(event?.OperationStatus, "SUCCESS");
        assert.strictEqual(em.countRequests("UpdateResource"), 2);
        assert.strictEqual(em.getResource(LOG_GROUP, "upd")?.properties.RetentionInDays, 30);
    });

    it("reports a resource deleted out of band as gone on update, and as already deleted on delete", async () => {
        await runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: "vanished" }, clientToken: "vanished" });
        em.deleteResourceOutOfBand(LOG_GROUP, "vanished");
        const err = await rejection(
            runUpdate(client, { typeName: LOG_GROUP, identifier: "vanished", patch: [{ op: "add", path: "/RetentionInDays", value: 1 }] }),
        );
        assert.strictEqual(err.outcome, "gone");
        assert.strictEqual(err.identifier, "vanished");
        assert.strictEqual((await runDelete(client, { typeName: LOG_GROUP, identifier: "vanished" })).action, "alreadyGone");
    });

    it("retries a retryable FAILED delete", async () => {
        await runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: "del" }, clientToken: "del" });
        em.injectFaults({ kind: "failed", errorCode: "NetworkFailure", operation: "DeleteResource", count: 1 });
        assert.strictEqual((await runDelete(client, { typeName: LOG_GROUP, identifier: "del" }, FAST)).action, "deleted");
        assert.strictEqual(em.countRequests("DeleteResource"), 2);
        assert.deepStrictEqual(em.listResources(LOG_GROUP), []);
    });

    it("cancels a running request, and answers undefined when there is nothing to cancel", async () => {
        em.setDurations({ [LOG_GROUP]: { create: 300 } });
        const out = await client.send(
            new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: "to-cancel" }) }),
        );
        const event = await cancelRequest(client, out.ProgressEvent!.RequestToken!);
        assert.strictEqual(event?.OperationStatus, "CANCEL_IN_PROGRESS");
        // AWS answers a request already cancelling (or cancelled) with its event again.
        assert.strictEqual(
            (await cancelRequest(client, out.ProgressEvent!.RequestToken!))?.OperationStatus,
            "CANCEL_IN_PROGRESS",
            "already cancelling",
        );
        assert.strictEqual(await cancelRequest(client, "11111111-1111-1111-1111-111111111111"), undefined);
        // A finished request: AWS answers 400 ValidationException "Request ... is already in status SUCCESS".
        em.setDurations({ [LOG_GROUP]: { create: 0 } });
        const done = await client.send(
            new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: "finished" }) }),
        );
        assert.strictEqual(await cancelRequest(client, done.ProgressEvent!.RequestToken!), undefined, "already final");
    });

    it("times out a whole operation: cancels the request and reports the token", async () => {
        // 2 s phases: the 0.3 s deadline always comes first, even on a loaded machine.
        em.setDurations({ [LOG_GROUP]: { create: 2000 } });
        const err = await rejection(
            runCreate(client, { typeName: LOG_GROUP, desiredState: { LogGroupName: "slow" }, clientToken: "slow" }, { timeout: 0.3 }),
        );
        assert.strictEqual(err.outcome, "timeout");
        assert.strictEqual(err.lastStatus, "CANCEL_COMPLETE");
        assert.ok(err.requestToken);
        assert.strictEqual(em.countRequests("CancelResourceRequest"), 1);
        assert.deepStrictEqual(em.listResources(LOG_GROUP), []);
    });
});

import * as assert from "assert";
import {
    CancelResourceRequestCommand,
    ClientTokenConflictException,
    ConcurrentModificationException,
    ConcurrentOperationException,
    CreateResourceCommand,
    DeleteResourceCommand,
    GetResourceRequestStatusCommand,
    ListResourceRequestsCommand,
    ListResourcesCommand,
    RequestTokenNotFoundException,
    UpdateResourceCommand,
} from "@aws-sdk/client-cloudcontrol";
import { Emulator, startEmulator } from "../../src/emulator";
import { waitForRequest } from "../../src/cloudcontrol/poller";
import { cloudControl, rejection } from "../fixtures/emulator/sdk";

const LG = "AWS::Logs::LogGroup";
const create = (name: string, extra: Record<string, unknown> = {}) =>
    new CreateResourceCommand({ TypeName: LG, DesiredState: JSON.stringify({ LogGroupName: name, ...extra }) });

describe("emulator requests: asynchronous lifecycle, idempotency, concurrency, cancel, listing and expiry", () => {
    let em: Emulator;
    afterEach(async () => {
        await em?.close();
    });

    it("moves PENDING -> IN_PROGRESS -> SUCCESS on the emulator clock, with per-type durations", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 0, durations: { [LG]: { create: 3_600_000 } } });
        const cc = cloudControl(em);
        const token = (await cc.send(create("clock-lg"))).ProgressEvent!.RequestToken!;
        const status = async () => (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: token }))).ProgressEvent!;
        assert.strictEqual((await status()).OperationStatus, "PENDING");
        em.advanceClock(3_600_000);
        assert.strictEqual((await status()).OperationStatus, "IN_PROGRESS");
        assert.strictEqual(em.getResource(LG, "clock-lg"), undefined, "the resource appears only when the create succeeds");
        em.advanceClock(3_600_000);
        const final = await status();
        assert.strictEqual(final.OperationStatus, "SUCCESS");
        assert.ok(em.getResource(LG, "clock-lg"));
        // Other types and operations keep the default (0 here): done at once.
        const q = await cc.send(new CreateResourceCommand({ TypeName: "AWS::SQS::Queue", DesiredState: "{}" }));
        assert.strictEqual(q.ProgressEvent!.OperationStatus, "SUCCESS");
    });

    it("sends the Date header on the emulator clock, so RetryAfter stays meaningful after advanceClock", async function () {
        this.timeout(30_000);
        em = await startEmulator({ schemas: false, operationDelayMs: 300 });
        const cc = cloudControl(em);
        em.advanceClock(3_600_000);
        const started = (await cc.send(create("date-lg"))).ProgressEvent!;
        // The SDK measures its skew from Date (1-second resolution): it must see the emulator's hour.
        const offset = (cc.config as { systemClockOffset?: number }).systemClockOffset ?? 0;
        assert.ok(Math.abs(offset - 3_600_000) <= 2000, `systemClockOffset ${offset}`);
        em.clearRequestLog();
        // With a wall-clock Date every RetryAfter would lie an hour ahead: the poller would sleep to its deadline.
        const final = await waitForRequest(cc, started.RequestToken!, { initialEvent: started, timeout: 10 });
        assert.strictEqual(final.OperationStatus, "SUCCESS");
        assert.ok(em.countRequests("GetResourceRequestStatus") <= 3, `${em.countRequests("GetResourceRequestStatus")} status calls`);
        assert.strictEqual(em.countRequests("CancelResourceRequest"), 0);
    });

    it("gives RetryAfter hints so that a client honouring them needs one status call per state change", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 40 });
        const cc = cloudControl(em);
        let event = (await cc.send(create("hint-lg"))).ProgressEvent!;
        em.clearRequestLog();
        const statuses: string[] = [event.OperationStatus!];
        while (event.RetryAfter) {
            // Honour the hint (2 ms margin for timer rounding), then ask once.
            await new Promise((r) => setTimeout(r, Math.max(0, event.RetryAfter!.getTime() - Date.now()) + 2));
            event = (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: event.RequestToken }))).ProgressEvent!;
            statuses.push(event.OperationStatus!);
        }
        assert.deepStrictEqual(statuses, ["PENDING", "IN_PROGRESS", "SUCCESS"]);
        assert.strictEqual(em.countRequests("GetResourceRequestStatus"), 2);
    });

    it("replays the same request for a repeated ClientToken (no second resource) and rejects a different one", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 0 });
        const cc = cloudControl(em);
        const first = await cc.send(new CreateResourceCommand({ TypeName: LG, DesiredState: "{}", ClientToken: "token-1" }));
        const again = await cc.send(new CreateResourceCommand({ TypeName: LG, DesiredState: "{}", ClientToken: "token-1" }));
        assert.strictEqual(again.ProgressEvent!.RequestToken, first.ProgressEvent!.RequestToken);
        assert.strictEqual(again.ProgressEvent!.Identifier, first.ProgressEvent!.Identifier);
        assert.strictEqual(em.listResources(LG).length, 1);
        const err = await rejection(() =>
            cc.send(new CreateResourceCommand({ TypeName: LG, DesiredState: JSON.stringify({ RetentionInDays: 7 }), ClientToken: "token-1" })),
        );
        assert.ok(err instanceof ClientTokenConflictException, err.name);
        assert.strictEqual(err.$metadata.httpStatusCode, 409);
        assert.strictEqual(err.$metadata.attempts, 1);
        // Without a ClientToken the SDK sends a fresh one each time: two resources.
        await cc.send(new CreateResourceCommand({ TypeName: LG, DesiredState: "{}" }));
        await cc.send(new CreateResourceCommand({ TypeName: LG, DesiredState: "{}" }));
        assert.strictEqual(em.listResources(LG).length, 3);
    });

    it("forgets ClientTokens after 36 hours", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 0 });
        const cc = cloudControl(em);
        await cc.send(create("tok-lg", {}));
        await cc.send(new CreateResourceCommand({ TypeName: LG, DesiredState: "{}", ClientToken: "old" }));
        const reuse = () => cc.send(new CreateResourceCommand({ TypeName: LG, DesiredState: JSON.stringify({ RetentionInDays: 1 }), ClientToken: "old" }));
        em.advanceClock(35 * 3600 * 1000);
        await assert.rejects(reuse(), (e: Error) => e.name === "ClientTokenConflictException");
        em.advanceClock(2 * 3600 * 1000);
        const out = await reuse();
        assert.strictEqual(out.ProgressEvent!.OperationStatus, "SUCCESS");
    });

    it("allows one operation at a time per resource: a second gets ConcurrentOperationException (409, not retried)", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 60_000 });
        const cc = cloudControl(em);
        await cc.send(create("busy-lg"));
        em.clearRequestLog();
        const err = await rejection(() => cc.send(new DeleteResourceCommand({ TypeName: LG, Identifier: "busy-lg" })));
        assert.ok(err instanceof ConcurrentOperationException, err.name);
        assert.strictEqual(err.$metadata.httpStatusCode, 409);
        assert.strictEqual(err.$metadata.attempts, 1);
        assert.strictEqual(em.countRequests("DeleteResource"), 1);
        em.advanceClock(120_000);
        const upd = await cc.send(
            new UpdateResourceCommand({ TypeName: LG, Identifier: "busy-lg", PatchDocument: JSON.stringify([{ op: "add", path: "/RetentionInDays", value: 7 }]) }),
        );
        assert.strictEqual(upd.ProgressEvent!.OperationStatus, "PENDING");
    });

    it("cancels PENDING/IN_PROGRESS requests (CANCEL_IN_PROGRESS -> CANCEL_COMPLETE, no effect) and refuses final ones", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 1000 });
        const cc = cloudControl(em);
        const token = (await cc.send(create("cancel-lg"))).ProgressEvent!.RequestToken!;
        const cancelled = await cc.send(new CancelResourceRequestCommand({ RequestToken: token }));
        assert.strictEqual(cancelled.ProgressEvent!.OperationStatus, "CANCEL_IN_PROGRESS");
        em.advanceClock(5000);
        const final = await cc.send(new GetResourceRequestStatusCommand({ RequestToken: token }));
        assert.strictEqual(final.ProgressEvent!.OperationStatus, "CANCEL_COMPLETE");
        assert.strictEqual(em.getResource(LG, "cancel-lg"), undefined);
        em.clearRequestLog();
        const again = await rejection(() => cc.send(new CancelResourceRequestCommand({ RequestToken: token })));
        assert.ok(again instanceof ConcurrentModificationException, again.name);
        assert.strictEqual(again.$metadata.httpStatusCode, 500);
        // A 500 is transient for the SDK: it tried three times.
        assert.strictEqual(again.$metadata.attempts, 3);
        assert.strictEqual(em.countRequests("CancelResourceRequest"), 3);
        const missing = await rejection(() => cc.send(new CancelResourceRequestCommand({ RequestToken: "no-such-token" })));
        assert.ok(missing instanceof RequestTokenNotFoundException, missing.name);
        assert.strictEqual(missing.$metadata.httpStatusCode, 404);
    });

    it("lists resource requests newest first, filtered by operation and status, 20 per page by default", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 0 });
        const cc = cloudControl(em);
        for (let i = 0; i < 23; i++) {
            await cc.send(create(`list-lg-${String(i).padStart(2, "0")}`));
            em.advanceClock(1000);
        }
        await cc.send(new DeleteResourceCommand({ TypeName: LG, Identifier: "list-lg-00" }));
        await cc.send(new DeleteResourceCommand({ TypeName: LG, Identifier: "does-not-exist" }));
        const page1 = await cc.send(new ListResourceRequestsCommand({}));
        assert.strictEqual(page1.ResourceRequestStatusSummaries!.length, 20);
        assert.ok(page1.NextToken);
        const page2 = await cc.send(new ListResourceRequestsCommand({ NextToken: page1.NextToken }));
        assert.strictEqual(page2.ResourceRequestStatusSummaries!.length, 5);
        assert.strictEqual(page2.NextToken, undefined);
        const times = [...page1.ResourceRequestStatusSummaries!, ...page2.ResourceRequestStatusSummaries!].map((e) => e.EventTime!.getTime());
        assert.deepStrictEqual(times, [...times].sort((a, b) => b - a));
        const deletes = await cc.send(new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { Operations: ["DELETE"] } }));
        assert.strictEqual(deletes.ResourceRequestStatusSummaries!.length, 2);
        const failedDeletes = await cc.send(
            new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { Operations: ["DELETE"], OperationStatuses: ["FAILED"] } }),
        );
        assert.deepStrictEqual(failedDeletes.ResourceRequestStatusSummaries!.map((e) => [e.Identifier, e.ErrorCode]), [["does-not-exist", "NotFound"]]);
        const small = await cc.send(new ListResourceRequestsCommand({ MaxResults: 3 }));
        assert.strictEqual(small.ResourceRequestStatusSummaries!.length, 3);
    });

    it("pages ListResources with MaxResults and NextToken", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 0 });
        const cc = cloudControl(em);
        for (let i = 0; i < 5; i++) await cc.send(create(`page-lg-${i}`));
        const seen: string[] = [];
        let next: string | undefined;
        let pages = 0;
        do {
            const out = await cc.send(new ListResourcesCommand({ TypeName: LG, MaxResults: 2, NextToken: next }));
            seen.push(...out.ResourceDescriptions!.map((d) => d.Identifier!));
            next = out.NextToken;
            pages++;
        } while (next);
        assert.strictEqual(pages, 3);
        assert.deepStrictEqual(seen, ["page-lg-0", "page-lg-1", "page-lg-2", "page-lg-3", "page-lg-4"]);
    });

    it("expires requests after 7 days of emulator clock", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 0 });
        const cc = cloudControl(em);
        const token = (await cc.send(create("old-lg"))).ProgressEvent!.RequestToken!;
        em.advanceClock(6 * 24 * 3600 * 1000);
        assert.strictEqual((await cc.send(new GetResourceRequestStatusCommand({ RequestToken: token }))).ProgressEvent!.OperationStatus, "SUCCESS");
        em.advanceClock(1 * 24 * 3600 * 1000);
        const err = await rejection(() => cc.send(new GetResourceRequestStatusCommand({ RequestToken: token })));
        assert.ok(err instanceof RequestTokenNotFoundException, err.name);
        assert.strictEqual((await cc.send(new ListResourceRequestsCommand({}))).ResourceRequestStatusSummaries!.length, 0);
        assert.ok(em.getResource(LG, "old-lg"), "the resource itself stays");
    });
});

import * as assert from "assert";
import {
    CancelResourceRequestCommand,
    ClientTokenConflictException,
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

    it("moves IN_PROGRESS -> IN_PROGRESS -> SUCCESS on the emulator clock, with a new EventTime each phase and per-type durations", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 0, durations: { [LG]: { create: 3_600_000 } } });
        const cc = cloudControl(em);
        const started = (await cc.send(create("clock-lg"))).ProgressEvent!;
        const status = async () =>
            (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: started.RequestToken }))).ProgressEvent!;
        const first = await status();
        assert.strictEqual(first.OperationStatus, "IN_PROGRESS");
        assert.strictEqual(first.EventTime!.getTime(), started.EventTime!.getTime());
        em.advanceClock(3_600_000);
        const second = await status();
        assert.strictEqual(second.OperationStatus, "IN_PROGRESS");
        // EventTime changes from event to event of one request, as recorded.
        assert.strictEqual(second.EventTime!.getTime() - started.EventTime!.getTime(), 3_600_000);
        assert.strictEqual(em.getResource(LG, "clock-lg"), undefined, "the resource appears only when the create succeeds");
        em.advanceClock(3_600_000);
        const final = await status();
        assert.strictEqual(final.OperationStatus, "SUCCESS");
        assert.strictEqual(final.EventTime!.getTime() - started.EventTime!.getTime(), 7_200_000);
        assert.ok(em.getResource(LG, "clock-lg"));
        // Other types and operations keep the default (0 here): done at once.
        const q = await cc.send(new CreateResourceCommand({ TypeName: "AWS::SQS::Queue", DesiredState: "{}" }));
        assert.strictEqual(q.ProgressEvent!.OperationStatus, "SUCCESS");
    });

    it("starts requests PENDING with initialStatus PENDING (the strict profile's choice)", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 60_000, initialStatus: "PENDING" });
        const cc = cloudControl(em);
        const started = (await cc.send(create("pending-lg"))).ProgressEvent!;
        assert.strictEqual(started.OperationStatus, "PENDING");
        em.advanceClock(60_000);
        assert.strictEqual(
            (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: started.RequestToken }))).ProgressEvent!.OperationStatus,
            "IN_PROGRESS",
        );
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

    for (const [mode, statuses, calls] of [
        // The start call's answer has no hint (recorded): one status call to get the first hint.
        ["status", ["IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "SUCCESS"], 3],
        ["all", ["IN_PROGRESS", "IN_PROGRESS", "SUCCESS"], 2],
    ] as const) {
        it(`gives RetryAfter hints (retryAfter "${mode}") so that a client honouring them needs one status call per state change`, async () => {
            em = await startEmulator({ schemas: false, operationDelayMs: 300, retryAfter: mode });
            const cc = cloudControl(em);
            let event = (await cc.send(create("hint-lg"))).ProgressEvent!;
            em.clearRequestLog();
            const seen: string[] = [event.OperationStatus!];
            while (event.OperationStatus !== "SUCCESS") {
                // Honour the hint (2 ms margin for timer rounding), then ask once; without one, ask at once.
                const wait = event.RetryAfter ? Math.max(0, event.RetryAfter.getTime() - Date.now()) + 2 : 0;
                await new Promise((r) => setTimeout(r, wait));
                event = (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: event.RequestToken }))).ProgressEvent!;
                seen.push(event.OperationStatus!);
            }
            assert.deepStrictEqual(seen, statuses);
            assert.strictEqual(em.countRequests("GetResourceRequestStatus"), calls);
        });
    }

    it('sends no RetryAfter at all with retryAfter "none" (the strict profile\'s choice)', async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 60_000, retryAfter: "none" });
        const cc = cloudControl(em);
        const started = (await cc.send(create("nohint-lg"))).ProgressEvent!;
        const read = async () =>
            (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: started.RequestToken }))).ProgressEvent!;
        assert.strictEqual(started.RetryAfter, undefined);
        assert.strictEqual((await read()).RetryAfter, undefined);
        assert.deepStrictEqual(
            (await cc.send(new ListResourceRequestsCommand({}))).ResourceRequestStatusSummaries!.map((e) => e.RetryAfter),
            [undefined],
        );
        em.setRetryAfter("status");
        assert.ok((await read()).RetryAfter instanceof Date, "setRetryAfter changes running requests too");
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
            cc.send(
                new CreateResourceCommand({ TypeName: LG, DesiredState: JSON.stringify({ RetentionInDays: 7 }), ClientToken: "token-1" }),
            ),
        );
        assert.ok(err instanceof ClientTokenConflictException, err.name);
        assert.strictEqual(err.$metadata.httpStatusCode, 400);
        assert.strictEqual(err.$metadata.attempts, 1);
        // Worded as recorded (localstack test_double_create_with_client_token).
        assert.strictEqual(
            err.message,
            `ClientToken token-1 is already associated with an existing operation with RequestToken ${first.ProgressEvent!.RequestToken}`,
        );
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
        const reuse = () =>
            cc.send(new CreateResourceCommand({ TypeName: LG, DesiredState: JSON.stringify({ RetentionInDays: 1 }), ClientToken: "old" }));
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
            new UpdateResourceCommand({
                TypeName: LG,
                Identifier: "busy-lg",
                PatchDocument: JSON.stringify([{ op: "add", path: "/RetentionInDays", value: 7 }]),
            }),
        );
        assert.strictEqual(upd.ProgressEvent!.OperationStatus, "IN_PROGRESS");
    });

    it("cancels running requests (CANCEL_IN_PROGRESS -> CANCEL_COMPLETE, no effect), answers again once cancelled, refuses finished ones (400)", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 1000 });
        const cc = cloudControl(em);
        const token = (await cc.send(create("cancel-lg"))).ProgressEvent!.RequestToken!;
        const cancelled = await cc.send(new CancelResourceRequestCommand({ RequestToken: token }));
        assert.strictEqual(cancelled.ProgressEvent!.OperationStatus, "CANCEL_IN_PROGRESS");
        const twice = await cc.send(new CancelResourceRequestCommand({ RequestToken: token }));
        assert.strictEqual(twice.ProgressEvent!.OperationStatus, "CANCEL_IN_PROGRESS");
        em.advanceClock(5000);
        const final = await cc.send(new GetResourceRequestStatusCommand({ RequestToken: token }));
        assert.strictEqual(final.ProgressEvent!.OperationStatus, "CANCEL_COMPLETE");
        assert.strictEqual(em.getResource(LG, "cancel-lg"), undefined);
        // Recorded: cancelling again after CANCEL_COMPLETE answers 200 with CANCEL_COMPLETE (localstack test_cancel_request).
        const again = await cc.send(new CancelResourceRequestCommand({ RequestToken: token }));
        assert.strictEqual(again.ProgressEvent!.OperationStatus, "CANCEL_COMPLETE");
        assert.strictEqual(again.$metadata.httpStatusCode, 200);

        // Recorded: a finished request → 400 ValidationException "Request <token> is already in status SUCCESS" (test_cancel_edge_cases).
        const done = (await cc.send(create("done-lg"))).ProgressEvent!.RequestToken!;
        em.advanceClock(5000);
        em.clearRequestLog();
        const refused = await rejection(() => cc.send(new CancelResourceRequestCommand({ RequestToken: done })));
        assert.strictEqual(refused.name, "ValidationException");
        assert.strictEqual(refused.$metadata.httpStatusCode, 400);
        assert.strictEqual(refused.$metadata.attempts, 1, "a 400 is not retried by the SDK");
        assert.strictEqual(refused.message, `Request ${done} is already in status SUCCESS`);
        assert.strictEqual(em.countRequests("CancelResourceRequest"), 1);
        const failed = (await cc.send(create("done-lg"))).ProgressEvent!.RequestToken!;
        em.advanceClock(5000);
        assert.match(
            (await rejection(() => cc.send(new CancelResourceRequestCommand({ RequestToken: failed })))).message,
            /is already in status FAILED$/,
        );

        const missing = await rejection(() => cc.send(new CancelResourceRequestCommand({ RequestToken: "DOESNOTEXIST" })));
        assert.ok(missing instanceof RequestTokenNotFoundException, missing.name);
        assert.strictEqual(missing.$metadata.httpStatusCode, 400);
        assert.strictEqual(missing.message, "Request with token DOESNOTEXIST was not found");
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
        const times = [...page1.ResourceRequestStatusSummaries!, ...page2.ResourceRequestStatusSummaries!].map((e) =>
            e.EventTime!.getTime(),
        );
        assert.deepStrictEqual(
            times,
            [...times].sort((a, b) => b - a),
        );
        const deletes = await cc.send(new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { Operations: ["DELETE"] } }));
        assert.strictEqual(deletes.ResourceRequestStatusSummaries!.length, 2);
        const failedDeletes = await cc.send(
            new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { Operations: ["DELETE"], OperationStatuses: ["FAILED"] } }),
        );
        assert.deepStrictEqual(
            failedDeletes.ResourceRequestStatusSummaries!.map((e) => [e.Identifier, e.ErrorCode]),
            [["does-not-exist", "NotFound"]],
        );
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
        assert.strictEqual(
            (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: token }))).ProgressEvent!.OperationStatus,
            "SUCCESS",
        );
        em.advanceClock(1 * 24 * 3600 * 1000);
        const err = await rejection(() => cc.send(new GetResourceRequestStatusCommand({ RequestToken: token })));
        assert.ok(err instanceof RequestTokenNotFoundException, err.name);
        assert.strictEqual((await cc.send(new ListResourceRequestsCommand({}))).ResourceRequestStatusSummaries!.length, 0);
        assert.ok(em.getResource(LG, "old-lg"), "the resource itself stays");
    });
});

/**
 * Unit tests of waitForRequest's scheduling, deadline, cancel and error handling on a virtual clock.
 * The client here is a tiny scripted fake of `send()` (no HTTP, no SDK behaviour): it exists only to drive the
 * timing logic deterministically. Real SDK ↔ emulator behaviour is covered in test/integration/poller.test.ts.
 */
import * as assert from "assert";
import type { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { VirtualClock } from "../../src/cloudcontrol/clock";
import { Pacer, paceOptionsOf } from "../../src/cloudcontrol/pacer";
import { waitForRequest } from "../../src/cloudcontrol/poller";
import type { HookProgressEvent, ProgressEvent, WaitOptions } from "../../src/cloudcontrol/types";
import { rejection } from "../support/assertions";

const T0 = Date.UTC(2026, 0, 1);

interface Call {
    op: string;
    t: number;
}

function sdkError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
    return Object.assign(new Error(`${name} from the fake`), { name, $metadata: { httpStatusCode: status }, ...extra });
}

/**
 * A scripted request in virtual time: PENDING until `inProgressAt`, IN_PROGRESS until `finishAt` (or forever), then
 * `final`. Cancelling moves it to CANCEL_IN_PROGRESS, then CANCEL_COMPLETE after `cancelMs`.
 */
class ScriptedRequest {
    readonly calls: Call[] = [];
    cancelledAt?: number;
    /** Errors thrown by the next status calls, in order. */
    statusErrors: Error[] = [];
    cancelError?: Error;
    hangStatusCalls = false;
    hooks?: HookProgressEvent[];
    /** When set, every call waits its turn here first, with the options the poller attached (as the middleware does). */
    pacer?: Pacer;

    constructor(
        readonly clock: VirtualClock,
        readonly opts: {
            inProgressAt?: number;
            finishAt?: number;
            final?: Partial<ProgressEvent>;
            retryAfter?: boolean;
            cancelMs?: number;
            /** How far the server's clock runs ahead of ours, ms: the script runs on server time. */
            serverOffset?: number;
            statusMessages?: (t: number) => string | undefined;
        },
    ) {}

    elapsed(): number {
        return this.clock.now() - T0 + (this.opts.serverOffset ?? 0);
    }

    event(): ProgressEvent {
        const t = this.elapsed();
        const base: ProgressEvent = { RequestToken: "req-1", TypeName: "AWS::Logs::LogGroup", Operation: "CREATE", Identifier: "grp" };
        if (this.cancelledAt !== undefined) {
            const doneAt = this.cancelledAt + (this.opts.cancelMs ?? 1000);
            return t >= doneAt
                ? { ...base, OperationStatus: "CANCEL_COMPLETE" }
                : { ...base, OperationStatus: "CANCEL_IN_PROGRESS", RetryAfter: this.opts.retryAfter ? new Date(T0 + doneAt) : undefined };
        }
        if (this.opts.finishAt !== undefined && t >= this.opts.finishAt) return { ...base, OperationStatus: "SUCCESS", ...this.opts.final };
        const inProgressAt = this.opts.inProgressAt ?? 0;
        const pending = t < inProgressAt;
        const next = pending ? inProgressAt : this.opts.finishAt;
        return {
            ...base,
            OperationStatus: pending ? "PENDING" : "IN_PROGRESS",
            StatusMessage: this.opts.statusMessages?.(t),
            RetryAfter: this.opts.retryAfter && next !== undefined ? new Date(T0 + next) : undefined,
        };
    }

    get client(): CloudControlClient {
        const send = async (command: { constructor: { name: string } }, options?: { abortSignal?: AbortSignal }): Promise<unknown> => {
            const op = command.constructor.name.replace(/Command$/, "");
            await this.pacer?.acquire(paceOptionsOf(command as unknown as { middlewareStack: unknown }));
            this.calls.push({ op, t: this.elapsed() });
            if (op === "CancelResourceRequest") {
                if (this.cancelError) throw this.cancelError;
                if (this.cancelledAt === undefined && this.event().OperationStatus === "IN_PROGRESS") this.cancelledAt = this.elapsed();
                if (this.cancelledAt === undefined) this.cancelledAt = this.elapsed();
                return { ProgressEvent: this.event() };
            }
            if (op !== "GetResourceRequestStatus") throw new Error(`unexpected ${op}`);
            if (this.hangStatusCalls) {
                return new Promise((_resolve, reject) => {
                    options?.abortSignal?.addEventListener("abort", () =>
                        reject(Object.assign(new Error("aborted"), { name: "AbortError" })),
                    );
                });
            }
            const err = this.statusErrors.shift();
            if (err) throw err;
            return { ProgressEvent: this.event(), HooksProgressEvent: this.hooks };
        };
        return { config: {}, send } as unknown as CloudControlClient;
    }

    statusCalls(): number[] {
        return this.calls.filter((c) => c.op === "GetResourceRequestStatus").map((c) => c.t);
    }
}

function setup(opts: ConstructorParameters<typeof ScriptedRequest>[1]): {
    clock: VirtualClock;
    req: ScriptedRequest;
    wait: (o?: WaitOptions) => Promise<ProgressEvent>;
} {
    const clock = new VirtualClock(T0);
    const req = new ScriptedRequest(clock, opts);
    return { clock, req, wait: (o = {}) => clock.run(() => waitForRequest(req.client, "req-1", { clock, random: () => 0.5, ...o })) };
}

describe("waitForRequest (unit, virtual clock)", () => {
    describe("RetryAfter", () => {
        it("asks once right after each hint and never before it", async () => {
            const { req, wait } = setup({ inProgressAt: 1000, finishAt: 5000, retryAfter: true });
            const event = await wait();
            assert.strictEqual(event.OperationStatus, "SUCCESS");
            assert.deepStrictEqual(req.statusCalls(), [0, 1010, 5010]);
        });

        it("uses the start call's event so even the first status call waits for its hint", async () => {
            const { req, wait } = setup({ finishAt: 2000, retryAfter: true });
            await wait({ initialEvent: { RequestToken: "req-1", OperationStatus: "IN_PROGRESS", RetryAfter: new Date(T0 + 2000) } });
            assert.deepStrictEqual(req.statusCalls(), [2010]);
        });

        it("corrects the hint by a real clock skew the SDK measured", async () => {
            // The server's clock runs 60 s ahead of ours (the script runs on server time).
            const { clock, req } = setup({ inProgressAt: 60_000, finishAt: 62_000, retryAfter: true, serverOffset: 60_000 });
            const client = Object.assign(req.client, { config: { systemClockOffset: 60_000 } });
            await clock.run(() => waitForRequest(client, "req-1", { clock, random: () => 0.5 }));
            // call times in server time: the first at our 0 (server 60000, IN_PROGRESS), the next right after the hint
            assert.deepStrictEqual(req.statusCalls(), [60_000, 62_010]);
        });

        it("ignores a sub-second 'skew', which is only the rounding of the HTTP Date header", async () => {
            const { clock, req } = setup({ finishAt: 2000, retryAfter: true });
            const client = Object.assign(req.client, { config: { systemClockOffset: -900 } });
            await clock.run(() => waitForRequest(client, "req-1", { clock, random: () => 0.5 }));
            assert.deepStrictEqual(req.statusCalls(), [0, 2010]);
        });
    });

    describe("schedule without hints", () => {
        it("finds a fast operation within a few hundred ms with a handful of calls", async () => {
            const { req, wait } = setup({ finishAt: 500 });
            await wait();
            const calls = req.statusCalls();
            assert.deepStrictEqual(calls, [0, 200, 400, 600]);
        });

        it("spaces calls out as the wait grows, up to the 3 s cap", async () => {
            const { req, wait } = setup({ finishAt: 60_000 });
            await wait();
            const calls = req.statusCalls();
            const gaps = calls.slice(1).map((t, i) => t - calls[i]);
            for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] >= gaps[i - 1], `gaps shrink: ${gaps.join(",")}`);
            assert.ok(Math.max(...gaps) <= 3000);
            assert.ok(calls[calls.length - 1] - 60_000 <= 3000, "overshoot above the cap");
            assert.ok(calls.length <= 40, `${calls.length} calls for a 60 s operation`);
        });

        it("falls back to the schedule when the hint is already in the past", async () => {
            const { req, wait } = setup({ finishAt: 1000 });
            await wait({ initialEvent: { RequestToken: "req-1", OperationStatus: "PENDING", RetryAfter: new Date(T0 - 60_000) } });
            assert.deepStrictEqual(req.statusCalls(), [200, 400, 600, 800, 1000]);
        });
    });

    describe("deadline", () => {
        it("cancels at the deadline, waits for CANCEL_COMPLETE and throws a timeout carrying token and status", async () => {
            const { req, wait } = setup({ retryAfter: false, cancelMs: 2000 });
            const err = await rejection(wait({ timeout: 60, operation: "CREATE", typeName: "AWS::Logs::LogGroup" }));
            assert.strictEqual(err.outcome, "timeout");
            assert.strictEqual(err.errorCode, "Timeout");
            assert.strictEqual(err.requestToken, "req-1");
            assert.strictEqual(err.lastStatus, "CANCEL_COMPLETE");
            assert.match(
                err.message,
                /did not finish within 60 s.*req-1.*CANCEL_COMPLETE.*status before cancelling: IN_PROGRESS.*raise its timeout/,
            );
            const cancels = req.calls.filter((c) => c.op === "CancelResourceRequest");
            assert.deepStrictEqual(
                cancels.map((c) => c.t),
                [60_000],
            );
            // Before the deadline only status calls; at the deadline the cancel comes first, then its confirmation.
            const cancelIndex = req.calls.findIndex((c) => c.op === "CancelResourceRequest");
            assert.ok(cancelIndex > 0);
            assert.ok(req.calls.slice(0, cancelIndex).every((c) => c.op === "GetResourceRequestStatus" && c.t < 60_000));
            assert.ok(req.calls.slice(cancelIndex + 1).every((c) => c.op === "GetResourceRequestStatus" && c.t >= 60_000));
            assert.ok(req.calls.length > cancelIndex + 1, "CANCEL_COMPLETE was never read back");
        });

        it("still asks to cancel, and reads the status once, when no time is left to wait for the cancellation", async () => {
            const { req, wait } = setup({ cancelMs: 5000 });
            const err = await rejection(wait({ timeout: 1, cancelWaitSeconds: 0 }));
            assert.deepStrictEqual(
                req.calls.filter((c) => c.t >= 1000).map((c) => c.op),
                ["CancelResourceRequest", "GetResourceRequestStatus"],
            );
            assert.strictEqual(err.lastStatus, "CANCEL_IN_PROGRESS");
        });

        it("defaults to 60 min for CREATE and 30 min for DELETE", async () => {
            const create = setup({ cancelMs: 0 });
            await rejection(create.wait({ operation: "CREATE" }));
            assert.strictEqual(create.req.calls.find((c) => c.op === "CancelResourceRequest")?.t, 3_600_000);
            const del = setup({ cancelMs: 0 });
            await rejection(del.wait({ operation: "DELETE" }));
            assert.strictEqual(del.req.calls.find((c) => c.op === "CancelResourceRequest")?.t, 1_800_000);
        });

        it("does not sleep past the deadline to honour a far hint", async () => {
            const { req, wait } = setup({ finishAt: 10 * 60_000, retryAfter: true, cancelMs: 0 });
            const err = await rejection(wait({ timeout: 30 }));
            assert.strictEqual(err.outcome, "timeout");
            assert.deepStrictEqual(req.statusCalls()[0], 0);
            assert.strictEqual(req.calls.find((c) => c.op === "CancelResourceRequest")?.t, 30_000);
        });

        it("aborts a status call that hangs past the deadline", async () => {
            const { req, wait } = setup({ cancelMs: 500 });
            req.hangStatusCalls = true;
            const pending = wait({ timeout: 5, cancelWaitSeconds: 2 });
            const err = await rejection(pending);
            assert.strictEqual(err.outcome, "timeout");
            assert.strictEqual(req.calls.find((c) => c.op === "CancelResourceRequest")?.t, 5000);
            assert.match(err.message, /asked to cancel but its last status was CANCEL_IN_PROGRESS/);
            assert.strictEqual(err.lastStatus, "CANCEL_IN_PROGRESS");
        });

        it("resolves when the request succeeds before the cancellation takes effect", async () => {
            const { req, wait } = setup({ finishAt: 10_500 });
            req.cancelError = sdkError("ConcurrentModificationException", 500);
            // ConcurrentModification: the request cannot be cancelled (any more); its status decides.
            const event = await wait({ timeout: 10, cancelWaitSeconds: 5 });
            assert.strictEqual(event.OperationStatus, "SUCCESS");
        });

        it("reports the real failure when the request failed before it could be cancelled", async () => {
            const { req, wait } = setup({ finishAt: 10_000, final: { OperationStatus: "FAILED", ErrorCode: "AlreadyExists" } });
            req.cancelError = sdkError("ValidationException", 400);
            const err = await rejection(wait({ timeout: 10 }));
            assert.strictEqual(err.outcome, "fail");
            assert.strictEqual(err.errorCode, "AlreadyExists");
        });
    });

    describe("abort", () => {
        it("cancels the request when the signal aborts", async () => {
            const { clock, req, wait } = setup({ cancelMs: 500 });
            const ctl = new AbortController();
            void clock.sleep(3000).then(() => ctl.abort());
            const err = await rejection(wait({ signal: ctl.signal }));
            assert.strictEqual(err.outcome, "cancelled");
            assert.strictEqual(err.errorCode, "Aborted");
            assert.strictEqual(err.lastStatus, "CANCEL_COMPLETE");
            assert.strictEqual(req.calls.find((c) => c.op === "CancelResourceRequest")?.t, 3000);
            assert.ok(req.statusCalls().filter((t) => t < 3000).length >= 3, "it was polling before the abort");
        });

        it("cancels straight away when the signal is already aborted", async () => {
            const { req, wait } = setup({ cancelMs: 0 });
            const err = await rejection(wait({ signal: AbortSignal.abort() }));
            assert.strictEqual(err.errorCode, "Aborted");
            assert.strictEqual(req.calls[0].op, "CancelResourceRequest");
        });
    });

    describe("errors of the status call", () => {
        it("rides out a throttling storm with growing backoff", async () => {
            const { req, wait } = setup({ finishAt: 1000 });
            req.statusErrors = Array.from({ length: 6 }, () => sdkError("ThrottlingException", 400));
            const event = await wait();
            assert.strictEqual(event.OperationStatus, "SUCCESS");
            const calls = req.statusCalls();
            assert.strictEqual(calls.length, 7);
            const gaps = calls.slice(1).map((t, i) => t - calls[i]);
            assert.ok(gaps[5] > gaps[0] * 4, `backoff did not grow: ${gaps.join(",")}`);
        });

        it("retries 5xx and dropped connections", async () => {
            const { req, wait } = setup({ finishAt: 0 });
            req.statusErrors = [
                sdkError("InternalFailure", 502),
                Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
                sdkError("ServiceUnavailable", 503),
            ];
            const logs: string[] = [];
            const event = await wait({ log: (m) => logs.push(m) });
            assert.strictEqual(event.OperationStatus, "SUCCESS");
            assert.strictEqual(req.statusCalls().length, 4);
            assert.ok(logs.some((l) => /status call failed with ECONNRESET/.test(l)));
        });

        it("keeps retrying throttled status calls until the deadline, then cancels", async () => {
            const { req, wait } = setup({ cancelMs: 0 });
            req.statusErrors = Array.from({ length: 1000 }, () => sdkError("ThrottlingException", 400));
            const err = await rejection(wait({ timeout: 120, cancelWaitSeconds: 1 }));
            assert.strictEqual(err.outcome, "timeout");
            assert.ok(req.calls.some((c) => c.op === "CancelResourceRequest" && c.t === 120_000));
        });

        it("treats RequestTokenNotFound as final, with a message saying what to do", async () => {
            const { req, wait } = setup({});
            req.statusErrors = [sdkError("RequestTokenNotFoundException", 404)];
            const err = await rejection(wait({ operation: "UPDATE", typeName: "AWS::Logs::LogGroup", identifier: "grp" }));
            assert.strictEqual(err.errorCode, "RequestTokenNotFound");
            assert.strictEqual(err.outcome, "fail");
            assert.match(err.message, /UPDATE AWS::Logs::LogGroup grp: Cloud Control has no request with token req-1.*7 days.*region/);
            assert.strictEqual(req.calls.length, 1);
        });

        it("does not retry an error that will not go away (AccessDenied)", async () => {
            const { req, wait } = setup({});
            req.statusErrors = [sdkError("AccessDeniedException", 400)];
            const err = await rejection(wait());
            assert.strictEqual(err.errorCode, "AccessDeniedException");
            assert.strictEqual(req.calls.length, 1);
        });
    });

    describe("final outcomes", () => {
        it("throws outcome replace for NotUpdatable, with token, code, message and hooks", async () => {
            const { req, wait } = setup({
                finishAt: 400,
                final: {
                    OperationStatus: "FAILED",
                    ErrorCode: "NotUpdatable",
                    StatusMessage: "/LogGroupName is create-only",
                    ResourceModel: '{"K":"secret"}',
                },
            });
            req.hooks = [{ HookTypeName: "Org::Hook", HookStatus: "HOOK_COMPLETE_SUCCEEDED", FailureMode: "FAIL" }];
            const err = await rejection(wait());
            assert.strictEqual(err.outcome, "replace");
            assert.strictEqual(err.errorCode, "NotUpdatable");
            assert.strictEqual(err.statusMessage, "/LogGroupName is create-only");
            assert.strictEqual(err.requestToken, "req-1");
            assert.strictEqual(err.lastStatus, "FAILED");
            assert.strictEqual(err.hooks?.length, 1);
            assert.strictEqual(err.event?.ResourceModel, undefined);
            assert.doesNotMatch(err.message, /secret/);
        });

        it("throws outcome gone for NotFound and retry for NotStabilized", async () => {
            const gone = setup({ finishAt: 0, final: { OperationStatus: "FAILED", ErrorCode: "NotFound" } });
            assert.strictEqual((await rejection(gone.wait())).outcome, "gone");
            const retry = setup({ finishAt: 0, final: { OperationStatus: "FAILED", ErrorCode: "NotStabilized" } });
            assert.strictEqual((await rejection(retry.wait())).outcome, "retry");
        });

        it("fails naming the hook when a FAIL-mode hook failed the request", async () => {
            const { req, wait } = setup({ finishAt: 0, final: { OperationStatus: "FAILED", ErrorCode: "GeneralServiceException" } });
            req.hooks = [
                {
                    HookTypeName: "Org::Guard",
                    HookStatus: "HOOK_COMPLETE_FAILED",
                    FailureMode: "FAIL",
                    HookStatusMessage: "encryption required",
                },
            ];
            const err = await rejection(wait());
            assert.strictEqual(err.outcome, "fail");
            assert.strictEqual(err.errorCode, "Org::Guard");
            assert.match(err.message, /Org::Guard.*encryption required/);
        });
    });

    describe("progress reporting", () => {
        it("reports status changes and new messages once each, and each hook warning once", async () => {
            const { req, wait } = setup({
                inProgressAt: 300,
                finishAt: 1500,
                statusMessages: (t) => (t >= 1000 ? "waiting for stabilization" : undefined),
            });
            req.hooks = [
                { HookTypeName: "Org::Warn", HookStatus: "HOOK_COMPLETE_FAILED", FailureMode: "WARN", HookStatusMessage: "no owner tag" },
            ];
            const seen: string[] = [];
            const warnings: string[] = [];
            await wait({
                onProgress: (e, hooks) => seen.push(`${e.OperationStatus}:${e.StatusMessage ?? ""}:${hooks?.length ?? 0}`),
                onWarning: (w) => warnings.push(w),
            });
            assert.deepStrictEqual(seen, ["PENDING::1", "IN_PROGRESS::1", "IN_PROGRESS:waiting for stabilization:1", "SUCCESS::1"]);
            assert.strictEqual(warnings.length, 1);
            assert.match(warnings[0], /Org::Warn.*no owner tag/);
            assert.ok(req.statusCalls().length > seen.length, "repeated identical events were reported");
        });
    });

    it("keeps watching the request when a progress callback throws", async () => {
        const { req, wait } = setup({ finishAt: 600 });
        const logs: string[] = [];
        const event = await wait({
            onProgress: () => {
                throw new Error("bug in the caller");
            },
            log: (m) => logs.push(m),
        });
        assert.strictEqual(event.OperationStatus, "SUCCESS");
        assert.ok(logs.some((l) => /onProgress callback threw Error: bug in the caller \(ignored\)/.test(l)));
        assert.ok(req.statusCalls().length >= 2);
    });

    describe("knowing how long the type takes (this client's own measurements)", () => {
        /**
         * Requests of one type as the emulator's default profile answers them: two phases of `phaseMs`, IN_PROGRESS
         * throughout, RetryAfter (the phase's end) on status reads only, EventTime when the current status began.
         */
        function service(clock: VirtualClock, phaseMs: number) {
            const started = new Map<string, number>();
            const calls: { token: string; t: number }[] = [];
            const eventOf = (token: string): ProgressEvent => {
                const start = started.get(token)!;
                const t = clock.now() - start;
                const base: ProgressEvent = {
                    RequestToken: token,
                    TypeName: "AWS::SSM::Parameter",
                    Operation: "CREATE",
                    Identifier: token,
                };
                if (t >= 2 * phaseMs) return { ...base, OperationStatus: "SUCCESS", EventTime: new Date(start + 2 * phaseMs) };
                const phaseStart = t < phaseMs ? start : start + phaseMs;
                return {
                    ...base,
                    OperationStatus: "IN_PROGRESS",
                    EventTime: new Date(phaseStart),
                    RetryAfter: new Date(phaseStart + phaseMs),
                };
            };
            const client = {
                config: {},
                send: async (command: { input: { RequestToken: string } }) => {
                    calls.push({ token: command.input.RequestToken, t: clock.now() - T0 });
                    return { ProgressEvent: eventOf(command.input.RequestToken) };
                },
            } as unknown as CloudControlClient;
            const start = (token: string): ProgressEvent => {
                started.set(token, clock.now());
                const { RetryAfter: _hint, ...answer } = eventOf(token); // start answers carry no RetryAfter
                return answer;
            };
            const wait = (token: string) => waitForRequest(client, token, { clock, random: () => 0.5, initialEvent: start(token) });
            return { wait, calls: (token: string) => calls.filter((c) => c.token === token).map((c) => c.t) };
        }

        it("does not ask about a request before the shortest duration its type took", async () => {
            const clock = new VirtualClock(T0);
            const svc = service(clock, 500);
            await clock.run(() => svc.wait("first"));
            // Nothing known yet: the schedule's first read, then each RetryAfter.
            assert.deepStrictEqual(svc.calls("first"), [200, 510, 1010]);
            await clock.run(async () => {
                await clock.sleep(990);
                await svc.wait("second");
            });
            // 1 s measured from the events' own EventTime: one status call, right when it is done.
            assert.deepStrictEqual(svc.calls("second"), [2000 + 1000 + 10]);
        });

        it("before any succeeded, takes a running request's RetryAfter as how long the type takes at least", async () => {
            const clock = new VirtualClock(T0);
            const svc = service(clock, 500);
            await clock.run(() =>
                Promise.all([
                    svc.wait("a"),
                    (async () => {
                        await clock.sleep(300);
                        await svc.wait("b");
                    })(),
                ]),
            );
            assert.deepStrictEqual(svc.calls("a"), [200, 510, 1010]);
            // a's first read (200) said "not before 500": b, started at 300, is first asked at 810, in its second phase.
            assert.deepStrictEqual(svc.calls("b"), [810, 1310]);
        });
    });

    describe("pacing (the account's rate limit)", () => {
        /** Callers that keep `n` other calls waiting in the pacer until `untilMs`. */
        function load(clock: VirtualClock, pacer: Pacer, n: number, untilMs: number): Promise<void[]> {
            return Promise.all(
                Array.from({ length: n }, async () => {
                    while (clock.now() < T0 + untilMs) await pacer.acquire();
                }),
            );
        }
        const pendingThenInProgress = { inProgressAt: 1000, finishAt: 2000, retryAfter: true };
        const initialEvent: ProgressEvent = { RequestToken: "req-1", OperationStatus: "PENDING", RetryAfter: new Date(T0 + 1000) };

        it("defers the status call at a PENDING hint while other calls wait, so the request is seen done with one call", async () => {
            const clock = new VirtualClock(T0);
            const req = new ScriptedRequest(clock, pendingThenInProgress);
            // Two other callers keep the queue busy: each call waits ~0.2 s, so without deferring, the status call at the
            // hint (1 s) would be answered IN_PROGRESS and a second one needed at 2 s.
            req.pacer = new Pacer({ maxRequestsPerSecond: 10 }, clock);
            const [event] = await clock.run(() =>
                Promise.all([
                    waitForRequest(req.client, "req-1", { clock, random: () => 0.5, initialEvent }),
                    load(clock, req.pacer!, 2, 3000),
                ]),
            );
            assert.strictEqual(event.OperationStatus, "SUCCESS");
            const calls = req.statusCalls();
            assert.strictEqual(calls.length, 1, `status calls at ${calls.join(", ")}`);
            assert.ok(calls[0] >= 2000);
        });

        it("asks at the PENDING hint as usual when nothing else waits", async () => {
            const clock = new VirtualClock(T0);
            const req = new ScriptedRequest(clock, pendingThenInProgress);
            req.pacer = new Pacer({ maxRequestsPerSecond: 5 }, clock);
            await clock.run(() => waitForRequest(req.client, "req-1", { clock, random: () => 0.5, initialEvent }));
            assert.deepStrictEqual(req.statusCalls(), [1010, 2010]);
        });

        it("says so in the progress lines when a status call waits long behind the account's rate limit", async () => {
            const clock = new VirtualClock(T0);
            const req = new ScriptedRequest(clock, { finishAt: 500 });
            req.pacer = new Pacer({ maxRequestsPerSecond: 1 }, clock);
            const logs: string[] = [];
            await clock.run(() =>
                Promise.all([
                    load(clock, req.pacer!, 6, 1),
                    waitForRequest(req.client, "req-1", {
                        clock,
                        random: () => 0.5,
                        operation: "CREATE",
                        typeName: "AWS::Logs::LogGroup",
                        log: (m) => logs.push(m),
                    }),
                ]),
            );
            assert.ok(
                logs.some((l) =>
                    /^CREATE AWS::Logs::LogGroup( grp)?: GetResourceRequestStatus queued behind the account's rate limit for 3\.0 s \(\d+ calls ahead, 1 requests\/s\)$/.test(
                        l,
                    ),
                ),
                logs.join("\n"),
            );
        });
    });

    it("rejects a timeout that is neither seconds nor a duration", async () => {
        const { req } = setup({});
        await assert.rejects(
            waitForRequest(req.client, "req-1", { timeout: NaN }),
            /timeout must be a number of seconds >= 0 or a duration such as "90s", "10m" or "1h30m" \(got NaN\)/,
        );
        await assert.rejects(waitForRequest(req.client, "req-1", { timeout: -1 }), /got -1/);
        await assert.rejects(waitForRequest(req.client, "req-1", { timeout: "soon" }), /got "soon"/);
        assert.strictEqual(req.calls.length, 0);
    });

    it('takes the same durations as the provider\'s timeouts: "10m", "1h30m", "90s", "90"', async () => {
        for (const [timeout, seconds] of [
            ["10m", 600],
            ["1h30m", 5400],
            ["90s", 90],
            ["90", 90],
        ] as const) {
            const { req, wait } = setup({ cancelMs: 0 });
            const err = await rejection(wait({ timeout, cancelWaitSeconds: 0 }));
            assert.strictEqual(err.outcome, "timeout", timeout);
            assert.strictEqual(req.calls.find((c) => c.op === "CancelResourceRequest")?.t, seconds * 1000, timeout);
        }
    });

    it("rejects an empty request token clearly", async () => {
        const { req } = setup({});
        await assert.rejects(waitForRequest(req.client, ""), /needs a request token/);
    });
});

/**
 * Unit tests of the retry, adoption and token logic of runCreate / runUpdate / runDelete on a virtual clock.
 * The client is a tiny scripted fake of `send()` used only to drive that logic deterministically (no HTTP, no SDK
 * behaviour); the same behaviour against the real SDK and the emulator is in test/integration/cloudcontrol.test.ts.
 */
import * as assert from "assert";
import type { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { VirtualClock } from "../../src/cloudcontrol/clock";
import { CloudControlError } from "../../src/cloudcontrol/errors";
import { Pacer, paceOptionsOf } from "../../src/cloudcontrol/pacer";
import { getResource, runCreate, runDelete, runUpdate } from "../../src/cloudcontrol/operations";
import { attemptToken } from "../../src/cloudcontrol/tokens";
import type { ProgressEvent, RunOptions } from "../../src/cloudcontrol/types";
import { rejection } from "../support/assertions";

const TYPE = "AWS::Logs::LogGroup";

function sdkError(name: string, status: number): Error {
    return Object.assign(new Error(`${name} from the fake`), { name, $metadata: { httpStatusCode: status } });
}

/** What one started request will end as, after `ms` of IN_PROGRESS. */
interface Plan {
    /** Thrown by the start call instead of starting a request. */
    throws?: Error;
    final?: Partial<ProgressEvent>;
    /** The request leaves this resource behind (even when it fails). */
    creates?: string;
    ms?: number;
}

class FakeService {
    readonly calls: { op: string; input: Record<string, unknown>; t: number; signal?: AbortSignal }[] = [];
    readonly resources = new Set<string>();
    /** GetResource answers these errors for these identifiers (a list: one per call, then normal answers). */
    readonly readErrors = new Map<string, Error | Error[]>();
    /** When set, every call waits its turn here first, with the options the operations attached (as the middleware does). */
    pacer?: Pacer;
    private readonly requests = new Map<string, { event: ProgressEvent; doneAt: number; final: ProgressEvent }>();
    private n = 0;

    constructor(
        readonly clock: VirtualClock,
        /** Consumed in order, one per start call. */
        readonly plans: Plan[],
    ) {}

    get client(): CloudControlClient {
        const send = async (
            command: { constructor: { name: string }; input: Record<string, unknown> },
            options?: { abortSignal?: AbortSignal },
        ): Promise<unknown> => {
            await this.pacer?.acquire(paceOptionsOf(command as unknown as { middlewareStack: unknown }));
            const op = command.constructor.name.replace(/Command$/, "");
            const input = command.input;
            this.calls.push({ op, input, t: this.clock.now(), signal: options?.abortSignal });
            if (op === "GetResourceRequestStatus") {
                const r = this.requests.get(input.RequestToken as string);
                if (!r) throw sdkError("RequestTokenNotFoundException", 404);
                return { ProgressEvent: this.clock.now() >= r.doneAt ? r.final : r.event };
            }
            if (op === "GetResource") {
                const planned = this.readErrors.get(input.Identifier as string);
                const readError = Array.isArray(planned) ? planned.shift() : planned;
                if (readError) throw readError;
                if (!this.resources.has(input.Identifier as string)) throw sdkError("ResourceNotFoundException", 404);
                return {
                    TypeName: input.TypeName,
                    ResourceDescription: { Identifier: input.Identifier, Properties: JSON.stringify({ Name: input.Identifier }) },
                };
            }
            if (op === "CancelResourceRequest") throw sdkError("ConcurrentModificationException", 500);
            // CreateResource / UpdateResource / DeleteResource
            const existing = [...this.requests.values()].find((r) => r.event.RequestToken === `rt-${input.ClientToken}`);
            if (existing) return { ProgressEvent: existing.event };
            const plan = this.plans.shift() ?? {};
            if (plan.throws) throw plan.throws;
            const token = `rt-${input.ClientToken}`;
            const operation = op === "CreateResource" ? "CREATE" : op === "UpdateResource" ? "UPDATE" : "DELETE";
            const identifier = plan.creates ?? (input.Identifier as string | undefined) ?? `res-${++this.n}`;
            const event: ProgressEvent = { RequestToken: token, TypeName: TYPE, Operation: operation, OperationStatus: "IN_PROGRESS" };
            const final: ProgressEvent = { ...event, Identifier: identifier, OperationStatus: "SUCCESS", ...plan.final };
            if (final.OperationStatus === "SUCCESS" && operation === "CREATE") this.resources.add(identifier);
            if (plan.creates) this.resources.add(plan.creates);
            if (final.OperationStatus === "SUCCESS" && operation === "DELETE") this.resources.delete(identifier);
            this.requests.set(token, { event, doneAt: this.clock.now() + (plan.ms ?? 1000), final });
            return { ProgressEvent: event };
        };
        return { config: {}, send } as unknown as CloudControlClient;
    }

    starts(op: string): string[] {
        return this.calls.filter((c) => c.op === op).map((c) => c.input.ClientToken as string);
    }
}

function setup(plans: Plan[]): { clock: VirtualClock; svc: FakeService; opts: RunOptions } {
    const clock = new VirtualClock();
    const svc = new FakeService(clock, plans);
    return { clock, svc, opts: { clock, random: () => 0.5 } };
}

const failedWith = (code: string, extra: Partial<ProgressEvent> = {}): Partial<ProgressEvent> => ({
    OperationStatus: "FAILED",
    ErrorCode: code as ProgressEvent["ErrorCode"],
    Identifier: undefined,
    ...extra,
});

describe("runCreate (unit, virtual clock)", () => {
    it("creates with the caller's ClientToken and returns the identifier", async () => {
        const { clock, svc, opts } = setup([{}]);
        const { identifier, action, event } = await clock.run(() =>
            runCreate(svc.client, { typeName: TYPE, desiredState: { A: 1 }, clientToken: "tok" }, opts),
        );
        assert.deepStrictEqual([identifier, action, event?.OperationStatus], ["res-1", "created", "SUCCESS"]);
        assert.deepStrictEqual(svc.starts("CreateResource"), ["tok"]);
        assert.strictEqual(svc.calls[0].input.DesiredState, '{"A":1}');
    });

    it("makes its own ClientToken when none is given, and derives its retries from it", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("Throttling") }, {}]);
        const { identifier, action } = await clock.run(() => runCreate(svc.client, { typeName: TYPE, desiredState: {} }, opts));
        assert.deepStrictEqual([identifier, action], ["res-2", "created"]);
        const [first, second] = svc.starts("CreateResource");
        assert.match(first, /^[0-9a-f-]{36}$/);
        assert.strictEqual(second, `${first}-2`);
    });

    it("retries a retryable failure that left nothing behind with the next deterministic token, after the first request is final", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("Throttling") }, {}]);
        const logs: string[] = [];
        const { identifier } = await clock.run(() =>
            runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, { ...opts, log: (m) => logs.push(m) }),
        );
        assert.strictEqual(identifier, "res-2");
        assert.deepStrictEqual(svc.starts("CreateResource"), ["tok", "tok-2"]);
        const firstDone = svc.calls.find((c) => c.op === "GetResourceRequestStatus" && c.t >= svc.calls[0].t + 1000)!.t;
        assert.ok(svc.calls.filter((c) => c.op === "CreateResource")[1].t > firstDone);
        assert.ok(logs.some((l) => /Throttling \(retryable\); attempt 2 of 4/.test(l)));
        assert.strictEqual(svc.resources.size, 1);
    });

    it("does not create again after a failure that may have created something but named no resource", async () => {
        for (const code of ["NotStabilized", "ServiceTimeout", "NetworkFailure", "InternalFailure", "ServiceInternalError"]) {
            const { clock, svc, opts } = setup([{ final: failedWith(code), creates: "unnamed-1" }, {}]);
            const err = await rejection(
                clock.run(() => runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, opts)),
            );
            assert.strictEqual(err.outcome, "fail", code);
            assert.strictEqual(err.errorCode, code);
            assert.strictEqual(err.requestToken, "rt-tok");
            assert.match(err.message, /may have left a resource behind.*not created again/);
            assert.match(err.message, /request token rt-tok/);
            assert.deepStrictEqual(svc.starts("CreateResource"), ["tok"], code);
            assert.strictEqual(svc.resources.size, 1);
        }
    });

    it("retries ResourceConflict without an identifier (the handler refused before acting)", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("ResourceConflict") }, {}]);
        const { identifier } = await clock.run(() => runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, opts));
        assert.strictEqual(identifier, "res-2");
        assert.deepStrictEqual(svc.starts("CreateResource"), ["tok", "tok-2"]);
    });

    it("adopts the resource a failed attempt left behind instead of creating a second one", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("NotStabilized", { Identifier: "orphan-1" }), creates: "orphan-1" }, {}]);
        const { identifier, action, event } = await clock.run(() =>
            runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, opts),
        );
        assert.deepStrictEqual([identifier, action, event?.ErrorCode], ["orphan-1", "adopted", "NotStabilized"]);
        assert.deepStrictEqual(svc.starts("CreateResource"), ["tok"]);
        assert.deepStrictEqual([...svc.resources], ["orphan-1"]);
    });

    it("checks a resource a failed attempt named on the run's clock, with its abort signal", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("NotStabilized", { Identifier: "orphan-1" }), creates: "orphan-1" }, {}]);
        svc.readErrors.set("orphan-1", [sdkError("ThrottlingException", 400), sdkError("ServiceUnavailable", 503)]);
        const signal = new AbortController().signal;
        // Without the run's clock the backoff between GetResource calls would sleep for real and VirtualClock.run would throw.
        const { identifier } = await clock.run(() =>
            runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, { ...opts, signal }),
        );
        assert.strictEqual(identifier, "orphan-1");
        const reads = svc.calls.filter((c) => c.op === "GetResource");
        assert.strictEqual(reads.length, 3);
        assert.ok(reads[1].t > reads[0].t && reads[2].t > reads[1].t, "no backoff on the virtual clock");
        assert.ok(
            reads.every((c) => c.signal === signal),
            "GetResource was sent without the caller's abort signal",
        );
    });

    it("creates again when the failed attempt's identifier does not exist", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("InternalFailure", { Identifier: "ghost" }) }, {}]);
        const { identifier } = await clock.run(() => runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, opts));
        assert.strictEqual(identifier, "res-2");
        assert.ok(svc.calls.some((c) => c.op === "GetResource" && c.input.Identifier === "ghost"));
    });

    it("does not create again when the resource a failed attempt named cannot be checked", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("NotStabilized", { Identifier: "unknown-1" }) }, {}]);
        svc.readErrors.set("unknown-1", sdkError("AccessDeniedException", 400));
        const err = await rejection(clock.run(() => runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, opts)));
        assert.strictEqual(err.outcome, "fail");
        assert.strictEqual(err.identifier, "unknown-1");
        assert.match(err.message, /could not be checked \(AccessDeniedException\); not creating again/);
        assert.deepStrictEqual(svc.starts("CreateResource"), ["tok"]);
    });

    it("gives up after maxAttempts with outcome retry and the history of attempts", async () => {
        const { clock, svc, opts } = setup([
            { final: failedWith("Throttling") },
            { final: failedWith("Throttling") },
            { final: failedWith("ServiceTimeout", { Identifier: "ghost" }) },
        ]);
        const err = await rejection(
            clock.run(() => runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, { ...opts, maxAttempts: 3 })),
        );
        assert.strictEqual(err.outcome, "retry");
        assert.strictEqual(err.errorCode, "ServiceTimeout");
        assert.strictEqual(err.requestToken, "rt-tok-3");
        assert.deepStrictEqual(
            err.attempts?.map((a) => a.errorCode),
            ["Throttling", "Throttling", "ServiceTimeout"],
        );
        assert.deepStrictEqual(svc.starts("CreateResource"), ["tok", "tok-2", "tok-3"]);
        assert.match(err.message, /failed 3 times with retryable errors/);
    });

    it("does not retry a final failure (AlreadyExists) and names earlier attempts that may have created the resource", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("Throttling") }, { final: failedWith("AlreadyExists") }]);
        const err = await rejection(clock.run(() => runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, opts)));
        assert.strictEqual(err.outcome, "fail");
        assert.strictEqual(err.errorCode, "AlreadyExists");
        assert.match(err.message, /Earlier attempts.*rt-tok \(Throttling\)/);
        assert.deepStrictEqual(svc.starts("CreateResource"), ["tok", "tok-2"]);
    });

    it("waits out ConcurrentOperationException and throttling on the start call, keeping the same token", async () => {
        const { clock, svc, opts } = setup([
            { throws: sdkError("ConcurrentOperationException", 409) },
            { throws: sdkError("ThrottlingException", 400) },
            {},
        ]);
        const { identifier } = await clock.run(() => runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, opts));
        assert.strictEqual(identifier, "res-1");
        assert.deepStrictEqual(svc.starts("CreateResource"), ["tok", "tok", "tok"]);
    });

    // Scripted fake: the emulator has no fault that answers 409 ResourceConflictException.
    it("waits out ResourceConflictException on the start call, keeping the same token", async () => {
        const { clock, svc, opts } = setup([
            { throws: sdkError("ResourceConflictException", 409) },
            { throws: sdkError("ResourceConflictException", 409) },
            {},
        ]);
        const { identifier } = await clock.run(() => runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, opts));
        assert.strictEqual(identifier, "res-1");
        assert.deepStrictEqual(svc.starts("CreateResource"), ["tok", "tok", "tok"]);
    });

    it("explains a ClientTokenConflict", async () => {
        const { clock, svc, opts } = setup([{ throws: sdkError("ClientTokenConflictException", 409) }]);
        const err = await rejection(
            clock.run(() => runCreate(svc.client, { typeName: TYPE, desiredState: { Secret: "hunter2" }, clientToken: "tok" }, opts)),
        );
        assert.strictEqual(err.errorCode, "ClientTokenConflictException");
        assert.match(err.message, /ClientToken tok was already used .* for a different request/);
        assert.doesNotMatch(err.message, /hunter2/);
    });

    it("rejects a ClientToken Cloud Control would refuse", async () => {
        const { clock, svc, opts } = setup([]);
        await assert.rejects(
            clock.run(() => runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "has space" }, opts)),
            /clientToken must be 1-128 characters of \[-A-Za-z0-9\+\/=\]/,
        );
        assert.strictEqual(svc.calls.length, 0);
        // The one error class of the layer, also for bad input caught before any call.
        for (const run of [
            () => runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "x".repeat(129) }, opts),
            () => runUpdate(svc.client, { typeName: TYPE, identifier: "i", patch: [], clientToken: "bad token" }, opts),
            () => runDelete(svc.client, { typeName: TYPE, identifier: "i", clientToken: "bad token" }, opts),
        ] as (() => Promise<unknown>)[]) {
            const err = await rejection(clock.run(run));
            assert.ok(err instanceof CloudControlError, err.constructor.name);
            assert.strictEqual(err.outcome, "fail");
        }
    });

    it("caps the wait before the next attempt at 30 s", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("Throttling") }, {}]);
        await clock.run(() =>
            runCreate(svc.client, { typeName: TYPE, desiredState: {}, clientToken: "tok" }, { ...opts, retryBaseDelayMs: 100_000 }),
        );
        const secondStart = svc.calls.filter((c) => c.op === "CreateResource")[1].t;
        const lastPollBefore = Math.max(
            ...svc.calls.filter((c) => c.op === "GetResourceRequestStatus" && c.t < secondStart).map((c) => c.t),
        );
        // Equal jitter with random 0.5 on a 30 s ceiling: 22.5 s (uncapped it would be 75 s).
        assert.strictEqual(secondStart - lastPollBefore, 22_500);
    });

    it("times the wait from the run's start: after a retried start call it cancels at the run's deadline and names the run's timeout", async () => {
        const { clock, svc, opts } = setup([{ throws: sdkError("ConcurrentOperationException", 409) }, { ms: 120_000 }]);
        const t0 = clock.now();
        const err = await rejection(
            clock.run(() =>
                runCreate(
                    svc.client,
                    { typeName: TYPE, desiredState: {}, clientToken: "tok" },
                    { ...opts, timeout: "30s", cancelWaitSeconds: 1 },
                ),
            ),
        );
        assert.strictEqual(err.outcome, "timeout");
        assert.match(err.message, /did not finish within 30 s/);
        const cancel = svc.calls.find((c) => c.op === "CancelResourceRequest");
        assert.ok(cancel, "the request was cancelled");
        // The start call was retried about a second later; the deadline still counts from the run's start.
        assert.ok(svc.calls.filter((c) => c.op === "CreateResource")[1].t - t0 >= 500);
        assert.ok(cancel.t - t0 >= 30_000 && cancel.t - t0 < 31_000, `cancelled ${cancel.t - t0} ms after the start`);
    });

    it("stops with a timeout when the deadline passes between attempts", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("Throttling"), ms: 5000 }, {}]);
        const err = await rejection(
            clock.run(() =>
                runCreate(
                    svc.client,
                    { typeName: TYPE, desiredState: {}, clientToken: "tok" },
                    { ...opts, timeout: 5.5, retryBaseDelayMs: 2000 },
                ),
            ),
        );
        assert.strictEqual(err.outcome, "timeout");
        assert.deepStrictEqual(svc.starts("CreateResource"), ["tok"]);
    });
});

describe("runUpdate (unit, virtual clock)", () => {
    const input = {
        typeName: TYPE,
        identifier: "grp",
        patch: [{ op: "add" as const, path: "/RetentionInDays", value: 7 }],
        clientToken: "up",
    };

    it("sends the patch and resolves with the identifier and the SUCCESS event", async () => {
        const { clock, svc, opts } = setup([{}]);
        const { identifier, action, event } = await clock.run(() => runUpdate(svc.client, input, opts));
        assert.deepStrictEqual([identifier, action, event?.OperationStatus], ["grp", "updated", "SUCCESS"]);
        assert.strictEqual(svc.calls[0].input.PatchDocument, JSON.stringify(input.patch));
    });

    it("surfaces NotUpdatable as outcome replace without retrying", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("NotUpdatable") }]);
        const err = await rejection(clock.run(() => runUpdate(svc.client, input, opts)));
        assert.strictEqual(err.outcome, "replace");
        assert.deepStrictEqual(svc.starts("UpdateResource"), ["up"]);
    });

    it("maps NotUpdatableException and ResourceNotFoundException on the call to replace and gone", async () => {
        const a = setup([{ throws: sdkError("NotUpdatableException", 400) }]);
        assert.strictEqual((await rejection(a.clock.run(() => runUpdate(a.svc.client, input, a.opts)))).outcome, "replace");
        const b = setup([{ throws: sdkError("ResourceNotFoundException", 404) }]);
        const gone = await rejection(b.clock.run(() => runUpdate(b.svc.client, input, b.opts)));
        assert.strictEqual(gone.outcome, "gone");
        assert.strictEqual(gone.identifier, "grp");
    });

    it("maps a FAILED NotFound to gone and retries a retryable failure with a fresh token", async () => {
        const a = setup([{ final: failedWith("NotFound") }]);
        assert.strictEqual((await rejection(a.clock.run(() => runUpdate(a.svc.client, input, a.opts)))).outcome, "gone");
        const b = setup([{ final: failedWith("ResourceConflict") }, {}]);
        await b.clock.run(() => runUpdate(b.svc.client, input, b.opts));
        assert.deepStrictEqual(b.svc.starts("UpdateResource"), ["up", "up-2"]);
    });

    it("makes up one token when the caller gives none and derives the retries from it", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("Throttling") }, {}]);
        await clock.run(() => runUpdate(svc.client, { ...input, clientToken: undefined }, opts));
        const [first, second] = svc.starts("UpdateResource");
        assert.match(first, /^[0-9a-f-]{36}$/);
        assert.strictEqual(second, `${first}-2`);
    });
});

describe("runDelete (unit, virtual clock)", () => {
    const input = { typeName: TYPE, identifier: "grp", clientToken: "del" };

    it("resolves with action deleted, the identifier and the SUCCESS event when it deleted the resource", async () => {
        const { clock, svc, opts } = setup([{}]);
        const { identifier, action, event } = await clock.run(() => runDelete(svc.client, input, opts));
        assert.deepStrictEqual([identifier, action, event?.OperationStatus], ["grp", "deleted", "SUCCESS"]);
    });

    it("counts a resource that is already gone as deleted (on the call or as FAILED NotFound)", async () => {
        const a = setup([{ throws: sdkError("ResourceNotFoundException", 404) }]);
        assert.deepStrictEqual(await a.clock.run(() => runDelete(a.svc.client, input, a.opts)), {
            identifier: "grp",
            action: "alreadyGone",
            event: undefined,
        });
        const b = setup([{ final: failedWith("NotFound") }]);
        const gone = await b.clock.run(() => runDelete(b.svc.client, input, b.opts));
        assert.deepStrictEqual([gone.action, gone.event?.ErrorCode], ["alreadyGone", "NotFound"]);
    });

    it("retries a retryable failure", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("NetworkFailure") }, {}]);
        assert.strictEqual((await clock.run(() => runDelete(svc.client, input, opts))).action, "deleted");
        assert.deepStrictEqual(svc.starts("DeleteResource"), ["del", "del-2"]);
    });

    it("fails on a final error", async () => {
        const { clock, svc, opts } = setup([{ final: failedWith("AccessDenied") }]);
        const err = await rejection(clock.run(() => runDelete(svc.client, input, opts)));
        assert.strictEqual(err.outcome, "fail");
        assert.match(err.message, /lack a permission/);
    });
});

describe("getResource (unit)", () => {
    it("returns undefined for a missing resource and the parsed properties otherwise", async () => {
        const { clock, svc } = setup([]);
        svc.resources.add("x");
        assert.strictEqual(await getResource(svc.client, { typeName: TYPE, identifier: "nope" }), undefined);
        assert.deepStrictEqual(await clock.run(() => getResource(svc.client, { typeName: TYPE, identifier: "x" })), {
            identifier: "x",
            properties: { Name: "x" },
        });
    });
});

describe("short calls in the account's pacer (unit, virtual clock)", () => {
    it("drops a GetResource still queued at its deadline, without sending it", async () => {
        const { clock, svc } = setup([]);
        svc.resources.add("r1");
        svc.pacer = new Pacer({ maxRequestsPerSecond: 1 }, clock);
        const t0 = clock.now();
        // Ten callers ahead of it: its turn would come ten seconds from now.
        const ahead = Array.from({ length: 10 }, () => svc.pacer!.acquire());
        const read = getResource(svc.client, { typeName: TYPE, identifier: "r1" }, { clock, random: () => 0.5, deadline: t0 + 3000 });
        const outcome = await clock.run(() =>
            Promise.all([
                read.then(
                    () => "resolved",
                    (e: Error) => e,
                ),
                ...ahead,
            ]),
        );
        assert.ok(outcome[0] instanceof Error, "the read was dropped");
        assert.match(
            (outcome[0] as Error).message,
            /^READ AWS::Logs::LogGroup r1: GetResource was still queued behind the account.s rate limit at the deadline$/,
        );
        assert.ok(clock.now() - t0 >= 3000);
        assert.strictEqual(svc.calls.filter((c) => c.op === "GetResource").length, 0, "never sent");
    });
});

describe("attemptToken (unit)", () => {
    it("keeps the base for attempt 1 and appends -n after", () => {
        assert.strictEqual(attemptToken("abc", 1), "abc");
        assert.strictEqual(attemptToken("abc", 3), "abc-3");
    });

    it("stays within 128 characters", () => {
        const long = "a".repeat(128);
        assert.strictEqual(attemptToken(long, 12).length, 128);
        assert.ok(attemptToken(long, 12).endsWith("-12"));
        assert.notStrictEqual(attemptToken(long, 2), attemptToken(long, 3));
    });
});

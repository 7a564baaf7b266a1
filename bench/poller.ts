/**
 * Benchmark section "poller": how soon the caller resumes after an operation completes (overshoot) and how many
 * GetResourceRequestStatus calls it costs, for
 *   - ours: waitForRequest (RetryAfter-aware, 200 ms growing with 20 % of elapsed, capped 3 s, ±20 % jitter),
 *   - sdk:  the SDK's waitUntilResourceRequestSuccess with its defaults (first poll at once, then 5..120 s),
 *   - tf:   a Terraform-like schedule (first poll at once, then 100 ms doubling to 10 s),
 * against the emulator over HTTP (operations of 0.5, 2 and 8 s, run concurrently) and on a virtual clock
 * (0.5 to 300 s, many samples), each with and without RetryAfter hints. Ratios compare numbers from this same run.
 */
import {
    CloudControlClient,
    CreateResourceCommand,
    GetResourceRequestStatusCommand,
    waitUntilResourceRequestSuccess,
    type ProgressEvent,
} from "@aws-sdk/client-cloudcontrol";
import { clientConfig } from "../src/cloudcontrol/client";
import { VirtualClock, type Clock } from "../src/cloudcontrol/clock";
import { waitForRequest } from "../src/cloudcontrol/poller";
import { startEmulator, type Emulator } from "../src/emulator";
import { seededRandom } from "../src/emulator/faults";

type PollerName = "ours" | "sdk" | "tf";
const POLLERS: PollerName[] = ["ours", "sdk", "tf"];

interface Sample {
    overshootMs: number;
    calls: number;
    /** Status calls at or after the moment the operation completed (the last hint, when hints are sent). */
    callsAfterCompletion: number;
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Terraform's StateChangeConf as aws_cloudcontrolapi_resource uses it: refresh at once, then 100 ms doubling to 10 s. */
async function terraformLikeWait(client: CloudControlClient, requestToken: string, clock: Clock): Promise<ProgressEvent> {
    let wait = 0;
    for (;;) {
        if (wait > 0) await clock.sleep(wait);
        const out = await client.send(new GetResourceRequestStatusCommand({ RequestToken: requestToken }));
        const status = out.ProgressEvent?.OperationStatus;
        if (status === "SUCCESS" || status === "FAILED" || status === "CANCEL_COMPLETE") return out.ProgressEvent!;
        wait = wait === 0 ? 100 : Math.min(wait * 2, 10_000);
    }
}

/**
 * The SDK waiter's schedule (a faithful copy of @smithy's runPolling/exponentialBackoffWithJitter with the service
 * defaults minDelay 5 s, maxDelay 120 s), on an injectable clock: the real waiter only runs on real time.
 */
async function sdkWaiterModel(
    client: CloudControlClient,
    requestToken: string,
    clock: Clock,
    random: () => number,
): Promise<ProgressEvent> {
    const [minMs, maxMs] = [5000, 120_000];
    const ceiling = Math.log(maxMs / minMs) / Math.log(2) + 1;
    for (let attempt = 0; ; attempt++) {
        if (attempt > 0) {
            const delay = attempt > ceiling ? maxMs : minMs + random() * (Math.min(minMs * 2 ** (attempt - 1), maxMs) - minMs);
            await clock.sleep(delay);
        }
        const out = await client.send(new GetResourceRequestStatusCommand({ RequestToken: requestToken }));
        const status = out.ProgressEvent?.OperationStatus;
        if (status === "SUCCESS" || status === "FAILED" || status === "CANCEL_COMPLETE") return out.ProgressEvent!;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Against the emulator, over HTTP, real time.

const EMULATOR_DURATIONS_S = [0.5, 2, 8];
const OPS_PER_CELL = 9;
/** One type per duration, so all durations run at once on one emulator (each phase lasts half the duration). */
const TYPES: Record<number, { typeName: string; state: (name: string) => Record<string, unknown> }> = {
    0.5: { typeName: "AWS::Logs::LogGroup", state: (n) => ({ LogGroupName: n }) },
    2: { typeName: "AWS::S3::Bucket", state: (n) => ({ BucketName: n }) },
    8: { typeName: "AWS::SQS::Queue", state: (n) => ({ QueueName: n }) },
};

async function emulatorRun(em: Emulator, hints: boolean): Promise<Map<string, Sample[]>> {
    em.setRetryAfter(hints);
    const clients = Object.fromEntries(
        POLLERS.map((p) => [
            p,
            new CloudControlClient({
                ...clientConfig({ region: em.region, endpoint: em.endpoint }),
                credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
            }),
        ]),
    ) as Record<PollerName, CloudControlClient>;
    // Warm each client (credentials, connection) so the first measured call is not an outlier.
    await Promise.all(
        POLLERS.map((p) => clients[p].send(new GetResourceRequestStatusCommand({ RequestToken: "warm-up" })).catch(() => undefined)),
    );
    const results = new Map<string, Sample[]>();
    const jobs: Promise<void>[] = [];
    for (const d of EMULATOR_DURATIONS_S) {
        for (const poller of POLLERS) {
            const key = `${d}|${poller}`;
            results.set(key, []);
            for (let i = 0; i < OPS_PER_CELL; i++) {
                jobs.push(
                    (async () => {
                        // Stagger starts a little so the pollers do not all call in the same millisecond.
                        await new Promise((r) => setTimeout(r, Math.random() * 1000));
                        const client = clients[poller];
                        const { typeName, state } = TYPES[d];
                        const name = `b${hints ? "h" : "n"}-${poller}-${String(d).replace(".", "")}-${i}`;
                        const out = await client.send(
                            new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(state(name)) }),
                        );
                        const started = out.ProgressEvent!;
                        const token = started.RequestToken!;
                        const completedAt = started.EventTime!.getTime() + d * 1000;
                        if (poller === "ours") await waitForRequest(client, token, { initialEvent: started });
                        else if (poller === "sdk")
                            await waitUntilResourceRequestSuccess({ client, maxWaitTime: 600 }, { RequestToken: token });
                        else
                            await terraformLikeWait(client, token, { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
                        const resumedAt = Date.now();
                        const calls = em.requestLog.filter((e) => e.operation === "GetResourceRequestStatus" && e.requestToken === token);
                        results.get(key)!.push({
                            overshootMs: resumedAt - completedAt,
                            calls: calls.length,
                            callsAfterCompletion: calls.filter((e) => e.time >= completedAt).length,
                        });
                    })(),
                );
            }
        }
    }
    await Promise.all(jobs);
    for (const c of Object.values(clients)) c.destroy();
    return results;
}

// ---------------------------------------------------------------------------------------------------------------
// On a virtual clock: the same pollers against a simulated request (a 20 ms round trip per call).

const VIRTUAL_DURATIONS_S = [0.5, 2, 8, 30, 300];
const VIRTUAL_SAMPLES = 101;
const RTT_MS = 20;

function simulatedClient(clock: VirtualClock, startMs: number, durationMs: number, hints: boolean, log: number[]): CloudControlClient {
    const send = async (): Promise<unknown> => {
        await clock.sleep(RTT_MS / 2);
        const t = clock.now();
        log.push(t);
        const elapsed = t - startMs;
        const half = durationMs / 2;
        const status = elapsed >= durationMs ? "SUCCESS" : elapsed >= half ? "IN_PROGRESS" : "PENDING";
        const next = status === "PENDING" ? startMs + half : startMs + durationMs;
        const event: ProgressEvent = {
            RequestToken: "sim",
            OperationStatus: status,
            RetryAfter: hints && status !== "SUCCESS" ? new Date(next) : undefined,
        };
        await clock.sleep(RTT_MS / 2);
        return { ProgressEvent: event };
    };
    return { config: {}, send } as unknown as CloudControlClient;
}

async function virtualSample(poller: PollerName, durationS: number, hints: boolean, seed: number): Promise<Sample> {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const random = seededRandom(seed);
    const start = clock.now();
    const durationMs = durationS * 1000;
    const log: number[] = [];
    const client = simulatedClient(clock, start, durationMs, hints, log);
    // The start call's answer: PENDING, with a hint when hints are on.
    const initialEvent: ProgressEvent = {
        RequestToken: "sim",
        OperationStatus: "PENDING",
        RetryAfter: hints ? new Date(start + durationMs / 2) : undefined,
    };
    await clock.run(async () => {
        await clock.sleep(RTT_MS); // the start call itself
        if (poller === "ours") await waitForRequest(client, "sim", { clock, random, initialEvent, timeout: 7200 });
        else if (poller === "sdk") await sdkWaiterModel(client, "sim", clock, random);
        else await terraformLikeWait(client, "sim", clock);
    });
    const completedAt = start + durationMs;
    return { overshootMs: clock.now() - completedAt, calls: log.length, callsAfterCompletion: log.filter((t) => t >= completedAt).length };
}

async function virtualRun(hints: boolean): Promise<Map<string, Sample[]>> {
    const results = new Map<string, Sample[]>();
    for (const d of VIRTUAL_DURATIONS_S) {
        for (const poller of POLLERS) {
            const samples: Sample[] = [];
            for (let i = 0; i < VIRTUAL_SAMPLES; i++) samples.push(await virtualSample(poller, d, hints, 1000 * d + i + 1));
            results.set(`${d}|${poller}`, samples);
        }
    }
    return results;
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting.

interface Cell {
    overshoot: number;
    calls: number;
    afterCompletion: number;
}

function summarize(samples: Sample[]): Cell {
    return {
        overshoot: median(samples.map((s) => s.overshootMs)),
        calls: median(samples.map((s) => s.calls)),
        afterCompletion: Math.max(...samples.map((s) => s.callsAfterCompletion)),
    };
}

const pad = (s: string, n: number) => s.padStart(n);
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)}s` : `${Math.round(x)}ms`);
const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? "1.00" : "inf") : (a / b).toFixed(2));

function printTable(title: string, durations: number[], runs: { hints: boolean; results: Map<string, Sample[]> }[], goals: string[]): void {
    console.log(`\n${title}`);
    console.log(
        [
            pad("dur", 5),
            pad("hints", 6),
            pad("ours ovr", 9),
            pad("calls", 6),
            pad("sdk ovr", 9),
            pad("calls", 6),
            pad("tf ovr", 9),
            pad("calls", 6),
            pad("ovr/sdk", 8),
            pad("ovr/tf", 7),
            pad("calls/sdk", 10),
            pad("calls/tf", 9),
        ].join(" "),
    );
    for (const { hints, results } of runs) {
        for (const d of durations) {
            const [o, s, t] = POLLERS.map((p) => summarize(results.get(`${d}|${p}`)!));
            console.log(
                [
                    pad(`${d}s`, 5),
                    pad(hints ? "yes" : "no", 6),
                    pad(ms(o.overshoot), 9),
                    pad(String(o.calls), 6),
                    pad(ms(s.overshoot), 9),
                    pad(String(s.calls), 6),
                    pad(ms(t.overshoot), 9),
                    pad(String(t.calls), 6),
                    pad(ratio(o.overshoot, s.overshoot), 8),
                    pad(ratio(o.overshoot, t.overshoot), 7),
                    pad(ratio(o.calls, s.calls), 10),
                    pad(ratio(o.calls, t.calls), 9),
                ].join(" "),
            );
            if (hints) {
                goals.push(
                    `${title.split(" ")[0]} ${d}s with RetryAfter: overshoot ${ms(o.overshoot)} < 50ms and at most 1 status call after the last hint (${o.afterCompletion}): ${o.overshoot < 50 && o.afterCompletion <= 1 ? "PASS" : "FAIL"}`,
                );
            } else {
                if (d === 2)
                    goals.push(
                        `${title.split(" ")[0]} 2s no hints: overshoot ${ratio(o.overshoot, s.overshoot)} of the SDK waiter's (goal <= 0.20): ${o.overshoot <= 0.2 * s.overshoot ? "PASS" : "FAIL"}`,
                    );
                if (d === 8)
                    goals.push(
                        `${title.split(" ")[0]} 8s no hints: overshoot ${ratio(o.overshoot, s.overshoot)} of the SDK waiter's (goal <= 0.40): ${o.overshoot <= 0.4 * s.overshoot ? "PASS" : "FAIL"}`,
                    );
                const worseOnBoth = o.overshoot > t.overshoot && o.calls > t.calls;
                goals.push(
                    `${title.split(" ")[0]} ${d}s no hints: not worse than Terraform-like on both overshoot and calls: ${worseOnBoth ? "FAIL" : "PASS"}`,
                );
            }
        }
    }
}

/** Runs the section. */
export async function run(): Promise<void> {
    const started = Date.now();
    const goals: string[] = [];
    const em = await startEmulator({
        schemas: false,
        durations: Object.fromEntries(EMULATOR_DURATIONS_S.map((d) => [TYPES[d].typeName, { create: (d * 1000) / 2 }])),
    });
    try {
        const withHints = await emulatorRun(em, true);
        const withoutHints = await emulatorRun(em, false);
        printTable(
            `emulator (HTTP, real time; median of ${OPS_PER_CELL} concurrent operations per cell; overshoot = operation completed -> caller resumed)`,
            EMULATOR_DURATIONS_S,
            [
                { hints: true, results: withHints },
                { hints: false, results: withoutHints },
            ],
            goals,
        );
    } finally {
        await em.close();
    }
    const vHints = await virtualRun(true);
    const vNoHints = await virtualRun(false);
    printTable(
        `virtual (simulated clock, ${RTT_MS} ms round trip; median of ${VIRTUAL_SAMPLES} runs per cell; the SDK waiter is a copy of its schedule)`,
        VIRTUAL_DURATIONS_S,
        [
            { hints: true, results: vHints },
            { hints: false, results: vNoHints },
        ],
        goals,
    );
    console.log("\ngoals:");
    for (const g of goals) console.log(`  ${g}`);
    console.log(`\npoller section took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * `npm run bench deploy`: wall time, throttled requests and status calls of `up` for a dependency tree (fan-out 3)
 * with emulated operation durations of 1-3 s, through Pulumi's runtime and dynamic-provider host:
 *  - 50, 200 and 1,000 resources under a 20 requests/s account rate limit, with the rate set in stack config
 *    (`cloudcontrol:maxRequestsPerSecond`), measured against the tight lower bound (below);
 *  - 200 resources under the same limit with the rate not set (learned from throttling), for information;
 *  - 50 and 200 resources without a limit, against the dependency chain (the pacer's rate is learned there too);
 *  - a baseline provider that waits with the SDK's waiter (waitUntilResourceRequestSuccess), for 50 and 200.
 *
 * The tight lower bound simulates the deployment itself: the dependency tree, the account's token bucket (the
 * emulator's: refill R/s, capacity R, full at the start, first come first served) and the fewest requests a create
 * can take (CreateResource when its parent is done; one GetResourceRequestStatus when the operation has finished;
 * one GetResource), with zero latency. A create's operation runs from its CreateResource's admission.
 * Goal: every rate-limited run at most 1.1x the tight bound, 0 throttled, at most 1.2 status calls per create,
 * 0 failed; without a limit, as before (about 1.04x the chain).
 * BENCH_COUNTS=50,200 runs only those sizes; BENCH_BASELINE=0 skips the SDK-waiter runs; BENCH_PARALLEL=n limits
 * operations at once (default unbounded, like `pulumi up`).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator } from "../src/emulator";
import { CloudControlResource } from "../src/resource";
import { preview, up } from "../test/support/harness";
import { cloudControlRunOptions, startCloudControlHost } from "../test/support/harness/cloudcontrol";
import { WaiterResource } from "../test/support/harness/waiter-provider";

const RATE = 20;
const FANOUT = 3;

interface Kind {
    typeName: string;
    /** The emulator keeps a request PENDING for this long, then IN_PROGRESS for as long again. */
    phaseMs: number;
    state(i: number, parent: string | undefined): Record<string, unknown>;
}

const tags = (parent: string | undefined) => (parent === undefined ? {} : { Tags: [{ Key: "parent", Value: parent }] });
const KINDS: Kind[] = [
    { typeName: "AWS::Logs::LogGroup", phaseMs: 500, state: (i, p) => ({ LogGroupName: `bench-lg-${i}`, ...tags(p) }) },
    { typeName: "AWS::SQS::Queue", phaseMs: 1000, state: (i, p) => ({ QueueName: `bench-q-${i}`, ...tags(p) }) },
    { typeName: "AWS::SSM::Parameter", phaseMs: 1500, state: (i, p) => ({ Name: `/bench/p${i}`, Type: "String", Value: p ?? "root" }) },
];
const kindOf = (i: number) => KINDS[i % KINDS.length];
const parentOf = (i: number) => (i === 0 ? undefined : Math.floor((i - 1) / FANOUT));
const operationSeconds = (i: number) => (2 * kindOf(i).phaseMs) / 1000;

type Make = (
    name: string,
    args: { typeName: string; desiredState: pulumi.Input<Record<string, unknown>> },
) => { identifier: pulumi.Output<string> };

function program(count: number, make: Make) {
    return () => {
        const ids: pulumi.Output<string>[] = [];
        for (let i = 0; i < count; i++) {
            const p = parentOf(i);
            const parentId = p === undefined ? pulumi.output<string | undefined>(undefined) : ids[p];
            ids.push(
                make(`r${i}`, { typeName: kindOf(i).typeName, desiredState: parentId.apply((v) => kindOf(i).state(i, v)) }).identifier,
            );
        }
        return {};
    };
}

/** The longest chain of operation durations along the dependency tree, seconds. */
function chainBound(count: number): number {
    const finish: number[] = [];
    for (let i = 0; i < count; i++) {
        const p = parentOf(i);
        finish.push((p === undefined ? 0 : finish[p]) + operationSeconds(i));
    }
    return Math.max(...finish);
}

/** A binary heap of timed events, earliest first (ties: first pushed). */
class EventQueue<T> {
    private items: { t: number; seq: number; value: T }[] = [];
    private seq = 0;
    get size(): number {
        return this.items.length;
    }
    push(t: number, value: T): void {
        const a = this.items;
        a.push({ t, seq: this.seq++, value });
        for (let i = a.length - 1; i > 0;) {
            const p = (i - 1) >> 1;
            if (!this.less(a[i], a[p])) break;
            [a[i], a[p]] = [a[p], a[i]];
            i = p;
        }
    }
    pop(): { t: number; value: T } {
        const a = this.items;
        const top = a[0];
        const last = a.pop()!;
        if (a.length > 0) {
            a[0] = last;
            for (let i = 0; ;) {
                const l = 2 * i + 1;
                const r = l + 1;
                let m = i;
                if (l < a.length && this.less(a[l], a[m])) m = l;
                if (r < a.length && this.less(a[r], a[m])) m = r;
                if (m === i) break;
                [a[i], a[m]] = [a[m], a[i]];
                i = m;
            }
        }
        return top;
    }
    private less(x: { t: number; seq: number }, y: { t: number; seq: number }): boolean {
        return x.t < y.t || (x.t === y.t && x.seq < y.seq);
    }
}

/**
 * The tight lower bound of an `up` of `count` resources under an account token bucket (refill `rps`, capacity
 * `burst`, full at the start), seconds: an event simulation of the tree in which every create makes the fewest
 * requests it can (see the module comment) and requests are admitted first come first served, with no latency.
 */
export function tightBound(count: number, rps: number, burst = rps): number {
    type Step = { i: number; stage: "create" | "status" | "read" };
    const queue = new EventQueue<Step>();
    let tokens = burst;
    let last = 0;
    /** Admission time of a request made at `t` (requests are taken in the order they are made). */
    const admit = (t: number): number => {
        const at = Math.max(t, last);
        tokens = Math.min(burst, tokens + (at - last) * rps);
        last = at;
        if (tokens >= 1) {
            tokens -= 1;
            return at;
        }
        const granted = at + (1 - tokens) / rps;
        tokens = 0;
        last = granted;
        return granted;
    };
    const children = (i: number) => Array.from({ length: FANOUT }, (_, k) => FANOUT * i + 1 + k).filter((c) => c < count);
    let end = 0;
    queue.push(0, { i: 0, stage: "create" });
    while (queue.size > 0) {
        const { t, value } = queue.pop();
        const admitted = admit(t);
        if (value.stage === "create") queue.push(admitted + operationSeconds(value.i), { i: value.i, stage: "status" });
        else if (value.stage === "status") queue.push(admitted, { i: value.i, stage: "read" });
        else {
            end = Math.max(end, admitted);
            for (const c of children(value.i)) queue.push(admitted, { i: c, stage: "create" });
        }
    }
    return end;
}

interface Measure {
    wall: number;
    statusCalls: number;
    requests: number;
    throttled: number;
    failed: number;
}

interface Scenario {
    count: number;
    /** The emulator's account limit, requests/s (none: unlimited). */
    limit?: number;
    /** Stack config `cloudcontrol:maxRequestsPerSecond` (unset: learned). */
    configured?: number;
    /** Also run the SDK-waiter baseline. */
    baseline?: boolean;
}

async function measure(s: Scenario, variant: "provider" | "sdk-waiter"): Promise<Measure> {
    const durations: Record<string, { create: number; delete: number; update: number }> = {};
    for (const k of KINDS) durations[k.typeName] = { create: k.phaseMs, update: k.phaseMs, delete: 50 };
    const em = await startEmulator({ durations, ...(s.limit ? { rateLimit: { requestsPerSecond: s.limit } } : {}) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-deploy-"));
    const host = await startCloudControlHost(em);
    try {
        const make: Make =
            variant === "provider" ? (name, args) => new CloudControlResource(name, args) : (name, args) => new WaiterResource(name, args);
        const parallel = process.env.BENCH_PARALLEL ? Number(process.env.BENCH_PARALLEL) : undefined;
        const base = cloudControlRunOptions(em);
        const config = { ...base.config, ...(s.configured ? { "cloudcontrol:maxRequestsPerSecond": String(s.configured) } : {}) };
        const opts = { stateFile: path.join(dir, "stack.json"), ...base, config, host, program: program(s.count, make), parallel };
        // Warm up (load the provider in the host and the program here, fetch the schemas) with a preview, then let
        // the account's bucket fill up again.
        await preview(opts);
        await new Promise((r) => setTimeout(r, 1500));
        em.clearRequestLog();
        const t0 = Date.now();
        const r = await up(opts);
        const wall = (Date.now() - t0) / 1000;
        if (!r.ok) console.log(`      (${variant}, ${s.count}: ${r.errors.length} errors; first: ${r.errors[0]})`);
        return {
            wall,
            statusCalls: em.countRequests("GetResourceRequestStatus"),
            requests: em.requestLog.length,
            throttled: em.countRequests(undefined, (e) => e.error === "ThrottlingException" || e.error === "Throttling"),
            failed: Math.max(r.errors.length, s.count - em.listResources().length),
        };
    } finally {
        await host.close();
        await em.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Runs the section. */
export async function run(): Promise<void> {
    console.log(`tree fan-out ${FANOUT}; create durations 1/2/3 s by type; rate-limited runs: emulator limit ${RATE}/s (burst ${RATE})`);
    const scenarios: Scenario[] = [
        { count: 50, limit: RATE, configured: RATE, baseline: true },
        { count: 200, limit: RATE, configured: RATE, baseline: true },
        // No SDK-waiter baseline at 1,000: it loses resources to throttling already at 200.
        { count: 1000, limit: RATE, configured: RATE },
        { count: 200, limit: RATE },
        { count: 50, baseline: true },
        { count: 200 },
    ];
    const only = process.env.BENCH_COUNTS?.split(",").map(Number);
    const lines: string[] = [];
    for (const s of scenarios.filter((x) => !only || only.includes(x.count))) {
        const chain = chainBound(s.count);
        const bound = s.limit ? tightBound(s.count, s.limit) : chain;
        const ours = await measure(s, "provider");
        const waiter = s.baseline && process.env.BENCH_BASELINE !== "0" ? await measure(s, "sdk-waiter") : undefined;
        const perCreate = (m: Measure) => m.statusCalls / s.count;
        const row = (name: string, m: Measure) =>
            `      ${name.padEnd(10)} ${m.wall.toFixed(1).padStart(6)} s  ${(m.wall / bound).toFixed(2)}x bound  status calls ${m.statusCalls} (${perCreate(m).toFixed(2)}/create), requests ${m.requests}, throttled ${m.throttled}, failed resources ${m.failed}`;
        const setting = s.limit
            ? s.configured
                ? `rate limit ${s.limit}/s, maxRequestsPerSecond ${s.configured}`
                : `rate limit ${s.limit}/s, rate not set (learned)`
            : "no rate limit";
        const bounds = s.limit
            ? `tight bound ${bound.toFixed(1)} s (chain ${chain.toFixed(1)} s; requests alone ${((3 * s.count - s.limit) / s.limit).toFixed(1)} s)`
            : `bound = chain ${chain.toFixed(1)} s`;
        console.log(`${String(s.count).padStart(4)} resources, ${setting}: ${bounds}`);
        console.log(row("provider", ours));
        if (waiter)
            console.log(
                `${row("sdk-waiter", waiter)}\n      provider ${(waiter.wall / ours.wall).toFixed(2)}x faster than the SDK waiter${waiter.failed > 0 ? " (the SDK-waiter run had failures: its time is not a full deployment)" : ""}`,
            );
        const summary = `${(ours.wall / bound).toFixed(2)}x bound, ${ours.throttled} throttled, ${perCreate(ours).toFixed(2)} status/create, ${ours.failed} failed`;
        if (s.limit && s.configured) lines.push(`deploy ${s.count} @${s.limit}/s: ${summary}`);
        else if (s.limit) console.log(`      learned rate (not a goal run): ${summary}`);
    }
    for (const line of lines) console.log(line);
}

/**
 * `npm run bench diff`: computePatch (schema-aware) against fast-json-patch's `compare` on small (~1 KB), large
 * (~1 MB deep and wide), array-heavy, IAM role (1 MB: 3,000 inline policies, one statement changed) and 5 MB
 * models, measured in the same run. Goal on every case: no slower than compare (median of interleaved samples),
 * no more operations (write-only values re-sent with a change are counted apart: compare knows nothing of them),
 * and allocation within 2x the model's size (estimated by V8's sampling heap profiler, collected objects included).
 */
import * as inspector from "inspector";
import { compare, deepClone } from "fast-json-patch";
import { computePatch, diffDesiredState } from "../src/diff";
import { buildPatch } from "../src/diff/patch-builder";
import { schemaIndexOf } from "../src/diff/schema-index";
import type { RegistrySchema } from "../src/schema/types";
import { testSchema } from "../test/fixtures/schemas";

type Obj = Record<string, unknown>;

function prng(seed: number): () => number {
    return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A synthetic schema over the large models: sets, tags, read-only, create-only and write-only paths. */
const largeSchema: RegistrySchema = {
    typeName: "Bench::Diff::Large",
    properties: {
        Name: { type: "string" },
        Arn: { type: "string" },
        Config: { type: "object" },
        Secret: { type: "object" },
        Items: { type: "array", insertionOrder: false, items: { $ref: "#/definitions/Item" } },
        Ordered: { type: "array", items: { $ref: "#/definitions/Item" } },
        Tags: { type: "array", insertionOrder: false, items: { $ref: "#/definitions/Tag" } },
    },
    definitions: {
        Item: {
            type: "object",
            properties: { Id: { type: "string" }, Values: { type: "array", insertionOrder: false, items: { type: "integer" } } },
        },
        Tag: { type: "object", properties: { Key: { type: "string" }, Value: { type: "string" } } },
    },
    createOnlyProperties: ["/properties/Name"],
    readOnlyProperties: ["/properties/Arn"],
    writeOnlyProperties: ["/properties/Secret"],
    primaryIdentifier: ["/properties/Name"],
    tagging: { taggable: true, tagProperty: "/properties/Tags" },
};

function deepTree(rand: () => number, depth: number, width: number): Obj {
    const out: Obj = {};
    for (let i = 0; i < width; i++) {
        const k = `k${i}`;
        if (depth === 0) out[k] = rand() < 0.5 ? `value-${Math.floor(rand() * 1e6)}` : Math.floor(rand() * 1e6);
        else out[k] = deepTree(rand, depth - 1, width);
    }
    return out;
}

/** Changes about 1% of the leaves, removes and adds a few members. */
function perturb(tree: Obj, rand: () => number): void {
    for (const k of Object.keys(tree)) {
        const v = tree[k];
        if (v && typeof v === "object" && !Array.isArray(v)) perturb(v as Obj, rand);
        else if (rand() < 0.01) tree[k] = "changed";
        else if (rand() < 0.002) delete tree[k];
        // eslint-disable-next-line no-dupe-else-if -- each condition draws a new number
        else if (rand() < 0.002) tree[k + "x"] = "added";
    }
}

/** An inline policy of ~330 bytes: a policy document with one statement of a few actions and resources. */
function policy(i: number): Obj {
    return {
        PolicyName: `policy-${i}`,
        PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: `Stmt${i}`,
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket", `sqs:SendMessage`],
                    Resource: [`arn:aws:s3:::bucket-${i}`, `arn:aws:s3:::bucket-${i}/*`, `arn:aws:sqs:us-east-1:123456789012:queue-${i}`],
                },
            ],
        },
    };
}

function items(rand: () => number, n: number): Obj[] {
    return Array.from({ length: n }, (_, i) => ({
        Id: `item-${i}`,
        Values: [1, 2, 3].map(() => Math.floor(rand() * 100)),
        Name: `n${i}`,
        Enabled: i % 2 === 0,
    }));
}

interface Case {
    name: string;
    old: unknown;
    next: unknown;
    schema?: RegistrySchema;
}

function cases(): Case[] {
    const rand = prng(42);
    const lambda = testSchema("AWS::Lambda::Function");
    const small = {
        FunctionName: "bench-fn",
        Role: "arn:aws:iam::123456789012:role/bench",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        PackageType: "Zip",
        MemorySize: 128,
        Timeout: 30,
        Code: { S3Bucket: "code-bucket", S3Key: "v1.zip" },
        Environment: {
            Variables: {
                STAGE: "dev",
                LOG_LEVEL: "info",
                TABLE: "orders",
                QUEUE: "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                BUCKET: "orders-archive-123456789012",
                REGION_HINT: "us-east-1",
                FEATURE_FLAGS: "a,b,c,d",
            },
        },
        Description: "Handles order events from the queue and writes them to the orders table, with retries and a DLQ.",
        Architectures: ["arm64"],
        Layers: ["arn:aws:lambda:us-east-1:123456789012:layer:a:1", "arn:aws:lambda:us-east-1:123456789012:layer:b:2"],
        Tags: [
            { Key: "team", Value: "core" },
            { Key: "env", Value: "dev" },
            { Key: "cost-center", Value: "1234" },
            { Key: "owner", Value: "orders@example.com" },
            { Key: "service", Value: "orders" },
        ],
    };
    const smallNext = deepClone(small);
    smallNext.MemorySize = 256;
    smallNext.Environment.Variables.LOG_LEVEL = "debug";
    smallNext.Tags.reverse();

    const large = { Name: "large", Config: deepTree(rand, 4, 9), Secret: { token: "x" } };
    const largeNext = deepClone(large);
    perturb(largeNext.Config as Obj, rand);

    const base = items(rand, 2000);
    const arrays = {
        Name: "arrays",
        Items: base,
        Ordered: deepClone(base),
        Tags: Array.from({ length: 40 }, (_, i) => ({ Key: `t${i}`, Value: `${i}` })),
    };
    const arraysNext = deepClone(arrays);
    (arraysNext.Items as Obj[]).reverse(); // a set, reordered: no change
    (arraysNext.Items as Obj[])[10].Enabled = !(arraysNext.Items as Obj[])[10].Enabled;
    (arraysNext.Ordered as Obj[]).push(...items(rand, 20)); // appended
    arraysNext.Tags.sort((a: { Key: string }, b: { Key: string }) => (a.Key < b.Key ? 1 : -1));

    const role = {
        RoleName: "bench-role",
        AssumeRolePolicyDocument: policy(-1).PolicyDocument,
        Policies: Array.from({ length: 3000 }, (_, i) => policy(i)),
    };
    const roleNext = deepClone(role);
    ((roleNext.Policies[1500].PolicyDocument as Obj).Statement as Obj[])[0].Action = ["s3:GetObject"]; // one statement changed

    const huge = { Name: "huge", Config: deepTree(rand, 4, 12), Items: items(rand, 5000), Secret: { token: "x" } };
    const hugeNext = deepClone(huge);
    perturb(hugeNext.Config as Obj, rand);
    (hugeNext.Items as Obj[]).reverse();
    (hugeNext.Items as Obj[])[42].Name = "renamed";

    return [
        { name: "small (~1 KB, Lambda schema)", old: small, next: smallNext, schema: lambda },
        { name: "small (~1 KB, no schema)", old: small, next: smallNext },
        { name: "large (~1 MB deep+wide)", old: large, next: largeNext, schema: largeSchema },
        { name: "large (~1 MB, no schema)", old: large, next: largeNext },
        { name: "array-heavy (~300 KB)", old: arrays, next: arraysNext, schema: largeSchema },
        { name: "IAM role (~1 MB, 3,000 inline policies)", old: role, next: roleNext, schema: testSchema("AWS::IAM::Role") },
        { name: "huge (~5 MB deep+wide + 5,000-item set)", old: huge, next: hugeNext, schema: largeSchema },
    ];
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

/** CPU time of this process so far, ms (user + system). */
function cpuMs(): number {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
}

function batchSize(fn: () => unknown): number {
    let batch = 1;
    for (;;) {
        const t0 = cpuMs();
        for (let i = 0; i < batch; i++) fn();
        if (cpuMs() - t0 > 20 || batch > 1e6) return batch;
        batch *= 2;
    }
}

/** Medians (ms per call) of a and b: CPU time and wall-clock time. */
interface PairTimes {
    cpu: [number, number];
    wall: [number, number];
}

/**
 * Median time of one call of each function, with samples interleaved (a, b, a, b, ...) so that load from other
 * processes hits both alike; each sample batches enough calls to last ~20 ms of CPU. CPU time is the measure (the
 * machine is shared: wall-clock time also counts the time other processes hold the cores), wall time is shown too.
 */
function timePair(a: () => unknown, b: () => unknown, samples = 15): PairTimes {
    const n = [batchSize(a), batchSize(b)];
    const fns = [a, b];
    const cpu: number[][] = [[], []];
    const wall: number[][] = [[], []];
    for (let s = 0; s < samples; s++) {
        for (let f = 0; f < 2; f++) {
            const w0 = process.hrtime.bigint();
            const c0 = cpuMs();
            for (let i = 0; i < n[f]; i++) fns[f]();
            cpu[f].push((cpuMs() - c0) / n[f]);
            wall[f].push(Number(process.hrtime.bigint() - w0) / 1e6 / n[f]);
        }
    }
    return { cpu: [median(cpu[0]), median(cpu[1])], wall: [median(wall[0]), median(wall[1])] };
}

/**
 * Bytes a call allocates (mean over `runs` calls), estimated by V8's sampling heap profiler with objects collected
 * by minor and major GCs included: what the call costs the allocator, not what it keeps.
 */
function allocated(fn: () => unknown, runs: number): number {
    const session = new inspector.Session();
    session.connect();
    const post = (method: string, params?: object): any => {
        let result: unknown;
        let error: Error | null = null;
        session.post(method, params, (e, r) => ((error = e), (result = r))); // answered synchronously in-process
        if (error) throw error;
        return result;
    };
    try {
        post("HeapProfiler.enable");
        post("HeapProfiler.startSampling", {
            samplingInterval: 256,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: true,
        });
        for (let i = 0; i < runs; i++) fn();
        const { profile } = post("HeapProfiler.stopSampling");
        let total = 0;
        const walk = (node: { selfSize: number; children: unknown[] }) => {
            total += node.selfSize;
            for (const c of node.children) walk(c as typeof node);
        };
        walk(profile.head);
        return total / runs;
    } finally {
        post("HeapProfiler.disable");
        session.disconnect();
    }
}

function kb(bytes: number): string {
    return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** Runs the section and prints a table with ratios (computePatch / compare). */
export async function run(): Promise<void> {
    const rows: string[][] = [
        [
            "case",
            "size",
            "compare ms",
            "computePatch ms",
            "time",
            "(wall)",
            "compare ops",
            "our ops (re-sent)",
            "our alloc",
            "alloc/size",
            "compare alloc",
            "goal met",
        ],
    ];
    const extra: string[] = [];
    let allMet = true;
    for (const c of cases()) {
        const size = JSON.stringify(c.old).length;
        // compare() needs objects it may not mutate; neither function mutates its inputs.
        const baseOps = compare(c.old as Obj, c.next as Obj).length;
        const ours = computePatch(c.old, c.next, c.schema); // also parses and caches the schema, as a provider process does
        const resent = c.schema ? buildPatch(c.old, c.next, schemaIndexOf(c.schema).root).resent : 0;
        const times = timePair(
            () => compare(c.old as Obj, c.next as Obj),
            () => computePatch(c.old, c.next, c.schema),
        );
        const [tBase, tOurs] = times.cpu;
        // Enough calls to allocate a few MB in all: the profiler samples, so small totals are noisy.
        const runs = Math.min(5000, Math.max(3, Math.ceil(4e6 / size)));
        const alloc = allocated(() => computePatch(c.old, c.next, c.schema), runs);
        const baseAlloc = allocated(() => compare(c.old as Obj, c.next as Obj), runs);
        const ratio = tOurs / tBase;
        const met = ours.length - resent <= baseOps && ratio <= 1 && alloc <= 2 * size;
        allMet &&= met;
        rows.push([
            c.name,
            kb(size),
            tBase.toFixed(4),
            tOurs.toFixed(4),
            `${ratio.toFixed(2)}x`,
            `${(times.wall[1] / times.wall[0]).toFixed(2)}x`,
            String(baseOps),
            `${ours.length} (${resent})`,
            kb(alloc),
            `${(alloc / size).toFixed(2)}x`,
            kb(baseAlloc),
            met ? "yes" : "NO",
        ]);
        if (c.schema) {
            // For information: the provider's diff (patch, replacements, summary) on the same pair.
            const d = timePair(
                () => compare(c.old as Obj, c.next as Obj),
                () => diffDesiredState(c.old, c.next, c.schema),
                7,
            ).cpu;
            extra.push(`  ${c.name}: diffDesiredState ${d[1].toFixed(4)} ms (${(d[1] / d[0]).toFixed(2)}x compare)`);
        }
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(r.map((x, i) => x.padEnd(widths[i])).join("  "));
    console.log(
        allMet
            ? "goal met on every case: no slower than compare, no more ops (re-sent write-only values apart), allocation within 2x the model's size"
            : "GOAL NOT MET on some case (see table)",
    );
    console.log("times: CPU time, median of 15 interleaved samples (wall-clock ratio for information)");
    console.log("for information (not a goal):");
    for (const line of extra) console.log(line);
}

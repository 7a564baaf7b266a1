/**
 * `npm run bench diff`: computePatch (schema-aware) against fast-json-patch's `compare` on a small (~1 KB), a large
 * (~1 MB, deep and wide) and an array-heavy model, measured in the same run. Goal: never more ops than compare,
 * time within 2x of it.
 */
import { compare, deepClone } from "fast-json-patch";
import { computePatch } from "../src/diff";
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
        Item: { type: "object", properties: { Id: { type: "string" }, Values: { type: "array", insertionOrder: false, items: { type: "integer" } } } },
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
        else if (rand() < 0.002) tree[k + "x"] = "added";
    }
}

function items(rand: () => number, n: number): Obj[] {
    return Array.from({ length: n }, (_, i) => ({ Id: `item-${i}`, Values: [1, 2, 3].map(() => Math.floor(rand() * 100)), Name: `n${i}`, Enabled: i % 2 === 0 }));
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
        Environment: { Variables: { STAGE: "dev", LOG_LEVEL: "info", TABLE: "orders", QUEUE: "https://sqs.us-east-1.amazonaws.com/123456789012/q", BUCKET: "orders-archive-123456789012", REGION_HINT: "us-east-1", FEATURE_FLAGS: "a,b,c,d" } },
        Description: "Handles order events from the queue and writes them to the orders table, with retries and a DLQ.",
        Architectures: ["arm64"],
        Layers: ["arn:aws:lambda:us-east-1:123456789012:layer:a:1", "arn:aws:lambda:us-east-1:123456789012:layer:b:2"],
        Tags: [{ Key: "team", Value: "core" }, { Key: "env", Value: "dev" }, { Key: "cost-center", Value: "1234" }, { Key: "owner", Value: "orders@example.com" }, { Key: "service", Value: "orders" }],
    };
    const smallNext = deepClone(small);
    smallNext.MemorySize = 256;
    smallNext.Environment.Variables.LOG_LEVEL = "debug";
    smallNext.Tags.reverse();

    const large = { Name: "large", Config: deepTree(rand, 4, 9), Secret: { token: "x" } };
    const largeNext = deepClone(large);
    perturb(largeNext.Config as Obj, rand);

    const base = items(rand, 2000);
    const arrays = { Name: "arrays", Items: base, Ordered: deepClone(base), Tags: Array.from({ length: 40 }, (_, i) => ({ Key: `t${i}`, Value: `${i}` })) };
    const arraysNext = deepClone(arrays);
    (arraysNext.Items as Obj[]).reverse(); // a set, reordered: no change
    (arraysNext.Items as Obj[])[10].Enabled = !(arraysNext.Items as Obj[])[10].Enabled;
    (arraysNext.Ordered as Obj[]).push(...items(rand, 20)); // appended
    arraysNext.Tags.sort((a: { Key: string }, b: { Key: string }) => (a.Key < b.Key ? 1 : -1));

    return [
        { name: "small (~1 KB, Lambda schema)", old: small, next: smallNext, schema: lambda },
        { name: "small (~1 KB, no schema)", old: small, next: smallNext },
        { name: "large (~1 MB deep+wide)", old: large, next: largeNext, schema: largeSchema },
        { name: "large (~1 MB, no schema)", old: large, next: largeNext },
        { name: "array-heavy (~300 KB)", old: arrays, next: arraysNext, schema: largeSchema },
    ];
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

function batchSize(fn: () => unknown): number {
    let batch = 1;
    for (;;) {
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < batch; i++) fn();
        if (Number(process.hrtime.bigint() - t0) / 1e6 > 20 || batch > 1e6) return batch;
        batch *= 2;
    }
}

/**
 * Median time of one call (ms) of each function, with samples interleaved (a, b, a, b, ...) so that load from
 * other processes hits both alike; each sample batches enough calls to last ~20 ms.
 */
function timePair(a: () => unknown, b: () => unknown): [number, number] {
    const na = batchSize(a);
    const nb = batchSize(b);
    const sa: number[] = [];
    const sb: number[] = [];
    for (let s = 0; s < 15; s++) {
        let t0 = process.hrtime.bigint();
        for (let i = 0; i < na; i++) a();
        sa.push(Number(process.hrtime.bigint() - t0) / 1e6 / na);
        t0 = process.hrtime.bigint();
        for (let i = 0; i < nb; i++) b();
        sb.push(Number(process.hrtime.bigint() - t0) / 1e6 / nb);
    }
    return [median(sa), median(sb)];
}

/** Runs the section and prints a table with ratios (computePatch / compare). */
export async function run(): Promise<void> {
    const rows: string[][] = [["case", "size", "compare ms", "computePatch ms", "time ratio", "compare ops", "computePatch ops", "goal met"]];
    let allMet = true;
    for (const c of cases()) {
        const size = JSON.stringify(c.old).length;
        // compare() needs objects it may not mutate; neither function mutates its inputs.
        const baseOps = compare(c.old as Obj, c.next as Obj).length;
        const ours = computePatch(c.old, c.next, c.schema).length;
        computePatch(c.old, c.next, c.schema); // schema parsed and cached before timing, as in a provider process
        const [tBase, tOurs] = timePair(
            () => compare(c.old as Obj, c.next as Obj),
            () => computePatch(c.old, c.next, c.schema),
        );
        const ratio = tOurs / tBase;
        const met = ours <= baseOps && ratio <= 2;
        allMet &&= met;
        rows.push([c.name, `${(size / 1024).toFixed(1)} KB`, tBase.toFixed(4), tOurs.toFixed(4), `${ratio.toFixed(2)}x`, String(baseOps), String(ours), met ? "yes" : "NO"]);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(r.map((x, i) => x.padEnd(widths[i])).join("  "));
    console.log(allMet ? "goal met on every case: no more ops than compare, time within 2x" : "GOAL NOT MET on some case (see table)");
}

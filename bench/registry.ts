/**
 * `npm run bench registry`: what the bundled registry costs a process. In fresh Node processes (5 each, medians):
 * opening the bundle (read the file, parse its index), then one type's schema (inflate and parse), then every
 * type's; time, and memory retained after each step (JS heap plus buffers after a GC, and resident set).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { BUNDLE_FILE } from "../src/registry";

const RUNS = 5;
const root = path.join(__dirname, "..");
const work = path.join(root, ".cache", "bench-registry");

/** The reader compiled to plain JS, so the measured processes run no TypeScript compiler. */
function compileReader(): string {
    const out = path.join(work, "registry");
    fs.mkdirSync(out, { recursive: true });
    for (const name of ["index", "format"]) {
        const source = fs.readFileSync(path.join(root, "src", "registry", `${name}.ts`), "utf8");
        fs.writeFileSync(
            path.join(out, `${name}.js`),
            ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText,
        );
    }
    return out;
}

const probe = (registry: string) => `
const t = () => Number(process.hrtime.bigint()) / 1e6;
const mem = () => { global.gc(); const m = process.memoryUsage(); return { heap: (m.heapUsed + m.external) / 1e6, rss: m.rss / 1e6 }; };
const reg = require(${JSON.stringify(registry)});
mem(); mem();
const m0 = mem(); let t0 = t();
const bundle = reg.openRegistryBundle(${JSON.stringify(BUNDLE_FILE)});
const open = t() - t0; const keep = [bundle]; const m1 = mem();
t0 = t(); const doc = bundle.schema("AWS::EC2::Instance");
const one = t() - t0; keep.push(doc); const m2 = mem();
t0 = t(); let bytes = 0; for (const n of bundle.typeNames()) bytes += bundle.schemaText(n).length;
const all = t() - t0; const m3 = mem();
process.stdout.write(JSON.stringify({ open, one, all, bytes, count: bundle.info.count, ok: doc.typeName === "AWS::EC2::Instance",
  openHeap: m1.heap - m0.heap, openRss: m1.rss - m0.rss, oneHeap: m2.heap - m1.heap, oneRss: m2.rss - m1.rss, allRss: m3.rss - m0.rss }));
`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<void> {
    const script = probe(compileReader());
    const samples: Array<Record<string, number | boolean>> = [];
    for (let i = 0; i < RUNS; i++) {
        const r = spawnSync(process.execPath, ["--expose-gc", "-e", script], { encoding: "utf8" });
        if (r.status !== 0) throw new Error(r.stderr);
        samples.push(JSON.parse(r.stdout));
    }
    const m = (k: string) => median(samples.map((s) => s[k] as number));
    if (!samples.every((s) => s.ok)) throw new Error("the probe read the wrong schema");
    console.log(
        `bundled registry: ${m("count")} types, ${(m("bytes") / 1e6).toFixed(1)} MB of schema JSON; fresh process, ${RUNS} runs, medians`,
    );
    console.log(
        `  open (read file, parse index)        ${m("open").toFixed(1)} ms   heap+buffers +${m("openHeap").toFixed(1)} MB  rss +${m("openRss").toFixed(1)} MB`,
    );
    console.log(
        `  one schema (AWS::EC2::Instance)      ${m("one").toFixed(2)} ms   heap+buffers +${m("oneHeap").toFixed(1)} MB  rss +${m("oneRss").toFixed(1)} MB`,
    );
    console.log(`  every schema's text (inflate all)    ${m("all").toFixed(0)} ms   rss +${m("allRss").toFixed(1)} MB since open`);
}

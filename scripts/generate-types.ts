/**
 * Generates the typings of every bundled registry type (not committed: `npm run build` and `npm run typecheck` run
 * this first). Without arguments it writes src/types/generated; `--out DIR` writes elsewhere (the build copies
 * them next to dist/types). Does nothing when the directory is already up to date.
 */
import * as path from "path";
import { generateBundledTypes } from "../src/codegen/bundled";

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const outs: string[] = [];
for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out" && args[i + 1]) outs.push(path.resolve(args[++i]));
    else {
        console.error(`generate-types: unknown argument ${args[i]}; usage: generate-types [--out DIR]...`);
        process.exit(1);
    }
}
for (const out of outs.length ? outs : [path.join(root, "src", "types", "generated")]) {
    const started = Date.now();
    const r = generateBundledTypes(out);
    const where = path.relative(process.cwd(), out) || ".";
    if (r.written) console.log(`${where}: typings of the bundled registry, ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB (${Date.now() - started} ms)`);
}

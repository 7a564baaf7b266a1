/**
 * Generates the typings of every bundled registry type into typings/ (not committed: `npm run build` and
 * `npm run typecheck` run this first); `--out DIR` writes elsewhere. Does nothing when they are up to date.
 */
import * as path from "path";
import { generateBundledTypes, TYPINGS_DIR } from "../src/codegen/bundled";

const args = process.argv.slice(2);
const outs: string[] = [];
for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out" && args[i + 1]) outs.push(path.resolve(args[++i]));
    else {
        console.error(`generate-types: unknown argument ${args[i]}; usage: generate-types [--out DIR]...`);
        process.exit(1);
    }
}
for (const out of outs.length ? outs : [TYPINGS_DIR]) {
    const started = Date.now();
    const r = generateBundledTypes(out);
    const where = path.relative(process.cwd(), out) || ".";
    if (r.written)
        console.log(
            `${where}: typings of the bundled registry, ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB (${Date.now() - started} ms)`,
        );
}

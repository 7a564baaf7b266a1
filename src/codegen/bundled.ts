/**
 * Generates the package's typings for every bundled registry type into typings/ (at the package root, beside
 * data/; the same relative place from src/ and dist/), unless they are already up to date: a stamp file records
 * a hash of the bundle and of this generator's own code.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { BUNDLE_FILE, openRegistryBundle } from "../registry";
import { renderBundledModules } from "./modules";

const STAMP = ".stamp";

/** Where the package's typings go: typings/ at the package root, read by src/types (and dist/types). */
export const TYPINGS_DIR = path.join(__dirname, "..", "..", "typings");

/** What {@link generateBundledTypes} did. */
export interface GenerateResult {
    /** False when the directory was already up to date. */
    written: boolean;
    files: number;
    bytes: number;
}

function stampOf(bundleFile: string): string {
    const hash = crypto.createHash("sha256").update(fs.readFileSync(bundleFile));
    // The generator's code: a change to how types are rendered (or which property is autonamed) regenerates them.
    for (const name of ["render", "modules", "bundled", path.join("..", "schema", "name-property")]) {
        const file = [".ts", ".js"].map((ext) => path.join(__dirname, name + ext)).find((f) => fs.existsSync(f));
        if (file) hash.update(fs.readFileSync(file));
    }
    return hash.digest("hex");
}

/** Writes `<service>.d.ts` files, `index.d.ts` and `input.d.ts` for every bundled type into `outDir`, unless up to date. */
export function generateBundledTypes(outDir: string = TYPINGS_DIR, bundleFile: string = BUNDLE_FILE): GenerateResult {
    const stamp = stampOf(bundleFile);
    const stampFile = path.join(outDir, STAMP);
    const count = () => {
        const files = fs.readdirSync(outDir).filter((f) => f.endsWith(".d.ts"));
        return { files: files.length, bytes: files.reduce((n, f) => n + fs.statSync(path.join(outDir, f)).size, 0) };
    };
    try {
        if (fs.readFileSync(stampFile, "utf8") === stamp && fs.existsSync(path.join(outDir, "index.d.ts")))
            return { written: false, ...count() };
    } catch {
        /* no stamp: generate */
    }
    const bundle = openRegistryBundle(bundleFile);
    const docs = bundle.typeNames().map((name) => bundle.schema(name)!);
    const header = `// Generated from the bundled registry (${bundle.info.source}, ${bundle.info.date}) by src/codegen. Do not edit.\n`;
    const files = renderBundledModules(docs, header);
    fs.mkdirSync(outDir, { recursive: true });
    for (const stale of fs.readdirSync(outDir)) if (stale.endsWith(".d.ts") && !files.has(stale)) fs.rmSync(path.join(outDir, stale));
    for (const [name, text] of files) {
        const file = path.join(outDir, name);
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, file); // whole files only, even when two builds run at once
    }
    fs.writeFileSync(stampFile, stamp);
    return { written: true, ...count() };
}

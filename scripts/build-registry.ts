/**
 * Builds the bundled registry (data/registry-schemas.bin) from registry schemas: a directory of schema files
 * (default ../shared/cfn-schemas) or AWS's published CloudformationSchema.zip (one region's schemas, one JSON file
 * per type).
 *
 *   npm run registry:build -- [--from DIR|FILE.zip] [--out FILE] [--date YYYY-MM-DD] [--source TEXT]
 *
 * Every schema is checked (valid JSON with a registry type name, no type twice) and minified. After a rebuild, update
 * data/README.md (source and date) and run `npm test`.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { unzipSync } from "fflate";
import { encodeBundle } from "../src/registry/format";
import { TYPE_NAME } from "../src/schema/type-name";

/** License line recorded in the bundle header (data/README.md has the details). */
export const LICENSE_NOTE =
    "Schemas published by Amazon Web Services in the CloudFormation registry; no license is stated with the download (see data/README.md).";

/** Schemas read from a source. */
export interface SchemaSource {
    /** Type name → minified schema JSON. */
    schemas: Map<string, string>;
    /** JSON files that are not resource schemas (no registry type name), skipped. */
    skipped: string[];
    /** The newest modification date of the source files (YYYY-MM-DD). */
    date: string;
}

function day(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
}

/** Reads and checks the schema files of a directory (its top-level .json files) or a .zip (its .json entries at any depth). */
export function readSchemaSource(from: string): SchemaSource {
    const files: Array<{ name: string; bytes: Uint8Array }> = [];
    let newest = 0;
    if (fs.statSync(from).isDirectory()) {
        for (const name of fs
            .readdirSync(from)
            .filter((f) => f.endsWith(".json"))
            .sort()) {
            const file = path.join(from, name);
            newest = Math.max(newest, fs.statSync(file).mtimeMs);
            files.push({ name, bytes: fs.readFileSync(file) });
        }
    } else {
        newest = fs.statSync(from).mtimeMs;
        let entries: Record<string, Uint8Array>;
        try {
            entries = unzipSync(fs.readFileSync(from), { filter: (f) => f.name.endsWith(".json") });
        } catch (e) {
            throw new Error(`${from} is not a readable zip file: ${(e as Error).message}`, { cause: e });
        }
        for (const name of Object.keys(entries).sort()) files.push({ name, bytes: entries[name] });
    }
    const schemas = new Map<string, string>();
    const origin = new Map<string, string>();
    const skipped: string[] = [];
    for (const { name, bytes } of files) {
        let doc: unknown;
        try {
            doc = JSON.parse(Buffer.from(bytes).toString("utf8"));
        } catch (e) {
            throw new Error(`${name} in ${from} is not valid JSON (${(e as Error).message.slice(0, 120)})`, { cause: e });
        }
        const typeName = doc && typeof doc === "object" && !Array.isArray(doc) ? (doc as { typeName?: unknown }).typeName : undefined;
        if (typeof typeName !== "string" || !TYPE_NAME.test(typeName)) {
            skipped.push(name);
            continue;
        }
        if (schemas.has(typeName)) throw new Error(`${typeName} is defined twice in ${from}: ${origin.get(typeName)} and ${name}`);
        schemas.set(typeName, JSON.stringify(doc));
        origin.set(typeName, name);
    }
    if (schemas.size === 0) throw new Error(`${from} holds no registry schema (JSON files with a "typeName" such as "AWS::S3::Bucket")`);
    return { schemas, skipped, date: day(newest) };
}

/** Options of {@link buildRegistry}. */
export interface BuildOptions {
    from: string;
    out: string;
    /** Snapshot date; default: the newest source file's modification date. */
    date?: string;
    /** What to record as the source; default: the source's base name. */
    source?: string;
}

/** Builds a bundle file; returns what it wrote. */
export function buildRegistry(options: BuildOptions): { count: number; bytes: number; skipped: string[]; date: string } {
    const read = readSchemaSource(options.from);
    const date = options.date ?? read.date;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`--date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
    const file = encodeBundle(read.schemas, {
        source: options.source ?? path.basename(path.resolve(options.from)),
        date,
        license: LICENSE_NOTE,
    });
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    const tmp = `${options.out}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, file);
    fs.renameSync(tmp, options.out);
    return { count: read.schemas.size, bytes: file.length, skipped: read.skipped, date };
}

function main(argv: string[]): void {
    const root = path.resolve(__dirname, "..");
    let values: { from?: string; out?: string; date?: string; source?: string };
    try {
        ({ values } = parseArgs({
            args: argv,
            strict: true,
            options: { from: { type: "string" }, out: { type: "string" }, date: { type: "string" }, source: { type: "string" } },
        }));
    } catch (e) {
        throw new Error(
            `${(e as Error).message.split("\n")[0]}; usage: build-registry [--from DIR|FILE.zip] [--out FILE] [--date YYYY-MM-DD] [--source TEXT]`,
            { cause: e },
        );
    }
    const options: BuildOptions = {
        from: path.resolve(values.from ?? path.join(root, "../shared/cfn-schemas")),
        out: path.resolve(values.out ?? path.join(root, "data", "registry-schemas.bin")),
        date: values.date,
        source: values.source,
    };
    const result = buildRegistry(options);
    console.log(`${path.relative(process.cwd(), options.out)}: ${result.count} types, ${result.bytes} bytes, snapshot date ${result.date}`);
    if (result.skipped.length) console.log(`skipped (not resource schemas): ${result.skipped.join(", ")}`);
}

if (require.main === module) {
    try {
        main(process.argv.slice(2));
    } catch (e) {
        console.error(`build-registry: ${(e as Error).message}`);
        process.exit(1);
    }
}

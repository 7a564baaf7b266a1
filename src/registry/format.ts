/**
 * The bundled registry's file format: one file holding every schema, each compressed on its own (raw deflate with a
 * shared preset dictionary), so reading one type inflates only that type's bytes.
 *
 *   "CCREG001"  8 bytes, magic and format version
 *   uint32 BE   length of the header
 *   header      UTF-8 JSON: {@link BundleHeader}
 *   body        the dictionary, then each entry's compressed bytes (offsets in the header are relative to the body)
 */
import * as zlib from "zlib";

const MAGIC = Buffer.from("CCREG001", "latin1");
const DICTIONARY_MAX = 32 * 1024; // deflate's window: a longer preset dictionary is never referenced

/** Where the snapshot came from, as recorded in the file (and in data/README.md). */
export interface BundleInfo {
    /** What it was built from, e.g. "CloudformationSchema.zip" or a schema directory. */
    source: string;
    /** The snapshot's date (YYYY-MM-DD). */
    date: string;
    /** Who publishes the schemas and under which terms (short; data/README.md says more). */
    license: string;
    /** Number of types. */
    count: number;
}

/** The header of a bundle file. */
export interface BundleHeader extends BundleInfo {
    /** Body offset and length of the preset dictionary. */
    dictionary: [offset: number, length: number];
    /** Per type name: body offset, compressed length, uncompressed length of its minified schema JSON. */
    entries: Record<string, [offset: number, length: number, size: number]>;
}

/** A decoded bundle: the header and the body; entries are inflated on demand. */
export interface DecodedBundle {
    header: BundleHeader;
    /** The JSON text of one type's schema, or undefined when the type is not in the bundle. */
    text(typeName: string): string | undefined;
}

/**
 * A preset dictionary from the fragments most schemas share (property metadata, handler permission lists, tag
 * definitions): the text between JSON brackets, scored by (documents containing it × length). Deterministic for a
 * given input; the most valuable fragments go last, closest to the data.
 */
export function buildDictionary(texts: readonly string[]): Buffer {
    const documents = new Map<string, number>();
    for (const text of texts) {
        const seen = new Set(text.match(/[^{}[\]]{4,200}[{}[\]]?/g) ?? []);
        for (const fragment of seen) documents.set(fragment, (documents.get(fragment) ?? 0) + 1);
    }
    const ranked = [...documents.entries()]
        .filter(([, count]) => count >= 3)
        .map(([fragment, count]) => ({ fragment, bytes: Buffer.byteLength(fragment), score: count * fragment.length }))
        .sort((a, b) => b.score - a.score || (a.fragment < b.fragment ? -1 : a.fragment > b.fragment ? 1 : 0));
    const chosen: string[] = [];
    let size = 0;
    for (const r of ranked) {
        if (size + r.bytes > DICTIONARY_MAX) continue;
        chosen.push(r.fragment);
        size += r.bytes;
    }
    return Buffer.from(chosen.reverse().join(""), "utf8");
}

/** Encodes schemas (type name → JSON text, minified by the caller) into a bundle file. */
export function encodeBundle(schemas: ReadonlyMap<string, string>, info: Omit<BundleInfo, "count">): Buffer {
    const names = [...schemas.keys()].sort();
    const dictionary = buildDictionary(names.map((n) => schemas.get(n)!));
    const chunks: Buffer[] = [dictionary];
    let offset = dictionary.length;
    const entries: BundleHeader["entries"] = {};
    for (const name of names) {
        const raw = Buffer.from(schemas.get(name)!, "utf8");
        const packed = zlib.deflateRawSync(raw, { level: 9, memLevel: 9, dictionary });
        entries[name] = [offset, packed.length, raw.length];
        chunks.push(packed);
        offset += packed.length;
    }
    const header: BundleHeader = { ...info, count: names.length, dictionary: [0, dictionary.length], entries };
    const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
    const length = Buffer.alloc(4);
    length.writeUInt32BE(headerBytes.length);
    return Buffer.concat([MAGIC, length, headerBytes, ...chunks]);
}

/** Decodes a bundle file's header; entries are inflated when asked for. Throws on a file that is not a bundle. */
export function decodeBundle(file: Buffer): DecodedBundle {
    if (file.length < 12 || !file.subarray(0, 8).equals(MAGIC)) throw new Error("not a registry bundle (bad magic)");
    const headerLength = file.readUInt32BE(8);
    if (12 + headerLength > file.length) throw new Error("truncated registry bundle (header)");
    const header = JSON.parse(file.subarray(12, 12 + headerLength).toString("utf8")) as BundleHeader;
    if (!header || typeof header.entries !== "object" || !Array.isArray(header.dictionary))
        throw new Error("registry bundle header has no entries");
    const body = file.subarray(12 + headerLength);
    const dictionary = body.subarray(header.dictionary[0], header.dictionary[0] + header.dictionary[1]);
    return {
        header,
        text(typeName: string): string | undefined {
            const entry = Object.prototype.hasOwnProperty.call(header.entries, typeName) ? header.entries[typeName] : undefined;
            if (!entry) return undefined;
            const [at, length, size] = entry;
            if (at + length > body.length) throw new Error(`truncated registry bundle (entry ${typeName})`);
            const raw = zlib.inflateRawSync(body.subarray(at, at + length), { dictionary });
            if (raw.length !== size) throw new Error(`corrupt registry bundle (entry ${typeName}: ${raw.length} bytes, expected ${size})`);
            return raw.toString("utf8");
        },
    };
}

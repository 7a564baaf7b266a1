/**
 * The registry bundled with the package: a snapshot of the public CloudFormation registry schemas (data/README.md
 * says where from, when, and under which terms), in one compressed file. Nothing is read until first asked for;
 * then the file's index is read once, and a type's schema is inflated and parsed only when that type is asked for.
 *
 * Depends on nothing but Node: the provider (schema fallback), the code generator and the emulator all read it.
 */
import * as fs from "fs";
import * as path from "path";
import { decodeBundle, type BundleInfo, type DecodedBundle } from "./format";

export { BundleInfo, encodeBundle, decodeBundle } from "./format";

/** The bundle file shipped with the package (the same relative place from src/ and dist/). */
export const BUNDLE_FILE = path.join(__dirname, "..", "..", "data", "registry-schemas.bin");

/** A registry schema document as bundled (the JSON CloudFormation's DescribeType returns in `Schema`). */
export interface BundledSchema {
    typeName: string;
    [key: string]: unknown;
}

/** An opened bundle. */
export interface RegistryBundle {
    /** Source, date, license and count of the snapshot. */
    readonly info: BundleInfo;
    /** Every bundled type name, sorted. */
    typeNames(): string[];
    /** Whether the type is in the bundle (exact type name). */
    has(typeName: string): boolean;
    /** The type's schema as JSON text (minified), or undefined. */
    schemaText(typeName: string): string | undefined;
    /** The type's schema document, freshly parsed (callers may keep or change it), or undefined. */
    schema(typeName: string): BundledSchema | undefined;
}

/** Opens a bundle file (default: the package's own). Throws an error naming the file when it is missing or not a bundle. */
export function openRegistryBundle(file: string = BUNDLE_FILE): RegistryBundle {
    let decoded: DecodedBundle;
    try {
        decoded = decodeBundle(fs.readFileSync(file));
    } catch (e) {
        const err = e as NodeJS.ErrnoException;
        throw new Error(`Cannot read the bundled registry ${file}: ${err.code === "ENOENT" ? "the file is missing" : err.message}`, {
            cause: e,
        });
    }
    const { header } = decoded;
    const names = Object.keys(header.entries).sort();
    const info: BundleInfo = { source: header.source, date: header.date, license: header.license, count: names.length };
    const has = (typeName: string) => Object.prototype.hasOwnProperty.call(header.entries, typeName);
    return {
        info,
        typeNames: () => [...names],
        has,
        schemaText: (typeName) => (has(typeName) ? decoded.text(typeName) : undefined),
        schema(typeName) {
            const text = has(typeName) ? decoded.text(typeName) : undefined;
            return text === undefined ? undefined : (JSON.parse(text) as BundledSchema);
        },
    };
}

let shipped: RegistryBundle | undefined;

/** The package's own bundle, opened on first use and kept for the process. */
export function bundledRegistry(): RegistryBundle {
    return (shipped ??= openRegistryBundle());
}

/** Every type name in the package's bundle, sorted. */
export function bundledTypeNames(): string[] {
    return bundledRegistry().typeNames();
}

/** Whether the package's bundle has this type. */
export function hasBundledType(typeName: string): boolean {
    return bundledRegistry().has(typeName);
}

/** A type's schema JSON text from the package's bundle, or undefined. */
export function bundledSchemaText(typeName: string): string | undefined {
    return bundledRegistry().schemaText(typeName);
}

/** A type's schema document from the package's bundle (freshly parsed), or undefined. */
export function bundledSchema(typeName: string): BundledSchema | undefined {
    return bundledRegistry().schema(typeName);
}

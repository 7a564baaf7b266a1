/**
 * Registry schemas the emulator serves: a schema directory (loaded lazily, one file per type) over the
 * built-in set, each compiled once with ajv into a validator plus its property metadata.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { builtinSchemas } from "./builtin-schemas";
import { propertyPath } from "./pointer";

/** A type the emulator knows, with the metadata its handlers need. */
export interface TypeInfo {
    typeName: string;
    /** The registry schema document. */
    schema: Record<string, any>;
    /** Its JSON text, as DescribeType returns it. */
    schemaText: string;
    createOnly: string[][];
    readOnly: string[][];
    writeOnly: string[][];
    conditionalCreateOnly: string[][];
    primaryIdentifier: string[][];
    /** Handlers the type declares ("create", "read", ...); Cloud Control cannot provision a type without them. */
    handlers: Set<string>;
    /** Validates a writable model (read-only properties excluded), returning messages that name paths. */
    validate(model: unknown): string[];
}

/** File name of a type's schema in a registry schema directory: AWS::Logs::LogGroup -> aws-logs-loggroup.json. */
export function schemaFileName(typeName: string): string {
    return `${typeName.toLowerCase().replace(/::/g, "-")}.json`;
}

const typeNamePattern = /^[A-Za-z0-9]+(::[A-Za-z0-9]+){2,3}$/;

/**
 * Registry patterns come from Java: they may use \Z, \A or \p{...}. Try them as written (unicode), then
 * translated, then without the unicode flag; a pattern JS cannot express at all accepts everything rather than
 * making the whole type unusable.
 */
function tolerantRegExp(pattern: string, flags: string): { test(s: string): boolean } {
    const translated = pattern.replace(/\\Z/g, "$").replace(/\\z/g, "$").replace(/\\A/g, "^");
    for (const [p, f] of [[pattern, flags], [translated, flags], [translated, flags.replace("u", "")]]) {
        try {
            return new RegExp(p, f);
        } catch {
            // next candidate
        }
    }
    return { test: () => true };
}
tolerantRegExp.code = "new RegExp";

function describeError(e: ErrorObject): string {
    const at = `#${e.instancePath}`;
    switch (e.keyword) {
        case "required":
            return `${at}: required key [${(e.params as { missingProperty: string }).missingProperty}] not found`;
        case "additionalProperties":
            return `${at}: extraneous key [${(e.params as { additionalProperty: string }).additionalProperty}] is not permitted`;
        default:
            return `${at}: ${e.message ?? "is invalid"}`;
    }
}

/** Looks up and compiles registry schemas. */
export class SchemaRegistry {
    private readonly cache = new Map<string, TypeInfo | null>();
    private readonly ajv = new Ajv({
        strict: false,
        allErrors: true,
        validateFormats: false,
        logger: false,
        // Unoptimised code compiles ~30% faster; the emulator validates few models per type, so compile time dominates.
        code: { regExp: tolerantRegExp, optimize: false },
    });

    /** @param dir schema directory (types found there win over the built-in ones), or undefined for built-ins only. */
    constructor(readonly dir: string | undefined, private readonly extra: Record<string, object> = {}) {}

    /** The type's info, or undefined when no schema exists (or it cannot be read). */
    get(typeName: string): TypeInfo | undefined {
        if (!typeNamePattern.test(typeName)) return undefined;
        if (!this.cache.has(typeName)) this.cache.set(typeName, this.load(typeName) ?? null);
        return this.cache.get(typeName) ?? undefined;
    }

    /** Every type name available (directory and built-ins), sorted. */
    typeNames(): string[] {
        const names = new Set<string>([...Object.keys(builtinSchemas), ...Object.keys(this.extra)]);
        if (this.dir) {
            for (const file of safeReaddir(this.dir)) {
                if (!file.endsWith(".json")) continue;
                try {
                    const doc = JSON.parse(fs.readFileSync(path.join(this.dir, file), "utf8"));
                    if (typeof doc.typeName === "string") names.add(doc.typeName);
                } catch {
                    // unreadable schema files are not types
                }
            }
        }
        return [...names].sort();
    }

    private load(typeName: string): TypeInfo | undefined {
        let doc: Record<string, any> | undefined = this.extra[typeName] as Record<string, any> | undefined;
        if (!doc && this.dir) {
            try {
                const parsed = JSON.parse(fs.readFileSync(path.join(this.dir, schemaFileName(typeName)), "utf8"));
                if (parsed && parsed.typeName === typeName) doc = parsed;
            } catch {
                // not in the directory: fall back to the built-in set
            }
        }
        doc ??= builtinSchemas[typeName] as Record<string, any> | undefined;
        if (!doc) return undefined;
        return this.compile(typeName, doc);
    }

    private compile(typeName: string, doc: Record<string, any>): TypeInfo {
        const paths = (key: string): string[][] =>
            (Array.isArray(doc[key]) ? (doc[key] as string[]) : []).map(propertyPath).filter((p) => p.length > 0);
        const readOnly = paths("readOnlyProperties");
        const topReadOnly = new Set(readOnly.filter((p) => p.length === 1).map((p) => p[0]));
        // Validate the writable model: read-only properties are filled by the emulator, never required from users.
        const { $schema: _s, $id: _i, ...rest } = doc;
        const writable = {
            ...rest,
            required: Array.isArray(doc.required) ? doc.required.filter((r: string) => !topReadOnly.has(r)) : undefined,
        };
        if (!writable.required) delete writable.required;
        // Compiled on first use: listing types or serving DescribeType needs no validator.
        let validator: ValidateFunction | undefined;
        let compileError: string | undefined;
        const compiled = (): ValidateFunction | undefined => {
            if (!validator && compileError === undefined) {
                try {
                    validator = this.ajv.compile(writable);
                } catch (e) {
                    compileError = (e as Error).message;
                }
            }
            return validator;
        };
        const handlers = doc.handlers && typeof doc.handlers === "object" ? Object.keys(doc.handlers) : [];
        return {
            typeName,
            schema: doc,
            schemaText: JSON.stringify(doc),
            createOnly: paths("createOnlyProperties"),
            readOnly,
            writeOnly: paths("writeOnlyProperties"),
            conditionalCreateOnly: paths("conditionalCreateOnlyProperties"),
            primaryIdentifier: paths("primaryIdentifier"),
            handlers: new Set(handlers),
            validate: (model: unknown): string[] => {
                const validator = compiled();
                if (!validator) return [`#: the schema of ${typeName} cannot be compiled (${compileError})`];
                if (validator(model)) return [];
                return (validator.errors ?? []).map(describeError);
            },
        };
    }
}

function safeReaddir(dir: string): string[] {
    try {
        return fs.readdirSync(dir);
    } catch {
        return [];
    }
}

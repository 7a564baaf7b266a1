/**
 * Registry schemas the emulator serves: a schema directory (loaded lazily, one file per type) over the registry
 * bundled with the package (src/registry: a data file, not a provider module) over the built-in set, each compiled
 * once with ajv into a validator plus its property metadata.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { bundledRegistry, type RegistryBundle } from "../registry";
import { builtinSchemas } from "./builtin-schemas";
import { propertyPath } from "./pointer";

/** A type the emulator knows, with the metadata its handlers need. */
export interface TypeInfo {
    typeName: string;
    /** Where the schema came from: its file, or "built-in". */
    source: string;
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
    /**
     * The list handler's input schema (handlers.list.handlerSchema): the properties ListResources filters by and
     * those its ResourceModel must give.
     */
    listInput: { properties: string[]; required: string[] };
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
    for (const [p, f] of [
        [pattern, flags],
        [translated, flags],
        [translated, flags.replace("u", "")],
    ]) {
        try {
            return new RegExp(p, f);
        } catch {
            // next candidate
        }
    }
    return { test: () => true };
}
tolerantRegExp.code = "new RegExp";

/** JSON type names as Cloud Control's validator (everit, Java) words them. */
function javaTypeName(value: unknown): string {
    if (value === null) return "Null";
    if (Array.isArray(value)) return "JSONArray";
    if (typeof value === "object") return "JSONObject";
    if (typeof value === "number") return Number.isInteger(value) ? "Integer" : "BigDecimal";
    return typeof value === "string" ? "String" : typeof value === "boolean" ? "Boolean" : typeof value;
}

const schemaTypeNames: Record<string, string> = {
    string: "String",
    boolean: "Boolean",
    integer: "Integer",
    number: "Number",
    object: "JSONObject",
    array: "JSONArray",
    null: "Null",
};

/** The value at an ajv instance path ("/A/0/B"), for messages that name its type (never its value). */
function valueAtInstancePath(model: unknown, instancePath: string): unknown {
    let node: any = model;
    for (const raw of instancePath.split("/").slice(1)) node = node?.[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
    return node;
}

/**
 * One schema violation in the words of Cloud Control's "Model validation failed (...)" messages, as recorded
 * ("#: extraneous key [X] is not permitted", "#/BucketName: expected type: String, found: Boolean"; localstack
 * test_create_exceptions / test_create_invalid_desiredstate). Never quotes a property value (they may be secret).
 */
function describeError(e: ErrorObject, model: unknown): string {
    const at = `#${e.instancePath}`;
    const params = e.params as Record<string, any>;
    switch (e.keyword) {
        case "required":
            return `${at}: required key [${params.missingProperty}] not found`;
        case "additionalProperties":
            return `${at}: extraneous key [${params.additionalProperty}] is not permitted`;
        case "type": {
            const expected = String(params.type)
                .split(",")
                .map((t) => schemaTypeNames[t] ?? t)
                .join(" or ");
            return `${at}: expected type: ${expected}, found: ${javaTypeName(valueAtInstancePath(model, e.instancePath))}`;
        }
        case "minLength":
        case "maxLength": {
            const value = valueAtInstancePath(model, e.instancePath);
            return `${at}: expected ${e.keyword}: ${params.limit}, actual: ${typeof value === "string" ? value.length : "?"}`;
        }
        default:
            return `${at}: ${e.message ?? "is invalid"}`;
    }
}

/** A schema file in the schema directory that cannot be used, with why (the emulator reports both). */
export class SchemaFileError extends Error {
    constructor(
        readonly file: string,
        readonly problem: string,
    ) {
        super(`schema file ${file} cannot be used: ${problem}`);
        this.name = "SchemaFileError";
    }
}

/** Reads and checks one schema file: the document, or a SchemaFileError saying what is wrong with it. */
function readSchemaFile(file: string, expectedTypeName?: string): Record<string, any> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new SchemaFileError(file, `it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new SchemaFileError(file, `it is not valid JSON (${(e as Error).message})`);
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc))
        throw new SchemaFileError(file, "it is not a JSON object (a registry schema document)");
    const d = doc as Record<string, any>;
    if (typeof d.typeName !== "string") throw new SchemaFileError(file, 'it has no "typeName" string');
    if (expectedTypeName !== undefined && d.typeName !== expectedTypeName) {
        throw new SchemaFileError(
            file,
            `it declares typeName ${d.typeName}, not ${expectedTypeName} (a type's file is named ${schemaFileName(expectedTypeName)})`,
        );
    }
    if (typeof d.properties !== "object" || d.properties === null || Array.isArray(d.properties))
        throw new SchemaFileError(file, 'it has no "properties" object');
    return d;
}

/** Looks up and compiles registry schemas. */
export class SchemaRegistry {
    private readonly cache = new Map<string, TypeInfo | SchemaFileError | null>();
    private readonly ajv = new Ajv({
        strict: false,
        allErrors: true,
        validateFormats: false,
        logger: false,
        // Unoptimised code compiles ~30% faster; the emulator validates few models per type, so compile time dominates.
        code: { regExp: tolerantRegExp, optimize: false },
    });

    /**
     * @param dir schema directory (types found there win over the others), or undefined for none.
     * @param bundle the bundled registry to serve under the directory, or null for none (built-ins only).
     */
    constructor(
        readonly dir: string | undefined,
        private readonly bundle: RegistryBundle | null = bundledRegistry(),
    ) {}

    /**
     * The type's info, or undefined when no schema exists for it. Throws {@link SchemaFileError} when the schema
     * directory has the type's file but it cannot be used (unreadable, not JSON, not this type's schema).
     */
    get(typeName: string): TypeInfo | undefined {
        if (!typeNamePattern.test(typeName)) return undefined;
        if (!this.cache.has(typeName)) {
            let loaded: TypeInfo | SchemaFileError | null;
            try {
                loaded = this.load(typeName) ?? null;
            } catch (e) {
                if (!(e instanceof SchemaFileError)) throw e;
                loaded = e;
            }
            this.cache.set(typeName, loaded);
        }
        const found = this.cache.get(typeName);
        if (found instanceof SchemaFileError) throw found;
        return found ?? undefined;
    }

    /**
     * Why a type is not served, for TypeNotFound messages: where it was looked for and how to add it. Says nothing
     * of the schema directory when none is in use beyond how to give one.
     */
    notFoundHint(typeName: string): string {
        const file = this.fileFor(typeName);
        const looked = [file ? `the schema directory has no ${file}` : "no schema directory is in use"];
        looked.push(this.bundle ? "the bundled registry (public types) has no such type" : "the bundled registry is off (schemas: false)");
        return (
            `Emulator: ${looked.join(", ")}, and it is not one of the built-in types. ` +
            "Add the type's registry schema file to a schema directory (the `schemas` option or --schemas DIR)."
        );
    }

    /** The message for a schema file that exists but cannot be used (see {@link SchemaFileError}). */
    static unusableMessage(typeName: string, error: SchemaFileError): string {
        return `The emulator cannot serve ${typeName}: its ${error.message}. Fix or remove the file.`;
    }

    /** The file a type's schema would be read from in the schema directory (undefined without a directory). */
    fileFor(typeName: string): string | undefined {
        return this.dir ? path.join(this.dir, schemaFileName(typeName)) : undefined;
    }

    /** Every type name available (directory, bundle and built-ins), sorted; unusable files are left out (see problems()). */
    typeNames(): string[] {
        const names = new Set<string>([...Object.keys(builtinSchemas), ...(this.bundle?.typeNames() ?? [])]);
        for (const entry of this.scan()) if (!(entry instanceof SchemaFileError)) names.add(entry.typeName);
        return [...names].sort();
    }

    /** The schema directory's `.json` files that cannot be used, each with its problem. */
    problems(): SchemaFileError[] {
        return this.scan().filter((e): e is SchemaFileError => e instanceof SchemaFileError);
    }

    /** Reads every `.json` file of the directory: its type name, or why it cannot be used. */
    private scan(): Array<{ typeName: string } | SchemaFileError> {
        if (!this.dir) return [];
        const out: Array<{ typeName: string } | SchemaFileError> = [];
        for (const file of safeReaddir(this.dir)) {
            if (!file.endsWith(".json")) continue;
            const full = path.join(this.dir, file);
            try {
                const doc = readSchemaFile(full);
                // A file the lookup by type name would not find is as unusable as a broken one.
                if (schemaFileName(doc.typeName) !== file) {
                    throw new SchemaFileError(full, `it holds ${doc.typeName}, whose file must be named ${schemaFileName(doc.typeName)}`);
                }
                out.push({ typeName: doc.typeName });
            } catch (e) {
                if (!(e instanceof SchemaFileError)) throw e;
                out.push(e);
            }
        }
        return out;
    }

    private load(typeName: string): TypeInfo | undefined {
        const file = this.fileFor(typeName);
        if (file && fs.existsSync(file)) return this.compile(typeName, readSchemaFile(file, typeName), file);
        const bundled = this.bundle?.schema(typeName);
        if (bundled) return this.compile(typeName, bundled, "bundled registry");
        const builtin = builtinSchemas[typeName] as Record<string, any> | undefined;
        return builtin ? this.compile(typeName, builtin, "built-in") : undefined;
    }

    private compile(typeName: string, doc: Record<string, any>, source: string): TypeInfo {
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
        const listSchema = doc.handlers?.list?.handlerSchema;
        const listInput = {
            properties:
                listSchema && typeof listSchema.properties === "object" && listSchema.properties ? Object.keys(listSchema.properties) : [],
            required: Array.isArray(listSchema?.required)
                ? (listSchema.required as unknown[]).filter((r): r is string => typeof r === "string")
                : [],
        };
        return {
            typeName,
            source,
            schema: doc,
            schemaText: JSON.stringify(doc),
            createOnly: paths("createOnlyProperties"),
            readOnly,
            writeOnly: paths("writeOnlyProperties"),
            conditionalCreateOnly: paths("conditionalCreateOnlyProperties"),
            primaryIdentifier: paths("primaryIdentifier"),
            handlers: new Set(handlers),
            listInput,
            validate: (model: unknown): string[] => {
                const validator = compiled();
                if (!validator) return [`#: the schema of ${typeName} (${source}) cannot be compiled (${compileError})`];
                if (validator(model)) return [];
                return (validator.errors ?? []).map((e) => describeError(e, model));
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

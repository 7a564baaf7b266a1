import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { UNKNOWN } from "../diff";
import type { RegistrySchema, ResourceSchema } from "../schema/types";
import { resourceLabel } from "./describe";
import { isAtOrBelow, joinPointer, splitPointer } from "../schema/pointer";
import { propertyPath, unknownPaths } from "./paths";
import { parseDuration } from "./timeouts";
import { TYPE_NAME } from "../schema/type-name";

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const MAX_SCHEMA_ERRORS = 20;

/**
 * A failure whose `property` is left empty on purpose: the Pulumi engine prints the value of a named top-level
 * property next to the reason, and values may be secret. The reason names the path instead.
 */
function failure(label: string, path: string, reason: string): CheckFailure {
    return { property: "", reason: `${label}: ${path} ${reason}` };
}

/** A problem found in one input: the property path and what was expected. */
type Problem = [path: string, reason: string];

/** Shape checks of the inputs that need no schema. */
export function checkInputShape(news: Record<string, unknown>): CheckFailure[] {
    const label = resourceLabel(news);
    const { typeName, roleArn, replaceOnNotUpdatable, schema } = news;
    const problems: Problem[] = [...typeNameProblems(typeName), ...desiredStateProblems(news.desiredState)];
    if (roleArn !== undefined && roleArn !== UNKNOWN && (typeof roleArn !== "string" || !ROLE_ARN.test(roleArn))) {
        problems.push(["roleArn", "must be an IAM role ARN (arn:aws:iam::123456789012:role/name)"]);
    }
    for (const key of ["typeVersionId", "region", "importId"] as const) {
        const value = news[key];
        if (value !== undefined && value !== UNKNOWN && (typeof value !== "string" || value === "")) {
            problems.push([key, "must be a non-empty string"]);
        }
    }
    problems.push(...timeoutProblems(news.timeouts), ...replaceOnChangesProblems(news.replaceOnChanges));
    if (replaceOnNotUpdatable !== undefined && replaceOnNotUpdatable !== UNKNOWN && typeof replaceOnNotUpdatable !== "boolean") {
        problems.push(["replaceOnNotUpdatable", "must be true or false"]);
    }
    if (schema !== undefined && schema !== UNKNOWN) {
        const problem = schemaProblem(schema, typeof typeName === "string" && TYPE_NAME.test(typeName) ? typeName : undefined);
        if (problem) problems.push(["schema", problem]);
    }
    return problems.map(([path, reason]) => failure(label, path, reason));
}

function typeNameProblems(typeName: unknown): Problem[] {
    if (typeName === UNKNOWN) return [];
    if (typeof typeName !== "string" || typeName === "") {
        return [["typeName", "is required: a Cloud Control type name such as AWS::Logs::LogGroup"]];
    }
    if (!TYPE_NAME.test(typeName)) {
        return [["typeName", "must have the form Organization::Service::Resource (for example AWS::Logs::LogGroup)"]];
    }
    return [];
}

function desiredStateProblems(desiredState: unknown): Problem[] {
    if (desiredState === UNKNOWN) return [];
    if (desiredState === undefined || desiredState === null)
        return [["desiredState", "is required: an object of the resource's properties"]];
    if (!isPlainObject(desiredState))
        return [["desiredState", `must be an object of the resource's properties, not ${kindOf(desiredState)}`]];
    return jsonProblems(desiredState).map(([pointer, problem]): Problem => [propertyPath(pointer), problem]);
}

function timeoutProblems(timeouts: unknown): Problem[] {
    if (timeouts === undefined || timeouts === UNKNOWN) return [];
    if (!isPlainObject(timeouts)) return [["timeouts", "must be an object with create, update and/or delete"]];
    const problems: Problem[] = [];
    for (const [key, value] of Object.entries(timeouts)) {
        if (!["create", "update", "delete"].includes(key)) {
            problems.push([`timeouts.${key}`, "is not a timeout: use create, update or delete"]);
        } else if (value !== undefined && value !== UNKNOWN && parseDuration(value) === undefined) {
            problems.push([`timeouts.${key}`, 'must be a positive number of seconds or a duration such as "30m" or "1h30m"']);
        }
    }
    return problems;
}

function replaceOnChangesProblems(replaceOnChanges: unknown): Problem[] {
    if (replaceOnChanges === undefined || replaceOnChanges === UNKNOWN) return [];
    if (!Array.isArray(replaceOnChanges)) {
        return [["replaceOnChanges", 'must be a list of JSON pointers into desiredState, e.g. ["/RetentionInDays"]']];
    }
    const problems: Problem[] = [];
    replaceOnChanges.forEach((pointer, i) => {
        if (pointer !== UNKNOWN && (typeof pointer !== "string" || !pointer.startsWith("/"))) {
            problems.push([
                `replaceOnChanges[${i}]`,
                'must be a JSON pointer into desiredState starting with "/", e.g. "/RetentionInDays"',
            ]);
        }
    });
    return problems;
}

function schemaProblem(schema: unknown, typeName: string | undefined): string | undefined {
    let document: unknown = schema;
    if (typeof schema === "string") {
        try {
            document = JSON.parse(schema);
        } catch {
            return "is a string but not JSON: pass the registry schema document (object or JSON text)";
        }
    }
    if (!isPlainObject(document)) {
        return "must be a registry schema document (object or JSON text)";
    }
    const declared = (document as Record<string, unknown>).typeName;
    if (typeof declared !== "string" || !isPlainObject((document as Record<string, unknown>).properties)) {
        return "must be a registry schema document with typeName and properties";
    }
    if (typeName && typeName !== UNKNOWN && declared !== typeName) {
        return `describes ${declared}, not ${typeName}`;
    }
    return undefined;
}

/** Validates a desired state against the registry schema: JSON Schema rules and no read-only properties. */
export function checkAgainstSchema(news: Record<string, unknown>, schema: ResourceSchema): CheckFailure[] {
    const label = resourceLabel(news);
    const desiredState = news.desiredState as Record<string, unknown>;
    const unknowns = unknownPaths(desiredState);
    const failures: CheckFailure[] = [];
    const seen = new Set<string>();
    const add = (f: CheckFailure) => {
        if (!seen.has(f.reason) && failures.length < MAX_SCHEMA_ERRORS) {
            seen.add(f.reason);
            failures.push(f);
        }
    };

    for (const pointer of presentPointers(desiredState)) {
        const segments = splitPointer(pointer);
        if (
            schema.readOnly.some(
                (readOnly) => isAtOrBelow(segments, splitPointer(readOnly)) && segments.length === splitPointer(readOnly).length,
            )
        ) {
            add(
                failure(
                    label,
                    propertyPath(pointer),
                    `is read-only in ${schema.typeName} (Cloud Control sets it): remove it from desiredState and read it from properties`,
                ),
            );
        }
    }

    const declared = schema.document.properties ?? {};
    const pointers = Array.isArray(news.replaceOnChanges) ? news.replaceOnChanges : [];
    pointers.forEach((pointer, i) => {
        const top = typeof pointer === "string" && pointer.startsWith("/") ? splitPointer(pointer)[0] : undefined;
        if (top !== undefined && !(top in declared)) {
            add(
                failure(
                    label,
                    `replaceOnChanges[${i}]`,
                    `names ${propertyPath(pointer as string)}, which is not a property of ${schema.typeName}`,
                ),
            );
        }
    });

    const validate = compiledValidator(schema.document);
    if (validate instanceof Error) {
        console.log(
            `${label}: the registry schema could not be compiled for validation (${validate.message}); desiredState is not validated`,
        );
        return failures;
    }
    if (!validate(desiredState)) {
        for (const error of validate.errors ?? []) {
            const described = describeAjvError(error);
            if (causedByUnknown(described.pointer, error.keyword, unknowns)) {
                continue;
            }
            add(failure(label, propertyPath(described.pointer), `${described.reason} (per the ${schema.typeName} schema)`));
        }
    }
    return failures;
}

const COMPOSITE_KEYWORDS = new Set(["oneOf", "anyOf", "allOf", "not", "if", "then", "else"]);

/** Unknown values pass: errors at or under an unknown, and composite-rule errors above one, are not reported. */
function causedByUnknown(pointer: string, keyword: string, unknowns: string[]): boolean {
    const at = splitPointer(pointer);
    return unknowns.some((u) => isAtOrBelow(at, splitPointer(u)) || (COMPOSITE_KEYWORDS.has(keyword) && isAtOrBelow(splitPointer(u), at)));
}

function describeAjvError(error: ErrorObject): { pointer: string; reason: string } {
    const at = splitPointer(error.instancePath);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
        case "required":
            return { pointer: joinPointer([...at, String(params.missingProperty)]), reason: "is required" };
        case "additionalProperties":
            return { pointer: joinPointer([...at, String(params.additionalProperty)]), reason: "is not a property the schema allows here" };
        case "unevaluatedProperties":
            return {
                pointer: joinPointer([...at, String(params.unevaluatedProperty)]),
                reason: "is not a property the schema allows here",
            };
        case "dependencies":
        case "dependentRequired":
            return {
                pointer: joinPointer([...at, String(params.missingProperty)]),
                reason: `is required when ${String(params.property)} is set`,
            };
        case "enum":
            return { pointer: error.instancePath, reason: `must be one of ${JSON.stringify(params.allowedValues)}` };
        default:
            // ajv's messages describe the rule (type, bounds, pattern), never the offending value.
            return { pointer: error.instancePath, reason: error.message ?? `does not satisfy ${error.keyword}` };
    }
}

// Keyed by the document object: the schema loader hands out the same parsed schema for a type (and an explicit
// schema object or text) on every call, so a check costs no more than a lookup once its type has been compiled.
const validators = new WeakMap<RegistrySchema, ValidateFunction | Error>();

/** Compiles (once per document) an ajv validator for a registry schema. */
function compiledValidator(document: RegistrySchema): ValidateFunction | Error {
    let validator = validators.get(document);
    if (!validator) {
        try {
            // Registry schemas carry their own keywords (insertionOrder, handlers, tagging, ...) and formats
            // such as int64: strict off and formats not validated, so only standard rules apply.
            const { $schema: _metaSchema, $id: _id, ...rest } = document as Record<string, unknown>;
            const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: registryRegExp } });
            validator = ajv.compile(rest);
        } catch (error) {
            validator = error instanceof Error ? error : new Error(String(error));
        }
        validators.set(document, validator);
    }
    return validator;
}

/**
 * Registry patterns are written for Java: `\A`, `\Z` and `\z` anchor the input, `\p{L}` needs JavaScript's unicode
 * mode. Translate the anchors and try unicode mode first; a pattern JavaScript cannot compile is not enforced
 * (Cloud Control still validates it) rather than failing every check.
 */
export const registryRegExp = Object.assign(
    (pattern: string): { test: (s: string) => boolean } => {
        const translated = pattern.replace(/(?<!\\)((?:\\\\)*)\\A/g, "$1^").replace(/(?<!\\)((?:\\\\)*)\\[Zz]/g, "$1$$");
        for (const flags of ["u", ""]) {
            try {
                return new RegExp(translated, flags);
            } catch {
                // try the next mode
            }
        }
        return { test: () => true };
    },
    { code: "new RegExp" },
);

/** Pointers of every value present in a JSON document (objects' keys and array items, recursively). */
function presentPointers(value: unknown, at: Array<string | number> = [], out: string[] = []): string[] {
    if (Array.isArray(value)) {
        value.forEach((item, i) => {
            out.push(joinPointer([...at, i]));
            presentPointers(item, [...at, i], out);
        });
    } else if (isPlainObject(value)) {
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
            out.push(joinPointer([...at, key]));
            presentPointers(item, [...at, key], out);
        }
    }
    return out;
}

/** What makes a value not JSON: functions, cycles, undefined leaves, NaN/Infinity, non-plain objects. */
export function jsonProblems(
    value: unknown,
    at: Array<string | number> = [],
    ancestors: unknown[] = [],
    out: Array<[string, string]> = [],
): Array<[string, string]> {
    const pointer = joinPointer(at);
    switch (typeof value) {
        case "function":
            out.push([pointer, "is a function: desiredState must be JSON"]);
            return out;
        case "undefined":
            out.push([pointer, "is undefined: remove the property or give it a value"]);
            return out;
        case "number":
            if (!Number.isFinite(value)) {
                out.push([pointer, "is not a finite number (NaN or Infinity): desiredState must be JSON"]);
            }
            return out;
        case "bigint":
        case "symbol":
            out.push([pointer, `is a ${typeof value}: desiredState must be JSON`]);
            return out;
        case "object":
            break;
        default:
            return out;
    }
    if (value === null) {
        return out;
    }
    if (ancestors.includes(value)) {
        out.push([pointer, "refers back to one of its parents (a cycle): desiredState must be JSON"]);
        return out;
    }
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            jsonProblems(value[i], [...at, i], [...ancestors, value], out);
        }
    } else if (isPlainObject(value)) {
        for (const key of Object.keys(value as object)) {
            jsonProblems((value as Record<string, unknown>)[key], [...at, key], [...ancestors, value], out);
        }
    } else {
        out.push([pointer, `is ${kindOf(value)}: desiredState must be JSON (objects, arrays, strings, numbers, booleans, null)`]);
    }
    return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return false;
    }
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

function kindOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "an array";
    if (typeof value === "object") {
        const name = (value as object).constructor?.name;
        return name ? `a ${name}` : "an object";
    }
    return `a ${typeof value}`;
}

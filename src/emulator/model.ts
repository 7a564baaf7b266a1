/**
 * Resource models as the emulator stores and returns them: deterministic read-only values, primary
 * identifiers, generated names, and the view without write-only properties.
 */
import { createHash } from "crypto";
import { TypeInfo } from "./schemas";
import { deletePath, setPath, valuesAt } from "./pointer";

/** Account and region that generated ARNs and URLs use. */
export interface Placement {
    region: string;
    accountId: string;
}

/** A short deterministic hex digest. */
export function digest(text: string, length = 12): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Deep copy of a JSON value. */
export function clone<T>(value: T): T {
    return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** The model without write-only properties: what GetResource, ListResources and progress events show. */
export function withoutWriteOnly(info: TypeInfo, model: Record<string, unknown>): Record<string, unknown> {
    const copy = clone(model);
    for (const p of info.writeOnly) deletePath(copy, p);
    return copy;
}

/** The model without read-only properties (the part a user writes). */
export function withoutReadOnly(info: TypeInfo, model: Record<string, unknown>): Record<string, unknown> {
    const copy = clone(model);
    for (const p of info.readOnly) deletePath(copy, p);
    return copy;
}

/** The primary identifier of a model: values in primaryIdentifier order joined with "|"; undefined if any is missing. */
export function identifierOf(info: TypeInfo, model: Record<string, unknown>): string | undefined {
    const parts: string[] = [];
    for (const p of info.primaryIdentifier) {
        const found = valuesAt(model, p);
        if (found.length !== 1 || found[0].value === undefined || found[0].value === null) return undefined;
        const v = found[0].value;
        parts.push(typeof v === "string" ? v : JSON.stringify(v));
    }
    return parts.length > 0 ? parts.join("|") : undefined;
}

function resolveRef(info: TypeInfo, node: any, depth = 0): any {
    if (node && typeof node.$ref === "string" && node.$ref.startsWith("#/") && depth < 10) {
        let target: any = info.schema;
        for (const key of node.$ref.slice(2).split("/")) target = target?.[key];
        return resolveRef(info, target, depth + 1);
    }
    return node;
}

/** The schema of a property path (no wildcards), following local $refs. */
export function propertySchema(info: TypeInfo, path: string[]): any {
    let node: any = { properties: info.schema.properties };
    for (const key of path) {
        node = resolveRef(info, node);
        if (key === "*") node = node?.items;
        else node = node?.properties?.[key];
        if (!node) return undefined;
    }
    return resolveRef(info, node);
}

function firstType(schema: any): string | undefined {
    if (!schema) return undefined;
    if (Array.isArray(schema.type)) return schema.type[0];
    return schema.type;
}

function serviceOf(typeName: string): { service: string; resource: string } {
    const [, service = "svc", resource = "resource"] = typeName.split("::");
    return { service: service.toLowerCase(), resource: resource.toLowerCase() };
}

/**
 * A generated value cut to a schema's maxLength keeping its end (the per-request digest), so that short fields
 * (a Lex bot version of 5 characters) still get a different value for each resource.
 */
function fitLength(value: string, max: number | undefined): string {
    return max && value.length > max ? value.slice(value.length - max) : value;
}

/** A name for a resource whose naming property was not given, as CloudFormation derives one. */
export function generatedName(info: TypeInfo, seed: string, maxLength?: number): string {
    const { resource } = serviceOf(info.typeName);
    const name = `${resource}-${digest(seed, 12)}`;
    return fitLength(name, maxLength);
}

/** A deterministic value for one read-only property, shaped by its name and schema. */
function readOnlyValue(info: TypeInfo, key: string, schema: any, name: string, where: Placement, seed: string): unknown {
    const { service, resource } = serviceOf(info.typeName);
    const type = firstType(schema) ?? "string";
    if (type === "integer" || type === "number") return Number.parseInt(digest(seed + key, 6), 16) % 100000;
    if (type === "boolean") return false;
    if (type === "array") return [];
    if (type === "object") return {};
    const lower = key.toLowerCase();
    let value: string;
    if (lower.endsWith("arn")) {
        value =
            info.typeName === "AWS::Logs::LogGroup"
                ? `arn:aws:logs:${where.region}:${where.accountId}:log-group:${name}:*`
                : info.typeName === "AWS::S3::Bucket"
                  ? `arn:aws:s3:::${name}`
                  : info.typeName === "AWS::SSM::Parameter"
                    ? `arn:aws:ssm:${where.region}:${where.accountId}:parameter/${name.replace(/^\//, "")}`
                    : info.typeName === "AWS::IAM::Role"
                      ? `arn:aws:iam::${where.accountId}:role/${name}`
                      : info.typeName === "AWS::SQS::Queue"
                        ? `arn:aws:sqs:${where.region}:${where.accountId}:${name}`
                        : `arn:aws:${service}:${where.region}:${where.accountId}:${resource}/${name}`;
    } else if (lower.endsWith("url")) {
        value =
            info.typeName === "AWS::SQS::Queue"
                ? `https://sqs.${where.region}.amazonaws.com/${where.accountId}/${name}`
                : `https://${name}.${service}.${where.region}.amazonaws.com/`;
    } else if (lower.endsWith("domainname")) {
        value = `${name}.${service}.${where.region}.amazonaws.com`;
    } else if (lower.endsWith("name")) {
        value = name;
    } else {
        value = `${resource.slice(0, 8)}-${digest(seed + key, 17)}`;
    }
    const max = typeof schema?.maxLength === "number" ? schema.maxLength : undefined;
    if (typeof schema?.enum?.[0] === "string") return schema.enum[0];
    return fitLength(value, max);
}

/**
 * Fills the read-only properties of a new model in place (top-level ones, and nested ones whose parent object
 * exists), deterministically from the type, its name and `seed`.
 */
export function fillReadOnly(info: TypeInfo, model: Record<string, unknown>, where: Placement, seed: string): void {
    const name = nameOf(info, model) ?? generatedName(info, seed);
    for (const p of info.readOnly) {
        if (p.includes("*")) continue;
        if (valuesAt(model, p).length > 0) continue;
        const schema = propertySchema(info, p);
        setPath(model, p, readOnlyValue(info, p[p.length - 1], schema, name, where, seed));
    }
}

/**
 * The model's own name: its `<Resource>Name` (QueueName, RoleName) or `Name` property. Other "...Name" properties
 * name other resources (an Events rule's EventBusName): deriving ARNs from them would make two nameless resources
 * on one bus collide, which AWS's generated names never do.
 */
export function nameOf(info: TypeInfo, model: Record<string, unknown>): string | undefined {
    const { resource } = serviceOf(info.typeName);
    const strings = Object.keys(model).filter((k) => typeof model[k] === "string");
    const own = strings.find((k) => k.toLowerCase() === `${resource}name`) ?? strings.find((k) => k === "Name");
    return own ? (model[own] as string) : undefined;
}

/**
 * Gives a writable primary-identifier property a generated name when the user left it out (as CloudFormation
 * names LogGroups, Buckets, ...). Only string properties are generated; others stay missing (the caller then
 * finds no identifier).
 */
export function fillGeneratedIdentifier(info: TypeInfo, model: Record<string, unknown>, seed: string): void {
    const readOnly = new Set(info.readOnly.map((p) => p.join("/")));
    for (const p of info.primaryIdentifier) {
        if (readOnly.has(p.join("/")) || p.includes("*") || valuesAt(model, p).length > 0) continue;
        const schema = propertySchema(info, p);
        if (firstType(schema) !== "string" && schema?.type !== undefined) continue;
        const max = typeof schema?.maxLength === "number" ? schema.maxLength : undefined;
        setPath(model, p, generatedName(info, seed + p.join("/"), max));
    }
}

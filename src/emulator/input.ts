/**
 * Request members checked the way Cloud Control checks them before any handler runs: the constraints of the
 * Smithy model (aws-sdk-js-v3 codegen/sdk-codegen/aws-models/cloudcontrol.json: length, pattern, range, enum,
 * required), reported as one ValidationException listing every violation in AWS's ("coral") wording. A member of
 * the wrong JSON type is a SerializationException, as AWS's deserializer answers. Also the opaque pagination tokens.
 */
import { ApiError } from "./errors";

type Json = Record<string, any>;

/** A string member's constraints. `sensitive` members (@sensitive in the model) are never echoed. */
interface StringShape {
    kind: "string";
    min: number;
    max: number;
    pattern?: string;
    sensitive?: boolean;
}

interface IntegerShape {
    kind: "integer";
    min: number;
    max: number;
}

/** A list of enum values (ResourceRequestStatusFilter's members). */
interface EnumListShape {
    kind: "enumList";
    values: readonly string[];
}

interface FilterShape {
    kind: "filter";
}

type Shape = StringShape | IntegerShape | EnumListShape | FilterShape;

// Shapes of the model, by its shape names.
const TypeName: StringShape = { kind: "string", min: 10, max: 196, pattern: "^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$" };
const TypeVersionId: StringShape = { kind: "string", min: 1, max: 128, pattern: "^[A-Za-z0-9-]+$" };
const RoleArn: StringShape = { kind: "string", min: 20, max: 2048, pattern: "^arn:.+:iam::[0-9]{12}:role/.+$" };
const ClientToken: StringShape = { kind: "string", min: 1, max: 128, pattern: "^[-A-Za-z0-9+/=]+$" };
const RequestToken: StringShape = ClientToken;
const Identifier: StringShape = { kind: "string", min: 1, max: 1024, pattern: "^.+$" };
const Properties: StringShape = { kind: "string", min: 1, max: 262144, pattern: "^[\\s\\S]*$", sensitive: true };
const PatchDocument: StringShape = Properties;
const NextToken: StringShape = { kind: "string", min: 1, max: 2048, pattern: "^[-A-Za-z0-9+/=]+$" };
const HandlerNextToken: StringShape = { kind: "string", min: 1, max: 4096, pattern: "^.+$" };
const MaxResults: IntegerShape = { kind: "integer", min: 1, max: 100 };

/** An operation's input members: shape and whether required. */
type InputShape = Record<string, { shape: Shape; required?: boolean }>;

const resourceRef = { TypeName: { shape: TypeName, required: true }, TypeVersionId: { shape: TypeVersionId }, RoleArn: { shape: RoleArn } };

/** Input shapes of the eight operations. */
export const inputShapes: Readonly<Record<string, InputShape>> = {
    CreateResource: { ...resourceRef, ClientToken: { shape: ClientToken }, DesiredState: { shape: Properties, required: true } },
    GetResource: { ...resourceRef, Identifier: { shape: Identifier, required: true } },
    UpdateResource: {
        ...resourceRef,
        ClientToken: { shape: ClientToken },
        Identifier: { shape: Identifier, required: true },
        PatchDocument: { shape: PatchDocument, required: true },
    },
    DeleteResource: { ...resourceRef, ClientToken: { shape: ClientToken }, Identifier: { shape: Identifier, required: true } },
    ListResources: {
        ...resourceRef,
        NextToken: { shape: HandlerNextToken },
        MaxResults: { shape: MaxResults },
        ResourceModel: { shape: Properties },
    },
    GetResourceRequestStatus: { RequestToken: { shape: RequestToken, required: true } },
    ListResourceRequests: {
        MaxResults: { shape: MaxResults },
        NextToken: { shape: NextToken },
        ResourceRequestStatusFilter: { shape: { kind: "filter" } },
    },
    CancelResourceRequest: { RequestToken: { shape: RequestToken, required: true } },
};

const filterMembers: Record<string, EnumListShape> = {
    Operations: { kind: "enumList", values: ["CREATE", "DELETE", "UPDATE"] },
    OperationStatuses: {
        kind: "enumList",
        values: ["PENDING", "IN_PROGRESS", "SUCCESS", "FAILED", "CANCEL_IN_PROGRESS", "CANCEL_COMPLETE"],
    },
};

const compiled = new Map<string, RegExp>();
function patternOf(pattern: string): RegExp {
    let re = compiled.get(pattern);
    if (!re) compiled.set(pattern, (re = new RegExp(pattern)));
    return re;
}

function lowerFirst(s: string): string {
    return s.charAt(0).toLowerCase() + s.slice(1);
}

function jsonType(v: unknown): string {
    return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

function serializationError(member: string, expected: string, v: unknown): ApiError {
    return new ApiError("SerializationException", `${member}: expected ${expected}, got ${jsonType(v)}`);
}

/** Violations of one member, in coral's words ("Value 'x' at 'typeName' failed to satisfy constraint: ..."). */
function violations(member: string, path: string, shape: Shape, v: unknown): string[] {
    const at = (value: string | undefined) => `Value${value === undefined ? "" : ` ${value}`} at '${path}' failed to satisfy constraint: `;
    switch (shape.kind) {
        case "string": {
            if (typeof v !== "string") throw serializationError(member, "a string", v);
            const shown = shape.sensitive ? undefined : `'${v}'`;
            const out: string[] = [];
            if (v.length < shape.min) out.push(`${at(shown)}Member must have length greater than or equal to ${shape.min}`);
            if (v.length > shape.max) out.push(`${at(shown)}Member must have length less than or equal to ${shape.max}`);
            if (shape.pattern && !patternOf(shape.pattern).test(v))
                out.push(`${at(shown)}Member must satisfy regular expression pattern: ${shape.pattern}`);
            return out;
        }
        case "integer":
            if (typeof v !== "number" || !Number.isInteger(v)) throw serializationError(member, "an integer", v);
            if (v < shape.min) return [`${at(`'${v}'`)}Member must have value greater than or equal to ${shape.min}`];
            if (v > shape.max) return [`${at(`'${v}'`)}Member must have value less than or equal to ${shape.max}`];
            return [];
        case "enumList": {
            if (!Array.isArray(v)) throw serializationError(member, "a list", v);
            for (const item of v) if (typeof item !== "string") throw serializationError(member, "a list of strings", item);
            const bad = v.some((item) => !shape.values.includes(item as string));
            return bad
                ? [
                      `${at(`'[${v.join(", ")}]'`)}Member must satisfy constraint: [Member must satisfy enum value set: [${shape.values.join(", ")}]]`,
                  ]
                : [];
        }
        case "filter": {
            if (typeof v !== "object" || v === null || Array.isArray(v)) throw serializationError(member, "an object", v);
            return Object.entries(filterMembers).flatMap(([name, inner]) => {
                const value = (v as Json)[name];
                return value === undefined || value === null
                    ? []
                    : violations(`${member}.${name}`, `${path}.${lowerFirst(name)}`, inner, value);
            });
        }
    }
}

/**
 * Checks an operation's input against the model: throws SerializationException for a member of the wrong JSON
 * type, ValidationException listing every constraint violation ("2 validation errors detected: ...; ...").
 */
export function validateInput(operation: string, input: Json): void {
    const shape = inputShapes[operation];
    if (!shape) return;
    const problems: string[] = [];
    for (const [member, { shape: memberShape, required }] of Object.entries(shape)) {
        const v = input[member];
        if (v === undefined || v === null) {
            if (required) problems.push(`Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`);
            continue;
        }
        problems.push(...violations(member, lowerFirst(member), memberShape, v));
    }
    if (problems.length > 0) {
        const count = problems.length === 1 ? "1 validation error detected" : `${problems.length} validation errors detected`;
        throw new ApiError("ValidationException", `${count}: ${problems.join("; ")}`);
    }
}

/** A member validateInput has checked to be a string (required ones are always present). */
export function stringMember(input: Json, member: string): string {
    return input[member] as string;
}

/** An optional string member validateInput has checked. */
export function optionalString(input: Json, member: string): string | undefined {
    const v = input[member];
    return typeof v === "string" ? v : undefined;
}

/** Parses a member that carries a JSON document as a string (DesiredState, PatchDocument, ResourceModel). */
export function parseJsonMember(text: string, member: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        throw new ApiError("InvalidRequestException", `${member} is not valid JSON`);
    }
}

/** MaxResults (checked by validateInput), or the default. */
export function maxResults(input: Json, dflt: number): number {
    return typeof input.MaxResults === "number" ? input.MaxResults : dflt;
}

/** Offset encoded in a NextToken (0 without one); a token we did not issue is InvalidRequestException. */
export function decodeNextToken(input: Json): number {
    const t = input.NextToken;
    if (t === undefined || t === null) return 0;
    const n = typeof t === "string" ? Number.parseInt(Buffer.from(t, "base64").toString("utf8").replace(/^o:/, ""), 10) : NaN;
    if (!Number.isInteger(n) || n < 0) throw new ApiError("InvalidRequestException", "NextToken is invalid");
    return n;
}

/** An opaque NextToken for an offset. */
export function encodeNextToken(offset: number): string {
    return Buffer.from(`o:${offset}`).toString("base64");
}

/**
 * Reading Cloud Control request members the way the service validates them (missing, wrong JSON type, length),
 * and the opaque pagination tokens.
 */
import { ApiError } from "./errors";

type Json = Record<string, any>;

/** A required string member; missing → ValidationException naming it (as AWS words it), wrong JSON type → SerializationException. */
export function requireString(input: Json, member: string, max = 2048): string {
    const v = input[member];
    if (v === undefined || v === null) {
        throw new ApiError("ValidationException", `1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`);
    }
    if (typeof v !== "string") throw new ApiError("SerializationException", `${member}: expected a string`);
    if (v.length < 1 || v.length > max) {
        throw new ApiError("ValidationException", `1 validation error detected: Value at '${lowerFirst(member)}' failed to satisfy constraint: Member must have length between 1 and ${max}`);
    }
    return v;
}

/** An optional string member. */
export function optionalString(input: Json, member: string): string | undefined {
    const v = input[member];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") throw new ApiError("SerializationException", `${member}: expected a string`);
    return v;
}

function lowerFirst(s: string): string {
    return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Parses a member that carries a JSON document as a string (DesiredState, PatchDocument). */
export function parseJsonMember(text: string, member: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        throw new ApiError("InvalidRequestException", `${member} is not valid JSON`);
    }
}

/** MaxResults, checked against its modelled range. */
export function maxResults(input: Json, dflt: number, max: number): number {
    const v = input.MaxResults;
    if (v === undefined || v === null) return dflt;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) {
        throw new ApiError("ValidationException", `1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${max}`);
    }
    return v;
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

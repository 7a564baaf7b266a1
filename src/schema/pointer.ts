/**
 * JSON pointers (RFC 6901) as the registry schemas use them, and their property-relative form
 * ("/properties/Tags/*\/Key" in the registry is "/Tags/*\/Key" here, like Cloud Control patch paths).
 */
import type { PropertyPointer } from "./types";

/** Unescapes one pointer segment ("~1" → "/", "~0" → "~"). */
export function unescapeSegment(segment: string): string {
    return segment.indexOf("~") < 0 ? segment : segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Escapes one pointer segment ("~" → "~0", "/" → "~1"). */
export function escapeSegment(segment: string): string {
    // indexOf first: patches escape every key they write, and almost none needs it.
    if (segment.indexOf("/") < 0 && segment.indexOf("~") < 0) return segment;
    return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Splits a pointer into unescaped segments ("" → []). */
export function splitPointer(pointer: string): string[] {
    if (pointer === "" || pointer === "/") return pointer === "/" ? [""] : [];
    return pointer.slice(1).split("/").map(unescapeSegment);
}

/** Joins unescaped segments into a pointer. */
export function joinPointer(segments: readonly (string | number)[]): string {
    let out = "";
    for (const s of segments) out += "/" + escapeSegment(String(s));
    return out;
}

/**
 * Converts a registry pointer ("/properties/A/B") to a property pointer ("/A/B").
 * Returns undefined for pointers outside the properties (e.g. "/definitions/...").
 */
export function toPropertyPointer(registryPointer: string): PropertyPointer | undefined {
    if (registryPointer.startsWith("/properties/")) return registryPointer.slice("/properties".length);
    return undefined;
}

/** Whether `pointer` equals `ancestor` or lies below it, "*" in either matching any one segment. */
export function isAtOrBelow(pointer: readonly string[], ancestor: readonly string[]): boolean {
    if (pointer.length < ancestor.length) return false;
    for (let i = 0; i < ancestor.length; i++) {
        if (ancestor[i] !== pointer[i] && ancestor[i] !== "*" && pointer[i] !== "*") return false;
    }
    return true;
}

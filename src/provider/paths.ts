import { UNKNOWN } from "../diff";

/** Splits a JSON pointer into unescaped segments ("" → []). */
export function pointerSegments(pointer: string): string[] {
    if (pointer === "" || pointer === "/") {
        return [];
    }
    return pointer
        .replace(/^\//, "")
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Builds a JSON pointer from segments. */
export function toPointer(segments: Array<string | number>): string {
    return segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/**
 * A JSON pointer relative to the desired state as a Pulumi property path under `root`:
 * "/Tags/0/Key" → `desiredState.Tags[0].Key`. Names that are not identifiers are quoted.
 */
export function propertyPath(pointer: string, root = "desiredState"): string {
    let path = root;
    for (const segment of pointerSegments(pointer)) {
        if (/^\d+$/.test(segment)) {
            path += `[${segment}]`;
        } else if (/^[A-Za-z_$][\w$]*$/.test(segment)) {
            path += `.${segment}`;
        } else {
            path += `[${JSON.stringify(segment)}]`;
        }
    }
    return path;
}

/** Whether `pointer` is `pattern` (a schema pointer, "*" for any array item) or lies under it. */
export function isAtOrUnder(pointer: string, pattern: string): boolean {
    const p = pointerSegments(pointer);
    const q = pointerSegments(pattern);
    if (p.length < q.length) {
        return false;
    }
    return q.every((segment, i) => segment === p[i] || (segment === "*" && /^\d+$/.test(p[i])));
}

/** Pointers of every Pulumi unknown (preview-time placeholder) inside `value`. */
export function unknownPaths(value: unknown, at: Array<string | number> = [], found: string[] = []): string[] {
    if (value === UNKNOWN) {
        found.push(toPointer(at));
    } else if (Array.isArray(value)) {
        value.forEach((item, i) => unknownPaths(item, [...at, i], found));
    } else if (value !== null && typeof value === "object") {
        for (const [key, item] of Object.entries(value)) {
            unknownPaths(item, [...at, key], found);
        }
    }
    return found;
}

/** Whether `value` contains a Pulumi unknown anywhere (or is one). */
export function containsUnknown(value: unknown): boolean {
    return unknownPaths(value).length > 0;
}

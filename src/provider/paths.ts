import { UNKNOWN } from "../diff";
import { joinPointer, splitPointer } from "../schema/pointer";

/**
 * A JSON pointer relative to the desired state as a Pulumi property path under `root`:
 * "/Tags/0/Key" → `desiredState.Tags[0].Key`. Names that are not identifiers are quoted.
 */
export function propertyPath(pointer: string, root = "desiredState"): string {
    let path = root;
    for (const segment of splitPointer(pointer)) {
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

/** Pointers of every Pulumi unknown (preview-time placeholder) inside `value`. */
export function unknownPaths(value: unknown, at: Array<string | number> = [], found: string[] = []): string[] {
    if (value === UNKNOWN) {
        found.push(joinPointer(at));
    } else if (Array.isArray(value)) {
        value.forEach((item, i) => unknownPaths(item, [...at, i], found));
    } else if (value !== null && typeof value === "object") {
        for (const [key, item] of Object.entries(value)) {
            unknownPaths(item, [...at, key], found);
        }
    }
    return found;
}

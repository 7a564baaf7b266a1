/** The Pulumi unknown-value sentinel and how to find it in a value. */

/** The value Pulumi passes for unknown inputs during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether the value is, or contains anywhere, the unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (value === null || typeof value !== "object") return false;
    if (Array.isArray(value)) {
        for (const v of value) if (containsUnknown(v)) return true;
        return false;
    }
    for (const k in value as Record<string, unknown>) if (containsUnknown((value as Record<string, unknown>)[k])) return true;
    return false;
}

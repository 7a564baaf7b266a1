/** Whether a value is a JSON object: not null, not an array (the one test the diff, schema and provider share). */
export function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

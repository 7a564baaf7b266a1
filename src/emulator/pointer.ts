/**
 * Schema property pointers ("/properties/A/B/*\/C") applied to resource models, where "*" stands for every
 * array item (or object member).
 */

/** Splits a JSON pointer into its unescaped segments ("/A/b~1c" -> ["A", "b/c"], "" -> []). */
export function splitPointer(pointer: string): string[] {
    return pointer
        .split("/")
        .slice(1)
        .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Splits "/properties/A/B" into ["A", "B"] (JSON-pointer unescaped); other roots give []. */
export function propertyPath(pointer: string): string[] {
    const parts = splitPointer(pointer);
    return parts[0] === "properties" ? parts.slice(1) : [];
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Removes every value at `path` (with "*" wildcards) from `model`, in place. */
export function deletePath(model: unknown, path: string[]): void {
    if (path.length === 0 || model === null || typeof model !== "object") return;
    const [head, ...rest] = path;
    const children: Array<[string | number, unknown]> =
        head === "*"
            ? Array.isArray(model)
                ? model.map((v, i) => [i, v] as [number, unknown])
                : Object.entries(model as Record<string, unknown>)
            : [[head, (model as Record<string, unknown>)[head]]];
    for (const [key, child] of children) {
        if (rest.length === 0) {
            if (!Array.isArray(model)) delete (model as Record<string, unknown>)[key as string];
        } else {
            deletePath(child, rest);
        }
    }
}

/** Every value found at `path` (with "*" wildcards), paired with its concrete model pointer. */
export function valuesAt(model: unknown, path: string[], prefix = ""): Array<{ pointer: string; value: unknown }> {
    if (path.length === 0) return [{ pointer: prefix, value: model }];
    if (model === null || typeof model !== "object") return [];
    const [head, ...rest] = path;
    if (head === "*") {
        const entries = Array.isArray(model) ? model.map((v, i) => [String(i), v] as const) : Object.entries(model);
        return entries.flatMap(([k, v]) => valuesAt(v, rest, `${prefix}/${escape(k)}`));
    }
    if (!isObject(model) || !(head in model)) return [];
    return valuesAt(model[head], rest, `${prefix}/${escape(head)}`);
}

/** Sets a value at a concrete path, creating no intermediate containers (returns false when the parent is missing). */
export function setPath(model: Record<string, unknown>, path: string[], value: unknown): boolean {
    let node: unknown = model;
    for (const key of path.slice(0, -1)) {
        if (!isObject(node)) return false;
        node = node[key];
    }
    if (!isObject(node)) return false;
    node[path[path.length - 1]] = value;
    return true;
}

/** Whether a concrete model pointer ("/A/0/B") lies at or below a schema path with wildcards. */
export function pointerWithin(modelPtr: string, path: string[]): boolean {
    const parts = splitPointer(modelPtr);
    if (parts.length < path.length) return false;
    return path.every((seg, i) => seg === "*" || seg === parts[i]);
}

function escape(key: string): string {
    return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

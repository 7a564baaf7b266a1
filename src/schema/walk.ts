/**
 * Walks a registry schema's property definitions (through `$ref`, `oneOf`/`anyOf`/`allOf`, `items`,
 * `patternProperties`) to find the paths that change how values compare: arrays with `insertionOrder: false`,
 * JSON documents (a property whose type allows both "object" and "string", e.g. an IAM policy) and maps (objects
 * whose keys the user chooses).
 */
import type { PropertyPointer, RegistrySchema } from "./types";
import { escapeSegment } from "./pointer";

/** What {@link collectSchemaPaths} finds. */
export interface SchemaPaths {
    unorderedArrays: PropertyPointer[];
    jsonDocuments: PropertyPointer[];
    maps: PropertyPointer[];
}

type Node = Record<string, unknown>;

// Deeply nested definitions (QuickSight has tens of thousands of reachable nodes) are walked once per path;
// recursive definitions stop at the first repeat on the current branch, and this depth bounds the rest.
const MAX_DEPTH = 24;

/** Resolves a local `$ref` ("#/definitions/X" or any "#/..." pointer) in the schema document. */
export function resolveRef(document: RegistrySchema, ref: string): Node | undefined {
    if (!ref.startsWith("#/")) return undefined;
    let node: unknown = document;
    for (const raw of ref.slice(2).split("/")) {
        const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Node)[key];
    }
    return node !== null && typeof node === "object" ? (node as Node) : undefined;
}

/**
 * A schema node with its `$ref`s followed (a few levels deep); keywords written beside a reference (a description,
 * a maxLength) refine the target. Undefined when a reference does not resolve.
 */
export function derefNode(document: RegistrySchema, node: unknown): Node | undefined {
    let n = node !== null && typeof node === "object" && !Array.isArray(node) ? (node as Node) : undefined;
    for (let i = 0; n && typeof n.$ref === "string" && i < 8; i++) {
        const target = resolveRef(document, n.$ref);
        const { $ref: _ref, ...beside } = n;
        n = target ? { ...target, ...beside } : undefined;
    }
    return n;
}

/** The JSON types a schema node allows (its `type`, a string or a list). */
export function typesOf(node: Node): string[] {
    const t = node.type;
    if (typeof t === "string") return [t];
    if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string");
    return [];
}

/** Collects unordered-array, JSON-document and map pointers, relative to the properties. */
export function collectSchemaPaths(document: RegistrySchema): SchemaPaths {
    const unordered = new Set<string>();
    const json = new Set<string>();
    // A map is an object without declared properties on any branch: patternProperties, a schema-valued (or true)
    // additionalProperties, or a free-form object. An object declaring properties on some branch is a record.
    const freeForm = new Set<string>();
    const records = new Set<string>();
    const visit = (node: unknown, pointer: string, refs: readonly string[], depth: number): void => {
        if (node === null || typeof node !== "object" || Array.isArray(node) || depth > MAX_DEPTH) return;
        const n = node as Node;
        if (typeof n.$ref === "string") {
            if (refs.includes(n.$ref)) return; // recursive definition: already walked on this branch
            visit(resolveRef(document, n.$ref), pointer, [...refs, n.$ref], depth);
        }
        const types = typesOf(n);
        if (types.includes("object") && types.includes("string")) json.add(pointer);
        const declares = isObjectLike(n.properties) && Object.keys(n.properties).length > 0;
        if (declares) records.add(pointer);
        else if (
            types.includes("object") ||
            isObjectLike(n.patternProperties) ||
            n.additionalProperties === true ||
            isObjectLike(n.additionalProperties)
        ) {
            freeForm.add(pointer);
        }
        // The registry meta-schema defaults insertionOrder to true: only an explicit false makes a set.
        if (n.insertionOrder === false && (types.includes("array") || n.items !== undefined)) unordered.add(pointer);
        for (const [child, at, deeper] of subSchemas(n, pointer)) visit(child, at, refs, depth + deeper);
    };
    for (const [k, v] of Object.entries(document.properties ?? {})) visit(v, "/" + escapeSegment(k), [], 1);
    return { unorderedArrays: [...unordered], jsonDocuments: [...json], maps: [...freeForm].filter((p) => !records.has(p)) };
}

/** Any object, arrays included (a schema keyword holding an array of branches is walked too). */
const isObjectLike = (v: unknown): v is Node => v !== null && typeof v === "object";

/**
 * The sub-schemas of a node with the pointer each describes, and 1 where that is a level deeper: combinator
 * branches describe the same value; items and map values ("patternProperties" / schema-valued
 * "additionalProperties") use "*" as a segment.
 */
function subSchemas(n: Node, pointer: string): Array<[node: unknown, pointer: string, deeper: number]> {
    const out: Array<[unknown, string, number]> = [];
    for (const key of ["oneOf", "anyOf", "allOf"]) {
        const branches = n[key];
        if (Array.isArray(branches)) for (const b of branches) out.push([b, pointer, 0]);
    }
    if (isObjectLike(n.items)) out.push([n.items, pointer + "/*", 1]);
    if (isObjectLike(n.properties)) for (const [k, v] of Object.entries(n.properties)) out.push([v, pointer + "/" + escapeSegment(k), 1]);
    if (isObjectLike(n.patternProperties)) for (const v of Object.values(n.patternProperties)) out.push([v, pointer + "/*", 1]);
    if (isObjectLike(n.additionalProperties)) out.push([n.additionalProperties, pointer + "/*", 1]);
    return out;
}

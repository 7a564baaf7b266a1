/**
 * The path flags of a resource schema as a trie keyed by property-pointer segments ("*" = any array item or map
 * value), walked in lockstep with the models. Built once per schema object (WeakMap), so repeated diffs are cheap.
 */
import type { PropertyPointer, RegistrySchema, ResourceSchema } from "../schema/types";
import { parseResourceSchema } from "../schema/parse";
import { splitPointer } from "../schema/pointer";

/** Flags of a trie node. The first three also hold for everything below the node. */
/** In the schema's createOnlyProperties: a change replaces the resource. */
export const CREATE_ONLY = 1;
/** In readOnlyProperties: set by AWS, never patched, ignored by the comparison. */
export const READ_ONLY = 2;
/** In writeOnlyProperties: never read back, re-sent with every update. */
export const WRITE_ONLY = 4;
/** An array with `insertionOrder: false`: compared as a multiset. */
export const UNORDERED = 16;
/** A JSON document (object or JSON text, e.g. an IAM policy): text and object compare as the same document. */
export const JSON_DOC = 32;
/** The tag property: compared by key, AWS's "aws:" tags left out. */
export const TAGS = 64;
/** An object whose keys the user chooses (refresh tracks it whole). */
export const MAP = 128;
/** Flags inherited by descendants. */
export const INHERITED = CREATE_ONLY | READ_ONLY | WRITE_ONLY;

/** One trie node. */
export interface PathNode {
    /** Flags set at this node. */
    flags: number;
    /** Union of the flags of all strict descendants. */
    below: number;
    children?: Map<string, PathNode>;
    /** The "*" child: array items and map values. */
    any?: PathNode;
    /** The literal children at or below which write-only paths lie (for re-sending write-only values). */
    writeOnlyChildren?: Array<[string, PathNode]>;
}

/** A schema ready for diffing. */
export interface SchemaIndex {
    schema: ResourceSchema;
    root: PathNode;
    createOnly: string[][];
    conditionalCreateOnly: string[][];
    /** The primary identifier, then each additional identifier: each a list of property paths. */
    identifiers: string[][][];
}

/** Child of a node for an object key (a literal child, else the map-value wildcard). */
export function childForKey(node: PathNode | undefined, key: string): PathNode | undefined {
    if (node === undefined) return undefined;
    return node.children?.get(key) ?? node.any;
}

/** Child of a node for an array item. */
export function childForItem(node: PathNode | undefined): PathNode | undefined {
    return node?.any;
}

function insert(root: PathNode, pointer: PropertyPointer, flag: number): void {
    let node = root;
    for (const seg of splitPointer(pointer)) {
        node.below |= flag;
        let next: PathNode | undefined;
        if (seg === "*") {
            next = node.any ??= { flags: 0, below: 0 };
        } else {
            node.children ??= new Map();
            next = node.children.get(seg);
            if (!next) node.children.set(seg, (next = { flags: 0, below: 0 }));
        }
        node = next;
    }
    node.flags |= flag;
}

/** Whether a value is a ResourceSchema (parsed) rather than a registry schema document. */
function isResourceSchema(schema: RegistrySchema | ResourceSchema): schema is ResourceSchema {
    const s = schema as Partial<ResourceSchema>;
    return Array.isArray(s.createOnly) && Array.isArray(s.readOnly) && typeof s.document === "object";
}

/** Builds the index of a parsed schema. */
function buildSchemaIndex(schema: ResourceSchema): SchemaIndex {
    const root: PathNode = { flags: 0, below: 0 };
    // Hand-written schemas sometimes keep the registry form ("/properties/X"): accept it unless a property is
    // really called "properties".
    const registryForm = !(schema.document?.properties && "properties" in schema.document.properties);
    const rel = (p: PropertyPointer): PropertyPointer => (registryForm && p.startsWith("/properties/") ? p.slice("/properties".length) : p);
    const add = (list: PropertyPointer[] | undefined, flag: number) => {
        for (const p of list ?? []) if (typeof p === "string" && p.startsWith("/")) insert(root, rel(p), flag);
    };
    add(schema.createOnly, CREATE_ONLY);
    add(schema.readOnly, READ_ONLY);
    add(schema.writeOnly, WRITE_ONLY);
    add(schema.unorderedArrays, UNORDERED);
    add(schema.jsonDocuments, JSON_DOC);
    add(schema.maps, MAP);
    if (schema.tagProperty) add([schema.tagProperty], TAGS);
    listWriteOnlyChildren(root);
    const split = (list: PropertyPointer[] | undefined) =>
        (list ?? []).filter((p) => typeof p === "string" && p.startsWith("/")).map((p) => splitPointer(rel(p)));
    return {
        schema,
        root,
        createOnly: outermost(split(schema.createOnly)),
        conditionalCreateOnly: outermost(split(schema.conditionalCreateOnly)),
        identifiers: [schema.primaryIdentifier, ...(schema.additionalIdentifiers ?? [])].map(split).filter((id) => id.length > 0),
    };
}

function listWriteOnlyChildren(node: PathNode): void {
    if (node.children) {
        const kids = [...node.children].filter(([, c]) => (c.flags | c.below) & WRITE_ONLY);
        if (kids.length) node.writeOnlyChildren = kids;
        for (const c of node.children.values()) listWriteOnlyChildren(c);
    }
    if (node.any) listWriteOnlyChildren(node.any);
}

// A create-only path below another create-only path adds nothing: the outer one already replaces.
function outermost(paths: string[][]): string[][] {
    return paths.filter((p) => !paths.some((q) => q.length < p.length && q.every((s, i) => s === p[i] || s === "*" || p[i] === "*")));
}

const cache = new WeakMap<object, SchemaIndex>();
const textCache = new Map<string, SchemaIndex>();

/**
 * The index of a registry schema document or a ResourceSchema, cached per object: callers that pass the same
 * schema object again (the provider does, for every resource of a type) pay for parsing once.
 */
export function schemaIndexOf(schema: RegistrySchema | ResourceSchema | string): SchemaIndex {
    if (typeof schema === "string") {
        // JSON text cannot key a WeakMap: keep the few most recent ones.
        let hit = textCache.get(schema);
        if (!hit) {
            hit = buildSchemaIndex(parseResourceSchema(schema));
            if (textCache.size >= 16) textCache.delete(textCache.keys().next().value as string);
            textCache.set(schema, hit);
        }
        return hit;
    }
    if (schema === null || typeof schema !== "object") {
        throw new Error(`Expected a registry schema document or a ResourceSchema, got ${schema === null ? "null" : typeof schema}.`);
    }
    let index = cache.get(schema);
    if (!index) {
        index = buildSchemaIndex(isResourceSchema(schema) ? schema : parseResourceSchema(schema));
        cache.set(schema, index);
    }
    return index;
}

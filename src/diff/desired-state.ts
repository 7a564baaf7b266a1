/** diffDesiredState and computePatch: the schema-aware comparison of two desired states. */
import type { Operation } from "fast-json-patch";
import type { RegistrySchema, ResourceSchema } from "../schema/types";
import { buildPatch } from "./patch-builder";
import { changedPaths } from "./replacements";
import { schemaIndexOf, SchemaIndex, READ_ONLY, childForKey, PathNode } from "./schema-index";
import { semanticEqual } from "./equivalence";
import { isObject } from "../json-object";
import { summarize } from "./summary";
import { containsUnknown, UNKNOWN } from "./unknown";

/** Result of {@link diffDesiredState}. */
export interface DesiredStateDiff {
    /** Whether anything the user controls differs (unknown values count as differences). */
    changes: boolean;
    /** JSON pointers (relative to properties) of create-only paths that changed: the resource must be replaced. */
    replaces: string[];
    /**
     * The update patch (RFC 6902) for Cloud Control's UpdateResource, with every write-only value re-sent when
     * anything really changes (empty otherwise); meaningful when `replaces` is empty.
     */
    patch: Operation[];
    /**
     * True when the replacement would collide with the old resource: some identifier (the primary one or an
     * additional one) is wholly set by the user and unchanged.
     */
    deleteBeforeReplace: boolean;
    /**
     * Readable one-line summaries of each change (paths and kinds, never values), for the preview: "± ... (forces
     * replacement)" under `replaces`, "... (may need a replacement)" under `conditionalReplaces`.
     */
    summary: string[];
    /**
     * Conditional create-only paths that changed: patched as an update, which the service may refuse with
     * NotUpdatable (the resource then needs a replacement).
     */
    conditionalReplaces: string[];
}

/**
 * RFC 6902 patch from the old to the new desired state that Cloud Control's UpdateResource accepts: the changes,
 * then (when there is any) every write-only value of the new state, which Cloud Control's current model lacks.
 * `schema` is a registry schema document or a {@link ResourceSchema}; without it, a plain precise patch.
 */
export function computePatch(oldState: unknown, newState: unknown, schema?: RegistrySchema | ResourceSchema): Operation[] {
    return buildPatch(oldState, newState, schema === undefined ? undefined : schemaIndexOf(schema).root).ops;
}

/**
 * Compares two desired states: whether anything changed, which create-only paths force a replacement, the update
 * patch, whether the replacement must delete first, and a readable summary.
 */
export function diffDesiredState(oldState: unknown, newState: unknown, schema?: RegistrySchema | ResourceSchema): DesiredStateDiff {
    const index = schema === undefined ? undefined : schemaIndexOf(schema);
    const root = index?.root;
    const built = buildPatch(oldState, newState, root);
    const { ops, changed } = built;
    const replaces = index ? changedPaths(oldState ?? {}, newState, index.createOnly, index.root) : [];
    const conditionalReplaces = index ? changedPaths(oldState ?? {}, newState, index.conditionalCreateOnly, index.root) : [];
    const changes = changed || ops.length > 0 || replaces.length > 0 || hasUnknownOutsideReadOnly(newState, root);
    const deleteBeforeReplace = replaces.length > 0 && index !== undefined && keepsIdentifier(oldState, newState, index);
    return {
        changes,
        replaces,
        patch: ops,
        deleteBeforeReplace,
        summary: changes ? summarize(oldState, newState, root, built, replaces, conditionalReplaces) : [],
        conditionalReplaces,
    };
}

/** Unknown values anywhere the user controls count as a change (read-only paths are not the user's). */
function hasUnknownOutsideReadOnly(v: unknown, node: PathNode | undefined): boolean {
    if (node === undefined) return containsUnknown(v);
    if (node.flags & READ_ONLY) return false;
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some((x) => hasUnknownOutsideReadOnly(x, node.any));
    if (isObject(v)) return Object.keys(v).some((k) => hasUnknownOutsideReadOnly(v[k], childForKey(node, k)));
    return false;
}

/**
 * The new resource would take the old one's identity: every path of some identifier (the primary one or an
 * additional one: both are unique) is set by the user (known, not read-only) and unchanged. A rename, or a
 * service-generated identifier, lets the new resource be created first. Shared by the diff's deleteBeforeReplace
 * and the in-update replacement (provider/replacement.ts), so both order a replacement alike.
 */
export function identifierKept(oldState: unknown, newState: unknown, schema: RegistrySchema | ResourceSchema): boolean {
    return keepsIdentifier(oldState, newState, schemaIndexOf(schema));
}

function keepsIdentifier(oldState: unknown, newState: unknown, index: SchemaIndex): boolean {
    return index.identifiers.some((id) => identifierSetAndKept(oldState, newState, id, index.root));
}

function identifierSetAndKept(oldState: unknown, newState: unknown, identifier: string[][], root: PathNode): boolean {
    for (const segs of identifier) {
        let o: unknown = oldState;
        let n: unknown = newState;
        let node: PathNode | undefined = root;
        let inh = 0;
        for (const s of segs) {
            o = isObject(o) ? o[s] : undefined;
            n = isObject(n) ? n[s] : undefined;
            node = childForKey(node, s);
            inh |= node ? node.flags : 0;
        }
        if (n === undefined || n === null || containsUnknown(n) || inh & READ_ONLY) return false;
        if (!semanticEqual(o, n, node, 0)) return false;
    }
    return true;
}

/**
 * Inputs reconciled with a live model, for Pulumi read/refresh/import: what the live resource says on the paths
 * the user set, write-only values kept from the old inputs (reads never return them), read-only values dropped,
 * and the user's own form kept wherever the live value is equivalent to it (reordered sets, a JSON document
 * returned as a string, "aws:" tags added by AWS), so a refresh of an unchanged resource shows no drift.
 */
import type { RegistrySchema, ResourceSchema } from "../schema/types";
import { isAwsTagKey, noTags, semanticEqual, userTags } from "./equivalence";
import { isObject } from "../json-object";
import { childForItem, childForKey, JSON_DOC, MAP, PathNode, READ_ONLY, schemaIndexOf, TAGS, UNORDERED, WRITE_ONLY } from "./schema-index";

type Obj = Record<string, unknown>;
const IGNORE = READ_ONLY | WRITE_ONLY;

/**
 * Inputs reconciled with a live model (for read/refresh/import): values from the live model on writable paths,
 * write-only values kept from the old inputs, read-only values dropped, the old inputs' form kept where equivalent.
 *
 * With old inputs (a refresh), only what the user set is tracked: a property or object member the old inputs
 * lack (a service default, a generated name) stays out, or the next deployment would try to remove it. Inside a
 * map the user set (an object whose keys the user chooses: SSM Parameter `Tags`, Lambda `Environment.Variables`,
 * a JSON document) every key is the user's: one added out of band is drift. Arrays are the user's whole. Without
 * old inputs (an import), the whole live model is taken.
 */
export function reconcileInputs(
    oldInputs: Record<string, unknown> | undefined,
    live: Record<string, unknown>,
    schema: RegistrySchema | ResourceSchema,
): Record<string, unknown> {
    if (!isObject(live)) throw new Error("reconcileInputs: the live model must be an object of properties.");
    const root = schemaIndexOf(schema).root;
    const old = isObject(oldInputs) ? oldInputs : undefined;
    return (reconcile(old, live, root, 0, old !== undefined) as Obj | undefined) ?? {};
}

/** `tracked`: only the members `old` has are the user's (a record the user set); else every member is. */
function reconcile(old: unknown, live: unknown, node: PathNode | undefined, inherited: number, tracked: boolean): unknown {
    const flags = node ? node.flags : 0;
    const eff = inherited | flags;
    if (eff & READ_ONLY) return undefined;
    if (eff & WRITE_ONLY) return old !== undefined ? old : live;
    if (flags & TAGS) {
        live = userTags(live);
        // No tags of the user's on either side ("aws:" tags alone count as none): keep the user's form, or nothing.
        if (noTags(live) && noTags(old)) return old;
    }
    if (live === undefined) return writeOnlyPart(old, node, eff);
    if (old !== undefined && semanticEqual(old, live, node, inherited, IGNORE)) return old;
    if (isObject(live)) {
        const o = isObject(old) ? old : undefined;
        // Below a map, a JSON document or a value the user set in another shape, every member is the user's.
        const limit = tracked && o !== undefined && !(flags & (MAP | JSON_DOC));
        const out: Obj = {};
        for (const k of Object.keys(live)) {
            if ((flags & TAGS && isAwsTagKey(k)) || (limit && !(k in o))) continue;
            const v = reconcile(o?.[k], live[k], childForKey(node, k), eff, limit);
            if (v !== undefined) out[k] = v;
        }
        if (o) {
            for (const k of Object.keys(o)) {
                if (k in live) continue;
                const v = writeOnlyPart(o[k], childForKey(node, k), eff);
                if (v !== undefined) out[k] = v;
            }
        }
        return out;
    }
    if (Array.isArray(live)) {
        const item = childForItem(node);
        const olds = Array.isArray(old) ? old : [];
        const used = new Set<number>();
        const ordered = !(flags & (UNORDERED | TAGS));
        return live.map((v, i) => {
            // Pair each live item with an equivalent old one (same index first) to keep its form and write-only values.
            let match = -1;
            if (i < olds.length && !used.has(i) && semanticEqual(olds[i], v, item, eff, IGNORE)) match = i;
            else if (!ordered) match = olds.findIndex((x, j) => !used.has(j) && semanticEqual(x, v, item, eff, IGNORE));
            if (match >= 0) {
                used.add(match);
                return olds[match];
            }
            return reconcile(ordered && i < olds.length ? olds[i] : undefined, v, item, eff, false);
        });
    }
    return live;
}

/** The write-only values within an old input value (what a read cannot return), or undefined if none. */
function writeOnlyPart(old: unknown, node: PathNode | undefined, inherited: number): unknown {
    if (old === undefined || node === undefined) return undefined;
    const eff = inherited | node.flags;
    if (eff & READ_ONLY) return undefined;
    if (eff & WRITE_ONLY) return old;
    if (!(node.below & WRITE_ONLY) || !isObject(old)) return undefined;
    const out: Obj = {};
    let any = false;
    for (const k of Object.keys(old)) {
        const v = writeOnlyPart(old[k], childForKey(node, k), eff);
        if (v !== undefined) {
            out[k] = v;
            any = true;
        }
    }
    return any ? out : undefined;
}

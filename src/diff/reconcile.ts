/**
 * Inputs reconciled with a live model, for Pulumi read/refresh/import: what the live resource says on writable
 * paths, write-only values kept from the old inputs (reads never return them), read-only values dropped, and the
 * user's own form kept wherever the live value is equivalent to it (reordered sets, a JSON document returned as
 * a string, "aws:" tags added by AWS), so a refresh of an unchanged resource shows no drift.
 */
import type { RegistrySchema, ResourceSchema } from "../schema/types";
import { isAwsTagKey, isObject, semanticEqual, tagKeyOf } from "./equivalence";
import { childForItem, childForKey, PathNode, READ_ONLY, schemaIndexOf, TAGS, UNORDERED, WRITE_ONLY } from "./schema-index";

type Obj = Record<string, unknown>;
const IGNORE = READ_ONLY | WRITE_ONLY;

/**
 * Inputs reconciled with a live model (for read/refresh/import): values from the live model on writable paths,
 * write-only values kept from the old inputs, read-only values dropped, the old inputs' form kept where equivalent.
 */
export function reconcileInputs(oldInputs: Record<string, unknown> | undefined, live: Record<string, unknown>, schema: RegistrySchema | ResourceSchema): Record<string, unknown> {
    if (!isObject(live)) throw new Error("reconcileInputs: the live model must be an object of properties.");
    const root = schemaIndexOf(schema).root;
    return (reconcile(isObject(oldInputs) ? oldInputs : undefined, live, root, 0) as Obj | undefined) ?? {};
}

function reconcile(old: unknown, live: unknown, node: PathNode | undefined, inherited: number): unknown {
    const flags = node ? node.flags : 0;
    const eff = inherited | flags;
    if (eff & READ_ONLY) return undefined;
    if (eff & WRITE_ONLY) return old !== undefined ? old : live;
    if (live === undefined) return writeOnlyPart(old, node, eff);
    if (old !== undefined && semanticEqual(old, live, node, inherited, IGNORE)) return old;
    if (isObject(live)) {
        const o = isObject(old) ? old : undefined;
        const out: Obj = {};
        for (const k of Object.keys(live)) {
            if (flags & TAGS && isAwsTagKey(k)) continue;
            const v = reconcile(o?.[k], live[k], childForKey(node, k), eff);
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
        let items = live;
        if (flags & TAGS) items = items.filter((t) => !isAwsTagKey(tagKeyOf(t)));
        const olds = Array.isArray(old) ? old : [];
        const used = new Set<number>();
        const ordered = !(flags & (UNORDERED | TAGS));
        return items.map((v, i) => {
            // Pair each live item with an equivalent old one (same index first) to keep its form and write-only values.
            let match = -1;
            if (i < olds.length && !used.has(i) && semanticEqual(olds[i], v, item, eff, IGNORE)) match = i;
            else if (!ordered) match = olds.findIndex((x, j) => !used.has(j) && semanticEqual(x, v, item, eff, IGNORE));
            if (match >= 0) {
                used.add(match);
                return olds[match];
            }
            return reconcile(ordered && i < olds.length ? olds[i] : undefined, v, item, eff);
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

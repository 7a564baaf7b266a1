/**
 * Which create-only (or conditional create-only) paths differ between two desired states. A path whose value is
 * unknown, or sits under an unknown value, counts as differing: it may change once known.
 */
import { isObject, sameMultiset, semanticEqual } from "./equivalence";
import { childForItem, childForKey, PathNode, READ_ONLY, UNORDERED } from "./schema-index";
import { escapeSegment, joinPointer } from "../schema/pointer";
import { containsUnknown, UNKNOWN } from "./unknown";

/**
 * Concrete pointers (array indexes filled in; "*" kept for unordered arrays, which have no stable index) of
 * the given paths whose values differ.
 */
export function changedPaths(oldState: unknown, newState: unknown, paths: string[][], root: PathNode): string[] {
    const out = new Set<string>();
    for (const segs of paths) visit(oldState, newState, segs, 0, "", root, 0, out);
    return [...out];
}

function rest(segs: string[], i: number): string {
    return joinPointer(segs.slice(i));
}

function visit(
    o: unknown,
    n: unknown,
    segs: string[],
    i: number,
    at: string,
    node: PathNode | undefined,
    inherited: number,
    out: Set<string>,
): void {
    if (o === undefined && n === undefined) return;
    if (o === UNKNOWN || n === UNKNOWN) {
        out.add(at + rest(segs, i));
        return;
    }
    if (i === segs.length) {
        if (!semanticEqual(o, n, node, inherited)) out.add(at);
        return;
    }
    const inh = inherited | (node ? node.flags : 0);
    const seg = segs[i];
    if (
        seg === "*" &&
        (Array.isArray(o) || Array.isArray(n)) &&
        (o === undefined || Array.isArray(o)) &&
        (n === undefined || Array.isArray(n))
    ) {
        const oa = (o ?? []) as unknown[];
        const na = (n ?? []) as unknown[];
        const item = childForItem(node);
        if (node && node.flags & UNORDERED) {
            // No stable index in a set: compare the multisets of the values found below the items.
            const tail = (v: unknown) => extract(v, segs, i + 1);
            const a = oa.map(tail);
            const b = na.map(tail);
            // Unknown only counts below the create-only tail: an unknown in another member of an item changes nothing here.
            if (!sameMultiset(a, b, undefined, 0, READ_ONLY) || a.some(containsUnknown) || b.some(containsUnknown)) {
                out.add(at + rest(segs, i));
            }
            return;
        }
        for (let j = 0; j < Math.max(oa.length, na.length); j++) visit(oa[j], na[j], segs, i + 1, `${at}/${j}`, item, inh, out);
        return;
    }
    if ((o === undefined || isObject(o)) && (n === undefined || isObject(n))) {
        if (seg === "*") {
            const keys = new Set([...Object.keys(o ?? {}), ...Object.keys(n ?? {})]);
            for (const k of keys) visit(o?.[k], n?.[k], segs, i + 1, `${at}/${escapeSegment(k)}`, childForKey(node, k), inh, out);
            return;
        }
        visit(o?.[seg], n?.[seg], segs, i + 1, `${at}/${escapeSegment(seg)}`, childForKey(node, seg), inh, out);
        return;
    }
    // Different shapes on the way down (a scalar replaced by an object, say): the path below cannot be the same.
    if (!semanticEqual(o, n, node, inherited)) out.add(at + rest(segs, i));
}

/** The value(s) at a pointer tail below an item ("*" collects an array). */
function extract(v: unknown, segs: string[], i: number): unknown {
    // An unknown item (or member on the way) may hold anything below: keep it unknown.
    if (i === segs.length || v === undefined || v === UNKNOWN) return v;
    const seg = segs[i];
    if (seg === "*") {
        if (Array.isArray(v)) return v.map((x) => extract(x, segs, i + 1));
        if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, extract(x, segs, i + 1)]));
        return v;
    }
    return isObject(v) ? extract(v[seg], segs, i + 1) : undefined;
}

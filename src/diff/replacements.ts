/**
 * Which create-only (or conditional create-only) paths differ between two desired states. A path whose value is
 * unknown, or sits under an unknown value, counts as differing: it may change once known.
 */
import { sameMultiset, semanticEqual } from "./equivalence";
import { isObject } from "../json-object";
import { childForItem, childForKey, PathNode, READ_ONLY, UNORDERED } from "./schema-index";
import { escapeSegment, joinPointer } from "../schema/pointer";
import { containsUnknown, UNKNOWN } from "./unknown";

/**
 * Concrete pointers (array indexes filled in; "*" kept for unordered arrays, which have no stable index) of
 * the given paths whose values differ.
 */
export function changedPaths(oldState: unknown, newState: unknown, paths: string[][], root: PathNode): string[] {
    const out = new Set<string>();
    for (const segs of paths) visit({ segs, out }, oldState, newState, 0, "", root, 0);
    return [...out];
}

/** One create-only path being followed, and the set of changed pointers it adds to. */
interface Walk {
    segs: string[];
    out: Set<string>;
}

/** Marks the path from `at` down (the rest of the segments from `i`) as changed. */
function mark(w: Walk, at: string, i: number): void {
    w.out.add(at + joinPointer(w.segs.slice(i)));
}

function visit(w: Walk, o: unknown, n: unknown, i: number, at: string, node: PathNode | undefined, inherited: number): void {
    if (o === undefined && n === undefined) return;
    if (o === UNKNOWN || n === UNKNOWN) return mark(w, at, i);
    if (i === w.segs.length) {
        if (!semanticEqual(o, n, node, inherited)) w.out.add(at);
        return;
    }
    const inh = inherited | (node ? node.flags : 0);
    const seg = w.segs[i];
    const arrays = (Array.isArray(o) || Array.isArray(n)) && (o === undefined || Array.isArray(o)) && (n === undefined || Array.isArray(n));
    if (seg === "*" && arrays) return visitItems(w, (o ?? []) as unknown[], (n ?? []) as unknown[], i, at, node, inh);
    if ((o === undefined || isObject(o)) && (n === undefined || isObject(n))) {
        const keys = seg === "*" ? new Set([...Object.keys(o ?? {}), ...Object.keys(n ?? {})]) : [seg];
        for (const k of keys) visit(w, o?.[k], n?.[k], i + 1, `${at}/${escapeSegment(k)}`, childForKey(node, k), inh);
        return;
    }
    // Different shapes on the way down (a scalar replaced by an object, say): the path below cannot be the same.
    if (!semanticEqual(o, n, node, inherited)) mark(w, at, i);
}

/** The "*" segment over two arrays: item by item, or as multisets when the array is unordered. */
function visitItems(w: Walk, oa: unknown[], na: unknown[], i: number, at: string, node: PathNode | undefined, inh: number): void {
    if (node && node.flags & UNORDERED) {
        // No stable index in a set: compare the multisets of the values found below the items.
        const tail = (v: unknown) => extract(v, w.segs, i + 1);
        const a = oa.map(tail);
        const b = na.map(tail);
        // Unknown only counts below the create-only tail: an unknown in another member of an item changes nothing here.
        if (!sameMultiset(a, b, undefined, 0, READ_ONLY) || a.some(containsUnknown) || b.some(containsUnknown)) mark(w, at, i);
        return;
    }
    const item = childForItem(node);
    for (let j = 0; j < Math.max(oa.length, na.length); j++) visit(w, oa[j], na[j], i + 1, `${at}/${j}`, item, inh);
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

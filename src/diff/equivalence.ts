/**
 * Semantic equality of model values under a schema: key order never matters; unordered arrays compare as
 * multisets; tag lists compare by key with AWS-managed "aws:" tags ignored; a JSON document given as a string
 * equals the same document given as an object; read-only paths (and optionally write-only ones) are ignored.
 */
import { childForItem, childForKey, JSON_DOC, PathNode, READ_ONLY, TAGS, UNORDERED } from "./schema-index";
import { UNKNOWN } from "./unknown";
import { isObject } from "../json-object";

type Obj = Record<string, unknown>;

/** Whether a tag key is managed by AWS (users cannot set or remove those). */
export function isAwsTagKey(key: unknown): boolean {
    return typeof key === "string" && key.startsWith("aws:");
}

/** The key of a tag item ({Key, Value} and its spelling variants), or undefined if it is not one. */
function tagKeyOf(item: unknown): unknown {
    if (!isObject(item)) return undefined;
    return item.Key ?? item.key ?? item.TagKey;
}

/** The user's part of a tag list or tag map: AWS-managed "aws:" tags left out (the same value when it has none). */
export function userTags(tags: unknown): unknown {
    if (Array.isArray(tags)) {
        for (const t of tags) if (isAwsTagKey(tagKeyOf(t))) return tags.filter((x) => !isAwsTagKey(tagKeyOf(x)));
        return tags;
    }
    if (!isObject(tags)) return tags;
    for (const k in tags) {
        if (!isAwsTagKey(k)) continue;
        const out: Obj = {};
        for (const j in tags) if (!isAwsTagKey(j)) out[j] = tags[j];
        return out;
    }
    return tags;
}

/**
 * Whether a tag value (after {@link userTags}) holds no tag of the user's: absent, empty, or (before userTags)
 * "aws:" tags alone. All of these mean the same, so none of them differs from another and no patch carries one.
 */
export function noTags(tags: unknown): boolean {
    if (tags === undefined) return true;
    if (Array.isArray(tags)) return tags.length === 0;
    if (!isObject(tags)) return false;
    for (const _ in tags) return false;
    return true;
}

/** Parses a JSON-document string into an object/array, or returns the value unchanged. */
export function parseJsonDocument(v: unknown): unknown {
    if (typeof v !== "string") return v;
    const t = v.trimStart();
    if (t[0] !== "{" && t[0] !== "[") return v;
    try {
        return JSON.parse(v);
    } catch {
        return v;
    }
}

/**
 * Hashes keep to 30 bits (the constants below are smaller too): V8 returns a small integer from a call without
 * boxing it, and structuralHash recurses (so is not inlined), where a 32-bit result allocates a heap number.
 */
const SMALL = 0x3fffffff;

/**
 * A 30-bit hash of a value's normal form: equivalent values (as {@link semanticEqual} with the same node, flags
 * and mask sees them) hash alike; undefined for a value that is absent in the normal form. Set comparison buckets
 * items by it and confirms every match with semanticEqual, so a collision costs time, never a wrong answer.
 */
export function structuralHash(v: unknown, node: PathNode | undefined, inherited: number, ignore: number): number | undefined {
    const flags = node ? node.flags : 0;
    if ((inherited | flags) & ignore) return undefined;
    if (flags & JSON_DOC) v = parseJsonDocument(v);
    if (flags & TAGS && noTags((v = userTags(v)))) return undefined;
    switch (typeof v) {
        case "string":
            return hashString(v, 0x811c9dc5) & SMALL;
        case "number":
            return (Number.isInteger(v) ? fmix(v | 0) ^ 0x5bd1e995 : hashString(String(v), 0x27d4eb2f)) & SMALL;
        case "boolean":
            return v ? 0x1b873593 : 0x19660d;
        case "object": {
            if (v === null) return 0x3c6ef372;
            const inh = inherited | flags;
            if (Array.isArray(v)) {
                const item = node ? node.any : undefined;
                const unordered = (flags & (UNORDERED | TAGS)) !== 0;
                let h = 0x6a09e667;
                let sum = 0;
                // An indexed loop: for-of allocates an iterator result per item whenever this code is not optimized.
                for (let i = 0; i < v.length; i++) {
                    const hx = structuralHash(v[i], item, inh, ignore);
                    if (hx === undefined) continue;
                    if (unordered) sum = (sum + fmix(hx)) | 0;
                    else h = Math.imul(h ^ hx, 0x01000193);
                }
                return (unordered ? fmix(sum ^ 0x510e527f) : fmix(h)) & SMALL;
            }
            // Members combine by addition: key order does not matter.
            let sum = 0x9b05688c;
            for (const k in v as Obj) {
                const hx = structuralHash((v as Obj)[k], node ? childForKey(node, k) : undefined, inh, ignore);
                if (hx !== undefined) sum = (sum + fmix(hashString(k, 0x1f83d9ab) ^ Math.imul(hx, 0x5bd1e995))) | 0;
            }
            return fmix(sum) & SMALL;
        }
        default:
            return undefined;
    }
}

function hashString(s: string, seed: number): number {
    let h = seed ^ s.length;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h;
}

/** murmur3's finalizer: spreads every input bit over the output. */
function fmix(h: number): number {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
}

/**
 * Items of `pool[from, to)` in an open-addressing table keyed by structural hash (typed arrays: no allocation per
 * item), to find equivalent items without comparing all pairs. `take` removes and returns the index of an item
 * equivalent to `x`, or -1; `rest` lists the items not taken, in order.
 */
export class ItemPool {
    private readonly keys: Int32Array;
    /** Pool index + 1; 0 empty; -1 taken. */
    private readonly slots: Int32Array;
    private readonly mask: number;
    private taken = 0;
    constructor(
        private readonly pool: readonly unknown[],
        private readonly from: number,
        private readonly to: number,
        private readonly item: PathNode | undefined,
        private readonly inherited: number,
        private readonly ignore: number,
    ) {
        let size = 16;
        while (size < 2 * (to - from)) size *= 2;
        this.mask = size - 1;
        this.keys = new Int32Array(size);
        this.slots = new Int32Array(size);
        for (let i = from; i < to; i++) {
            const h = structuralHash(pool[i], item, inherited, ignore) ?? 0;
            let at = h & this.mask;
            while (this.slots[at] !== 0) at = (at + 1) & this.mask;
            this.keys[at] = h;
            this.slots[at] = i + 1;
        }
    }
    take(x: unknown): number {
        const h = structuralHash(x, this.item, this.inherited, this.ignore) ?? 0;
        for (let at = h & this.mask; this.slots[at] !== 0; at = (at + 1) & this.mask) {
            const i = this.slots[at] - 1;
            if (i >= 0 && this.keys[at] === h && semanticEqual(this.pool[i], x, this.item, this.inherited, this.ignore)) {
                this.slots[at] = -1;
                this.taken++;
                return i;
            }
        }
        return -1;
    }
    rest(): unknown[] {
        if (this.taken === this.to - this.from) return [];
        const left: number[] = [];
        for (let at = 0; at <= this.mask; at++) if (this.slots[at] > 0) left.push(this.slots[at] - 1);
        return left.sort((x, y) => x - y).map((i) => this.pool[i]);
    }
}

/**
 * Multiset equality of two arrays whose order does not matter. Cheap first: the common in-order prefix and
 * suffix; then the rest pairs off by semantic equality, through structural-hash buckets when there are many.
 */
export function sameMultiset(a: unknown[], b: unknown[], item: PathNode | undefined, inherited: number, ignore: number): boolean {
    if (a.length !== b.length) return false;
    let lo = 0;
    let hi = a.length;
    while (lo < hi && semanticEqual(a[lo], b[lo], item, inherited, ignore)) lo++;
    while (hi > lo && semanticEqual(a[hi - 1], b[hi - 1], item, inherited, ignore)) hi--;
    if (lo === hi) return true;
    if (hi - lo <= 16) {
        // Small sets (tags, most lists): pairing off directly beats hashing. Bit k of `used`: a[lo + k] is paired.
        // The scan for b[j] starts at the mirrored position, so a reversed list pairs off at the first try.
        const n = hi - lo;
        let used = 0;
        outer: for (let j = 0; j < n; j++) {
            for (let step = 0, k = n - 1 - j; step < n; step++, k = k + 1 === n ? 0 : k + 1) {
                if (!(used & (1 << k)) && semanticEqual(a[lo + k], b[lo + j], item, inherited, ignore)) {
                    used |= 1 << k;
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }
    const pool = new ItemPool(a, lo, hi, item, inherited, ignore);
    for (let j = lo; j < hi; j++) if (pool.take(b[j]) < 0) return false;
    return true;
}

/**
 * Whether two values are equivalent at a path whose trie node is `node` (undefined: no schema information).
 * The unknown sentinel is never equal to anything. `ignore` is a mask of flags whose paths are skipped.
 * Compared in place, without building normal forms: JSON documents holding objects on both sides structurally,
 * a document given as text parsed first.
 */
export function semanticEqual(a: unknown, b: unknown, node: PathNode | undefined, inherited = 0, ignore = READ_ONLY): boolean {
    if (node === undefined) return a === b ? a !== UNKNOWN : plainEqual(a, b);
    const flags = node.flags;
    if ((inherited | flags) & ignore) return true;
    if (flags & TAGS) {
        a = userTags(a);
        b = userTags(b);
        if (noTags(a) && noTags(b)) return true;
    }
    if (a === b) return a !== UNKNOWN;
    if (a === UNKNOWN || b === UNKNOWN) return false;
    if (flags & JSON_DOC) {
        a = parseJsonDocument(a);
        b = parseJsonDocument(b);
        // A document has no schema inside (but for the rare one whose properties carry flags).
        if (node.below === 0) return plainEqual(a, b);
    } else if (flags & (UNORDERED | TAGS) && Array.isArray(a) && Array.isArray(b)) {
        return sameMultiset(a, b, node.any, inherited | flags, ignore);
    }
    const inh = inherited | flags;
    if (Array.isArray(a)) return Array.isArray(b) && arraysEqual(a, b, node, inh, ignore);
    if (isObject(a)) return isObject(b) && objectsEqual(a, b, node, inh, ignore);
    return false;
}

/** {@link semanticEqual} of two arrays compared in order (the node is neither unordered nor tags). */
function arraysEqual(a: unknown[], b: unknown[], node: PathNode, inh: number, ignore: number): boolean {
    const item = childForItem(node);
    // Items at an ignored path drop out of the normal form whole: any two such arrays are equal.
    if (item !== undefined && (inh | item.flags) & ignore) return true;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i], item, inh, ignore)) return false;
    return true;
}

/** {@link semanticEqual} of two objects, member by member (an undefined member counts as absent). */
function objectsEqual(a: Obj, b: Obj, node: PathNode, inh: number, ignore: number): boolean {
    let shared = 0;
    for (const k in a) {
        const y = b[k];
        if (y !== undefined) shared++;
        if (!semanticEqual(a[k], y, childForKey(node, k), inh, ignore)) return false;
    }
    // Members of b that a lacks: none when b has no more keys than those seen (counting needs no lookups).
    let nb = 0;
    for (const _ in b) nb++;
    if (nb === shared) return true;
    for (const k in b) {
        if (b[k] !== undefined && !(k in a) && !semanticEqual(undefined, b[k], childForKey(node, k), inh, ignore)) return false;
    }
    return true;
}

/** Deep equality of plain JSON values (key order ignored, undefined members equal to absent ones). */
export function plainEqual(a: unknown, b: unknown): boolean {
    if (a === b) return a !== UNKNOWN;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Array.isArray(a)) {
        if (!Array.isArray(b) || a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (!plainEqual(a[i], b[i])) return false;
        return true;
    }
    if (Array.isArray(b)) return false;
    const x = a as Obj;
    const y = b as Obj;
    let nx = 0;
    for (const k in x) {
        const v = x[k];
        if (v === undefined) continue;
        nx++;
        if (!plainEqual(v, y[k])) return false;
    }
    // Every defined member of x is in y; y has no other member unless it has more keys (counting needs no lookups).
    let keys = 0;
    for (const _ in y) keys++;
    if (keys === nx) return true;
    let ny = 0;
    for (const k in y) if (y[k] !== undefined) ny++;
    return nx === ny;
}

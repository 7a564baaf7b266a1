/**
 * Semantic equality of model values under a schema: key order never matters; unordered arrays compare as
 * multisets; tag lists compare by key with AWS-managed "aws:" tags ignored; a JSON document given as a string
 * equals the same document given as an object; read-only paths (and optionally write-only ones) are ignored.
 */
import { childForItem, childForKey, JSON_DOC, PathNode, READ_ONLY, TAGS, UNORDERED, WRITE_ONLY } from "./schema-index";
import { containsUnknown, UNKNOWN } from "./unknown";

type Obj = Record<string, unknown>;

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Whether a tag key is managed by AWS (users cannot set or remove those). */
export function isAwsTagKey(key: unknown): boolean {
    return typeof key === "string" && key.startsWith("aws:");
}

/** The key of a tag item ({Key, Value} and its spelling variants), or undefined if it is not one. */
export function tagKeyOf(item: unknown): unknown {
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
 * A normal form of a value: object keys sorted, ignored paths dropped, JSON documents parsed, unordered arrays
 * and tag lists sorted, "aws:" tags dropped. Two values are equivalent iff their normal forms are deeply equal.
 */
export function normalize(value: unknown, node: PathNode | undefined, ignore: number, inherited = 0): unknown {
    const flags = node ? node.flags : 0;
    if ((inherited | flags) & ignore) return undefined;
    if (flags & JSON_DOC) value = parseJsonDocument(value);
    if (flags & TAGS && noTags((value = userTags(value)))) return undefined;
    if (Array.isArray(value)) {
        const item = childForItem(node);
        const inh = inherited | flags;
        let items = value.map((v) => normalize(v, item, ignore, inh)).filter((v) => v !== undefined);
        if (flags & (UNORDERED | TAGS)) {
            const keyed = items.map((v) => [JSON.stringify(v), v] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
            items = keyed.map((e) => e[1]);
        }
        return items;
    }
    if (isObject(value)) {
        const out: Obj = {};
        const inh = inherited | flags;
        for (const k of Object.keys(value).sort()) {
            const v = normalize(value[k], childForKey(node, k), ignore, inh);
            if (v !== undefined) out[k] = v;
        }
        return out;
    }
    return value;
}

/**
 * Canonical text of a value's normal form (equal texts ⇔ equivalent values): written directly rather than through
 * {@link normalize}, since set comparison runs it on every item.
 */
export function canonical(value: unknown, node: PathNode | undefined, ignore = READ_ONLY, inherited = 0): string {
    return canon(value, node, ignore, inherited) ?? "undefined";
}

function canon(v: unknown, node: PathNode | undefined, ignore: number, inherited: number): string | undefined {
    const flags = node ? node.flags : 0;
    if ((inherited | flags) & ignore) return undefined;
    if (flags & JSON_DOC) v = parseJsonDocument(v);
    if (flags & TAGS && noTags((v = userTags(v)))) return undefined;
    // Length-prefixed text is injective without escaping (cheaper than JSON.stringify on every leaf).
    if (typeof v === "string") return "s" + v.length + ":" + v;
    if (v === null || typeof v !== "object") return v === undefined ? undefined : typeof v === "number" ? "n" + v : String(v);
    const inh = inherited | flags;
    if (Array.isArray(v)) {
        const item = node ? node.any : undefined;
        const parts: string[] = [];
        for (const x of v) {
            const s = canon(x, item, ignore, inh);
            if (s !== undefined) parts.push(s);
        }
        if (flags & (UNORDERED | TAGS)) parts.sort();
        return "[" + parts.join(",") + "]";
    }
    const keys = Object.keys(v).sort();
    let out = "{";
    for (const k of keys) {
        const s = canon((v as Obj)[k], node ? childForKey(node, k) : undefined, ignore, inh);
        if (s !== undefined) out += k.length + ":" + k + "=" + s + ",";
    }
    return out + "}";
}

/**
 * Multiset equality of two arrays whose order does not matter. Cheap first: same order, then identical JSON
 * texts paired off; only the leftovers pay for canonical forms (removing equivalent pairs keeps the answer exact).
 */
export function sameMultiset(a: unknown[], b: unknown[], item: PathNode | undefined, inherited: number, ignore: number): boolean {
    if (a.length !== b.length) return false;
    let i = 0;
    while (i < a.length && semanticEqual(a[i], b[i], item, inherited, ignore)) i++;
    if (i === a.length) return true;
    if (a.length - i <= 16) {
        // Small sets (tags, most lists): pairing by semantic equality beats serializing.
        const used = new Array<boolean>(a.length).fill(false);
        outer: for (let j = i; j < b.length; j++) {
            for (let k = i; k < a.length; k++) {
                if (!used[k] && semanticEqual(a[k], b[j], item, inherited, ignore)) {
                    used[k] = true;
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }
    const textsA: string[] = [];
    const counts = new Map<string, number>();
    for (let j = i; j < a.length; j++) {
        const s = JSON.stringify(a[j]) ?? "undefined";
        textsA.push(s);
        counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const leftB: unknown[] = [];
    for (let j = i; j < b.length; j++) {
        const s = JSON.stringify(b[j]) ?? "undefined";
        const c = counts.get(s);
        if (c && !s.includes(UNKNOWN)) counts.set(s, c - 1);
        else leftB.push(b[j]);
    }
    if (leftB.length === 0) return true;
    const leftA: string[] = [];
    for (let j = 0; j < textsA.length; j++) {
        const c = counts.get(textsA[j]) ?? 0;
        if (c > 0) {
            counts.set(textsA[j], c - 1);
            const x = a[i + j];
            if (containsUnknown(x)) return false;
            leftA.push(canonical(x, item, ignore, inherited));
        }
    }
    if (leftA.length !== leftB.length) return false;
    const cb: string[] = [];
    for (const x of leftB) {
        if (containsUnknown(x)) return false;
        cb.push(canonical(x, item, ignore, inherited));
    }
    leftA.sort();
    cb.sort();
    for (let j = 0; j < cb.length; j++) if (leftA[j] !== cb[j]) return false;
    return true;
}

/**
 * Whether two values are equivalent at a path whose trie node is `node` (undefined: no schema information).
 * The unknown sentinel is never equal to anything. `ignore` is a mask of flags whose paths are skipped.
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
    if (flags & (UNORDERED | TAGS) && !(flags & JSON_DOC) && Array.isArray(a) && Array.isArray(b)) {
        return sameMultiset(a as unknown[], b as unknown[], node.any, inherited | flags, ignore);
    }
    if (flags & (UNORDERED | TAGS | JSON_DOC) || ((node.below & ignore) !== 0 && !sameShape(a, b))) {
        if (containsUnknown(a) || containsUnknown(b)) return false;
        return canonical(a, node, ignore, inherited) === canonical(b, node, ignore, inherited);
    }
    const inh = inherited | flags;
    if (Array.isArray(a)) {
        if (!Array.isArray(b) || a.length !== b.length) return false;
        const item = childForItem(node);
        for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i], item, inh, ignore)) return false;
        return true;
    }
    if (isObject(a)) {
        if (!isObject(b)) return false;
        for (const k in a) {
            if (!semanticEqual(a[k], b[k], childForKey(node, k), inh, ignore)) return false;
        }
        for (const k in b) {
            if (b[k] !== undefined && !(k in a) && !semanticEqual(undefined, b[k], childForKey(node, k), inh, ignore)) return false;
        }
        return true;
    }
    return false;
}

// Arrays with ignored paths in their items are compared through the normal form (items may lose all content).
function sameShape(a: unknown, b: unknown): boolean {
    return !(Array.isArray(a) || Array.isArray(b));
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
        if (x[k] === undefined) continue;
        nx++;
        if (!plainEqual(x[k], y[k])) return false;
    }
    let ny = 0;
    for (const k in y) if (y[k] !== undefined) ny++;
    return nx === ny;
}

/**
 * A normal form of model values, as the test oracle for the diff: computed independently of semanticEqual (which
 * compares in place without building one), so the property tests can check the two agree.
 */
import { childForItem, childForKey, JSON_DOC, PathNode, TAGS, UNORDERED } from "../../src/diff/schema-index";
import { noTags, parseJsonDocument, userTags } from "../../src/diff/equivalence";
import { isObject } from "../../src/json-object";

type Obj = Record<string, unknown>;

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

/**
 * Builds the RFC 6902 patch from an old to a new desired state, walking both models with the schema trie.
 * Objects get precise member paths; arrays are replaced whole (robust to the service reordering or dropping
 * write-only item members) except for pure appends; read-only and create-only paths never get an op (create-only
 * changes are replacements, see replacements.ts); `add` is used wherever the live model may lack the target;
 * write-only values ride along with every real change (see resendWriteOnly).
 */
import type { Operation } from "fast-json-patch";
import { isAwsTagKey, ItemPool, noTags, semanticEqual, userTags } from "./equivalence";
import { isObject } from "../json-object";
import {
    childForItem,
    childForKey,
    CREATE_ONLY,
    INHERITED,
    JSON_DOC,
    PathNode,
    READ_ONLY,
    TAGS,
    UNORDERED,
    WRITE_ONLY,
} from "./schema-index";
import { UNKNOWN } from "./unknown";
import { escapeSegment } from "../schema/pointer";

type Obj = Record<string, unknown>;

/** Output of {@link buildPatch}. */
export interface PatchResult {
    ops: Operation[];
    /** Whether any writable path differs, including differences that produced no op (unknown values). */
    changed: boolean;
    /** How many ops at the end of `ops` re-send unchanged write-only values (not changes: see resendWriteOnly). */
    resent: number;
    /** Paths of changes no op could carry because the new value is (or holds) an unknown. */
    unknownAt: string[];
}

const SKIP = CREATE_ONLY | READ_ONLY;
/** Marks a value that could not be copied into an op because it holds an unknown. */
const HAS_UNKNOWN = Symbol("unknown");

/** Builds the patch. `root` undefined: no schema, a plain precise patch. */
export function buildPatch(oldState: unknown, newState: unknown, root: PathNode | undefined): PatchResult {
    const ctx: PatchResult = { ops: [], changed: false, resent: 0, unknownAt: [] };
    const o = isObject(oldState) ? oldState : {};
    if (!isObject(newState)) {
        // A whole desired state that is unknown (or not an object) cannot be patched to.
        if (newState === UNKNOWN || newState !== undefined) unknownChange(ctx, "");
        return ctx;
    }
    if (root === undefined) plainObject(o, newState, "", ctx);
    else {
        walkObject(o, newState, "", root, 0, ctx);
        if (ctx.ops.length > 0 && root.below & WRITE_ONLY) {
            const real = ctx.ops.length;
            resendWriteOnly(newState, "", root, 0, real, ctx);
            ctx.resent = ctx.ops.length - real;
        }
    }
    return ctx;
}

/**
 * Cloud Control applies an update's patch to the resource's current model, which never holds write-only values,
 * and hands the result to the handler: a write-only value the patch leaves out is missing there. So every
 * write-only value of the new state rides along with a real change, as an `add` (which works whether or not the
 * target exists), unless an op already carries it or it is create-only (even an add of the same value is
 * refused) or read-only. The peers do the same: terraform-provider-awscc clears write-only values in the prior
 * state before building the patch (internal/generic/resource.go, genericResource.Update; PR #1737), and
 * pulumi-aws-native adds every non-create-only write-only property to each patch
 * (provider/pkg/resources/patching.go, calcPatchFromBaseline).
 *
 * Where the live model may lack the parent (an object holding write-only values alone) the parent is sent whole;
 * an array whose items hold write-only values is sent whole (items have no stable index).
 */
function resendWriteOnly(v: unknown, path: string, node: PathNode, inherited: number, real: number, ctx: PatchResult): void {
    const eff = inherited | node.flags;
    if (eff & WRITE_ONLY || Array.isArray(v) || (path !== "" && mayBeAbsent(v, node, eff))) {
        emit(ctx, "add", path, v, node, eff);
        return;
    }
    if (!isObject(v)) return;
    // Map values and items: every member; records: only the members the schema marks (no lookup for the others).
    if (node.any !== undefined) {
        for (const k in v) {
            const child = childForKey(node, k);
            if (child !== undefined && (child.flags | child.below) & WRITE_ONLY)
                resendMember(v[k], path + "/" + escapeSegment(k), child, eff, real, ctx);
        }
    } else if (node.writeOnlyChildren !== undefined) {
        for (const [k, child] of node.writeOnlyChildren)
            if (v[k] !== undefined) resendMember(v[k], path + "/" + escapeSegment(k), child, eff, real, ctx);
    }
}

function resendMember(v: unknown, path: string, node: PathNode, inherited: number, real: number, ctx: PatchResult): void {
    if (!hasOpAt(ctx.ops, real, path) && holdsWriteOnly(v, node, inherited)) resendWriteOnly(v, path, node, inherited, real, ctx);
}

/** Whether one of the first `n` ops is at `path` (ops below a write-only value never exist: it is set whole). */
function hasOpAt(ops: Operation[], n: number, path: string): boolean {
    for (let i = 0; i < n; i++) if (ops[i].path === path) return true;
    return false;
}

/** Whether a value holds a write-only value (outside read-only and create-only paths). */
function holdsWriteOnly(v: unknown, node: PathNode | undefined, inherited: number): boolean {
    if (v === undefined || node === undefined) return false;
    const eff = inherited | node.flags;
    if (eff & SKIP || !((eff | node.below) & WRITE_ONLY)) return false;
    if (eff & WRITE_ONLY) return true;
    if (Array.isArray(v)) {
        for (const x of v) if (holdsWriteOnly(x, node.any, eff)) return true;
        return false;
    }
    if (!isObject(v)) return false;
    for (const k in v) if (holdsWriteOnly(v[k], childForKey(node, k), eff)) return true;
    return false;
}

// ---------- no schema: a plain precise diff, kept lean because it is what large models mostly go through ----------

function plainObject(o: Obj, n: Obj, path: string, ctx: PatchResult): void {
    let seen = 0;
    for (const k in o) {
        const ov = o[k];
        if (ov === undefined) continue;
        const nv = n[k];
        if (nv !== undefined) seen++;
        if (ov === nv) {
            if (nv === UNKNOWN) unknownChange(ctx, path + "/" + escapeSegment(k));
        } else if (nv === undefined) {
            ctx.ops.push({ op: "remove", path: path + "/" + escapeSegment(k) });
            ctx.changed = true;
        } else {
            plainValue(ov, nv, path + "/" + escapeSegment(k), ctx);
        }
    }
    if (keyCount(n) === seen) return; // every member of n was seen: nothing added
    for (const k in n) {
        const nv = n[k];
        if (nv === undefined || o[k] !== undefined) continue;
        emit(ctx, "add", path + "/" + escapeSegment(k), nv, undefined, 0);
    }
}

function plainValue(ov: unknown, nv: unknown, p: string, ctx: PatchResult): void {
    if (typeof ov === "object" && typeof nv === "object" && ov !== null && nv !== null) {
        const oa = Array.isArray(ov);
        if (!oa && !Array.isArray(nv)) {
            if (isEmptyObject(ov as Obj)) {
                if (!semanticEqual(ov, nv, undefined)) emit(ctx, "add", p, nv, undefined, 0); // live may have dropped the empty object
                return;
            }
            return plainObject(ov as Obj, nv as Obj, p, ctx);
        }
        if (oa && Array.isArray(nv)) {
            if (semanticEqual(ov, nv, undefined)) return;
            if (tryAppend(ov as unknown[], nv, p, undefined, 0, ctx)) return;
            emit(ctx, (ov as unknown[]).length === 0 ? "add" : "replace", p, nv, undefined, 0);
            return;
        }
    }
    emit(ctx, "replace", p, nv, undefined, 0);
}

/** Own enumerable keys of a plain object (counting is cheaper than a second pass of lookups). */
function keyCount(o: Obj): number {
    let n = 0;
    for (const _ in o) n++;
    return n;
}

function isEmptyObject(o: Obj): boolean {
    for (const _ in o) return false;
    return true;
}

// ---------- schema-aware walk ----------

function walkObject(o: Obj, n: Obj, path: string, node: PathNode, inherited: number, ctx: PatchResult): void {
    const tags = (node.flags & TAGS) !== 0;
    let seen = 0;
    for (const k in o) {
        let ov = o[k];
        if (ov === undefined || (tags && isAwsTagKey(k))) continue;
        let nv = n[k];
        if (nv !== undefined) seen++;
        if (ov === nv && nv !== UNKNOWN) continue; // the same value: nothing to look up
        const child = childForKey(node, k);
        if (child !== undefined && child.flags & TAGS) {
            // Only the user's tags count: "aws:" tags alone are as good as none.
            ov = userTags(ov);
            nv = userTags(nv);
            if (noTags(ov) && noTags(nv)) continue;
        }
        if (nv === undefined) removeMember(ov, path + "/" + escapeSegment(k), child, inherited, ctx);
        else walkValue(ov, nv, path + "/" + escapeSegment(k), child, inherited, ctx);
    }
    if (keyCount(n) === seen) return; // every member of n was seen: nothing added
    for (const k in n) {
        let nv = n[k];
        if (nv === undefined || o[k] !== undefined || (tags && isAwsTagKey(k))) continue;
        const child = childForKey(node, k);
        if (child !== undefined && child.flags & TAGS && noTags((nv = userTags(nv)))) continue;
        addMember(nv, path + "/" + escapeSegment(k), child, inherited, ctx);
    }
}

/** A member the old state lacks. */
function addMember(nv: unknown, path: string, node: PathNode | undefined, inherited: number, ctx: PatchResult): void {
    const eff = inherited | (node ? node.flags : 0);
    if (eff & SKIP) {
        if (nv === UNKNOWN && !(eff & READ_ONLY)) ctx.changed = true;
        return;
    }
    emit(ctx, "add", path, nv, node, eff);
}

function walkValue(ov: unknown, nv: unknown, path: string, node: PathNode | undefined, inherited: number, ctx: PatchResult): void {
    if (node === undefined && !(inherited & WRITE_ONLY)) {
        if (ov !== nv) plainValue(ov, nv, path, ctx);
        else if (nv === UNKNOWN) unknownChange(ctx, path);
        return;
    }
    const flags = node ? node.flags : 0;
    const eff = inherited | flags;
    if (eff & SKIP) return; // read-only: never patched; create-only: a replacement, found elsewhere
    if (nv === UNKNOWN) {
        unknownChange(ctx, path);
        return;
    }
    if (ov === nv) return;
    const absent = mayBeAbsent(ov, node, eff);
    if (isObject(ov) && isObject(nv) && !(flags & JSON_DOC) && node !== undefined) {
        if (absent) {
            // The live model may lack this object (only write-only content): set it whole, which works either way.
            if (!semanticEqual(ov, nv, node, inherited)) emit(ctx, "add", path, nv, node, eff);
            return;
        }
        walkObject(ov, nv, path, node, eff, ctx);
        return;
    }
    if (semanticEqual(ov, nv, node, inherited)) return;
    if (Array.isArray(ov) && Array.isArray(nv) && !absent && tryAppend(ov, nv, path, node, eff, ctx)) return;
    emit(ctx, absent ? "add" : "replace", path, nv, node, eff);
}

function removeMember(ov: unknown, path: string, node: PathNode | undefined, inherited: number, ctx: PatchResult): void {
    const eff = inherited | (node ? node.flags : 0);
    if (eff & SKIP) return;
    ctx.changed = true;
    if (node !== undefined && mayBeAbsent(ov, node, eff)) {
        // Reads never return write-only values, so the live model may lack the member and a bare "remove" would
        // fail: make sure it exists, then remove it.
        ctx.ops.push({ op: "add", path, value: null }, { op: "remove", path });
        return;
    }
    ctx.ops.push({ op: "remove", path });
}

/** Whether the live model (which never holds write-only values) may lack a value the old inputs hold. */
function mayBeAbsent(ov: unknown, node: PathNode | undefined, eff: number): boolean {
    if (eff & WRITE_ONLY) return true;
    if (Array.isArray(ov)) return ov.length === 0; // services often drop empty lists
    if (!isObject(ov)) return false;
    if (node === undefined || !(node.below & WRITE_ONLY)) {
        for (const _ in ov) return false;
        return true; // an empty object may have been dropped as well
    }
    for (const k in ov) {
        if (ov[k] === undefined) continue;
        const child = childForKey(node, k);
        if (!mayBeAbsent(ov[k], child, eff | (child ? child.flags : 0))) return false;
    }
    return true;
}

/**
 * Appends instead of replacing an array when new = old + a few items (as a multiset for unordered arrays):
 * provably safe because existing items are not addressed by index, so the service's order cannot misdirect it.
 */
function tryAppend(ov: unknown[], nv: unknown[], path: string, node: PathNode | undefined, eff: number, ctx: PatchResult): boolean {
    const added = nv.length - ov.length;
    if (ov.length === 0 || added <= 0 || added > ov.length) return false;
    const flags = node ? node.flags : 0;
    const item = childForItem(node);
    if (flags & (TAGS | JSON_DOC) || eff & WRITE_ONLY || (item && (item.flags | item.below) & (SKIP | WRITE_ONLY))) return false;
    let extra: unknown[];
    if (flags & UNORDERED) {
        // A sub-multiset: every old item pairs off with an equivalent new one.
        const pool = new ItemPool(nv, 0, nv.length, item, eff, READ_ONLY);
        for (const v of ov) if (pool.take(v) < 0) return false;
        extra = pool.rest();
        if (extra.length !== added) return false;
    } else {
        for (let i = 0; i < ov.length; i++) if (!semanticEqual(ov[i], nv[i], item, eff)) return false;
        extra = nv.slice(ov.length);
    }
    const start = ctx.ops.length;
    for (const v of extra) {
        const value = prepare(v, item, eff);
        if (value === HAS_UNKNOWN) {
            ctx.ops.length = start;
            unknownChange(ctx, path);
            return true;
        }
        ctx.ops.push({ op: "add", path: path + "/-", value });
    }
    ctx.changed = true;
    return true;
}

function emit(ctx: PatchResult, op: "add" | "replace", path: string, nv: unknown, node: PathNode | undefined, eff: number): void {
    ctx.changed = true;
    const value = prepare(nv, node, eff);
    if (value === HAS_UNKNOWN) return unknownChange(ctx, path); // no op is ever built from an unknown value
    ctx.ops.push(op === "add" ? { op: "add", path, value } : { op: "replace", path, value });
}

/** A change at `path` that no op can carry yet: the new value is (or holds) an unknown. */
function unknownChange(ctx: PatchResult, path: string): void {
    ctx.changed = true;
    ctx.unknownAt.push(path);
}

/**
 * A copy of a value for an op: read-only members and "aws:" tags dropped; HAS_UNKNOWN when it holds the unknown
 * sentinel.
 */
function prepare(v: unknown, node: PathNode | undefined, inherited: number): unknown {
    if (v === UNKNOWN) return HAS_UNKNOWN;
    if (v === null || typeof v !== "object") return v;
    if (node === undefined || !((node.flags | node.below) & (READ_ONLY | TAGS))) return copyPlain(v);
    if (node.flags & TAGS) v = userTags(v);
    if (Array.isArray(v)) {
        const item = childForItem(node);
        const out = new Array(v.length);
        for (let i = 0; i < v.length; i++) {
            const x = prepare(v[i], item, inherited);
            if (x === HAS_UNKNOWN) return HAS_UNKNOWN;
            out[i] = x;
        }
        return out;
    }
    const out: Obj = {};
    for (const k in v as Obj) {
        const x0 = (v as Obj)[k];
        if (x0 === undefined) continue;
        const child = childForKey(node, k);
        if (child && child.flags & READ_ONLY) continue;
        const x = prepare(x0, child, inherited | (child ? child.flags & INHERITED : 0));
        if (x === HAS_UNKNOWN) return HAS_UNKNOWN;
        out[k] = x;
    }
    return out;
}

/** A deep copy of a plain JSON value, or HAS_UNKNOWN. Shallow copies first, then only object members recurse. */
function copyPlain(v: unknown): unknown {
    if (v === UNKNOWN) return HAS_UNKNOWN;
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) {
        const out = v.slice();
        for (let i = 0; i < out.length; i++) {
            const x = out[i];
            if (x === UNKNOWN || (x !== null && typeof x === "object")) {
                const y = copyPlain(x);
                if (y === HAS_UNKNOWN) return HAS_UNKNOWN;
                out[i] = y;
            }
        }
        return out;
    }
    const out: Obj = { ...(v as Obj) };
    for (const k in out) {
        const x = out[k];
        if (x === UNKNOWN || (x !== null && typeof x === "object")) {
            const y = copyPlain(x);
            if (y === HAS_UNKNOWN) return HAS_UNKNOWN;
            out[k] = y;
        } else if (x === undefined) {
            delete out[k]; // as JSON has it
        }
    }
    return out;
}

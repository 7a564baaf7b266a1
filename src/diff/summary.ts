/**
 * Readable one-line summaries of a diff, for the provider to log during preview, read off the patch the diff has
 * already built (so they cannot disagree with it). They name paths and kinds of change only, never values: any
 * value may be a secret (write-only ones certainly are).
 */
import { semanticEqual } from "./equivalence";
import { isObject } from "../json-object";
import type { PatchResult } from "./patch-builder";
import { childForKey, JSON_DOC, PathNode, READ_ONLY, UNORDERED } from "./schema-index";
import { isAtOrBelow, joinPointer, splitPointer } from "../schema/pointer";
import { UNKNOWN } from "./unknown";

type Kind = "added" | "removed" | "changed";
const SIGN: Record<Kind, string> = { added: "+", removed: "-", changed: "~" };

/**
 * One line per changed path, e.g. "~ /RetentionInDays changed", "+ /Tags added", "± /TableName changed
 * (forces replacement)", "~ /KeySchema changed (may need a replacement)" (conditional create-only), "~ /Role
 * unknown until applied". Equivalent forms and read-only paths never get an op, so they are not reported; changes
 * inside arrays are reported at the array; an object set whole is reported member by member.
 */
export function summarize(
    oldState: unknown,
    newState: unknown,
    root: PathNode | undefined,
    patch: PatchResult,
    replaces: string[],
    conditional: string[],
): string[] {
    const lines = new Set<string>();
    const replaced = replaces.map(splitPointer);
    const mayReplace = conditional.map(splitPointer);
    const line = (segs: string[], kind: Kind, unknown = false) => {
        // The whole state (unknown as a whole) is no replacement itself: its create-only paths get their own lines.
        const related = (r: string[]) => segs.length > 0 && (isAtOrBelow(segs, r) || isAtOrBelow(r, segs));
        const replace = replaced.some(related);
        const note = replace ? " (forces replacement)" : mayReplace.some(related) ? " (may need a replacement)" : "";
        lines.add(`${replace ? "±" : SIGN[kind]} ${joinPointer(segs) || "/"} ${unknown ? "unknown until applied" : kind}${note}`);
    };
    const real = patch.ops.length - patch.resent;
    for (let i = 0; i < real; i++) {
        const op = patch.ops[i];
        // A write-only member removed robustly (add null, then remove): one removal.
        if (op.op === "add" && patch.ops[i + 1]?.op === "remove" && patch.ops[i + 1].path === op.path && i + 1 < real) continue;
        const at = locate(oldState, newState, root, splitPointer(op.path));
        if (at.inArray || op.op === "replace") line(at.segs, "changed");
        else if (op.op === "remove") line(at.segs, "removed");
        else if (at.old === undefined) line(at.segs, "added");
        else if (isObject(at.old) && isObject(at.next) && !(at.node && at.node.flags & JSON_DOC))
            members(at.old, at.next, at.node, at.segs, line);
        else line(at.segs, "changed");
    }
    for (const path of patch.unknownAt) {
        const at = locate(oldState, newState, root, splitPointer(path));
        line(at.segs, at.old === undefined && !at.inArray ? "added" : "changed", !at.inArray);
    }
    for (const pointer of replaces) {
        const at = locate(oldState, newState, root, splitPointer(pointer));
        const kind: Kind =
            at.inArray || at.unknown ? "changed" : at.old === undefined ? "added" : at.next === undefined ? "removed" : "changed";
        line(at.segs, kind, at.unknown);
    }
    return [...lines];
}

interface Located {
    /** The path, cut at the first array (changes inside arrays are reported at the array). */
    segs: string[];
    inArray: boolean;
    /** The new value at the path, or a value above it, is unknown. */
    unknown: boolean;
    old: unknown;
    next: unknown;
    node: PathNode | undefined;
}

function locate(oldState: unknown, newState: unknown, root: PathNode | undefined, segs: string[]): Located {
    let old = oldState;
    let next = newState;
    let node = root;
    for (let i = 0; i < segs.length; i++) {
        if (next === UNKNOWN) return { segs, inArray: false, unknown: true, old, next, node };
        if (Array.isArray(old) || Array.isArray(next) || segs[i] === "*" || (node && node.flags & UNORDERED))
            return { segs: segs.slice(0, i), inArray: true, unknown: false, old, next, node };
        old = isObject(old) ? old[segs[i]] : undefined;
        next = isObject(next) ? next[segs[i]] : undefined;
        node = childForKey(node, segs[i]);
    }
    return { segs, inArray: false, unknown: next === UNKNOWN, old, next, node };
}

/** Lines for the members that differ between two objects (an op set the object whole). */
function members(
    old: Record<string, unknown>,
    next: Record<string, unknown>,
    node: PathNode | undefined,
    segs: string[],
    line: (segs: string[], kind: Kind) => void,
): void {
    for (const k of new Set([...Object.keys(old), ...Object.keys(next)])) {
        const child = childForKey(node, k);
        if (child && child.flags & READ_ONLY) continue;
        const o = old[k];
        const n = next[k];
        if (semanticEqual(o, n, child)) continue;
        const at = [...segs, k];
        if (o === undefined) line(at, "added");
        else if (n === undefined) line(at, "removed");
        else if (isObject(o) && isObject(n) && !(child && child.flags & JSON_DOC)) members(o, n, child, at, line);
        else line(at, "changed");
    }
}

/**
 * Readable one-line summaries of a diff, for the provider to log during preview. They name paths and kinds of
 * change only, never values: any value may be a secret (write-only ones certainly are).
 */
import deepDiff = require("deep-diff");
import { normalize } from "./equivalence";
import { PathNode, READ_ONLY } from "./schema-index";
import { isAtOrBelow, joinPointer, splitPointer } from "../schema/pointer";
import { UNKNOWN } from "./unknown";

const KIND: Record<string, string> = { N: "added", D: "removed", E: "changed", A: "changed" };
const SIGN: Record<string, string> = { N: "+", D: "-", E: "~", A: "~" };

/**
 * One line per changed path, e.g. "~ /RetentionInDays changed", "+ /Tags added", "± /TableName changed
 * (forces replacement)", "~ /KeySchema changed (may need a replacement)" (conditional create-only). Equivalent
 * forms (order of unordered arrays, JSON string vs object, "aws:" tags) and read-only paths are not reported.
 * Changes inside arrays are reported at the array.
 */
export function summarize(oldState: unknown, newState: unknown, root: PathNode | undefined, replaces: string[], conditional: string[] = []): string[] {
    const a = root ? normalize(oldState ?? {}, root, READ_ONLY) : oldState ?? {};
    const b = root ? normalize(newState ?? {}, root, READ_ONLY) : newState ?? {};
    const changes = deepDiff.diff(a, b) ?? [];
    const replaced = replaces.map(splitPointer);
    const mayReplace = conditional.map(splitPointer);
    const lines = new Set<string>();
    for (const c of changes) {
        const segs: string[] = [];
        let inArray = c.kind === "A";
        let value: unknown = b;
        for (const p of c.path ?? []) {
            if (typeof p === "number" || Array.isArray(value)) {
                inArray = true;
                break;
            }
            segs.push(String(p));
            value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[p] : undefined;
        }
        const kind = inArray ? "A" : c.kind;
        const pointer = joinPointer(segs) || "/";
        const related = (r: string[]) => isAtOrBelow(segs, r) || isAtOrBelow(r, segs);
        const replace = replaced.some(related);
        const note = replace ? " (forces replacement)" : mayReplace.some(related) ? " (may need a replacement)" : "";
        const unknown = !inArray && c.kind !== "D" && value === UNKNOWN;
        const what = unknown ? "unknown until applied" : KIND[kind];
        lines.add(`${replace ? "±" : SIGN[kind]} ${pointer} ${what}${note}`);
    }
    return [...lines];
}

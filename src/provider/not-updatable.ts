import type { Operation } from "fast-json-patch";
import type { CloudControlError } from "../cloudcontrol";
import { isAtOrBelow, joinPointer, splitPointer } from "../schema/pointer";
import type { ResourceSchema } from "../schema/types";
import { propertyPath } from "./paths";
import type { ProviderOutputs } from "./types";

/**
 * JSON pointers (relative to the properties) that a Cloud Control message names, e.g. "createOnlyProperties
 * [/properties/TableName] cannot be updated" or "conditionalCreateOnlyProperties [/properties/KeySchema] requires
 * replacement". Array indices become "*": the refusal is about the property, not one item.
 */
export function pointersNamedIn(message: string | undefined): string[] {
    const found = new Set<string>();
    for (const m of (message ?? "").matchAll(/\/properties((?:\/[^\s,\][)("']+)+)/g)) found.add(itemsAsStar(m[1]));
    return [...found];
}

/** A pointer with its array indices written "*". */
function itemsAsStar(pointer: string): string {
    return joinPointer(splitPointer(pointer).map((s) => (/^\d+$/.test(s) ? "*" : s)));
}

/** Whether two pointers overlap: one is at or below the other ("*" matches any array item; both use "*" for items). */
function overlaps(a: string, b: string): boolean {
    const x = splitPointer(a);
    const y = splitPointer(b);
    return isAtOrBelow(x, y) || isAtOrBelow(y, x);
}

/**
 * What Cloud Control refused to change in place: the paths its message names; else the conditional create-only
 * paths the patch touches; else every path the patch touches (the patch is applied whole or not at all).
 */
export function refusedPaths(error: CloudControlError, patch: Operation[], schema: ResourceSchema): string[] {
    const named = pointersNamedIn(`${error.statusMessage ?? ""} ${error.message}`);
    if (named.length > 0) return named;
    const touched = [...new Set(patch.map((op) => itemsAsStar(op.path)))];
    const conditional = schema.conditionalCreateOnly.filter((p) => touched.some((t) => overlaps(t, p)));
    return conditional.length > 0 ? conditional : touched;
}

/** Outputs that remember refused paths for the next diff (merged with what earlier refusals taught). */
export function withNotUpdatable(outs: ProviderOutputs, refused: readonly string[]): ProviderOutputs {
    const all = [...new Set([...(outs.__notUpdatable ?? []), ...refused])];
    return { ...outs, __notUpdatable: all };
}

/** The message of an update Cloud Control refused as NotUpdatable (the default: nothing is replaced by update). */
export function notUpdatableMessage(label: string, identifier: string, refused: readonly string[], error: CloudControlError): string {
    const paths = refused.map((p) => propertyPath(p)).join(", ");
    return (
        `${label}: Cloud Control cannot update ${identifier} in place: ${paths} cannot change without replacing the resource ` +
        `(NotUpdatable${error.statusMessage ? `: ${error.statusMessage}` : ""}). Nothing was changed. ` +
        "The next preview shows a replacement: run the deployment again to replace it (Pulumi then applies protect, deleteBeforeReplace and the replacement of dependents), " +
        "or set replaceOnNotUpdatable: true to have the update replace it (bypassing protect and retainOnDelete)"
    );
}

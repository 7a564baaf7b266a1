import type * as dynamic from "@pulumi/pulumi/dynamic";
import { containsUnknown, diffDesiredState, UNKNOWN } from "../diff";
import type { ResourceSchema } from "../schema/types";
import { replacementName } from "./autoname-check";
import { canonicalJson } from "./canonical";
import { progress, resourceLabel } from "./describe";
import { propertyPath } from "./paths";
import { effectiveRegion, effectiveRegionOf, schemaFor } from "./settings";
import type { ProviderInputs, ProviderOutputs } from "./types";

/** Inputs whose change alters only how the provider talks to Cloud Control: an update with no patch. */
const SETTINGS = ["roleArn", "typeVersionId", "timeouts", "schema"] as const;

/**
 * What a deployment will do to a resource. `__provider`, the identity, the recorded region, the secrecy marker and
 * the provider's own options (`importId`, `replaceOnChanges`, `replaceOnNotUpdatable`) are not compared as values.
 * A typeName or (resolved) region change replaces (Cloud Control cannot move a resource); so does a change under a
 * create-only path, under a `replaceOnChanges` pointer, or under a path Cloud Control refused to update in place
 * before (`__notUpdatable`), deleting first when the new resource would collide with the old one. The desired
 * states are compared once. A readable summary goes to stdout, which the Pulumi CLI shows during preview.
 */
export async function diff(id: string, olds: ProviderOutputs, news: ProviderInputs): Promise<dynamic.DiffResult> {
    const label = resourceLabel(news);
    const replaces: string[] = [];
    let changes = false;

    if (olds.__gone) {
        progress(
            label,
            `${olds.identifier} was deleted during a replacement that could not create its successor: it will be created again`,
        );
        return { changes: true, replaces: ["identifier"], deleteBeforeReplace: false };
    }
    if (olds.__pendingDelete?.length) {
        progress(
            label,
            `${olds.__pendingDelete.map((p) => p.identifier).join(", ")} (replaced earlier) still to be deleted: retried by this update`,
        );
        changes = true;
    }
    if (news.typeName !== olds.typeName) {
        replaces.push("typeName");
    }
    if (await regionChanges(olds, news)) {
        replaces.push("region");
    }
    for (const key of SETTINGS) {
        if (canonicalJson(news[key] ?? null) !== canonicalJson(olds[key] ?? null)) {
            changes = true;
        }
    }

    let deleteBeforeReplace = false;
    if (replaces.length === 0 && news.desiredState === (UNKNOWN as unknown)) {
        // Built wholly from outputs not known during preview (e.g. another resource's properties while it is
        // updated). Planned as an update; the deployment compares the real values and replaces if a create-only
        // property really changed. Claiming a replacement here would flag every such dependent.
        progress(
            label,
            "desiredState is not known until the resources it depends on are deployed: it will be compared then (an update, or a replacement if a create-only property changes)",
        );
        changes = true;
    } else if (replaces.length === 0) {
        const forced = [...(Array.isArray(news.replaceOnChanges) ? news.replaceOnChanges : []), ...(olds.__notUpdatable ?? [])];
        const schema = withForcedReplacements(await diffSchema(olds, news, label), forced);
        const result = diffDesiredState(olds.desiredState, news.desiredState, schema);
        changes = changes || result.changes;
        replaces.push(...result.replaces.map((pointer) => propertyPath(pointer)));
        deleteBeforeReplace = result.replaces.length > 0 && deleteFirst(olds, news, schema, result.deleteBeforeReplace);
        // Paths and kinds of change only: values may be secret (secrets reach the provider in plain text).
        for (const line of result.summary) {
            progress(label, line);
        }
    } else if (news.typeName === UNKNOWN) {
        progress(label, "typeName is not known yet: the resource may be replaced");
    }
    if (replaces.length > 0 && typeof news.importId === "string" && news.importId !== "") {
        // The replacement's create adopts importId again: the resource being replaced, not a new one (and the
        // delete of the old copy then keeps it: see deletes.ts). Deleting first would delete what it adopts.
        deleteBeforeReplace = false;
        progress(
            label,
            `warning: importId is still set, so the replacement's create adopts ${news.importId} again (updating it in place where it can, failing where a create-only property differs) instead of creating a new resource; remove importId from the program to create a new one`,
        );
    }
    if (replaces.length > 0) {
        const identifier = olds.identifier || id;
        progress(
            label,
            `${identifier} will be replaced: ${replaces.join(", ")} cannot be changed in place${deleteBeforeReplace ? " (deleted first: the new resource keeps its identifier)" : ""}`,
        );
    }
    return { changes: changes || replaces.length > 0, replaces, deleteBeforeReplace };
}

/**
 * Whether the resource would move: where it lives (recorded) against where the new inputs resolve to. An unchanged
 * effective region is no change, however it is spelled (`region` input, stack config or the AWS profile); a stack
 * region change moves it, and so may an unknown `region`.
 */
async function regionChanges(olds: ProviderOutputs, news: ProviderInputs): Promise<boolean> {
    if (news.region === UNKNOWN) return true;
    return ((await effectiveRegion(news)) ?? "") !== ((await effectiveRegionOf(olds)) ?? "");
}

/**
 * The schema to compare the desired states with: the new inputs'. An unknown schema or type version (preview)
 * cannot be loaded, so the resource's current schema stands in; the setting itself counts as a change (see
 * SETTINGS), and the deployment compares again with the real one.
 */
async function diffSchema(olds: ProviderOutputs, news: ProviderInputs, label: string): Promise<ResourceSchema> {
    if (!containsUnknown(news.schema) && !containsUnknown(news.typeVersionId)) return schemaFor(news);
    progress(label, "schema or typeVersionId is not known yet: compared with the schema the resource has now");
    return schemaFor(olds);
}

/**
 * Whether a replacement must delete the old resource first. The desired-state diff says so when an identifier the
 * user sets is unchanged; an autonamed name is not the user's: the replacement's check makes a new one (see
 * autoname-check.ts). A random one never collides, so only another identifier kept can force the order; one made the same
 * again (verbatim, a pattern without randomness) does collide: the engine itself deletes first then
 * (step_generator.go: autonaming without randomness sets DeleteBeforeReplace).
 */
function deleteFirst(olds: ProviderOutputs, news: ProviderInputs, schema: ResourceSchema, kept: boolean): boolean {
    const next = replacementName(news, schema);
    if (!next) return kept;
    const name = news.__autonamed!;
    if ("value" in next && next.value === news.desiredState[name]) return true;
    // The new name is not known before the replacement's check: an identifier holding it is not kept.
    return diffDesiredState(olds.desiredState, { ...news.desiredState, [name]: UNKNOWN }, schema).deleteBeforeReplace;
}

// Schemas with extra create-only pointers, per schema object and pointer set (diff runs for every resource).
const forcedSchemas = new WeakMap<ResourceSchema, Map<string, ResourceSchema>>();

/** The schema with `pointers` treated as create-only too (a change under them forces a replacement). */
export function withForcedReplacements(schema: ResourceSchema, pointers: readonly string[]): ResourceSchema {
    const extra = [...new Set(pointers)].filter((p) => typeof p === "string" && !schema.createOnly.includes(p)).sort();
    if (extra.length === 0) return schema;
    let bySet = forcedSchemas.get(schema);
    if (!bySet) forcedSchemas.set(schema, (bySet = new Map()));
    const key = JSON.stringify(extra);
    let forced = bySet.get(key);
    if (!forced) bySet.set(key, (forced = { ...schema, createOnly: [...schema.createOnly, ...extra] }));
    return forced;
}

import { CloudControlError, getResource, runUpdate } from "../cloudcontrol";
import { diffDesiredState, reconcileInputs } from "../diff";
import type { LiveResource } from "../cloudcontrol/types";
import type { CreateContext } from "./create-resource";
import { messageOf, progress } from "./describe";
import { journalFor } from "./journal";
import { limitToKeysOf } from "./live-model";
import { propertyPath } from "./paths";
import type { ProviderInputs } from "./types";

/**
 * Adopts the existing resource `inputs.importId` instead of creating one (the `importId` argument): GetResource,
 * then the properties `desiredState` sets are brought to their desired values with one UpdateResource (properties
 * it does not set are left as they are). When a create-only property differs, nothing is touched and the error
 * names it: the resource cannot become what the program describes without being replaced.
 */
export async function adoptResource(inputs: ProviderInputs, ctx: CreateContext): Promise<LiveResource> {
    const importId = inputs.importId!;
    const ref = { typeName: inputs.typeName, roleArn: inputs.roleArn, typeVersionId: inputs.typeVersionId };
    // An unreported create an earlier run left for this resource is superseded by the adoption: its journal entry
    // must not make a later create of this resource hand back what it made.
    journalFor(inputs.__identity)?.clear();
    const live = await getResource(ctx.client, { ...ref, identifier: importId });
    if (!live) {
        throw new Error(
            `${ctx.label}: importId ${importId}: no ${inputs.typeName} with that identifier exists${ctx.region ? ` in ${ctx.region}` : ""}; nothing was created`,
        );
    }
    // The live values of the properties the program sets (write-only ones are never returned, so they are sent).
    const current = limitToKeysOf(reconcileInputs(undefined, live.properties, ctx.schema), inputs.desiredState);
    const diff = diffDesiredState(current, inputs.desiredState, ctx.schema);
    if (diff.replaces.length > 0) {
        throw new Error(
            `${ctx.label}: cannot adopt ${live.identifier} (importId): ${diff.replaces.map((p) => propertyPath(p)).join(", ")} ` +
                `differ${diff.replaces.length === 1 ? "s" : ""} from the live resource and cannot change without replacing it. Nothing was changed: ` +
                "set desiredState to the live values to adopt it, or remove importId to create a new resource",
        );
    }
    if (diff.patch.length === 0) {
        progress(ctx.label, `adopted ${live.identifier} (importId): it already matches desiredState`);
        return live;
    }
    try {
        await runUpdate(ctx.client, { typeName: inputs.typeName, identifier: live.identifier, patch: diff.patch }, ctx.options);
    } catch (error) {
        const why =
            error instanceof CloudControlError && error.outcome === "replace"
                ? "a property it changes cannot change without replacing the resource"
                : "the update failed";
        throw new Error(
            `${ctx.label}: cannot adopt ${live.identifier} (importId): ${why}; it is not tracked by the stack: ${messageOf(error)}`,
            { cause: error },
        );
    }
    progress(
        ctx.label,
        `adopted ${live.identifier} (importId) and updated it to desiredState (${diff.patch.length} patch operation${diff.patch.length === 1 ? "" : "s"})`,
    );
    const after = await getResource(ctx.client, { ...ref, identifier: live.identifier });
    if (!after)
        throw new Error(`${ctx.label}: ${live.identifier} (importId) disappeared while it was adopted; it is not tracked by the stack`);
    return after;
}

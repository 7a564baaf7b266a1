import type { RunOptions } from "../cloudcontrol/types";
import { identifierKept } from "../diff";
import { createResource, PartialCreateError, settleCreate, type CreateContext } from "./create-resource";
import { deleteResource, pendingDelete, retryPendingDeletes, withPendingDeletes } from "./deletes";
import { messageOf, progress } from "./describe";
import { outputsFor, pickInputs, predictedIdentifier } from "./live-model";
import { recordReturned } from "./returned";
import type { PendingDelete, ProviderInputs, ProviderOutputs } from "./types";
import { ResourceStateError } from "./wire";

/**
 * How a resource is replaced inside an update (only with `replaceOnNotUpdatable: true`; by default the engine
 * replaces it after the next diff). The new resource is created first and the old one deleted after, unless the new
 * one would get the old one's identity (the user sets, unchanged, every property of the primary identifier or of an
 * additional one, as the diff's deleteBeforeReplace decides): then the old one must be deleted first.
 */
export type ReplacementPlan =
    { order: "create-first"; old: PendingDelete } | { order: "delete-first"; old: PendingDelete; keeps: "identifier" | "name" };

/**
 * The plan for replacing the resource `olds` describes with one made from `news`. An autonamed name stays what it is
 * (the engine records `news` as the inputs, so a new name here would read as a change of name on the next run),
 * and the old resource holds it: delete first, as for an identifier the user sets.
 */
export function planReplacement(id: string, olds: ProviderOutputs, news: ProviderInputs, ctx: CreateContext): ReplacementPlan {
    const old = pendingDelete({
        typeName: olds.typeName,
        identifier: olds.identifier || id,
        roleArn: olds.roleArn,
        typeVersionId: olds.typeVersionId,
    });
    // The same rule as the diff's deleteBeforeReplace (an additional identifier is unique too); the predicted
    // identifier also covers a recorded desired state that lacks it.
    if (
        identifierKept(olds.desiredState, news.desiredState, ctx.schema) ||
        predictedIdentifier(news.desiredState, ctx.schema) === old.identifier
    )
        return { order: "delete-first", old, keeps: "identifier" };
    const name = news.__autonamed;
    if (name !== undefined && news.desiredState[name] === olds.desiredState?.[name]) return { order: "delete-first", old, keeps: "name" };
    return { order: "create-first", old };
}

/** Options for deleting the old resource and for creating the new one. */
export interface ReplaceContext extends CreateContext {
    /** For deleting the old resource (and a half-made replacement). */
    deleteOptions: RunOptions;
    /** For retrying the deletes earlier replacements could not finish (`pending`). */
    pendingDeleteOptions: RunOptions;
}

/**
 * Carries out a replacement plan. Returns the new resource's outputs; every failure after something changed throws a
 * {@link ResourceStateError} whose outputs say what is live (and what is still to delete), so nothing is forgotten.
 * `pending` are resources earlier replacements could not delete: every recorded outcome keeps them, and a replacement
 * that succeeds retries deleting them (the outputs keep those still not deleted).
 *
 * The new resource's create journal entry (see create-resource.ts) outlives its create: the resource reaches the
 * state only when this returns or throws, after the old resource's delete (which may take up to its timeout), so a
 * crash before then must leave the next run a way to find it. It is cleared just before the outcome leaves here.
 */
export async function replaceInUpdate(
    plan: ReplacementPlan,
    id: string,
    olds: ProviderOutputs,
    news: ProviderInputs,
    pending: readonly PendingDelete[],
    ctx: ReplaceContext,
): Promise<ProviderOutputs> {
    const { label } = ctx;
    const oldId = plan.old.identifier;
    const created = (identifier: string, live: Record<string, unknown>) => {
        recordReturned(news.typeName, identifier, ctx.region);
        return outputsFor(news, identifier, live, ctx.schema);
    };

    // Only with the new resource in the outcome about to be reported (or deleted) is its journal entry done.
    const settled = <T>(outcome: T): T => {
        settleCreate(news);
        return outcome;
    };
    const finish = async (outs: ProviderOutputs): Promise<ProviderOutputs> => {
        const left = await retryPendingDeletes(ctx.client, pending, ctx.region, ctx.pendingDeleteOptions, label);
        return settled(withPendingDeletes(outs, left));
    };

    if (plan.order === "delete-first") {
        const kept =
            plan.keeps === "name"
                ? `its ${news.__autonamed} (autonamed)`
                : predictedIdentifier(news.desiredState, ctx.schema) === oldId
                  ? `the identifier ${oldId}`
                  : `an additional identifier desiredState sets (old resource ${oldId})`;
        progress(label, `the replacement keeps ${kept}: deleting the old resource first`);
        await deleteResource(ctx.client, plan.old, ctx.region, ctx.deleteOptions, label);
        let live;
        try {
            live = await createResource(news, ctx, { keepJournal: true });
        } catch (error) {
            if (error instanceof PartialCreateError) {
                throw settled(
                    new ResourceStateError(
                        `${error.message}. The old resource was deleted first; Pulumi now tracks ${error.identifier}: fix the cause and run the deployment again`,
                        id,
                        withPendingDeletes(created(error.identifier, error.live.properties), pending),
                        news,
                    ),
                );
            }
            // Nothing is live any more: recorded as gone, so the next diff plans a create and refresh drops it.
            // (A create whose outcome is unknown kept its journal entry: that create finds its request again.)
            const gone: ProviderOutputs = {
                ...pickInputs(olds as unknown as Record<string, unknown>),
                identifier: oldId,
                properties: {},
                __gone: true,
            };
            throw new ResourceStateError(
                `${label}: the old resource ${oldId} was deleted to make room for its replacement, which could not be created: ${messageOf(error)}. Run the deployment again to create it`,
                id,
                withPendingDeletes(gone, pending),
                news,
            );
        }
        progress(label, `replaced ${oldId} (deleted, then created again) because Cloud Control rejected the update as NotUpdatable`);
        return finish(created(live.identifier, live.properties));
    }

    let replacement;
    try {
        replacement = await createResource(news, ctx, { keepJournal: true });
    } catch (error) {
        const failed = `${label}: ${oldId} needed a replacement (NotUpdatable), which could not be created: ${messageOf(error)}. The old resource is unchanged`;
        if (error instanceof PartialCreateError) {
            // The old resource is intact: remove the half-made replacement rather than orphan it.
            const halfMade = pendingDelete({
                typeName: news.typeName,
                identifier: error.identifier,
                roleArn: news.roleArn,
                typeVersionId: news.typeVersionId,
            });
            try {
                await deleteResource(ctx.client, halfMade, ctx.region, ctx.deleteOptions, label);
            } catch (deleteError) {
                // Still live: keep it in state (with the old resource, which Pulumi goes on tracking) until deleted.
                throw settled(
                    new ResourceStateError(
                        `${failed}; deleting the half-made ${error.identifier} failed too: ${messageOf(deleteError)}. Deleting it is retried by the next update and by destroy`,
                        id,
                        withPendingDeletes(olds, [...pending, halfMade]),
                        news,
                    ),
                );
            }
            settleCreate(news); // deleted: nothing left to find
        }
        throw new Error(failed, { cause: error });
    }
    const outs = created(replacement.identifier, replacement.properties);
    try {
        await deleteResource(ctx.client, plan.old, ctx.region, ctx.deleteOptions, label);
    } catch (error) {
        throw settled(
            new ResourceStateError(
                `${label}: replaced ${oldId} with ${replacement.identifier}, but deleting ${oldId} failed: ${messageOf(error)}. ` +
                    `Pulumi now tracks ${replacement.identifier}; deleting ${oldId} is retried by the next update and by destroy`,
                id,
                withPendingDeletes(outs, [...pending, plan.old]),
                news,
            ),
        );
    }
    progress(
        label,
        `replaced ${oldId} with ${replacement.identifier} because Cloud Control rejected the update as NotUpdatable; ` +
            `the Pulumi id stays ${id} until the next refresh (use the identifier output)`,
    );
    return finish(outs);
}

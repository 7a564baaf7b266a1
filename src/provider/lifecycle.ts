import type * as dynamic from "@pulumi/pulumi/dynamic";
import { CloudControlError, getResource, runUpdate } from "../cloudcontrol";
import type { RunOptions } from "../cloudcontrol/types";
import { computePatch, reconcileInputs } from "../diff";
import { adoptResource } from "./adopt";
import { createResource, PartialCreateError, type CreateContext } from "./create-resource";
import { deleteResource, retryPendingDeletes, withPendingDeletes } from "./deletes";
import { progress, resourceLabel } from "./describe";
import { outputsFor, pickInputs } from "./live-model";
import { notUpdatableMessage, refusedPaths, withNotUpdatable } from "./not-updatable";
import { planReplacement, replaceInUpdate } from "./replacement";
import { recordReturned } from "./returned";
import { clientFor, clientRegion, schemaFor } from "./settings";
import { operationTimeout } from "./timeouts";
import type { ProviderInputs, ProviderOutputs, Timeouts } from "./types";
import { plainJson, ResourceStateError } from "./wire";

/** Options for the Cloud Control layer: deadline, role, type version, and progress lines on stdout. */
function runOptions(inputs: ProviderInputs, operation: keyof Timeouts, label: string): RunOptions {
    return {
        timeout: operationTimeout(inputs.timeouts, operation),
        roleArn: inputs.roleArn,
        typeVersionId: inputs.typeVersionId,
        // The Cloud Control layer reports status changes, retries and hook warnings here (no property values).
        log: (message) => progress(label, message),
    };
}

/**
 * What a create of `inputs` needs (client, schema, region, options). The region is the client's own, so one the SDK
 * takes from the AWS profile is known (and recorded) too.
 */
async function createContext(inputs: ProviderInputs, where: ProviderInputs = inputs): Promise<CreateContext> {
    const label = resourceLabel(inputs);
    const client = clientFor(where);
    return {
        client,
        schema: await schemaFor(inputs),
        label,
        region: await clientRegion(client),
        options: runOptions(inputs, "create", label),
    };
}

/**
 * The inputs with the region the resource lives in recorded (`__region`): read, update and delete then go there, and
 * diff sees a later change of the stack's region, even when the region came from the AWS profile (which `check`
 * does not record).
 */
function inRegion(inputs: ProviderInputs, region: string | undefined): ProviderInputs {
    return region ? { ...inputs, __region: region } : inputs;
}

/**
 * CreateResource, wait, GetResource (or, with `importId`, the adoption of an existing resource). A failure after
 * this create made the resource is a partial create: Pulumi records it, nothing is orphaned.
 */
export async function create(inputs: ProviderInputs): Promise<dynamic.CreateResult<ProviderOutputs>> {
    const ctx = await createContext(inputs);
    const recorded = inRegion(inputs, ctx.region);
    try {
        const live = inputs.importId ? await adoptResource(inputs, ctx) : await createResource(inputs, ctx);
        if (!inputs.importId) progress(ctx.label, `created ${live.identifier}`);
        recordReturned(inputs.typeName, live.identifier, ctx.region);
        return { id: live.identifier, outs: plainJson(outputsFor(recorded, live.identifier, live.properties, ctx.schema)) };
    } catch (error) {
        if (error instanceof PartialCreateError) {
            recordReturned(inputs.typeName, error.identifier, ctx.region);
            throw new ResourceStateError(
                `${error.message}. Pulumi keeps ${error.identifier} in state: fix the cause and run the deployment again (it will update or replace it), or destroy it`,
                error.identifier,
                outputsFor(recorded, error.identifier, error.live.properties, ctx.schema),
                recorded,
            );
        }
        throw error;
    }
}

/**
 * UpdateResource with the patch between the old and new desired states (no call when it is empty), wait,
 * GetResource. When Cloud Control answers NotUpdatable, nothing is deleted: the update fails, recording what it
 * learned (see not-updatable.ts) so the next diff plans a replacement — unless `replaceOnNotUpdatable` asks the
 * update to replace the resource itself (see replacement.ts).
 */
export async function update(id: string, olds: ProviderOutputs, news: ProviderInputs): Promise<dynamic.UpdateResult<ProviderOutputs>> {
    // Where the resource lives (diff replaces it when the new inputs resolve to another region).
    const ctx = await createContext(news, olds);
    const { client, schema, label } = ctx;
    // What the outputs record: the resource stays where it lives (a region change is a replacement, planned by diff).
    const recorded = inRegion(news, ctx.region);
    const identifier = olds.identifier || id;
    const pending = olds.__pendingDelete ?? [];
    const patch = computePatch(olds.desiredState, news.desiredState, schema);
    if (patch.length > 0) {
        try {
            await runUpdate(client, { typeName: news.typeName, identifier, patch }, runOptions(news, "update", label));
        } catch (error) {
            if (error instanceof CloudControlError && error.outcome === "replace") {
                if (news.replaceOnNotUpdatable === true) {
                    progress(
                        label,
                        `Cloud Control cannot update ${identifier} in place (NotUpdatable${error.statusMessage ? `: ${error.statusMessage}` : ""}); replacing it (replaceOnNotUpdatable)`,
                    );
                    const replaced = await replaceInUpdate(planReplacement(id, olds, news, ctx), id, olds, recorded, pending, {
                        ...ctx,
                        deleteOptions: runOptions(olds, "delete", label),
                        pendingDeleteOptions: runOptions(news, "delete", label),
                    });
                    return { outs: plainJson(replaced) };
                }
                const refused = refusedPaths(error, patch, schema);
                // A partial update: Pulumi records these outputs (the resource as it is, and what could not change).
                throw new ResourceStateError(
                    notUpdatableMessage(label, identifier, refused, error),
                    id,
                    withNotUpdatable(olds, refused),
                    news,
                );
            }
            if (error instanceof CloudControlError && error.outcome === "gone") {
                throw new Error(
                    `${label}: ${identifier} no longer exists; run \`pulumi refresh\` and then the deployment again to re-create it`,
                    { cause: error },
                );
            }
            throw error;
        }
        progress(label, `updated ${identifier} (${patch.length} patch operation${patch.length === 1 ? "" : "s"})`);
    }
    const live = await getResource(client, {
        typeName: news.typeName,
        identifier,
        roleArn: news.roleArn,
        typeVersionId: news.typeVersionId,
    });
    if (!live) {
        throw new Error(`${label}: ${identifier} no longer exists; run \`pulumi refresh\` and then the deployment again to re-create it`);
    }
    const left = await retryPendingDeletes(client, pending, ctx.region, runOptions(news, "delete", label), label);
    return { outs: plainJson(withPendingDeletes(outputsFor(recorded, live.identifier, live.properties, schema), left)) };
}

/** DeleteResource and wait; a resource already gone counts as deleted. */
export async function remove(id: string, props: ProviderOutputs): Promise<void> {
    const identifier = props.identifier ?? id;
    const label = resourceLabel(props);
    const client = clientFor(props);
    const region = await clientRegion(client);
    const options = runOptions(props, "delete", label);
    const left = await retryPendingDeletes(client, props.__pendingDelete, region, options, label);
    if (left.length) {
        throw new Error(
            `${label}: could not delete ${left.map((p) => p.identifier).join(", ")} (replaced earlier); delete ${left.length === 1 ? "it" : "them"} and run destroy again`,
        );
    }
    if (props.__gone || !identifier) {
        return; // deleted during a failed replacement: nothing is live
    }
    const outcome = await deleteResource(
        client,
        { typeName: props.typeName, identifier, roleArn: props.roleArn, typeVersionId: props.typeVersionId },
        region,
        options,
        label,
    );
    if (outcome !== "kept") progress(label, outcome === "deleted" ? `deleted ${identifier}` : `${identifier} was already gone`);
}

/**
 * Refresh's answer for a resource that is not live (deleted, or recorded `__gone`): dropped from state (empty id),
 * unless replaced resources are still to be deleted (`__pendingDelete`): they keep the record, as `__gone`, so the
 * next deployment (which then creates the resource again) or destroy deletes them; dropping it would orphan them.
 */
async function readGone(
    id: string,
    identifier: string,
    props: Partial<ProviderOutputs>,
    label: string,
): Promise<dynamic.ReadResult<ProviderOutputs>> {
    const pending = props.__pendingDelete ?? [];
    if (pending.length === 0) return { id: "", props: {} as ProviderOutputs };
    // Not deleted here: refresh (and `preview --refresh`, which calls read too) must not change anything in AWS.
    progress(
        label,
        `${identifier} is gone, but ${pending.map((p) => p.identifier).join(", ")} (replaced earlier) still ${pending.length === 1 ? "has" : "have"} to be deleted: kept in state, so the next deployment or destroy deletes ${pending.length === 1 ? "it" : "them"}`,
    );
    const inputs = pickInputs(props as Record<string, unknown>);
    const outs = withPendingDeletes({ ...inputs, identifier, properties: {}, __gone: true }, pending);
    return { id: id || identifier, props: plainJson(outs), inputs: plainJson(inputs) as ProviderOutputs };
}

/**
 * GetResource; gone → empty id (unless replaced resources are still to be deleted, see {@link readGone}). Returns
 * inputs reconciled with the live model (write-only values kept from the old inputs, read-only ones only in
 * outputs), so refresh shows real drift only.
 */
export async function read(id: string, props: Partial<ProviderOutputs>): Promise<dynamic.ReadResult<ProviderOutputs>> {
    const label = resourceLabel(props);
    const identifier = props.identifier ?? id;
    if (!props.typeName) {
        // What the engine's import (ImportStep: Read with the id only) would reach, if the dynamic-provider host got
        // that far: without inputs there is no type to read (use the importId argument instead).
        throw new Error(
            `${label}: cannot read ${id}: typeName is missing from the resource's inputs (to adopt an existing resource, use the importId argument)`,
        );
    }
    if (props.__gone || !identifier) {
        return readGone(id, identifier, props, label);
    }
    const client = clientFor(props);
    const live = await getResource(client, {
        typeName: props.typeName,
        identifier,
        roleArn: props.roleArn,
        typeVersionId: props.typeVersionId,
    });
    if (!live) {
        progress(label, `${identifier} no longer exists`);
        return readGone(id, identifier, props, label);
    }
    const schema = await schemaFor(props as ProviderInputs);
    const oldInputs = pickInputs(props as Record<string, unknown>);
    // With prior (or, for an import, the program's) inputs, only what they set is tracked (maps they set whole).
    const desiredState = reconcileInputs(oldInputs.desiredState, live.properties, schema);
    // Found where it was looked for: record that region (state from before regions were recorded, or an import).
    const inputs = inRegion({ ...oldInputs, desiredState }, await clientRegion(client));
    let outs = withPendingDeletes(outputsFor(inputs, live.identifier, live.properties, schema), props.__pendingDelete ?? []);
    // What an earlier NotUpdatable taught still holds for the live resource.
    if (props.__notUpdatable?.length) outs = withNotUpdatable(outs, props.__notUpdatable);
    return { id: live.identifier, props: plainJson(outs), inputs: plainJson(inputs) as ProviderOutputs };
}

import type { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { CloudControlError, getResource, runDelete, runUpdate } from "../cloudcontrol";
import type { RunOptions } from "../cloudcontrol/types";
import { computePatch, reconcileInputs } from "../diff";
import type { ResourceSchema } from "../schema/types";
import { createResource, PartialCreateError } from "./create-resource";
import { progress, resourceLabel } from "./describe";
import { outputsFor, pickInputs, predictedIdentifier } from "./live-model";
import { clientFor, regionOf, schemaFor } from "./settings";
import { operationTimeout } from "./timeouts";
import type { PendingDelete, ProviderInputs, ProviderOutputs, Timeouts } from "./types";

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
 * An error the dynamic-provider host reports as a partial failure: it carries the resource id and the outputs to
 * record, so Pulumi keeps the resource in state (nothing orphaned).
 */
export class ResourceStateError extends Error {
    readonly properties: Record<string, unknown>;
    /**
     * `inputs` is the request's inputs: the host adds `__provider` to a result's outputs but not to an error's, and
     * without it the recorded resource could not be read or deleted later.
     */
    constructor(
        message: string,
        readonly id: string,
        properties: ProviderOutputs | Record<string, unknown>,
        inputs: ProviderInputs | ProviderOutputs,
    ) {
        super(message);
        this.name = "ResourceStateError";
        this.properties = { ...properties, __provider: (inputs as unknown as Record<string, unknown>).__provider };
    }
    /** Read by the dynamic-provider host. */
    get reasons(): string[] {
        return [this.message];
    }
}

/** CreateResource, wait, GetResource; a failure after an identifier was assigned becomes a partial create. */
export async function create(inputs: ProviderInputs): Promise<dynamic.CreateResult<ProviderOutputs>> {
    const label = resourceLabel(inputs);
    const client = clientFor(inputs);
    const schema = await schemaFor(inputs);
    try {
        const live = await createResource(client, inputs, "create", label, runOptions(inputs, "create", label));
        progress(label, `created ${live.identifier}`);
        return { id: live.identifier, outs: outputsFor(inputs, live.identifier, live.properties, schema) };
    } catch (error) {
        if (error instanceof PartialCreateError) {
            throw new ResourceStateError(
                `${error.message}. Pulumi keeps ${error.identifier} in state: fix the cause and run the deployment again (it will update or replace it), or destroy it`,
                error.identifier,
                outputsFor(inputs, error.identifier, error.live.properties, schema),
                inputs,
            );
        }
        throw error;
    }
}

/**
 * UpdateResource with the computed patch (no call when it is empty), wait, GetResource. When Cloud Control
 * rejects the update as NotUpdatable, the resource is replaced by the provider itself (see replaceResource).
 */
export async function update(id: string, olds: ProviderOutputs, news: ProviderInputs): Promise<dynamic.UpdateResult<ProviderOutputs>> {
    const label = resourceLabel(news);
    // Where the resource lives (diff replaces it when the new inputs resolve to another region).
    const client = clientFor(olds);
    const schema = await schemaFor(news);
    const identifier = olds.identifier || id;
    const ref = { typeName: news.typeName, identifier, roleArn: news.roleArn, typeVersionId: news.typeVersionId };
    const patch = computePatch(olds.desiredState, news.desiredState, schema);
    if (patch.length > 0) {
        try {
            await runUpdate(client, { typeName: news.typeName, identifier, patch }, runOptions(news, "update", label));
        } catch (error) {
            if (error instanceof CloudControlError && error.outcome === "replace") {
                const replaced = await replaceResource(client, id, olds, news, schema, error);
                // Resources an earlier replacement could not delete stay in state until they are gone.
                const left = await deletePending(client, olds.__pendingDelete, news, label);
                return { outs: left.length ? { ...replaced, __pendingDelete: left } : replaced };
            }
            if (error instanceof CloudControlError && error.outcome === "gone") {
                throw new Error(`${label}: ${identifier} no longer exists; run \`pulumi refresh\` and then the deployment again to re-create it`);
            }
            throw error;
        }
        progress(label, `updated ${identifier} (${patch.length} patch operation${patch.length === 1 ? "" : "s"})`);
    }
    const live = await getResource(client, ref);
    if (!live) {
        throw new Error(`${label}: ${identifier} no longer exists; run \`pulumi refresh\` and then the deployment again to re-create it`);
    }
    const outs = outputsFor(news, live.identifier, live.properties, schema);
    const pending = await deletePending(client, olds.__pendingDelete, news, label);
    return { outs: pending.length ? { ...outs, __pendingDelete: pending } : outs };
}

/** Retries deleting resources a self-replacement could not delete; returns those still not deleted. */
async function deletePending(client: CloudControlClient, pending: PendingDelete[] | undefined, inputs: ProviderInputs, label: string): Promise<PendingDelete[]> {
    const left: PendingDelete[] = [];
    for (const old of pending ?? []) {
        try {
            // With the role and type version it was created with (recorded), not the current inputs'.
            await runDelete(client, old, { ...runOptions(inputs, "delete", label), roleArn: old.roleArn, typeVersionId: old.typeVersionId });
            progress(label, `deleted ${old.identifier}, which an earlier replacement could not delete`);
        } catch (error) {
            progress(label, `deleting ${old.identifier} (replaced earlier) failed again: ${messageOf(error)}`);
            left.push(old);
        }
    }
    return left;
}

/**
 * Replaces a resource Cloud Control cannot update in place (NotUpdatable: conditional create-only properties,
 * schemas that lag the service). The new resource is created first and the old one deleted after, unless the new
 * one would get the same identifier (the user sets it): then the old one is deleted first. The outputs describe the
 * new resource; the Pulumi id keeps the old value until the next refresh (an update cannot change it).
 */
async function replaceResource(
    client: CloudControlClient,
    id: string,
    olds: ProviderOutputs,
    news: ProviderInputs,
    schema: ResourceSchema,
    cause: CloudControlError,
): Promise<ProviderOutputs> {
    const label = resourceLabel(news);
    const oldIdentifier = olds.identifier || id;
    const oldRef = { typeName: olds.typeName, identifier: oldIdentifier, roleArn: olds.roleArn, typeVersionId: olds.typeVersionId };
    const why = cause.statusMessage ? `: ${cause.statusMessage}` : "";
    progress(label, `Cloud Control cannot update ${oldIdentifier} in place (NotUpdatable${why}); replacing it`);
    const purpose = `replace:${oldIdentifier}`;
    const collides = predictedIdentifier(news.desiredState, schema) === oldIdentifier;
    // What a failure below records must still carry the resources earlier replacements could not delete.
    const stillPending = olds.__pendingDelete?.length ? { __pendingDelete: olds.__pendingDelete } : {};

    if (collides) {
        progress(label, `the replacement keeps the identifier ${oldIdentifier}: deleting the old resource first`);
        await runDelete(client, oldRef, runOptions(olds, "delete", label));
        try {
            const live = await createResource(client, news, purpose, label, runOptions(news, "create", label));
            progress(label, `replaced ${oldIdentifier} (deleted, then created again) because Cloud Control rejected the update as NotUpdatable`);
            return outputsFor(news, live.identifier, live.properties, schema);
        } catch (error) {
            if (error instanceof PartialCreateError) {
                throw new ResourceStateError(
                    `${error.message}. The old resource was deleted first; Pulumi now tracks ${error.identifier}: fix the cause and run the deployment again`,
                    id,
                    { ...outputsFor(news, error.identifier, error.live.properties, schema), ...stillPending },
                    news,
                );
            }
            // Nothing is live any more: record an empty identifier so the next diff replaces and refresh drops it.
            throw new ResourceStateError(
                `${label}: the old resource ${oldIdentifier} was deleted to make room for its replacement, which could not be created: ${messageOf(error)}. Run the deployment again to create it`,
                id,
                { ...pickInputs(olds as unknown as Record<string, unknown>), identifier: "", properties: {}, ...stillPending },
                news,
            );
        }
    }

    let replacement;
    try {
        replacement = await createResource(client, news, purpose, label, runOptions(news, "create", label));
    } catch (error) {
        const failed = `${label}: ${oldIdentifier} needed a replacement (NotUpdatable), which could not be created: ${messageOf(error)}. The old resource is unchanged`;
        if (error instanceof PartialCreateError) {
            // The old resource is intact: remove the half-made replacement rather than orphan it.
            const halfMade: PendingDelete = { typeName: news.typeName, identifier: error.identifier, roleArn: news.roleArn, typeVersionId: news.typeVersionId };
            try {
                await runDelete(client, halfMade, runOptions(news, "delete", label));
            } catch (deleteError) {
                // Still live: keep it in state (with the old resource, which Pulumi goes on tracking) until deleted.
                throw new ResourceStateError(
                    `${failed}; deleting the half-made ${error.identifier} failed too: ${messageOf(deleteError)}. Deleting it is retried by the next update and by destroy`,
                    id,
                    { ...olds, __pendingDelete: [...(olds.__pendingDelete ?? []), halfMade] },
                    news,
                );
            }
        }
        throw new Error(failed);
    }
    const outs = outputsFor(news, replacement.identifier, replacement.properties, schema);
    try {
        await runDelete(client, oldRef, runOptions(olds, "delete", label));
    } catch (error) {
        throw new ResourceStateError(
            `${label}: replaced ${oldIdentifier} with ${replacement.identifier}, but deleting ${oldIdentifier} failed: ${messageOf(error)}. ` +
                `Pulumi now tracks ${replacement.identifier}; deleting ${oldIdentifier} is retried by the next update and by destroy`,
            id,
            { ...outs, __pendingDelete: [...(olds.__pendingDelete ?? []), oldRef] },
            news,
        );
    }
    progress(
        label,
        `replaced ${oldIdentifier} with ${replacement.identifier} because Cloud Control rejected the update as NotUpdatable; ` +
            `the Pulumi id stays ${id} until the next refresh (use the identifier output)`,
    );
    return outs;
}

/** DeleteResource and wait; a resource already gone counts as deleted. */
export async function remove(id: string, props: ProviderOutputs): Promise<void> {
    const identifier = props.identifier ?? id;
    const label = resourceLabel(props);
    const client = clientFor(props);
    const left = await deletePending(client, props.__pendingDelete, props, label);
    if (left.length) {
        throw new Error(`${label}: could not delete ${left.map((p) => p.identifier).join(", ")} (replaced earlier); delete ${left.length === 1 ? "it" : "them"} and run destroy again`);
    }
    if (!identifier) {
        return; // deleted during a failed replacement: nothing is live
    }
    const existed = await runDelete(client, { typeName: props.typeName, identifier }, runOptions(props, "delete", label));
    progress(label, existed ? `deleted ${identifier}` : `${identifier} was already gone`);
}

/**
 * GetResource; gone → empty id. Returns inputs reconciled with the live model (write-only values kept from the old
 * inputs, read-only ones only in outputs), so refresh shows real drift only and an import produces no diff after.
 */
export async function read(id: string, props: Partial<ProviderOutputs>): Promise<dynamic.ReadResult<ProviderOutputs>> {
    const label = resourceLabel(props);
    const identifier = props.identifier ?? id;
    if (!identifier || !props.typeName) {
        if (!props.typeName) {
            throw new Error(`${label}: cannot read ${id}: typeName is missing from the resource's inputs`);
        }
        return { id: "", props: {} as ProviderOutputs };
    }
    const client = clientFor(props);
    const live = await getResource(client, { typeName: props.typeName, identifier, roleArn: props.roleArn, typeVersionId: props.typeVersionId });
    if (!live) {
        progress(label, `${identifier} no longer exists`);
        return { id: "", props: {} as ProviderOutputs };
    }
    const schema = await schemaFor(props as ProviderInputs);
    const oldInputs = pickInputs(props as Record<string, unknown>);
    // With prior (or, for an import, the program's) inputs, only what they set is tracked (maps they set whole).
    const desiredState = reconcileInputs(oldInputs.desiredState, live.properties, schema);
    // Found where it was looked for: record that region (state from before regions were recorded, or an import).
    const region = regionOf(props);
    const inputs: ProviderInputs = { ...oldInputs, desiredState, ...(region ? { __region: region } : {}) };
    const outs = outputsFor(inputs, live.identifier, live.properties, schema);
    return { id: live.identifier, props: props.__pendingDelete?.length ? { ...outs, __pendingDelete: props.__pendingDelete } : outs, inputs: inputs as ProviderOutputs };
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

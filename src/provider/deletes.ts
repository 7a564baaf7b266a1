import type { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { runDelete } from "../cloudcontrol";
import type { RunOptions } from "../cloudcontrol/types";
import { messageOf, progress } from "./describe";
import { wasReturned } from "./returned";
import type { PendingDelete, ProviderOutputs } from "./types";

/** A resource to delete, as recorded: no `undefined` members (they could not be stored, see wire.ts). */
export function pendingDelete(from: { typeName: string; identifier: string; roleArn?: string; typeVersionId?: string }): PendingDelete {
    return {
        typeName: from.typeName,
        identifier: from.identifier,
        ...(from.roleArn ? { roleArn: from.roleArn } : {}),
        ...(from.typeVersionId ? { typeVersionId: from.typeVersionId } : {}),
    };
}

/** Outputs carrying `pending` as the resources still to delete (the member left out when there are none). */
export function withPendingDeletes(outs: ProviderOutputs, pending: readonly PendingDelete[]): ProviderOutputs {
    const { __pendingDelete: _old, ...rest } = outs;
    return pending.length ? { ...rest, __pendingDelete: [...pending] } : rest;
}

/** What a delete did: deleted it, found it gone already, or kept it (see {@link deleteResource}). */
export type DeleteOutcome = "deleted" | "gone" | "kept";

/**
 * DeleteResource and wait, with the role and type version the resource was recorded with; a resource already gone
 * counts as deleted. A resource a create of this process returned is kept, not deleted (see returned.ts): the
 * stack tracks it under its new state, so the request can only come from an older record of the same resource
 * (a replacement that was handed back the resource it replaces), and dropping that record is all there is to do.
 */
export async function deleteResource(
    client: CloudControlClient,
    target: PendingDelete,
    region: string | undefined,
    options: RunOptions,
    label: string,
): Promise<DeleteOutcome> {
    if (wasReturned(target.typeName, target.identifier, region)) {
        progress(
            label,
            `not deleting ${target.identifier}: a create in this deployment returned that resource, so the stack tracks it; only the older record of it is dropped`,
        );
        return "kept";
    }
    const { action } = await runDelete(
        client,
        { typeName: target.typeName, identifier: target.identifier },
        { ...options, roleArn: target.roleArn, typeVersionId: target.typeVersionId },
    );
    return action === "deleted" ? "deleted" : "gone";
}

/** Retries deleting resources an earlier replacement could not delete; returns those still not deleted. */
export async function retryPendingDeletes(
    client: CloudControlClient,
    pending: readonly PendingDelete[] | undefined,
    region: string | undefined,
    options: RunOptions,
    label: string,
): Promise<PendingDelete[]> {
    const left: PendingDelete[] = [];
    for (const old of pending ?? []) {
        try {
            if ((await deleteResource(client, old, region, options, label)) !== "kept")
                progress(label, `deleted ${old.identifier}, which an earlier replacement could not delete`);
        } catch (error) {
            progress(label, `deleting ${old.identifier} (replaced earlier) failed again: ${messageOf(error)}`);
            left.push(old);
        }
    }
    return left;
}

import { GetResourceRequestStatusCommand, type CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { CloudControlError, getResource, runCreate } from "../cloudcontrol";
import type { LiveResource, RunOptions } from "../cloudcontrol/types";
import { createClientToken } from "./client-token";
import { progress } from "./describe";
import type { ProviderInputs } from "./types";

/** How many derived tokens a create tries when earlier identical requests (replayed by their token) had ended. */
const MAX_TOKEN_ATTEMPTS = 6;
/**
 * A replayed request was initiated (its EventTime) before we sent ours, a fresh one after. Our send time is taken
 * on the service's clock as the SDK estimates it from Date headers; that estimate runs up to a second early (the
 * header has whole seconds), which only makes the test more conservative, and the margin absorbs jitter. A
 * misjudgement costs at most an extra request, never a second resource: a "replayed" success is only given up when
 * its resource is gone.
 */
const REPLAY_MARGIN_MS = 1_000;
/** Pause before a second GetResource when a create that looks fresh reports a resource GetResource cannot find. */
const FRESH_READ_RETRY_MS = 1_000;

/** A create that failed after Cloud Control assigned an identifier to a resource that still exists. */
export class PartialCreateError extends Error {
    constructor(
        message: string,
        readonly identifier: string,
        readonly live: LiveResource,
        readonly cause: unknown,
    ) {
        super(message);
        this.name = "PartialCreateError";
    }
}

/**
 * Creates a resource and returns its live model, never making a second resource for one logical create:
 * the ClientToken is derived from the resource's identity and desired state (see createClientToken), so a run
 * killed after CreateResource was accepted gets the same request back when re-run, and the resource it made is
 * adopted. When the replayed request had ended long ago and its resource is gone (or it had failed), the next
 * derived token is tried, so a deliberate re-create after a destroy still works.
 */
export async function createResource(
    client: CloudControlClient,
    inputs: ProviderInputs,
    purpose: string,
    label: string,
    options: RunOptions,
): Promise<LiveResource> {
    const ref = { typeName: inputs.typeName, roleArn: inputs.roleArn, typeVersionId: inputs.typeVersionId };
    for (let attempt = 0; attempt < MAX_TOKEN_ATTEMPTS; attempt++) {
        const clientToken = createClientToken(inputs, purpose, attempt);
        const sentAt = clientNow(client);
        let created: Awaited<ReturnType<typeof runCreate>>;
        try {
            created = await runCreate(client, { typeName: inputs.typeName, desiredState: inputs.desiredState, clientToken }, options);
        } catch (error) {
            if (!(error instanceof CloudControlError)) {
                throw error;
            }
            // An unreadable leftover is recorded too (refresh drops it if it turns out gone): never orphan one.
            const leftover = error.identifier
                ? await getResource(client, { ...ref, identifier: error.identifier }).catch(() => ({ identifier: error.identifier!, properties: {} }))
                : undefined;
            if (leftover) {
                throw new PartialCreateError(
                    `${label}: Cloud Control created ${leftover.identifier} but the create failed: ${error.message}`,
                    leftover.identifier,
                    leftover,
                    error,
                );
            }
            if (error.outcome !== "timeout" && (await startedBefore(client, error.requestToken, error.event?.EventTime, sentAt))) {
                progress(label, "an earlier create with the same idempotency token had failed; creating with a new token");
                continue;
            }
            throw error;
        }
        let live: LiveResource | undefined;
        try {
            live = await getResource(client, { ...ref, identifier: created.identifier });
            if (!live && !(await startedBefore(client, created.event.RequestToken, created.event.EventTime, sentAt))) {
                // Seemingly fresh: give a read-after-create a moment before concluding it was a replay.
                await new Promise((resolve) => setTimeout(resolve, FRESH_READ_RETRY_MS));
                live = await getResource(client, { ...ref, identifier: created.identifier });
            }
        } catch (error) {
            // The resource exists but could not be read: it must still reach the state, or it is orphaned.
            throw new PartialCreateError(
                `${label}: Cloud Control created ${created.identifier} but reading it back failed: ${error instanceof Error ? error.message : String(error)}`,
                created.identifier,
                { identifier: created.identifier, properties: {} },
                error,
            );
        }
        if (live) {
            return live;
        }
        // The request was a replay of an earlier identical create whose resource has since been deleted.
        progress(label, `the resource an earlier identical create made (${created.identifier}) no longer exists; creating a new one`);
    }
    throw new Error(`${label}: ${MAX_TOKEN_ATTEMPTS} idempotency tokens in a row replayed earlier requests; wait a few minutes and run the deployment again`);
}

/** Now, on the clock Cloud Control uses (the SDK's measured clock offset applied). */
function clientNow(client: CloudControlClient): number {
    const offset = (client.config as { systemClockOffset?: number }).systemClockOffset;
    return Date.now() + (typeof offset === "number" ? offset : 0);
}

/** Whether the request was initiated before we sent ours: then it is a replay of an earlier request with the same token. */
async function startedBefore(client: CloudControlClient, requestToken: string | undefined, eventTime: Date | undefined, sentAt: number): Promise<boolean> {
    let time = eventTime;
    if (!time && requestToken) {
        try {
            const status = await client.send(new GetResourceRequestStatusCommand({ RequestToken: requestToken }));
            time = status.ProgressEvent?.EventTime;
        } catch {
            return false;
        }
    }
    return time !== undefined && time.getTime() < sentAt - REPLAY_MARGIN_MS;
}

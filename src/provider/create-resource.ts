import type { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { CloudControlError, getRequestStatus, getResource, runCreate } from "../cloudcontrol";
import { systemClock } from "../cloudcontrol/clock";
import { retry, serverNow } from "../cloudcontrol/retry";
import type { LiveResource, RunOptions, RunResult } from "../cloudcontrol/types";
import { createClientToken } from "./client-token";
import { progress } from "./describe";
import type { ProviderInputs } from "./types";

/** How many derived tokens a create tries when earlier identical requests (replayed by their token) had ended. */
const MAX_TOKEN_ATTEMPTS = 6;
/**
 * A replayed request was initiated (its EventTime) before we sent ours, a fresh one after. Our send time is taken
 * on the service's clock (serverNow: ours, corrected by a real skew the SDK measured); the margin absorbs the
 * Date header's whole seconds and jitter. A misjudgement costs at most an extra request, never a second resource: a
 * "replayed" success is only given up when its resource is gone.
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
    // One attempt per derived token; an attempt that finds it replayed an ended request tries the next token.
    return retry((n) => createWithToken(client, inputs, createClientToken(inputs, purpose, n - 1), label, options), {
        maxAttempts: MAX_TOKEN_ATTEMPTS,
        retryable: (error) => error instanceof Replayed,
        delay: () => 0,
        onRetry: (error) => progress(label, (error as Replayed).message),
        giveUp: (error, reason) =>
            reason === "attempts" ? new Error(`${label}: ${MAX_TOKEN_ATTEMPTS} idempotency tokens in a row replayed earlier requests; wait a few minutes and run the deployment again`) : error,
    });
}

/** The request a token brought back was an earlier one that had ended: the next token must be tried. */
class Replayed extends Error {}

/** One create with one ClientToken: the live resource, or Replayed, or the failure (partial when a resource exists). */
async function createWithToken(client: CloudControlClient, inputs: ProviderInputs, clientToken: string, label: string, options: RunOptions): Promise<LiveResource> {
    const ref = { typeName: inputs.typeName, roleArn: inputs.roleArn, typeVersionId: inputs.typeVersionId };
    const sentAt = serverNow(client);
    let created: RunResult;
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
            throw new PartialCreateError(`${label}: Cloud Control created ${leftover.identifier} but the create failed: ${error.message}`, leftover.identifier, leftover, error);
        }
        if (error.outcome !== "timeout" && (await startedBefore(client, error.requestToken, error.event?.EventTime, sentAt))) {
            throw new Replayed("an earlier create with the same idempotency token had failed; creating with a new token");
        }
        throw error;
    }
    let live: LiveResource | undefined;
    try {
        live = await getResource(client, { ...ref, identifier: created.identifier });
        if (!live && !(await startedBefore(client, created.event?.RequestToken, created.event?.EventTime, sentAt))) {
            // Seemingly fresh: give a read-after-create a moment before concluding it was a replay.
            await systemClock.sleep(FRESH_READ_RETRY_MS);
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
    throw new Replayed(`the resource an earlier identical create made (${created.identifier}) no longer exists; creating a new one`);
}

/** Whether the request was initiated before we sent ours: then it is a replay of an earlier request with the same token. */
async function startedBefore(client: CloudControlClient, requestToken: string | undefined, eventTime: Date | undefined, sentAt: number): Promise<boolean> {
    let time = eventTime;
    if (!time && requestToken) {
        time = (await getRequestStatus(client, requestToken).catch(() => undefined))?.EventTime;
    }
    return time !== undefined && time.getTime() < sentAt - REPLAY_MARGIN_MS;
}

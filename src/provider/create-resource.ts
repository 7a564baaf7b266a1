import { randomUUID } from "crypto";
import type { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { CloudControlError, getRequestStatus, getResource, runCreate } from "../cloudcontrol";
import type { LiveResource, RunOptions } from "../cloudcontrol/types";
import type { ResourceSchema } from "../schema/types";
import { messageOf, progress } from "./describe";
import { journalFor, unrecoverable, type CreateJournal, type JournalEntry } from "./journal";
import { predictedIdentifier } from "./live-model";
import { propertyPath } from "./paths";
import type { ProviderInputs } from "./types";

/** Pause before a second GetResource when a fresh create reports a resource GetResource cannot find yet. */
const FRESH_READ_RETRY_MS = 1_000;

/** A create that failed after Cloud Control made the resource (this request made it: it is ours to record). */
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

/** What a create needs besides the inputs. */
export interface CreateContext {
    client: CloudControlClient;
    schema: ResourceSchema;
    label: string;
    region: string | undefined;
    options: RunOptions;
}

/** Options of {@link createResource}. */
export interface CreateOptions {
    /**
     * Leave the journal entry of a create that made a resource (it succeeded, or threw {@link PartialCreateError})
     * for the caller to clear with {@link settleCreate}, once the resource is in what it reports to Pulumi: for a
     * caller with more to do before it reports (a replacement inside an update deletes the old resource first).
     */
    keepJournal?: boolean;
}

/**
 * Creates a resource and returns its live model. It never hands back a resource the stack may already track:
 * every create sends a fresh ClientToken, except when the create journal (journal.ts) shows that an earlier run
 * started this resource's create and never reported it — then that request is asked for again and the resource it
 * made (unreported, so untracked) is adopted. When that cannot be done safely, a new resource is created and the
 * earlier request is named in a warning: a possible duplicate, reported, rather than a resource claimed by mistake.
 *
 * A failure is a {@link PartialCreateError} only when this create's request made the resource; AlreadyExists (the
 * identifier belongs to a resource this deployment did not create) is a plain error that suggests `importId`.
 *
 * The journal entry is cleared only when the outcome is known: the resource is handed to the caller (with
 * `keepJournal`: once the caller settles it), or the request ended having made nothing. A create whose outcome is
 * unknown (a timeout whose cancel was not confirmed, a network or credential failure, an abort) keeps it, so the
 * next run asks for that request again instead of leaving what it may still make untracked.
 */
export async function createResource(inputs: ProviderInputs, ctx: CreateContext, options: CreateOptions = {}): Promise<LiveResource> {
    const journal = journalFor(inputs.__identity);
    const earlier = journal?.read();
    let made = false;
    try {
        const recovered = earlier ? await recover(inputs, ctx, journal!, earlier) : undefined;
        const live = recovered ?? (await createWithToken(inputs, ctx, journal, randomUUID()))!;
        made = true;
        return live;
    } catch (error) {
        // A partial create goes into the state too; any other failure cleared the entry if it made nothing.
        made = error instanceof PartialCreateError;
        throw error;
    } finally {
        if (made && !options.keepJournal) journal?.clear();
    }
}

/**
 * Clears the journal entry a {@link createResource} with `keepJournal` left: call it just before the resource that
 * create made is reported to Pulumi (returned, or carried by a ResourceStateError), or once it is deleted.
 */
export function settleCreate(inputs: ProviderInputs): void {
    journalFor(inputs.__identity)?.clear();
}

/** Asks again for the create an earlier run left unreported; undefined when a new resource must be created. */
async function recover(
    inputs: ProviderInputs,
    ctx: CreateContext,
    journal: CreateJournal,
    earlier: JournalEntry,
): Promise<LiveResource | undefined> {
    const why = unrecoverable(earlier, inputs.typeName, ctx.region);
    if (why) {
        await warnPossibleDuplicate(ctx, earlier, why);
        return undefined;
    }
    progress(
        ctx.label,
        `an earlier run started creating this resource and was stopped before reporting it (${describeEarlier(earlier)}); asking Cloud Control for that request instead of creating another`,
    );
    try {
        const live = await createWithToken(inputs, ctx, journal, earlier.clientToken, earlier);
        if (live) {
            progress(ctx.label, `${live.identifier} was made by the earlier run's request; Pulumi now tracks it`);
            return live;
        }
        progress(ctx.label, "the resource the earlier run's request made no longer exists; creating a new one");
        return undefined;
    } catch (error) {
        if (error instanceof CloudControlError && /^ClientTokenConflict/.test(error.errorCode ?? "")) {
            await warnPossibleDuplicate(ctx, earlier, "its request had other inputs (the program changed since)");
            return undefined;
        }
        throw error;
    }
}

/**
 * One create with the given base token, recorded in the journal while it runs. Returns undefined only when
 * recovering and the replayed request's resource is gone.
 */
async function createWithToken(
    inputs: ProviderInputs,
    ctx: CreateContext,
    journal: CreateJournal | undefined,
    clientToken: string,
    recovering?: JournalEntry,
): Promise<LiveResource | undefined> {
    const ref = { typeName: inputs.typeName, roleArn: inputs.roleArn, typeVersionId: inputs.typeVersionId };
    const named = inputs.__autonamed ? inputs.desiredState[inputs.__autonamed] : undefined;
    const autoname = typeof named === "string" ? { property: inputs.__autonamed!, value: named } : undefined;
    journal?.start({
        clientToken,
        typeName: inputs.typeName,
        region: ctx.region,
        ...(autoname ? { autoname } : {}),
        ...(recovering ? { startedAt: recovering.startedAt, requestTokens: recovering.requestTokens } : {}),
    });
    const onProgress = ctx.options.onProgress;
    let created: Awaited<ReturnType<typeof runCreate>>;
    try {
        created = await runCreate(
            ctx.client,
            { typeName: inputs.typeName, desiredState: inputs.desiredState, clientToken },
            {
                ...ctx.options,
                onProgress: (event, hooks) => {
                    if (event.RequestToken) journal?.sawRequest(event.RequestToken);
                    onProgress?.(event, hooks);
                },
            },
        );
    } catch (error) {
        const failure = await failureOf(error, inputs, ctx);
        // Nothing left to find again: a re-run must not replay a request that made nothing.
        if (!(failure instanceof PartialCreateError) && createdNothing(error)) journal?.clear();
        throw failure;
    }
    let live: LiveResource | undefined;
    try {
        live = await getResource(ctx.client, { ...ref, identifier: created.identifier });
        if (!live && !recovering) {
            // A read right after a create may not see it yet.
            await new Promise((resolve) => setTimeout(resolve, FRESH_READ_RETRY_MS));
            live = await getResource(ctx.client, { ...ref, identifier: created.identifier });
        }
    } catch (error) {
        // The resource exists but could not be read: it must still reach the state, or it is orphaned.
        throw new PartialCreateError(
            `${ctx.label}: Cloud Control created ${created.identifier} but reading it back failed: ${messageOf(error)}`,
            created.identifier,
            { identifier: created.identifier, properties: {} },
            error,
        );
    }
    if (!live && !recovering) {
        throw new PartialCreateError(
            `${ctx.label}: Cloud Control reported ${created.identifier} created (request ${created.event?.RequestToken}), but GetResource does not find it`,
            created.identifier,
            { identifier: created.identifier, properties: {} },
            undefined,
        );
    }
    return live;
}

/** Start-call refusals: Cloud Control took no request for the token (it replays a token it knows instead). */
const REFUSED_AT_START: ReadonlySet<string> = new Set([
    "AlreadyExistsException",
    "TypeNotFoundException",
    "ValidationException",
    "InvalidRequestException",
    "UnsupportedActionException",
]);

/**
 * Whether a failed create's request is known to have made nothing: it ended FAILED (a resource it named and made
 * is a partial create instead) or CANCEL_COMPLETE, or Cloud Control refused to start it. Timeouts whose cancel was
 * not confirmed, aborts, network and credential failures are unknown: the request may still make the resource.
 */
function createdNothing(error: unknown): boolean {
    if (!(error instanceof CloudControlError)) return false;
    if (error.lastStatus === "FAILED" || error.lastStatus === "CANCEL_COMPLETE") return true;
    return error.requestToken === undefined && REFUSED_AT_START.has(error.errorCode ?? "");
}

/** The error a failed create reports: a partial create only for a resource this request made. */
async function failureOf(error: unknown, inputs: ProviderInputs, ctx: CreateContext): Promise<unknown> {
    if (!(error instanceof CloudControlError)) return error;
    // Some handlers report a name collision with another code (GeneralServiceException "... already exists"): a
    // resource named in such a failure is not this request's, so it is never claimed.
    if (/^AlreadyExists/.test(error.errorCode ?? "") || /\balready exists\b/i.test(error.statusMessage ?? "")) {
        return new Error(alreadyExistsMessage(ctx, error.identifier ?? predictedIdentifier(inputs.desiredState, ctx.schema), error));
    }
    if (!error.identifier) return error;
    // The handler got as far as naming the resource (it creates only what does not exist yet: AlreadyExists
    // otherwise), so a resource with that identifier is this request's. An unreadable one is recorded too
    // (refresh drops it if it turns out gone): never orphan one.
    const ref = { typeName: inputs.typeName, identifier: error.identifier, roleArn: inputs.roleArn, typeVersionId: inputs.typeVersionId };
    const leftover = await getResource(ctx.client, ref).catch(() => ({ identifier: error.identifier!, properties: {} }));
    if (!leftover) return error;
    return new PartialCreateError(
        `${ctx.label}: Cloud Control created ${leftover.identifier} but the create failed: ${error.message}`,
        leftover.identifier,
        leftover,
        error,
    );
}

function alreadyExistsMessage(ctx: CreateContext, identifier: string | undefined, error: CloudControlError): string {
    const names = ctx.schema.primaryIdentifier.map((p) => propertyPath(p)).join(", ") || "primary identifier";
    const which = identifier ? `${identifier} already exists` : "a resource with the same identifier already exists";
    return (
        `${ctx.label}: ${which}, and this deployment did not create it, so it is not taken over. ` +
        `To manage that resource with this stack, set importId: ${JSON.stringify(identifier ?? "<its identifier>")} in the resource's arguments; to create another one, change ${names}. ` +
        `If this is a replacement of a resource whose ${names} you set, the old resource still holds the identifier: replace it delete-first (resource option deleteBeforeReplace: true) or give the new one another name. ` +
        `(Cloud Control: ${error.errorCode ?? "AlreadyExists"}${error.requestToken ? `, request ${error.requestToken}` : ""}${error.statusMessage ? `: ${error.statusMessage}` : ""})`
    );
}

function describeEarlier(earlier: JournalEntry): string {
    const requests = earlier.requestTokens.length ? `, request ${earlier.requestTokens.join(", ")}` : ", no request token seen";
    return `ClientToken ${earlier.clientToken}${requests}, started ${earlier.startedAt}`;
}

/** Says that an unreported earlier create may have made a resource this stack does not track (then a new one is made). */
async function warnPossibleDuplicate(ctx: CreateContext, earlier: JournalEntry, why: string): Promise<void> {
    let made = "may have made a resource";
    const last = earlier.requestTokens[earlier.requestTokens.length - 1];
    if (last) {
        try {
            const event = await getRequestStatus(ctx.client, last);
            if (event?.Identifier) made = `made ${event.Identifier} (request ${event.OperationStatus ?? "status unknown"})`;
        } catch {
            // Expired or unreachable: say what is known.
        }
    }
    progress(
        ctx.label,
        `warning: an earlier run started creating this resource and was stopped before reporting it (${describeEarlier(earlier)}), and that request cannot be used now: ${why}. ` +
            `It ${made}, which this stack does not track: delete it, or adopt it with importId. Creating a new resource.`,
    );
}

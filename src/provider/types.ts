import type { RegistrySchema } from "../schema/types";

/** Per-operation deadlines: seconds, or a duration string such as "90s", "30m", "1h30m". */
export interface Timeouts {
    /** Seconds, or a duration such as "30m" (see CloudControlTimeouts). */
    create?: number | string;
    /** Seconds, or a duration. */
    update?: number | string;
    /** Seconds, or a duration. */
    delete?: number | string;
}

/**
 * Who a resource is, as `CloudControlResource` passes it: the key of the create journal (see journal.ts), so a
 * re-run after a crash finds the create the crashed run started and never reported.
 */
export interface ResourceIdentity {
    /** The Pulumi project's name. */
    project: string;
    /** The stack's name. */
    stack: string;
    /** The resource's Pulumi name (the `name` argument of its constructor). */
    name: string;
    /** URN of the parent resource, when there is one (names are unique per parent). */
    parent?: string;
    /** The Pulumi organization, when the program knows it (for `${organization}` in autonaming patterns; not part of the journal key). */
    organization?: string;
}

/** The inputs the provider receives (plain values: Pulumi resolved the `Input`s). */
export interface ProviderInputs {
    typeName: string;
    desiredState: Record<string, unknown>;
    roleArn?: string;
    typeVersionId?: string;
    region?: string;
    timeouts?: Timeouts;
    /** Registry schema document (object or JSON string) overriding the DescribeType lookup. */
    schema?: RegistrySchema | string;
    /**
     * Primary identifier of an existing resource to adopt instead of creating one (read, then brought to
     * `desiredState` with one UpdateResource). Only the create reads it: changing or removing it later changes nothing.
     */
    importId?: string;
    /** JSON pointers into `desiredState` whose change forces a replacement (reported by diff in `replaces`). */
    replaceOnChanges?: string[];
    /**
     * Opt-in: when Cloud Control answers an update with NotUpdatable, replace the resource inside that update
     * (bypassing protect, retainOnDelete and dependents). Default: the update fails and the next diff plans a
     * replacement that the Pulumi engine carries out.
     */
    replaceOnNotUpdatable?: boolean;
    /** Set by `CloudControlResource`; keys the create journal. */
    __identity?: ResourceIdentity;
    /**
     * Set by `check`: the region the inputs resolve to (`region`, else stack config `aws:region`, else the
     * environment); create, update and read record the client's own region (one the SDK took from the AWS profile
     * included). Recorded in the outputs, it is where read, update and delete look for the resource even after the
     * stack's region changes (diff then plans a replacement). Ignored by the value comparison.
     */
    __region?: string;
    /**
     * Set by `check`: the name property (e.g. "LogGroupName") whose value in `desiredState` autonaming made, so
     * later checks keep that name (see autoname-check.ts). Ignored by the value comparison.
     */
    __autonamed?: string;
    /**
     * Set by `check`: the default tags (stack config `aws:defaultTags`) merged into `desiredState`'s tags. A type
     * whose tags cannot change in place keeps these until it is replaced. Ignored by the value comparison.
     */
    __defaultTags?: Record<string, string>;
}

/** The outputs the provider records: the inputs plus what Cloud Control says about the live resource. */
export interface ProviderOutputs extends ProviderInputs {
    /** Cloud Control primary identifier of the live resource (may differ from the Pulumi id after a replacement inside an update). */
    identifier: string;
    /** The live resource model from GetResource, with write-only values kept from `desiredState`. */
    properties: Record<string, unknown>;
    /**
     * JSON pointers Cloud Control refused to update in place (NotUpdatable) although the schema does not mark them
     * create-only: recorded by the failed update, treated as create-only by the next diff (which then plans a
     * replacement while they still differ).
     */
    __notUpdatable?: string[];
    /**
     * Resources a replacement inside an update (`replaceOnNotUpdatable`) could not delete: retried by the next
     * update and by delete, so they are never forgotten.
     */
    __pendingDelete?: PendingDelete[];
    /**
     * Set when the resource these outputs describe was deleted by a delete-first replacement inside an update whose
     * new resource could not be created: nothing is live, diff plans a replacement (a create) and refresh drops it.
     */
    __gone?: true;
}

/** A resource to delete later, with what it was created with. */
export interface PendingDelete {
    typeName: string;
    identifier: string;
    roleArn?: string;
    typeVersionId?: string;
}

import type { RegistrySchema } from "../schema/types";

/** Per-operation deadlines: seconds, or a duration string such as "90s", "30m", "1h30m". */
export interface Timeouts {
    create?: number | string;
    update?: number | string;
    delete?: number | string;
}

/**
 * Who a resource is, as `CloudControlResource` passes it: the create request's idempotency token is derived
 * from it, so a re-run after a crash sends the same token and gets the same request back.
 */
export interface ResourceIdentity {
    project: string;
    stack: string;
    name: string;
    /** URN of the parent resource, when there is one (names are unique per parent). */
    parent?: string;
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
    /** Set by `CloudControlResource`; feeds the create idempotency token. */
    __identity?: ResourceIdentity;
    /**
     * Set by `check`: 0 for a resource without prior state, else one more than the prior inputs' value. It keeps a
     * deliberate replacement (same inputs) from reusing the previous create's idempotency token. Ignored by diff.
     */
    __generation?: number;
    /**
     * Set by `check`: the region the inputs resolve to (`region`, else stack config `aws:region`, else the
     * environment). Recorded in the outputs, it is where read, update and delete look for the resource even after
     * the stack's region changes (diff then plans a replacement). Ignored by the value comparison.
     */
    __region?: string;
}

/** The outputs the provider records: the inputs plus what Cloud Control says about the live resource. */
export interface ProviderOutputs extends ProviderInputs {
    /** Cloud Control primary identifier of the live resource (may differ from the Pulumi id after a self-replacement). */
    identifier: string;
    /** The live resource model from GetResource, with write-only values kept from `desiredState`. */
    properties: Record<string, unknown>;
    /**
     * Resources this one replaced (NotUpdatable) whose deletion failed: retried by the next update and by delete,
     * so they are never forgotten.
     */
    __pendingDelete?: PendingDelete[];
}

/** A replaced resource still to be deleted. */
export interface PendingDelete {
    typeName: string;
    identifier: string;
    roleArn?: string;
    typeVersionId?: string;
}

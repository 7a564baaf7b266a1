/**
 * What the provider hands to Pulumi's dynamic-provider host. The host converts results and error properties with
 * `Struct.fromJavaScript`, which throws on `undefined`; for an error that throw happens inside the host's own error
 * handler, so the RPC is never answered and `pulumi up` waits forever (the engine sets no deadline on Update).
 * Everything the provider returns or throws with properties goes through here.
 */

/**
 * A JSON copy of `value`: object members that are `undefined` are dropped, array items that are `undefined` become
 * `null` (what JSON.stringify does), so the result always converts to a protobuf Struct.
 */
export function plainJson<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * An error the dynamic-provider host reports as a partial failure: it carries the resource id and the outputs to
 * record, so Pulumi keeps the resource in state (a failed create still tracked, or a failed update with what it
 * learned). The host adds `__provider` to a result's outputs but not to an error's, and without it the recorded
 * resource could not be read or deleted later: it is copied from the request's inputs.
 */
export class ResourceStateError extends Error {
    readonly properties: Record<string, unknown>;
    constructor(
        message: string,
        readonly id: string,
        properties: object,
        inputs: { __provider?: unknown } | object,
    ) {
        super(message);
        this.name = "ResourceStateError";
        this.properties = plainJson({ ...properties, __provider: (inputs as { __provider?: unknown }).__provider });
    }
    /** Read by the dynamic-provider host (the resource's init errors). */
    get reasons(): string[] {
        return [this.message];
    }
}

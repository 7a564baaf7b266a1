import { createHash, randomUUID } from "crypto";
import type { ProviderInputs } from "./types";

/**
 * Canonical JSON: object keys sorted, so the same desired state always hashes the same whatever the key order.
 */
export function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonicalJson).join(",")}]`;
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.keys(value as object)
            .sort()
            .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
            .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
        return `{${entries.join(",")}}`;
    }
    return JSON.stringify(value) ?? "null";
}

/**
 * The ClientToken of a create request. It is derived from the resource's identity (project, stack, name), its type,
 * its desired state, its create generation and a purpose/attempt tag, so a run that was killed after Cloud Control
 * accepted the request sends the same token when re-run and gets the same request back instead of creating a second
 * resource. Cloud Control accepts `[-A-Za-z0-9+/=]{1,128}`; a hex SHA-256 fits.
 *
 * Without an identity (the provider used without `CloudControlResource`) two resources with the same desired state
 * would share a token and so one resource: the token is random then, and crash safety is lost.
 */
export function createClientToken(inputs: ProviderInputs, purpose: string, attempt = 0): string {
    const identity = inputs.__identity;
    if (!identity || typeof identity.name !== "string") {
        return randomUUID();
    }
    const material = canonicalJson({
        v: 1,
        identity: [identity.project, identity.stack, identity.parent ?? "", identity.name],
        typeName: inputs.typeName,
        typeVersionId: inputs.typeVersionId ?? null,
        // Part of the request: the same token with another role would be a ClientTokenConflict.
        roleArn: inputs.roleArn ?? null,
        region: inputs.region ?? null,
        desiredState: inputs.desiredState,
        generation: inputs.__generation ?? 0,
        purpose,
        attempt,
    });
    return createHash("sha256").update(material).digest("hex");
}

/**
 * What tells AWS credentials apart in cache keys, never a secret: the access key id of static credentials, else one
 * number per credentials object or provider function (another account may see other resources and private types).
 */
import { createHash } from "crypto";

const ids = new WeakMap<object, number>();
let nextId = 1;

/** `key:<access key id>`, `provider:<n>`, or "" without credentials. */
export function credentialIdentity(credentials: object | undefined): string {
    if (credentials === undefined) return "";
    const keyId = (credentials as { accessKeyId?: unknown }).accessKeyId;
    if (typeof credentials === "object" && typeof keyId === "string") return `key:${keyId}`;
    let id = ids.get(credentials);
    if (id === undefined) ids.set(credentials, (id = nextId++));
    return `provider:${id}`;
}

/**
 * A short one-way digest of static credentials' secret and session token ("" for anything else): a client cache
 * keyed by the access key id alone would hand a corrected secret or a new session the client built with the old one.
 */
export function secretDigest(credentials: object | undefined): string {
    if (credentials === undefined || typeof credentials !== "object") return "";
    const { secretAccessKey, sessionToken } = credentials as Record<string, unknown>;
    return createHash("sha256")
        .update(JSON.stringify([secretAccessKey ?? null, sessionToken ?? null]))
        .digest("hex")
        .slice(0, 12);
}

/**
 * What tells AWS credentials apart in a cache key, never a secret: the access key id of static credentials, else one
 * number per credentials object or provider function (another account may see other resources and private types).
 */
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

/**
 * Property values as they travel between the Pulumi runtime and the engine: secrets are wrapped in a signature
 * object, unknowns are a sentinel string. The engine strips secrets before calling a provider that does not accept
 * them (the dynamic-provider host does not) and re-marks outputs that share a top-level key with a secret input.
 */
import { UNKNOWN_VALUE } from "../provider-host";

export { UNKNOWN_VALUE };
/** Key of the signature member of wrapped values. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a secret value: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Props = Record<string, unknown>;

function isSecretWrapper(v: unknown): v is { value: unknown } {
    return v !== null && typeof v === "object" && (v as Props)[SIG_KEY] === SECRET_SIG;
}

function unwrap(v: unknown): { value: unknown; secret: boolean } {
    if (isSecretWrapper(v)) return { value: unwrap(v.value).value, secret: true };
    if (Array.isArray(v)) {
        let secret = false;
        const value = v.map((x) => {
            const r = unwrap(x);
            secret ||= r.secret;
            return r.value;
        });
        return { value, secret };
    }
    if (v !== null && typeof v === "object") {
        let secret = false;
        const value: Props = {};
        for (const [k, x] of Object.entries(v)) {
            const r = unwrap(x);
            secret ||= r.secret;
            value[k] = r.value;
        }
        return { value, secret };
    }
    return { value: v, secret: false };
}

/** Removes secret wrappers; returns the plain properties and the top-level keys that held a secret anywhere. */
export function stripSecrets(props: Props): { plain: Props; secretKeys: string[] } {
    const plain: Props = {};
    const secretKeys: string[] = [];
    for (const [k, v] of Object.entries(props)) {
        const r = unwrap(v);
        plain[k] = r.value;
        if (r.secret) secretKeys.push(k);
    }
    return { plain, secretKeys };
}

/** Wraps the given top-level keys as secrets (wire format), leaving the rest as is. */
export function markSecrets(props: Props, secretKeys: readonly string[]): Props {
    const out: Props = { ...props };
    for (const k of secretKeys) if (k in out && !isSecretWrapper(out[k])) out[k] = { [SIG_KEY]: SECRET_SIG, value: out[k] };
    return out;
}

/** Whether a resource type is a Pulumi dynamic resource (served by the dynamic-provider host). */
export function isDynamicType(type: string): boolean {
    return type.startsWith("pulumi-nodejs:dynamic");
}

/** Stable JSON for comparisons (sorted keys). */
export function stableJson(v: unknown): string {
    return JSON.stringify(v, (_k, x) =>
        x !== null && typeof x === "object" && !Array.isArray(x)
            ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
            : x,
    );
}

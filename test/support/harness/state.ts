/**
 * The deployment's state: a JSON file carried between runs, like the engine's checkpoint. Written atomically after
 * every step, so a run killed half way leaves what it finished (and the operations it had in flight) on disk.
 * Secret values are stored encrypted (AES-256-GCM with a key derived from a passphrase) — a stand-in for Pulumi's
 * passphrase secrets provider, so that no secret is ever written in clear text.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { SIG_KEY, SECRET_SIG } from "./wire";

type Props = Record<string, unknown>;

/** One resource in state. */
export interface StateResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** Provider-assigned id ("" for components). */
    id: string;
    /** Checked inputs (what the next Diff/Update compares against), secrets in clear in memory. */
    inputs: Props;
    /** Outputs of the last Create/Update/Read. */
    outputs: Props;
    /** URNs this resource depends on (explicit and through its inputs). */
    dependencies: string[];
    parent?: string;
    /** Top-level keys holding secrets (encrypted on disk). */
    secretKeys: string[];
    /** Set on the old copy of a resource replaced create-before-delete, until that copy is deleted (the engine's `delete`). */
    pendingDelete?: boolean;
    /** Set on a resource deleted by a delete-before-replace whose replacement is not created yet. */
    pendingReplacement?: boolean;
    /** Reasons of a partial create or update (the resource exists but failed to initialize). */
    initErrors?: string[];
    /** The `protect` option: the engine refuses to delete or replace it. */
    protect?: boolean;
    /** The `retainOnDelete` option: deleting it only removes it from the state. */
    retainOnDelete?: boolean;
    /** The `deletedWith` option: no Delete call when that resource is deleted in the same run. */
    deletedWith?: string;
    /** The `import` option's id, as the engine records it (ImportID). */
    importId?: string;
    /** `pulumi state taint`: the next up replaces it. */
    taint?: boolean;
    /** The `replacementTrigger` option's last value. */
    replacementTrigger?: unknown;
}

/** An operation in flight when the state was written: left behind if the run died. */
export interface PendingOperation {
    urn: string;
    type: "creating" | "updating" | "deleting";
    id?: string;
}

/** The whole state. */
export interface DeploymentState {
    version: 1;
    project: string;
    stack: string;
    resources: StateResource[];
    pendingOperations: PendingOperation[];
}

/** An empty state. */
export function emptyState(project: string, stack: string): DeploymentState {
    return { version: 1, project, stack, resources: [], pendingOperations: [] };
}

const keys = new Map<string, Buffer>();
function key(passphrase: string): Buffer {
    // scrypt is deliberately slow: derive once per passphrase, not once per write.
    let k = keys.get(passphrase);
    if (!k) keys.set(passphrase, (k = crypto.scryptSync(passphrase, "pulumi-cloudcontrol-harness", 32)));
    return k;
}

function encrypt(value: unknown, k: Buffer): Props {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv("aes-256-gcm", k, iv);
    const body = Buffer.concat([c.update(JSON.stringify(value ?? null), "utf8"), c.final()]);
    return { [SIG_KEY]: SECRET_SIG, ciphertext: Buffer.concat([iv, c.getAuthTag(), body]).toString("base64") };
}

function decrypt(v: unknown, k: Buffer): unknown {
    if (v === null || typeof v !== "object" || (v as Props)[SIG_KEY] !== SECRET_SIG) return v;
    const raw = Buffer.from(String((v as Props).ciphertext), "base64");
    const d = crypto.createDecipheriv("aes-256-gcm", k, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString("utf8"));
}

function mapSecrets(props: Props, keys: string[], f: (v: unknown) => unknown): Props {
    const out = { ...props };
    for (const k of keys) if (k in out) out[k] = f(out[k]);
    return out;
}

/** Reads a state file (an empty state when it does not exist). */
export function loadState(file: string, passphrase: string, project: string, stack: string): DeploymentState {
    if (!fs.existsSync(file)) return emptyState(project, stack);
    const s = JSON.parse(fs.readFileSync(file, "utf8")) as DeploymentState;
    if (s.version !== 1) throw new Error(`state file ${file}: unsupported version ${String(s.version)} (expected 1)`);
    const k = key(passphrase);
    s.resources = s.resources.map((r) => ({
        ...r,
        inputs: mapSecrets(r.inputs, r.secretKeys, (v) => decrypt(v, k)),
        outputs: mapSecrets(r.outputs, r.secretKeys, (v) => decrypt(v, k)),
    }));
    return s;
}

/** Writes a state file atomically (temp file + rename), encrypting secret keys. */
export function saveState(file: string, state: DeploymentState, passphrase: string): void {
    const k = key(passphrase);
    const onDisk: DeploymentState = {
        ...state,
        resources: state.resources.map((r) => ({
            ...r,
            inputs: mapSecrets(r.inputs, r.secretKeys, (v) => encrypt(v, k)),
            outputs: mapSecrets(r.outputs, r.secretKeys, (v) => encrypt(v, k)),
        })),
    };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(onDisk, null, 2));
    fs.renameSync(tmp, file);
}

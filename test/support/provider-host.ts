/**
 * Drives Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) in a child process over gRPC,
 * the way the Pulumi engine does, with plain JS objects in and out.
 *
 * Everything sent travels as a protobuf Struct; the serialized provider (`__provider`) must be in each of them,
 * because the host deserializes the provider from the request's properties. Give `provider` (the text from
 * {@link serializeProvider}) and it is added to every Struct that lacks one.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as providerRpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerProtoTypes from "@pulumi/pulumi/proto/provider_pb";

// The generated protos are built against the google-protobuf copy that @pulumi/pulumi itself depends on;
// Struct messages must come from that same copy or serializeBinary sees foreign message classes.
const protoDir = path.dirname(require.resolve("@pulumi/pulumi/proto/provider_pb"));
const fromProto = (m: string): unknown => require(require.resolve(m, { paths: [protoDir] }));
const structproto = fromProto("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as typeof providerRpcTypes;
const provproto = require("@pulumi/pulumi/proto/provider_pb") as typeof providerProtoTypes;
const statusproto = require("@pulumi/pulumi/proto/status_pb") as {
    Status: { deserializeBinary(b: Uint8Array): { getDetailsList(): Array<{ getTypeName(): string; getValue_asU8(): Uint8Array }> } };
};

/** The value Pulumi puts in place of an input that is not known yet (during preview). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The property that carries the serialized provider in every dynamic resource's inputs and outputs. */
export const PROVIDER_KEY = "__provider";

/** Plain JSON-like property bag. */
export type PropertyMap = Record<string, unknown>;

/** Serializes a dynamic provider exactly as `pulumi.dynamic.Resource` does, returning the `__provider` text. */
export async function serializeProvider(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
    const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    return sf.text;
}

/** Options of {@link ProviderHost.start}. */
export interface ProviderHostOptions {
    /** Serialized provider text put in every Struct that has no `__provider` of its own. */
    provider?: string;
    /** Working directory of the host (the Pulumi program's directory: requires in the provider resolve from it). */
    cwd?: string;
    /** Environment of the host (default: this process's). */
    env?: NodeJS.ProcessEnv;
    /** Extra node arguments, e.g. ["-r", "ts-node/register/transpile-only"]. */
    nodeArgs?: string[];
    /** Called with every chunk the host writes (the provider's console output). */
    onOutput?: (stream: "stdout" | "stderr", text: string) => void;
    /** Deadline of each call, seconds (default 300): a test must never hang on a wedged host. */
    callTimeoutSeconds?: number;
    /** Called once for each uncaught error the host reports (every call in flight then fails at once). */
    onUncaught?: (error: string) => void;
    /** How long to wait for the host to print its port, ms (default 30000). */
    startTimeoutMs?: number;
}

/** Marks an uncaught error of the host on its stderr (see host-preload.js). */
const UNCAUGHT_MARK = "__HARNESS_UNCAUGHT__ ";
const PRELOAD = path.join(__dirname, "host-preload.js");

/**
 * A failed call to the host. `partial` is set when the provider reported a partially created (or updated)
 * resource; `uncaught` when the host reported an uncaught error instead of answering (the real engine would wait
 * for the answer forever).
 */
export class ProviderHostError extends Error {
    constructor(
        message: string,
        readonly method: string,
        readonly code: number | undefined,
        readonly partial?: { id: string; properties: PropertyMap; reasons: string[] },
        readonly uncaught = false,
    ) {
        super(message);
        this.name = "ProviderHostError";
    }
}

/** The result of Check. */
export interface CheckResult {
    inputs: PropertyMap;
    failures: { property: string; reason: string }[];
}

/** The result of Diff, as the engine receives it. */
export interface DiffResult {
    changes: "some" | "none" | "unknown";
    replaces: string[];
    stables: string[];
    deleteBeforeReplace: boolean;
    /** Changed top-level keys (DiffResponse.diffs): the dynamic-provider host never sends any. */
    diffs?: string[];
    /** Whether the response carried a detailed diff (the dynamic-provider host never does). */
    hasDetailedDiff?: boolean;
}

/** One call the host received, with the arguments the engine would have sent (plain values). */
export interface HostCall {
    method: "configure" | "check" | "diff" | "create" | "read" | "update" | "delete";
    urn?: string;
    id?: string;
    /** check/diff/update: the olds argument (prior inputs for check, prior outputs for diff/update). */
    olds?: PropertyMap;
    news?: PropertyMap;
    /** create/read/delete: the properties argument. */
    properties?: PropertyMap;
    /** read: the inputs argument; diff/update/delete: the old inputs. */
    inputs?: PropertyMap;
}

type Callback<T> = (err: grpc.ServiceError | null, res: T) => void;

/** A running dynamic-provider host and a gRPC client connected to it. */
export class ProviderHost {
    /** Everything the host wrote to stdout / stderr so far (stderr without the uncaught-error marks). */
    stdout = "";
    stderr = "";
    /** Uncaught errors (stack traces) the host reported: each one is a call it will never answer. */
    readonly uncaught: string[] = [];
    /** Every call made to the host, in order. */
    readonly calls: HostCall[] = [];
    private stderrLine = "";
    private readonly inFlight = new Set<(error: ProviderHostError) => void>();
    private exited: Promise<void>;
    private hasExited = false;

    private constructor(
        readonly child: ChildProcess,
        readonly port: number,
        private readonly client: providerRpcTypes.ResourceProviderClient,
        private readonly options: ProviderHostOptions,
        exited: Promise<void>,
    ) {
        this.exited = exited.then(() => {
            this.hasExited = true;
            // The last line, if it had no newline.
            if (this.stderrLine) this.output("stderr", "\n");
        });
    }

    /** Starts `@pulumi/pulumi/cmd/dynamic-provider` and connects to the port it prints. */
    static async start(options: ProviderHostOptions = {}): Promise<ProviderHost> {
        const hostMain = path.dirname(require.resolve("@pulumi/pulumi/cmd/dynamic-provider"));
        // The engine passes its own address; the host only needs one to be present.
        const child = spawn(process.execPath, ["-r", PRELOAD, ...(options.nodeArgs ?? []), hostMain, "127.0.0.1:1"], {
            cwd: options.cwd ?? process.cwd(),
            env: options.env ?? process.env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        // "close" (not "exit"): the process ended and its output pipes are drained, so nothing it printed is lost.
        const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
        let out = "";
        let err = "";
        let portSeen = false;
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(new Error(`dynamic-provider host printed no port within ${options.startTimeoutMs ?? 30000} ms; stderr: ${err}`));
            }, options.startTimeoutMs ?? 30000);
            child.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                if (portSeen) return;
                const m = /^(\d+)\s*\n/.exec(out);
                if (m) {
                    portSeen = true;
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
            child.once("exit", (code) => {
                clearTimeout(timer);
                if (!portSeen) reject(new Error(`dynamic-provider host exited (${code}) before printing its port; stderr: ${err}`));
            });
        });
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const host = new ProviderHost(child, port, client, options, exited);
        // From here on, output is the provider's own console output (the port line excluded).
        host.stdout = out.replace(/^\d+\s*\n/, "");
        child.stdout!.removeAllListeners("data");
        child.stderr!.removeAllListeners("data");
        child.stdout!.on("data", (d: Buffer) => host.output("stdout", d.toString()));
        child.stderr!.on("data", (d: Buffer) => host.output("stderr", d.toString()));
        if (host.stdout) options.onOutput?.("stdout", host.stdout);
        if (err) host.output("stderr", err);
        return host;
    }

    private output(stream: "stdout" | "stderr", text: string): void {
        if (stream === "stdout") {
            this.stdout += text;
            this.options.onOutput?.(stream, text);
            return;
        }
        // Whole lines: a mark may arrive split across chunks.
        const lines = (this.stderrLine + text).split("\n");
        this.stderrLine = lines.pop()!;
        let plain = "";
        for (const line of lines) {
            if (line.startsWith(UNCAUGHT_MARK)) this.reportUncaught(JSON.parse(line.slice(UNCAUGHT_MARK.length)) as string);
            else plain += `${line}\n`;
        }
        if (plain) {
            this.stderr += plain;
            this.options.onOutput?.(stream, plain);
        }
    }

    private reportUncaught(error: string): void {
        this.uncaught.push(error);
        this.options.onUncaught?.(error);
        const failure = new ProviderHostError(
            `the dynamic-provider host reported an uncaught error and will not answer the calls in flight (the Pulumi engine would wait for them forever): ${error.split("\n")[0]}`,
            "host",
            undefined,
            undefined,
            true,
        );
        for (const reject of [...this.inFlight]) reject(failure);
    }

    /** Whether the host process is still running. */
    get alive(): boolean {
        return !this.hasExited;
    }

    /** Configure: stack config (`aws:region` ...) the provider's `configure` receives. */
    async configure(config: Record<string, string> = {}, opts: { acceptSecrets?: boolean } = {}): Promise<{ acceptSecrets: boolean }> {
        this.calls.push({ method: "configure", properties: config });
        const req = new provproto.ConfigureRequest();
        req.setArgs(toStruct(config));
        const varsMap = req.getVariablesMap();
        for (const [k, v] of Object.entries(config)) varsMap.set(k, v);
        req.setAcceptsecrets(opts.acceptSecrets ?? false);
        const res = await this.call<providerProtoTypes.ConfigureResponse>("configure", req);
        return { acceptSecrets: res.getAcceptsecrets() };
    }

    /** Check(olds = prior inputs, news = new inputs): the engine sends an empty Struct for "no olds". */
    async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
        this.calls.push({ method: "check", urn, olds, news });
        const req = new provproto.CheckRequest();
        req.setUrn(urn);
        req.setOlds(this.struct(olds, false));
        req.setNews(this.struct(news));
        const res = await this.call<providerProtoTypes.CheckResponse>("check", req);
        return {
            inputs: res.getInputs()?.toJavaScript() ?? {},
            failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    /** Diff(id, olds = prior outputs, news = checked new inputs). */
    async diff(urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap): Promise<DiffResult> {
        this.calls.push({ method: "diff", urn, id, olds, news, ...(oldInputs ? { inputs: oldInputs } : {}) });
        const req = new provproto.DiffRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        if (oldInputs) req.setOldInputs(this.struct(oldInputs));
        const res = await this.call<providerProtoTypes.DiffResponse>("diff", req);
        const c = res.getChanges();
        return {
            changes:
                c === provproto.DiffResponse.DiffChanges.DIFF_SOME
                    ? "some"
                    : c === provproto.DiffResponse.DiffChanges.DIFF_NONE
                      ? "none"
                      : "unknown",
            replaces: res.getReplacesList(),
            stables: res.getStablesList(),
            deleteBeforeReplace: res.getDeletebeforereplace(),
            ...(res.getDiffsList().length ? { diffs: res.getDiffsList() } : {}),
            ...(res.getHasdetaileddiff() ? { hasDetailedDiff: true } : {}),
        };
    }

    /** Create(properties = checked inputs). Throws ProviderHostError with `partial` on a partial create. */
    async create(urn: string, properties: PropertyMap, opts: { preview?: boolean } = {}): Promise<{ id: string; properties: PropertyMap }> {
        this.calls.push({ method: "create", urn, properties });
        const req = new provproto.CreateRequest();
        req.setUrn(urn);
        req.setProperties(this.struct(properties));
        req.setPreview(opts.preview ?? false);
        const res = await this.call<providerProtoTypes.CreateResponse>("create", req);
        return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {} };
    }

    /**
     * Read(id, properties = prior outputs, inputs = prior inputs). An empty id in the result means "gone".
     * `bare` sends exactly what is given, without adding `__provider` (the engine's import reads with the id only).
     */
    async read(
        urn: string,
        id: string,
        properties: PropertyMap,
        inputs?: PropertyMap,
        opts: { bare?: boolean } = {},
    ): Promise<{ id: string; properties: PropertyMap; inputs?: PropertyMap }> {
        this.calls.push({ method: "read", urn, id, properties, ...(inputs ? { inputs } : {}) });
        const req = new provproto.ReadRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(this.struct(properties, !opts.bare));
        if (inputs) req.setInputs(this.struct(inputs, !opts.bare));
        const res = await this.call<providerProtoTypes.ReadResponse>("read", req);
        const resInputs = res.getInputs()?.toJavaScript();
        return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {}, ...(resInputs ? { inputs: resInputs } : {}) };
    }

    /** Update(id, olds = prior outputs, news = checked new inputs). */
    async update(
        urn: string,
        id: string,
        olds: PropertyMap,
        news: PropertyMap,
        oldInputs?: PropertyMap,
    ): Promise<{ properties: PropertyMap }> {
        this.calls.push({ method: "update", urn, id, olds, news, ...(oldInputs ? { inputs: oldInputs } : {}) });
        const req = new provproto.UpdateRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        if (oldInputs) req.setOldInputs(this.struct(oldInputs));
        const res = await this.call<providerProtoTypes.UpdateResponse>("update", req);
        return { properties: res.getProperties()?.toJavaScript() ?? {} };
    }

    /** Delete(id, properties = prior outputs). */
    async delete(urn: string, id: string, properties: PropertyMap, oldInputs?: PropertyMap): Promise<void> {
        this.calls.push({ method: "delete", urn, id, properties, ...(oldInputs ? { inputs: oldInputs } : {}) });
        const req = new provproto.DeleteRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(this.struct(properties));
        if (oldInputs) req.setOldInputs(this.struct(oldInputs));
        await this.call<emptyTypes.Empty>("delete", req);
    }

    /** Kills the host at once (SIGKILL), as a crash would; in-flight calls fail. */
    async kill(): Promise<void> {
        if (!this.hasExited) this.child.kill("SIGKILL");
        await this.exited;
        this.client.close();
    }

    /** Closes the client and stops the host (SIGTERM, then SIGKILL after 2 s). */
    async close(): Promise<void> {
        this.client.close();
        if (this.hasExited) return;
        this.child.kill("SIGTERM");
        const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
        await this.exited;
        clearTimeout(timer);
    }

    private struct(obj: PropertyMap, withProvider = true): structTypes.Struct {
        const o = { ...obj };
        if (withProvider && o[PROVIDER_KEY] === undefined && this.options.provider !== undefined) o[PROVIDER_KEY] = this.options.provider;
        return toStruct(o);
    }

    private call<T>(method: string, req: unknown): Promise<T> {
        const seconds = this.options.callTimeoutSeconds ?? 300;
        const deadline = new Date(Date.now() + seconds * 1000);
        const fn = (this.client as unknown as Record<string, (r: unknown, m: grpc.Metadata, o: grpc.CallOptions, cb: Callback<T>) => void>)[
            method
        ];
        return new Promise<T>((resolve, reject) => {
            const fail = (error: ProviderHostError) => {
                this.inFlight.delete(fail);
                reject(error);
            };
            this.inFlight.add(fail);
            try {
                fn.call(this.client, req, new grpc.Metadata(), { deadline }, (err, res) => {
                    if (!this.inFlight.delete(fail)) return; // already failed (an uncaught error in the host)
                    if (err && err.code === grpc.status.DEADLINE_EXCEEDED) {
                        reject(
                            new ProviderHostError(
                                `${method}: the dynamic-provider host did not answer within ${seconds} s`,
                                method,
                                err.code,
                            ),
                        );
                    } else if (err) reject(toHostError(method, err));
                    else resolve(res);
                });
            } catch (e) {
                // A closed channel throws synchronously.
                fail(new ProviderHostError(`${method}: ${(e as Error).message}`, method, undefined));
            }
        });
    }
}

/** Converts a plain object to a Struct, dropping `undefined` members (Struct has no such value). */
export function toStruct(obj: PropertyMap): structTypes.Struct {
    return structproto.Struct.fromJavaScript(dropUndefined(obj) as Record<string, structTypes.JavaScriptValue>);
}

function dropUndefined(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : dropUndefined(x)));
    if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = dropUndefined(x);
        return out;
    }
    return v;
}

function toHostError(method: string, err: grpc.ServiceError): ProviderHostError {
    let partial: ProviderHostError["partial"];
    // A partial create travels as google.rpc.Status details carrying ErrorResourceInitFailed.
    const bin = err.metadata?.get("grpc-status-details-bin")?.[0];
    if (bin instanceof Buffer) {
        try {
            for (const any of statusproto.Status.deserializeBinary(bin).getDetailsList()) {
                if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
                const d = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
                partial = { id: d.getId(), properties: d.getProperties()?.toJavaScript() ?? {}, reasons: d.getReasonsList() };
            }
        } catch {
            // Undecodable details: report the error without them.
        }
    }
    return new ProviderHostError(`${method}: ${err.details || err.message}`, method, err.code, partial);
}

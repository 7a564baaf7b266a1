/**
 * Runs a Pulumi program in this process with the runtime in mock mode, but with a monitor that hands every
 * registration to the {@link Engine} (which forwards it to the real dynamic-provider host) instead of to mocks.
 * `pulumi.runtime.setMocks` sets up the runtime (features, project, stack, dry-run flag); the monitor is then
 * swapped for one that sees the whole RegisterResourceRequest (dependencies, deleteBeforeReplace, ignoreChanges...),
 * which the mocks interface does not pass on.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
// Internal runtime functions (marked @internal, so absent from the typings).
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { monitor: unknown } } };
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { toStruct } from "../provider-host";
import { stripSecrets } from "./wire";
import type { Engine, Registration } from "./engine";

type Props = Record<string, unknown>;
type Callback = (err: unknown, res?: unknown) => void;

/** A Pulumi program: a module path (required afresh on every run) or a function (its result is the stack outputs). */
export type Program = string | (() => unknown);

function urnOf(parent: string, type: string, name: string): string {
    // Same rule as the engine: a child's type is prefixed with its parent's type chain.
    if (parent) type = `${parent.split("::")[2]}$${type}`;
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${name}`;
}

class EngineMonitor extends MockMonitor {
    constructor(private readonly engine: Engine) {
        super({
            newResource: () => {
                throw new Error("unreachable: registrations go to the engine");
            },
            call: (args) => {
                throw new Error(`${args.token}: invokes are not supported by the deployment harness`);
            },
        });
    }

    private registration(req: resproto.RegisterResourceRequest | resproto.ReadResourceRequest, custom: boolean): Registration {
        const deps = new Set<string>(req.getDependenciesList());
        if (req instanceof resproto.RegisterResourceRequest) {
            for (const [, pd] of req.getPropertydependenciesMap().entries()) for (const u of pd.getUrnsList()) deps.add(u);
        }
        const r = req instanceof resproto.RegisterResourceRequest ? req : undefined;
        return {
            urn: urnOf(req.getParent(), req.getType(), req.getName()),
            type: req.getType(),
            name: req.getName(),
            custom,
            ...(req.getParent() ? { parent: req.getParent() } : {}),
            inputs: ((r ? r.getObject() : (req as resproto.ReadResourceRequest).getProperties())?.toJavaScript() ?? {}) as Props,
            dependencies: [...deps],
            // Unset options stay unset: the engine tells "not given" from false (goal.DeleteBeforeReplace is a *bool).
            ...(r?.getDeletebeforereplacedefined() ? { deleteBeforeReplace: r.getDeletebeforereplace() } : {}),
            ignoreChanges: r?.getIgnorechangesList() ?? [],
            replaceOnChanges: r?.getReplaceonchangesList() ?? [],
            ...(r?.getImportid() ? { importId: r.getImportid() } : {}),
            protect: r?.hasProtect() ? r.getProtect() === true : false,
            retainOnDelete: r?.hasRetainondelete() ? r.getRetainondelete() === true : false,
            ...(r?.getDeletedwith() ? { deletedWith: r.getDeletedwith() } : {}),
            replaceWith: r?.getReplaceWithList() ?? [],
            ...(r?.hasReplacementTrigger()
                ? { replacementTrigger: stripSecrets({ v: r.getReplacementTrigger()!.toJavaScript() }).plain.v }
                : {}),
        };
    }

    override async registerResource(req: resproto.RegisterResourceRequest, callback: Callback): Promise<void> {
        const reg = this.registration(req, req.getCustom());
        try {
            const { id, outputs } = await this.engine.register(reg);
            const res = new resproto.RegisterResourceResponse();
            res.setUrn(reg.urn);
            res.setId(id);
            res.setObject(toStruct(outputs) as never);
            callback(null, res);
        } catch (e) {
            // A plain Error (never a gRPC-looking one: the SDK would swallow UNAVAILABLE and hang the URN).
            callback(new Error((e as Error).message));
        }
    }

    override async readResource(req: resproto.ReadResourceRequest, callback: Callback): Promise<void> {
        const reg = this.registration(req, true);
        try {
            const { outputs } = await this.engine.read({ ...reg, id: req.getId() });
            const res = new resproto.ReadResourceResponse();
            res.setUrn(reg.urn);
            res.setProperties(toStruct(outputs) as never);
            callback(null, res);
        } catch (e) {
            callback(new Error((e as Error).message));
        }
    }
}

/** Options of {@link runProgram}. */
export interface ProgramOptions {
    project: string;
    stack: string;
    preview: boolean;
    /** Stack config, e.g. { "quickstart:retentionDays": "14" }. */
    config: Record<string, string>;
    secretConfigKeys?: string[];
}

async function settle(v: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(v)) {
        // Internal members of Output: the only way to tell an unknown (preview) from a value.
        const o = v as unknown as { promise(): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
        if (!(await o.isKnown)) return "[unknown]";
        if (await o.isSecret) return "[secret]";
        return settle(await o.promise());
    }
    if (v instanceof Promise) return settle(await v);
    if (Array.isArray(v)) return Promise.all(v.map(settle));
    if (v !== null && typeof v === "object" && !pulumi.Resource.isInstance(v)) {
        const out: Props = {};
        for (const [k, x] of Object.entries(v)) out[k] = await settle(x);
        return out;
    }
    return pulumi.Resource.isInstance(v) ? "[resource]" : v;
}

/**
 * Runs the program to completion (every registration answered) and returns its stack outputs (secrets shown as
 * "[secret]", unknowns as "[unknown]") and the program's own errors.
 */
export async function runProgram(program: Program, engine: Engine, opts: ProgramOptions): Promise<{ outputs: Props; errors: string[] }> {
    const errors: string[] = [];
    let forgetProgram = () => {};
    const savedConfig = { PULUMI_CONFIG: process.env.PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS: process.env.PULUMI_CONFIG_SECRET_KEYS };
    // Like the language host, treat unhandled rejections during the run as program errors (and keep them from the
    // surrounding process's handlers, e.g. mocha's, which would blame whatever test runs at that moment).
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const onRejection = (e: unknown) => {
        const msg = e instanceof Error ? e.message : String(e);
        if (!errors.includes(msg)) errors.push(msg);
    };
    process.on("unhandledRejection", onRejection);
    try {
        await pulumi.runtime.setMocks(
            { newResource: () => ({ id: "", state: {} }), call: () => ({}) },
            opts.project,
            opts.stack,
            opts.preview,
        );
        state.getStore().settings.monitor = new EngineMonitor(engine);
        pulumi.runtime.setAllConfig(opts.config, opts.secretConfigKeys);
        let result: unknown;
        try {
            if (typeof program === "string") {
                const file = require.resolve(path.resolve(program));
                forgetProgram = () => {
                    // The program's own modules (not node_modules, not the provider's) run afresh each time, and are
                    // not left cached for whoever requires them next in this process (another run, a mocks test).
                    const dir = path.dirname(file) + path.sep;
                    for (const k of Object.keys(require.cache))
                        if (k.startsWith(dir) && !k.includes("node_modules")) delete require.cache[k];
                };
                forgetProgram();
                const mod = require(file);
                const main = typeof mod === "function" ? mod : typeof mod?.default === "function" ? mod.default : undefined;
                result = main ? await main() : mod;
            } else {
                result = await program();
            }
        } catch (e) {
            errors.push(e instanceof Error ? e.message : String(e));
        }
        await settings.waitForRPCs();
        let outputs: Props = {};
        try {
            outputs = (result && typeof result === "object" ? ((await settle(result)) as Props) : {}) ?? {};
        } catch (e) {
            onRejection(e);
        }
        await settings.waitForRPCs();
        // Let rejections that surfaced during the last RPCs reach the handler before it is removed.
        await new Promise((r) => setImmediate(r));
        return { outputs, errors };
    } finally {
        forgetProgram();
        process.removeListener("unhandledRejection", onRejection);
        for (const l of saved) process.on("unhandledRejection", l);
        for (const [k, v] of Object.entries(savedConfig)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    }
}

/**
 * A deployment harness: `preview`, `up`, `refresh` and `destroy` of a Pulumi program whose dynamic resources are
 * served by Pulumi's real dynamic-provider host, with the state in a JSON file between runs. It stands in for the
 * `pulumi` CLI and engine, which cannot be installed here; see engine.ts for the step rules and where they depart
 * from the engine's.
 */
import * as fs from "fs";
import * as path from "path";
import { ProviderHost, type HostCall } from "../provider-host";
import { Engine, HarnessEvent, RunKind, StepOp, StepRecord } from "./engine";
import { Program, runProgram } from "./program";
import { DeploymentState, loadState, saveState } from "./state";

export { HarnessEvent, RunKind, StepOp, StepRecord } from "./engine";
export { Program } from "./program";
export { DeploymentState, StateResource, loadState } from "./state";

/** Options of a run. */
export interface RunOptions {
    /** The program (needed by preview and up). */
    program?: Program;
    /** The state file, created on the first run. */
    stateFile: string;
    project?: string;
    stack?: string;
    /** Stack config: the program reads it with pulumi.Config, the provider's `configure` receives it. */
    config?: Record<string, string>;
    secretConfigKeys?: string[];
    /** Passphrase of the state's secrets (default: a fixed test passphrase). */
    secretsPassphrase?: string;
    /** Use this host (the caller closes it) instead of starting one for the run. */
    host?: ProviderHost;
    /** Environment of a host started for the run (endpoint, region, credentials...). */
    hostEnv?: NodeJS.ProcessEnv;
    hostNodeArgs?: string[];
    /** Working directory of the host (default: the program's directory, else this process's). */
    cwd?: string;
    /** Provider operations at once, like `pulumi up --parallel` (default: unbounded, as the CLI's default). */
    parallel?: number;
    /** `pulumi up --replace`: resources (URNs or names) to replace whatever their diff says. */
    replace?: string[];
    /** `pulumi up --refresh` / `pulumi preview --refresh`: refresh every resource in the state before the program runs. */
    refresh?: boolean;
    /** Deadline of each call to the provider host, seconds (default 300). */
    callTimeoutSeconds?: number;
    onEvent?: (e: HarnessEvent) => void;
    /** Names a resource in step records from its plain inputs (e.g. its cloud type); must not return values. */
    label?: (inputs: Record<string, unknown>) => string | undefined;
}

/** What a run did. */
export interface RunResult {
    kind: RunKind;
    /** No step failed and the program raised no error. */
    ok: boolean;
    steps: StepRecord[];
    /** Step and program errors. */
    errors: string[];
    /** Stack outputs (up and preview). */
    outputs: Record<string, unknown>;
    /** State at the end of the run (unchanged by a preview). */
    state: DeploymentState;
    /** Number of steps by operation (failed steps excluded). */
    counts: Partial<Record<StepOp, number>>;
    /** Everything the provider host printed during the run. */
    hostOutput: { stdout: string; stderr: string };
    /** The calls the run made to the provider host, in order (configure excluded). */
    calls: HostCall[];
}

async function run(kind: RunKind, opts: RunOptions): Promise<RunResult> {
    const project = opts.project ?? "project";
    const stack = opts.stack ?? "stack";
    const passphrase = opts.secretsPassphrase ?? "harness-test-passphrase";
    const prior = loadState(opts.stateFile, passphrase, project, stack);
    const config = opts.config ?? {};
    let started: ProviderHost | undefined;
    let flushSave = () => {};
    const hostOut = { stdout: "", stderr: "" };
    const onOutput = (stream: "stdout" | "stderr", text: string) => {
        hostOut[stream] += text;
        opts.onEvent?.({ kind: "output", stream, text });
    };
    let host = opts.host;
    const uncaughtBefore = host?.uncaught.length ?? 0;
    const callsBefore = host?.calls.length ?? 0;
    try {
        if (!host) {
            // The engine starts the provider's plugin for each deployment: a fresh host per run (one per process
            // is also what the provider's own safety nets assume).
            const programDir = typeof opts.program === "string" ? path.dirname(path.resolve(opts.program)) : undefined;
            host = started = await ProviderHost.start({
                cwd: opts.cwd ?? programDir ?? process.cwd(),
                env: opts.hostEnv,
                nodeArgs: opts.hostNodeArgs,
                onOutput,
                callTimeoutSeconds: opts.callTimeoutSeconds,
            });
        }
        await host.configure(config);
        // Departure: the engine writes a checkpoint after every step; here writes are coalesced (at most one per
        // 100 ms, the latest state) so a 200-resource run does not spend its time serializing state. An operation
        // in flight is on disk within 100 ms; the final state is written when the run ends.
        let latest: DeploymentState | undefined;
        let timer: NodeJS.Timeout | undefined;
        const flush = () => {
            timer = undefined;
            if (latest) saveState(opts.stateFile, latest, passphrase);
            latest = undefined;
        };
        const byName = (want: string) => (want.startsWith("urn:") ? want : (prior.resources.find((r) => r.name === want)?.urn ?? want));
        const engine = new Engine(prior, {
            kind,
            host,
            parallel: opts.parallel ?? 2147483647,
            save: (s) => {
                latest = s;
                timer ??= setTimeout(flush, 100);
            },
            onEvent: opts.onEvent,
            label: opts.label,
            replaceTargets: (opts.replace ?? []).map(byName),
            autonaming: config["pulumi:autonaming"],
        });
        flushSave = () => {
            if (timer) clearTimeout(timer);
            flush();
        };
        const errors: string[] = [];
        let outputs: Record<string, unknown> = {};
        if (kind === "preview" || kind === "up") {
            if (opts.program === undefined) throw new Error(`${kind} needs a program`);
            if (opts.refresh) await engine.refresh();
            const r = await runProgram(opts.program, engine, {
                project,
                stack,
                preview: kind === "preview",
                config,
                secretConfigKeys: opts.secretConfigKeys,
            });
            outputs = r.outputs;
            errors.push(...r.errors.filter((e) => !engine.errors.some((s) => e.includes(s))));
            await engine.finish(errors.length > 0);
        } else if (kind === "refresh") {
            await engine.refresh();
        } else {
            await engine.destroy();
        }
        errors.unshift(...engine.errors);
        const state = engine.state();
        flushSave();
        if (kind !== "preview") saveState(opts.stateFile, state, passphrase);
        const counts: Partial<Record<StepOp, number>> = {};
        for (const s of engine.steps) if (s.status !== "failed") counts[s.op] = (counts[s.op] ?? 0) + 1;
        if (opts.host) {
            hostOut.stdout = opts.host.stdout;
            hostOut.stderr = opts.host.stderr;
        }
        assertNoUncaught(host, uncaughtBefore);
        const calls = host.calls.slice(callsBefore).filter((c) => c.method !== "configure");
        return { kind, ok: errors.length === 0, steps: engine.steps, errors, outputs, state, counts, hostOutput: hostOut, calls };
    } finally {
        // A run that threw still leaves its last state on disk.
        flushSave();
        await started?.close();
        if (host) assertNoUncaught(host, uncaughtBefore);
    }
}

/**
 * An uncaught error in the dynamic-provider host means a call it never answers: with the real engine, a `pulumi up`
 * that hangs. That fails the run outright (whatever the test expected of it).
 */
function assertNoUncaught(host: ProviderHost, before: number): void {
    const errors = host.uncaught.slice(before);
    if (errors.length > 0)
        throw new Error(
            `the dynamic-provider host reported ${errors.length} uncaught error(s), so calls went unanswered:\n${errors.join("\n")}`,
        );
}

/** `pulumi state taint`: marks a resource (URN or name) so that the next up replaces it. */
export function taint(opts: Pick<RunOptions, "stateFile" | "project" | "stack" | "secretsPassphrase">, resource: string): void {
    const passphrase = opts.secretsPassphrase ?? "harness-test-passphrase";
    const state = loadState(opts.stateFile, passphrase, opts.project ?? "project", opts.stack ?? "stack");
    const target = state.resources.find((r) => !r.pendingDelete && (r.urn === resource || r.name === resource));
    if (!target) throw new Error(`taint: no resource ${resource} in ${opts.stateFile}`);
    target.taint = true;
    saveState(opts.stateFile, state, passphrase);
}

/** Plans the changes `up` would make: Check and Diff only, unknown values passed through. */
export function preview(opts: RunOptions): Promise<RunResult> {
    return run("preview", opts);
}
/** Creates, updates, replaces and deletes until the stack matches the program. */
export function up(opts: RunOptions): Promise<RunResult> {
    return run("up", opts);
}
/** Reads every resource and takes the live state (drift, disappearance). */
export function refresh(opts: RunOptions): Promise<RunResult> {
    return run("refresh", opts);
}
/** Deletes every resource in reverse dependency order. */
export function destroy(opts: RunOptions): Promise<RunResult> {
    return run("destroy", opts);
}

/** Reads a state file without decrypting anything (what is on disk). */
export function readStateFileText(file: string): string {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}

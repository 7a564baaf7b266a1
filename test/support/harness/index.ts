/**
 * A deployment harness: `preview`, `up`, `refresh` and `destroy` of a Pulumi program whose dynamic resources are
 * served by Pulumi's real dynamic-provider host, with the state in a JSON file between runs. It stands in for the
 * `pulumi` CLI and engine, which cannot be installed here; see engine.ts for the step rules and where they depart
 * from the engine's.
 */
import * as fs from "fs";
import * as path from "path";
import { ProviderHost } from "../provider-host";
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
    try {
        let host = opts.host;
        if (!host) {
            const programDir = typeof opts.program === "string" ? path.dirname(path.resolve(opts.program)) : undefined;
            host = started = await ProviderHost.start({
                cwd: opts.cwd ?? programDir ?? process.cwd(),
                env: opts.hostEnv,
                nodeArgs: opts.hostNodeArgs,
                onOutput,
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
        });
        flushSave = () => {
            if (timer) clearTimeout(timer);
            flush();
        };
        const errors: string[] = [];
        let outputs: Record<string, unknown> = {};
        if (kind === "preview" || kind === "up") {
            if (opts.program === undefined) throw new Error(`${kind} needs a program`);
            const r = await runProgram(opts.program, engine, { project, stack, preview: kind === "preview", config, secretConfigKeys: opts.secretConfigKeys });
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
        return { kind, ok: errors.length === 0, steps: engine.steps, errors, outputs, state, counts, hostOutput: hostOut };
    } finally {
        // A run that threw still leaves its last state on disk.
        flushSave();
        await started?.close();
    }
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

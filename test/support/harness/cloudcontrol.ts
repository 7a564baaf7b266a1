/**
 * Settings that point a harness run's provider host at a Cloud Control emulator, running the provider from this
 * source checkout (its sources transpiled once per process, see provider-build.ts) rather than from an installed
 * package.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../../src/emulator";
import type { RunOptions } from "./index";
import { ProviderHost } from "../provider-host";
import { builtProviderModule } from "./provider-build";

const repoRoot = path.resolve(__dirname, "..", "..", "..");

// The provider's create journal (src/provider/journal.ts) lives outside the program directory; for tests, in a
// temp dir of this process, one per emulator endpoint (so runs against the same emulator share it, as runs on one
// machine do), removed when the process exits.
let journalRoot: string | undefined;
function journalDirFor(endpoint: string): string {
    if (!journalRoot) {
        const root = (journalRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cloudcontrol-journal-")));
        process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }));
    }
    return path.join(journalRoot, endpoint.replace(/[^A-Za-z0-9]+/g, "_"));
}

/** Environment of a provider host talking to `endpoint` (the emulator) with throwaway credentials. */
export function cloudControlHostEnv(endpoint: string, region: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
        ...process.env,
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: region,
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "emulator-secret",
        AWS_EC2_METADATA_DISABLED: "true",
        PULUMI_CLOUDCONTROL_JOURNAL_DIR: journalDirFor(endpoint),
        // The serialized provider loads its implementation with require(): this checkout's, transpiled.
        PULUMI_CLOUDCONTROL_PROVIDER_MODULE: builtProviderModule(),
        ...extra,
    };
}

/** Run options (host env, ts-node, region config) for programs using CloudControlResource against an emulator. */
export function cloudControlRunOptions(
    emulator: { endpoint: string; region: string },
    extra: NodeJS.ProcessEnv = {},
): Pick<RunOptions, "hostEnv" | "hostNodeArgs" | "config" | "cwd"> {
    return {
        hostEnv: cloudControlHostEnv(emulator.endpoint, emulator.region, extra),
        hostNodeArgs: [],
        config: { "aws:region": emulator.region },
        cwd: repoRoot,
    };
}

/**
 * Starts a provider host for Cloud Control programs against `emulator`, for a caller that needs the host itself
 * (to kill it mid-run, say). Harness runs without a `host` start their own, one per run, as the engine does.
 */
export async function startCloudControlHost(
    emulator: { endpoint: string; region: string },
    options: { extraEnv?: NodeJS.ProcessEnv; onOutput?: (stream: "stdout" | "stderr", text: string) => void } = {},
): Promise<ProviderHost> {
    const o = cloudControlRunOptions(emulator, options.extraEnv);
    return ProviderHost.start({ env: o.hostEnv, nodeArgs: o.hostNodeArgs, cwd: o.cwd, onOutput: options.onOutput });
}

/** An emulator, a temp dir holding the state file, and run options for harness runs (each run starts its own host). */
export interface Deployment {
    em: Emulator;
    /** Run options: state file, emulator settings, plus what the caller passed in `run`. */
    base: RunOptions;
    /** Stops the emulator and removes the temp dir. */
    close(): Promise<void>;
}

/** Starts everything an e2e run against the emulator needs (see {@link Deployment}). */
export async function startDeployment(options: { emulator?: EmulatorOptions; run?: Partial<RunOptions> } = {}): Promise<Deployment> {
    const em = await startEmulator(options.emulator ?? {});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-deployment-"));
    const base: RunOptions = { stateFile: path.join(dir, "stack.json"), ...cloudControlRunOptions(em), ...options.run };
    return {
        em,
        base,
        close: async () => {
            await em.close();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** What {@link useDeployment} gives each test: the suite's emulator, and run options with a state file of its own. */
export interface SharedDeployment {
    em: Emulator;
    base: RunOptions;
}

/**
 * Registers mocha hooks for a suite of harness runs against one emulator, started once for the suite (its tests use
 * names of their own): for every test a fresh state file (a new stack) and an empty request log. Read the fields
 * inside hooks and tests.
 */
export function useDeployment(options: Parameters<typeof startDeployment>[0] = {}): SharedDeployment {
    const shared = {} as SharedDeployment;
    let deployment: Deployment | undefined;
    let n = 0;
    before(async () => {
        deployment = await startDeployment(options);
        shared.em = deployment.em;
    });
    beforeEach(() => {
        shared.base = { ...deployment!.base, stateFile: deployment!.base.stateFile.replace(/stack\.json$/, `stack-${++n}.json`) };
        shared.em.clearRequestLog();
    });
    after(() => deployment?.close());
    return shared;
}

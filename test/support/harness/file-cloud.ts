/** Mocha set-up for suites of harness runs with the file-backed test provider (file-provider.ts). */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProviderHost } from "../provider-host";
import type { RunOptions } from "./index";

/** What {@link useFileCloud} gives each test: an empty "cloud" directory, a fresh state file, run options. */
export interface FileCloud {
    /** Temp dir of the suite (state files live under it). */
    root: string;
    /** The provider's "cloud" directory, emptied before each test. */
    dir: string;
    /** The suite's provider host. */
    host: ProviderHost;
    /** Run options of the current test: its own state file, the suite's host. */
    opts: Omit<RunOptions, "program">;
}

/**
 * Registers mocha hooks for a suite of harness runs with the file provider: one host for the whole suite (the file
 * provider keeps no per-process state, so sharing it changes nothing but saves a start per run), and for every test
 * an empty cloud directory and a fresh state file. Read the fields inside tests.
 */
export function useFileCloud(prefix: string): FileCloud {
    const cloud = {} as FileCloud;
    let n = 0;
    before(async () => {
        cloud.root = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
        cloud.dir = path.join(cloud.root, "cloud");
        cloud.host = await ProviderHost.start({ env: { ...process.env, FILE_PROVIDER_DIR: cloud.dir } });
    });
    beforeEach(() => {
        fs.rmSync(cloud.dir, { recursive: true, force: true });
        fs.mkdirSync(cloud.dir);
        cloud.opts = { stateFile: path.join(cloud.root, `state-${++n}`, "stack.json"), host: cloud.host };
    });
    after(async () => {
        await cloud.host?.close();
        if (cloud.root) fs.rmSync(cloud.root, { recursive: true, force: true });
    });
    return cloud;
}

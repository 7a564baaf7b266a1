import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { canonicalJson } from "./canonical";
import type { ResourceIdentity } from "./types";

/**
 * The create journal: one small file per resource (keyed by its identity: project, stack, parent, name) that exists
 * exactly while a create is started and not yet reported to Pulumi. A run killed in that window leaves the file
 * behind, and the next create of the same resource finds it: the request that run started is asked for again with
 * its ClientToken (Cloud Control answers a known token with the request it already has), and the resource it made
 * is adopted — it was never reported, so the stack cannot be tracking it. Without a file, a create always sends a
 * fresh token: a replacement with identical inputs gets a new resource, never the old one back.
 *
 * The files hold tokens, the type name, the region, a time and a name autonaming made, never values the program
 * set. They live outside the program directory: $PULUMI_CLOUDCONTROL_JOURNAL_DIR, else
 * $XDG_STATE_HOME/pulumi-cloudcontrol/creates, else ~/.local/state/pulumi-cloudcontrol/creates. Crash safety
 * therefore holds for re-runs on the same machine (and user); elsewhere a re-run may create a second resource,
 * which the provider reports rather than risks claiming one.
 */
export interface JournalEntry {
    v: 1;
    /** ClientToken of the create's first attempt (later attempts derive theirs from it). */
    clientToken: string;
    typeName: string;
    region?: string;
    /** When the create started (ISO 8601). */
    startedAt: string;
    /** Request tokens Cloud Control gave the create's attempts, oldest first. */
    requestTokens: string[];
    /**
     * The name autonaming made for the resource (never a name the program set), so that a re-run's check names it
     * the same and the create's request is found again (see autoname-check.ts).
     */
    autoname?: { property: string; value: string };
}

/** Cloud Control remembers a ClientToken for 36 hours: an older one would start a new request, not replay. */
export const TOKEN_WINDOW_MS = 36 * 3600 * 1000;

/**
 * Why an earlier run's unreported create cannot be asked for again by a create of `typeName` in `region`, or
 * undefined when it can: it must be the same type, sent to the same region (a ClientToken is known only where it
 * was sent), and within the token window. Check (reusing the entry's autoname) and create (replaying its
 * ClientToken) both decide by this, so a name is reused only for a create that will really be found again.
 */
export function unrecoverable(entry: JournalEntry, typeName: string, region: string | undefined, now = Date.now()): string | undefined {
    if (entry.typeName !== typeName) return `it was a ${entry.typeName}`;
    if (entry.region !== region)
        return `it was sent to region ${entry.region ?? "(default)"}, and this create goes to ${region ?? "(default)"}`;
    const age = now - Date.parse(entry.startedAt);
    if (!(age >= 0 && age < TOKEN_WINDOW_MS)) return "its idempotency token has expired (36 hours)";
    return undefined;
}

/** The journal file of one resource. */
export interface CreateJournal {
    readonly file: string;
    /** The entry a run that never reported its create left behind, if any. */
    read(): JournalEntry | undefined;
    /** Records a create about to be sent (a recovered one keeps its start time and request tokens). */
    start(
        entry: Pick<JournalEntry, "clientToken" | "typeName" | "region"> &
            Partial<Pick<JournalEntry, "startedAt" | "requestTokens" | "autoname">>,
    ): void;
    /** Records a request token of the create in progress. */
    sawRequest(requestToken: string): void;
    /** Removes the entry: the create's outcome is being reported to Pulumi. */
    clear(): void;
}

/** The journal directory (read at call time). */
export function journalDir(): string {
    const override = process.env.PULUMI_CLOUDCONTROL_JOURNAL_DIR;
    if (override) return path.resolve(override);
    const base = process.env.XDG_STATE_HOME || path.join(os.homedir(), ".local", "state");
    return path.join(base, "pulumi-cloudcontrol", "creates");
}

let warnedUnwritable = false;

/** The journal of a resource, or undefined without an identity (then there is nothing to key it by). */
export function journalFor(identity: ResourceIdentity | undefined): CreateJournal | undefined {
    if (!identity || typeof identity.name !== "string") return undefined;
    const key = createHash("sha256")
        .update(
            canonicalJson({ v: 1, project: identity.project, stack: identity.stack, parent: identity.parent ?? "", name: identity.name }),
        )
        .digest("hex");
    const file = path.join(journalDir(), `${key}.json`);
    let current: JournalEntry | undefined;
    const write = (entry: JournalEntry) => {
        current = entry;
        try {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            const tmp = `${file}.${process.pid}.tmp`;
            const fd = fs.openSync(tmp, "w");
            try {
                fs.writeSync(fd, JSON.stringify(entry));
                fs.fsyncSync(fd);
            } finally {
                fs.closeSync(fd);
            }
            fs.renameSync(tmp, file);
        } catch (error) {
            // Not fatal: the create goes ahead, only a crash in the middle of it loses the way back.
            if (!warnedUnwritable) {
                warnedUnwritable = true;
                console.log(
                    `warning: the create journal ${path.dirname(file)} cannot be written (${(error as Error).message}); a re-run after a crash may create a second resource`,
                );
            }
        }
    };
    return {
        file,
        read() {
            try {
                const entry = JSON.parse(fs.readFileSync(file, "utf8")) as JournalEntry;
                return entry && entry.v === 1 && typeof entry.clientToken === "string" && Array.isArray(entry.requestTokens)
                    ? entry
                    : undefined;
            } catch {
                return undefined; // none (or unreadable: as good as none)
            }
        },
        start(entry) {
            write({ v: 1, startedAt: new Date().toISOString(), requestTokens: [], ...entry });
        },
        sawRequest(requestToken) {
            if (current && !current.requestTokens.includes(requestToken))
                write({ ...current, requestTokens: [...current.requestTokens, requestToken] });
        },
        clear() {
            current = undefined;
            try {
                fs.rmSync(file, { force: true });
            } catch {
                // An entry that outlives its create is found by the next create, which asks Cloud Control about it.
            }
        },
    };
}

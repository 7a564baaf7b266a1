/**
 * Everything the emulator remembers: resources, resource requests and client tokens. Plain JSON, so it can be
 * persisted to a state file as a whole.
 */
import * as fs from "fs";
import * as path from "path";
import type { EmulatedOperation } from "./types";

/** Final statuses of a resource request. */
export type FinalStatus = "SUCCESS" | "FAILED" | "CANCEL_COMPLETE";

/** One HooksProgressEvent entry, stored in wire form (epoch-second time). */
export interface StoredHookEvent {
    HookTypeName: string;
    HookTypeVersionId: string;
    HookTypeArn: string;
    InvocationPoint: string;
    HookStatus: string;
    HookEventTime: number;
    HookStatusMessage?: string;
    FailureMode: string;
}

/** A resource operation request and its planned (then actual) outcome. */
export interface RequestRecord {
    requestToken: string;
    operation: EmulatedOperation;
    typeName: string;
    identifier?: string;
    /** Whether the emulator generated the identifier (the DesiredState did not determine it). */
    generatedIdentifier?: boolean;
    clientToken?: string;
    /** What the request asked for, to tell a retry (same token, same request) from a conflict. */
    fingerprint: string;
    /** Emulator clock, epoch ms. */
    startTime: number;
    pendingMs: number;
    progressMs: number;
    /** Model a create/update stores on success (write-only values included). */
    model?: Record<string, unknown>;
    /** Set when the handler is planned to fail. */
    plannedError?: { errorCode: string; statusMessage: string };
    hooksRequestToken?: string;
    hooks?: StoredHookEvent[];
    cancelTime?: number;
    /** Set once the request reached a final status. */
    status?: FinalStatus;
    endTime?: number;
    errorCode?: string;
    statusMessage?: string;
    resourceModel?: string;
    /** Set when a cancelled request's effect was kept (see Behaviour.cancelKeepsWork). */
    workKept?: boolean;
}

/** A stored resource. */
export interface ResourceRecord {
    typeName: string;
    identifier: string;
    properties: Record<string, unknown>;
}

/** The whole emulator state. */
export interface StateData {
    version: 1;
    /** Offset added to the wall clock by advanceClock. */
    clockOffsetMs: number;
    resources: Record<string, ResourceRecord>;
    requests: Record<string, RequestRecord>;
    /** clientToken -> requestToken and when it was first used. */
    clientTokens: Record<string, { requestToken: string; time: number }>;
    counter: number;
}

/** An empty state. */
export function emptyState(): StateData {
    return { version: 1, clockOffsetMs: 0, resources: {}, requests: {}, clientTokens: {}, counter: 0 };
}

/** Key of a resource in the state. */
export function resourceKey(typeName: string, identifier: string): string {
    return `${typeName}\u0000${identifier}`;
}

/** Reads a state file; a missing file is an empty state, an unreadable one an error naming the file. */
export function loadStateFile(file: string): StateData {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyState();
        throw e;
    }
    try {
        const data = JSON.parse(text) as StateData;
        if (data.version !== 1 || typeof data.resources !== "object" || typeof data.requests !== "object") {
            throw new Error("unknown layout");
        }
        return { ...emptyState(), ...data };
    } catch (e) {
        throw new Error(`emulator state file ${file} is not a valid state (${(e as Error).message})`, { cause: e });
    }
}

/**
 * Writes the state atomically: a temporary file in the same directory, flushed, then renamed over the old one,
 * so a crash leaves either the old or the new state, never a torn file.
 */
export function saveStateFile(file: string, data: StateData): void {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    const fd = fs.openSync(tmp, "w");
    try {
        fs.writeSync(fd, JSON.stringify(data));
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
}

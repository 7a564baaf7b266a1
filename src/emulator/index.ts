/**
 * The local Cloud Control emulator: `startEmulator(options)` serves the Cloud Control API (AWS JSON 1.0) and
 * CloudFormation DescribeType (awsQuery) on one 127.0.0.1 endpoint, driven by registry schemas.
 */
export * from "./types";
export { builtinSchemas } from "./builtin-schemas";
export { profiles, PROFILE_ENV } from "./behaviour";
export { schemaFileName } from "./schemas";
import * as fs from "fs";
import type * as http from "http";
import type { AddressInfo } from "net";
import { checkBehaviour, resolveBehaviour, retryAfterMode } from "./behaviour";
import { clientConfigFor, environmentFor } from "./environment";
import { FaultInjector, TokenBucket } from "./faults";
import { clone } from "./model";
import { bundledRegistry } from "../registry";
import { SchemaRegistry } from "./schemas";
import { createServer } from "./server";
import { ServiceSettings } from "./requests";
import { CloudControlService } from "./service";
import { emptyState, loadStateFile, resourceKey, saveStateFile, StateData } from "./state";
import type { Emulator, EmulatorOptions, RequestLogEntry } from "./types";

/** Starts a local Cloud Control (and CloudFormation DescribeType) server. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
    const region = options.region ?? "us-east-1";
    const accountId = options.accountId ?? "123456789012";
    const schemaDir = options.schemas === false ? undefined : options.schemas;
    if (schemaDir !== undefined && !fs.existsSync(schemaDir)) {
        throw new Error(`emulator schema directory ${schemaDir} does not exist`);
    }
    // Every public type of the bundled registry, unless only the built-in types are wanted.
    const schemas = new SchemaRegistry(schemaDir, options.schemas === false ? null : bundledRegistry());
    const state: StateData = options.stateFile ? loadStateFile(options.stateFile) : emptyState();
    const settings: ServiceSettings = {
        operationDelayMs: options.operationDelayMs ?? 100,
        durations: { ...(options.durations ?? {}) },
        behaviour: resolveBehaviour(options),
        hooks: [...(options.hooks ?? [])],
    };
    const faults = new FaultInjector(options.seed ?? 1, options.faults ?? []);
    const makeBucket = (l: EmulatorOptions["rateLimit"]) => (l ? new TokenBucket(l.requestsPerSecond, l.burst) : undefined);
    let bucket = makeBucket(options.rateLimit);
    const persist = options.stateFile ? () => saveStateFile(options.stateFile!, state) : () => undefined;
    const service = new CloudControlService(
        state,
        schemas,
        settings,
        { region, accountId },
        (op, typeName) => {
            const rule = faults.draw(op, typeName, true);
            return rule?.kind === "failed" ? { errorCode: rule.errorCode, statusMessage: rule.statusMessage } : undefined;
        },
        persist,
    );
    const requestLog: RequestLogEntry[] = [];
    const server = createServer({
        service,
        schemas,
        faults,
        region,
        getRateLimit: () => bucket,
        log: (e) => requestLog.push(e),
    });
    const address = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    let closed = false;
    const endpoint = `http://${host}:${address.port}`;

    const emulator: Emulator = {
        endpoint,
        port: address.port,
        region,
        clientConfig: () => clientConfigFor(endpoint, region),
        env: environmentFor(endpoint, region),
        get behaviour() {
            return { ...settings.behaviour };
        },
        requestLog,
        countRequests: (operation, filter) =>
            requestLog.filter((e) => (operation === undefined || e.operation === operation) && (!filter || filter(e))).length,
        clearRequestLog: () => {
            requestLog.length = 0;
        },
        injectFaults: (...rules) => faults.add(...rules),
        clearFaults: () => faults.clear(),
        setHooks: (hooks) => {
            settings.hooks = [...hooks];
        },
        setDurations: (durations) => {
            settings.durations = { ...durations };
        },
        setBehaviour: (changes) => {
            const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
            settings.behaviour = { ...settings.behaviour, ...checkBehaviour(given, "setBehaviour") };
        },
        setRetryAfter: (mode) => {
            settings.behaviour = { ...settings.behaviour, retryAfter: retryAfterMode(mode) };
        },
        setRateLimit: (limit) => {
            bucket = makeBucket(limit);
        },
        advanceClock: (ms) => {
            state.clockOffsetMs += ms;
            service.settle();
            persist();
        },
        listResources: (typeName) => {
            service.settle();
            return Object.values(state.resources)
                .filter((r) => typeName === undefined || r.typeName === typeName)
                .map((r) => clone(r));
        },
        getResource: (typeName, identifier) => {
            service.settle();
            const r = state.resources[resourceKey(typeName, identifier)];
            return r ? clone(r) : undefined;
        },
        putResource: (typeName, identifier, properties) => {
            state.resources[resourceKey(typeName, identifier)] = { typeName, identifier, properties: clone(properties) };
            persist();
        },
        deleteResourceOutOfBand: (typeName, identifier) => {
            const key = resourceKey(typeName, identifier);
            const existed = key in state.resources;
            delete state.resources[key];
            persist();
            return existed;
        },
        close: async () => {
            if (closed) return;
            closed = true;
            await new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
        },
    };
    return emulator;
}

/** Binds the server and resolves with the address it got (port 0 picks a free port). */
function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
            server.off("error", reject);
            resolve(server.address() as AddressInfo);
        });
    });
}

/**
 * Command-line options of `cloudcontrol-emulator`, parsed into {@link EmulatorOptions}. Bad flags raise an
 * error naming the flag and what was expected.
 */
import type { EmulatedOperation, EmulatorOptions, FaultRule, HookConfig, OperationDurations } from "./types";
import { PROFILE_ENV } from "./behaviour";

/** Usage text printed by --help. */
export const usage = `Usage: cloudcontrol-emulator [options]

A local AWS Cloud Control API (and CloudFormation DescribeType) endpoint.

  --port N                 TCP port (default 0: any free port)
  --host ADDR              address to bind (default 127.0.0.1)
  --schemas DIR            registry schema directory, served over the bundled registry (default: the bundled
                           registry alone, every public type)
  --no-schemas             serve only the six built-in types
  --delay-ms N             how long each of a request's two phases lasts (default 100)
  --duration T:OP=MS       per type (or *) and operation (create|update|delete) phase length; repeatable
  --profile aws|strict     behaviours where AWS varies: "aws" (default, or $${PROFILE_ENV}) as recorded,
                             "strict" the least convenient variant (no RetryAfter, PENDING first)
  --retry-after MODE       which events carry RetryAfter: status (aws), all, none (strict)
  --no-retry-after         same as --retry-after none
  --identifier early|late  when a generated identifier appears in a create's events (default late: once final)
  --resource-model         put the ResourceModel on SUCCESS events of CREATE and UPDATE (default: not, as AWS)
  --initial-status S       status of a request's first phase: IN_PROGRESS (aws) or PENDING (strict)
  --cancel-discards-work   a request cancelled while its handler works has no effect (default: its work stays,
                             as AWS does not roll back)
  --seed N                 seed of the fault generator (default 1)
  --fault SPEC             inject a fault; repeatable. SPEC is key=value pairs separated by commas:
                             kind=throttle|throttle429|server|reset|lost|slow|concurrent|failed
                             operation=Op1|Op2  typeName=AWS::X::Y  count=N  probability=0..1
                             status=500|502|503|504 (server)  delayMs=N (slow)
                             errorCode=Throttling statusMessage=... (failed)
  --hook SPEC              configure a hook; repeatable: name=Org::Hook::Name,failureMode=FAIL|WARN,
                             typeName=...,operations=CREATE|UPDATE,fails=true|false,message=...
  --rate-limit N           account-wide limit: throttle past N requests a second (token bucket)
  --rate-burst N           token bucket capacity (default N)
  --state-file PATH        persist resources and requests to PATH (atomically) and load it at start
  --region R               region in ARNs and the printed environment (default us-east-1)
  --account-id ID          account in ARNs (default 123456789012)
  --help                   show this text
`;

/** Parsed command line. */
export interface CliOptions {
    help: boolean;
    options: EmulatorOptions;
}

function fail(message: string): never {
    throw new Error(`cloudcontrol-emulator: ${message}`);
}

function integer(flag: string, text: string | undefined, min = 0): number {
    if (text === undefined) fail(`${flag} expects a number`);
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) fail(`${flag} expects an integer >= ${min}`);
    return n;
}

function choice<T extends string>(flag: string, text: string, values: readonly T[]): T {
    if (!(values as readonly string[]).includes(text)) fail(`${flag} expects one of ${values.join(", ")} (got "${text}")`);
    return text as T;
}

function pairs(flag: string, spec: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const part of spec.split(",")) {
        const eq = part.indexOf("=");
        if (eq <= 0) fail(`${flag} expects key=value pairs separated by commas (got a part without "=")`);
        out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    return out;
}

const faultKinds = ["throttle", "throttle429", "server", "reset", "lost", "slow", "concurrent", "failed"];

/** Parses one --fault SPEC. */
export function parseFault(spec: string): FaultRule {
    const kv = pairs("--fault", spec);
    const known = new Set(["kind", "operation", "typeName", "count", "probability", "status", "delayMs", "errorCode", "statusMessage"]);
    for (const k of Object.keys(kv)) if (!known.has(k)) fail(`--fault: unknown key "${k}" (expected one of ${[...known].join(", ")})`);
    if (!faultKinds.includes(kv.kind)) fail(`--fault: kind must be one of ${faultKinds.join(", ")}`);
    const match: Record<string, unknown> = {};
    if (kv.operation) match.operation = kv.operation.split("|");
    if (kv.typeName) match.typeName = kv.typeName;
    if (kv.count !== undefined) match.count = integer("--fault count", kv.count, 1);
    if (kv.probability !== undefined) {
        const p = Number(kv.probability);
        if (!(p >= 0 && p <= 1)) fail("--fault probability must be between 0 and 1");
        match.probability = p;
    }
    switch (kv.kind) {
        case "server": {
            const status = kv.status === undefined ? 500 : integer("--fault status", kv.status);
            if (![500, 502, 503, 504].includes(status)) fail("--fault status must be 500, 502, 503 or 504");
            return { ...match, kind: "server", status: status as 500 | 502 | 503 | 504 };
        }
        case "slow":
            return { ...match, kind: "slow", delayMs: integer("--fault delayMs", kv.delayMs) };
        case "failed":
            if (!kv.errorCode) fail("--fault kind=failed needs errorCode=...");
            return { ...match, kind: "failed", errorCode: kv.errorCode, ...(kv.statusMessage ? { statusMessage: kv.statusMessage } : {}) };
        default:
            return { ...match, kind: kv.kind as "throttle" | "throttle429" | "reset" | "lost" | "concurrent" };
    }
}

/** Parses one --hook SPEC. */
export function parseHook(spec: string): HookConfig {
    const kv = pairs("--hook", spec);
    if (!kv.name) fail("--hook needs name=...");
    if (kv.failureMode !== "FAIL" && kv.failureMode !== "WARN") fail("--hook failureMode must be FAIL or WARN");
    const hook: HookConfig = { name: kv.name, failureMode: kv.failureMode };
    if (kv.typeName) hook.typeName = kv.typeName;
    if (kv.operations) {
        const ops = kv.operations.split("|");
        for (const op of ops)
            if (!["CREATE", "UPDATE", "DELETE"].includes(op)) fail("--hook operations must be CREATE, UPDATE and/or DELETE");
        hook.operations = ops as EmulatedOperation[];
    }
    if (kv.fails !== undefined) {
        if (kv.fails !== "true" && kv.fails !== "false") fail("--hook fails must be true or false");
        hook.fails = kv.fails === "true";
    }
    if (kv.message) hook.message = kv.message;
    return hook;
}

/** What the command line has said so far; the flag handlers below fill it in. */
interface ParsedArgs {
    options: EmulatorOptions;
    durations: Record<string, OperationDurations>;
    faults: FaultRule[];
    hooks: HookConfig[];
    rate?: number;
    burst?: number;
    help: boolean;
}

/** One handler per flag: `value()` reads the flag's value (after `=` or as the next argument). */
const flagHandlers: Record<string, (p: ParsedArgs, value: () => string, flag: string) => void> = {
    "--help": (p) => (p.help = true),
    "-h": (p) => (p.help = true),
    "--port": (p, value, flag) => {
        p.options.port = integer(flag, value());
        if (p.options.port > 65535) fail("--port must be at most 65535");
    },
    "--host": (p, value) => (p.options.host = value()),
    "--schemas": (p, value) => (p.options.schemas = value()),
    "--no-schemas": (p) => (p.options.schemas = false),
    "--delay-ms": (p, value, flag) => (p.options.operationDelayMs = integer(flag, value())),
    "--duration": (p, value) => {
        const m = /^(.+):(create|update|delete)=(\d+)$/.exec(value());
        if (!m) fail("--duration expects TYPE:OPERATION=MS, e.g. AWS::Logs::LogGroup:create=500 or *:delete=0");
        p.durations[m[1]] = { ...p.durations[m[1]], [m[2]]: Number(m[3]) };
    },
    "--profile": (p, value, flag) => (p.options.profile = choice(flag, value(), ["aws", "strict"] as const)),
    "--retry-after": (p, value, flag) => (p.options.retryAfter = choice(flag, value(), ["status", "all", "none"] as const)),
    "--no-retry-after": (p) => (p.options.retryAfter = "none"),
    "--identifier": (p, value, flag) => (p.options.identifier = choice(flag, value(), ["early", "late"] as const)),
    "--resource-model": (p) => (p.options.resourceModel = true),
    "--cancel-discards-work": (p) => (p.options.cancelKeepsWork = false),
    "--initial-status": (p, value, flag) => (p.options.initialStatus = choice(flag, value(), ["IN_PROGRESS", "PENDING"] as const)),
    "--seed": (p, value, flag) => (p.options.seed = integer(flag, value())),
    "--fault": (p, value) => p.faults.push(parseFault(value())),
    "--hook": (p, value) => p.hooks.push(parseHook(value())),
    "--rate-limit": (p, value, flag) => (p.rate = integer(flag, value(), 1)),
    "--rate-burst": (p, value, flag) => (p.burst = integer(flag, value(), 1)),
    "--state-file": (p, value) => (p.options.stateFile = value()),
    "--region": (p, value) => (p.options.region = value()),
    "--account-id": (p, value) => {
        p.options.accountId = value();
        if (!/^\d{12}$/.test(p.options.accountId)) fail("--account-id expects 12 digits");
    },
};

/** Parses the command line (without node and script). */
export function parseCliArgs(argv: string[]): CliOptions {
    const p: ParsedArgs = { options: { port: 0 }, durations: {}, faults: [], hooks: [], help: false };
    for (let i = 0; i < argv.length; i++) {
        const raw = argv[i];
        const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
        const flag = eq > 0 ? raw.slice(0, eq) : raw;
        const value = (): string => {
            if (eq > 0) return raw.slice(eq + 1);
            const v = argv[++i];
            if (v === undefined) fail(`${flag} expects a value`);
            return v;
        };
        const handler = Object.prototype.hasOwnProperty.call(flagHandlers, flag) ? flagHandlers[flag] : undefined;
        if (!handler) fail(`unknown option ${flag} (see --help)`);
        handler(p, value, flag);
    }
    const { options, rate, burst } = p;
    if (Object.keys(p.durations).length > 0) options.durations = p.durations;
    if (p.faults.length > 0) options.faults = p.faults;
    if (p.hooks.length > 0) options.hooks = p.hooks;
    if (burst !== undefined && rate === undefined) fail("--rate-burst needs --rate-limit");
    if (rate !== undefined) options.rateLimit = { requestsPerSecond: rate, ...(burst !== undefined ? { burst } : {}) };
    return { help: p.help, options };
}

/** The lines the CLI prints once listening: the endpoint and the environment to export (the emulator's `env`). */
export function environmentLines(endpoint: string, env: Readonly<Record<string, string>>): string[] {
    return [
        `Cloud Control emulator listening on ${endpoint}`,
        "Export this environment to point the AWS SDK and CLI at it:",
        ...Object.entries(env).map(([k, v]) => `export ${k}=${v}`),
    ];
}

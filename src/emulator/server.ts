/**
 * HTTP plumbing: AWS JSON 1.0 (Cloud Control) and awsQuery (CloudFormation DescribeType) on one endpoint,
 * with fault injection, the rate limit and the request log applied to every request.
 */
import * as http from "http";
import { randomUUID } from "crypto";
import { answerQuery, errorAnswer } from "./describe-type";
import { ApiError } from "./errors";
import { FaultInjector, TokenBucket } from "./faults";
import { validateInput } from "./input";
import { SchemaRegistry } from "./schemas";
import { CloudControlService } from "./service";
import type { FaultRule, RequestLogEntry } from "./types";

/** Largest request body accepted (bytes); Cloud Control's own limits are far below it. */
const MAX_BODY = 5 * 1024 * 1024;

type Json = Record<string, any>;

const operations: Record<string, (s: CloudControlService, input: Json) => Json> = {
    CreateResource: (s, i) => s.createResource(i),
    GetResource: (s, i) => s.getResource(i),
    UpdateResource: (s, i) => s.updateResource(i),
    DeleteResource: (s, i) => s.deleteResource(i),
    ListResources: (s, i) => s.listResources(i),
    GetResourceRequestStatus: (s, i) => s.getResourceRequestStatus(i),
    ListResourceRequests: (s, i) => s.listResourceRequests(i),
    CancelResourceRequest: (s, i) => s.cancelResourceRequest(i),
};

/** What the server needs from the emulator around it. */
export interface ServerContext {
    service: CloudControlService;
    schemas: SchemaRegistry;
    faults: FaultInjector;
    region: string;
    getRateLimit(): TokenBucket | undefined;
    log(entry: RequestLogEntry): void;
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY) {
                resolve(undefined);
                req.resume();
                return;
            }
            chunks.push(c);
        });
        req.on("end", () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
        req.on("error", reject);
    });
}

/**
 * Date header on the emulator clock (`now`, epoch ms), as RetryAfter and EventTime are: the SDK measures its clock
 * skew from Date, so a wall-clock Date after advanceClock would put every RetryAfter in the client's future.
 */
function dateHeader(now: number): string {
    return new Date(now).toUTCString();
}

function sendJson(res: http.ServerResponse, now: number, status: number, body: Json, extraHeaders: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
        "content-type": "application/x-amz-json-1.0",
        "content-length": Buffer.byteLength(text),
        "x-amzn-requestid": randomUUID(),
        date: dateHeader(now),
        ...extraHeaders,
    });
    res.end(text);
}

function sendError(res: http.ServerResponse, now: number, err: ApiError): void {
    sendJson(res, now, err.status, { __type: err.qualifiedType, Message: err.message }, { "x-amzn-errortype": err.code });
}

function sendXml(res: http.ServerResponse, now: number, status: number, body: string): void {
    res.writeHead(status, {
        "content-type": "text/xml",
        "content-length": Buffer.byteLength(body),
        "x-amzn-requestid": randomUUID(),
        date: dateHeader(now),
    });
    res.end(body);
}

function faultError(rule: FaultRule): ApiError | undefined {
    switch (rule.kind) {
        case "throttle":
            return new ApiError("ThrottlingException", "Rate exceeded", 400);
        case "throttle429":
            return new ApiError("ThrottlingException", "Rate exceeded", 429);
        case "concurrent":
            return new ApiError("ConcurrentOperationException", "Another resource operation is in progress for this resource.");
        case "server": {
            const status = rule.status ?? 500;
            const code =
                status === 500
                    ? "InternalFailure"
                    : status === 502
                      ? "ServiceInternalErrorException"
                      : status === 503
                        ? "ServiceUnavailable"
                        : "GatewayTimeout";
            return new ApiError(code, "Injected server fault", status);
        }
        default:
            return undefined;
    }
}

/** Creates the HTTP server (not yet listening). */
export function createServer(ctx: ServerContext): http.Server {
    // Slow-fault timers are dropped on close, so a closed emulator does not hold the process open.
    const timers = new Set<NodeJS.Timeout>();
    const delay = (ms: number) =>
        new Promise<void>((resolve) => {
            const t = setTimeout(() => {
                timers.delete(t);
                resolve();
            }, ms);
            timers.add(t);
        });
    const server = http.createServer((req, res) => {
        handle(ctx, req, res, delay).catch((e) => {
            // Never crash the server: an unexpected failure is an InternalFailure for this request only.
            if (!res.headersSent)
                sendError(res, ctx.service.now(), new ApiError("InternalFailure", `Internal error: ${(e as Error).message}`, 500));
            else res.destroy();
        });
    });
    server.on("close", () => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
    });
    return server;
}

/** The Cloud Control operation named by X-Amz-Target and its JSON input, or the error the service answers. */
function parseJsonRequest(target: string | string[] | undefined, text: string): { operation: string; input: Json; error?: ApiError } {
    const t = typeof target === "string" ? target : "";
    const [prefix, op] = t.split(".");
    const operation = op || "Unknown";
    if (!t) return { operation, input: {}, error: new ApiError("UnknownOperationException", "Missing x-amz-target header") };
    if (prefix !== "CloudApiService" || !op || !(op in operations)) {
        return { operation, input: {}, error: new ApiError("UnknownOperationException", `Unknown operation ${t}`) };
    }
    if (text.trim() === "") return { operation, input: {} };
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return { operation, input: {}, error: new ApiError("SerializationException", "Request body is not valid JSON") };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return { operation, input: {}, error: new ApiError("SerializationException", "Request body must be a JSON object") };
    }
    return { operation, input: parsed as Json };
}

async function handle(
    ctx: ServerContext,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    delay: (ms: number) => Promise<void>,
): Promise<void> {
    const body = await readBody(req);
    const time = ctx.service.now();
    const entry: RequestLogEntry = { time, operation: "Unknown", httpStatus: 0 };
    const finish = (status: number, error?: string) => {
        entry.httpStatus = status;
        if (error) entry.error = error;
        ctx.log(entry);
    };
    const fail = (err: ApiError) => {
        sendError(res, ctx.service.now(), err);
        finish(err.status, err.code);
    };
    if (body === undefined) return fail(new ApiError("SerializationException", "Request body too large", 413));
    const contentType = String(req.headers["content-type"] ?? "");
    const text = body.toString("utf8");
    const target = req.headers["x-amz-target"];
    const isQuery = target === undefined && (contentType.startsWith("application/x-www-form-urlencoded") || /^Action=/.test(text));

    if (req.method !== "POST") return fail(new ApiError("UnknownOperationException", "Only POST is supported", 404));
    if (!req.headers.authorization) {
        return fail(new ApiError("MissingAuthenticationTokenException", "Missing Authentication Token", 400));
    }

    // Identify the operation and its input before faults, so rules can match on them.
    let operation: string | undefined;
    let input: Json = {};
    let params: URLSearchParams | undefined;
    if (isQuery) {
        params = new URLSearchParams(text);
        operation = params.get("Action") ?? "Unknown";
        entry.operation = operation;
        entry.typeName = params.get("TypeName") ?? undefined;
    } else {
        const parsed = parseJsonRequest(target, text);
        entry.operation = parsed.operation;
        if (parsed.error) return fail(parsed.error);
        operation = parsed.operation;
        input = parsed.input;
        if (typeof input.TypeName === "string") entry.typeName = input.TypeName;
        if (typeof input.Identifier === "string") entry.identifier = input.Identifier;
        if (typeof input.RequestToken === "string") entry.requestToken = input.RequestToken;
    }

    const rule = ctx.faults.draw(operation, entry.typeName, false);
    if (rule?.kind === "reset") {
        finish(0, "reset");
        req.socket.destroy();
        return;
    }
    if (rule?.kind === "slow") await delay(rule.delayMs);
    // Faults and throttles speak the protocol of the request: JSON for Cloud Control, XML for CloudFormation.
    const failInProtocol = (err: ApiError) => {
        if (!params) return fail(err);
        const code = err.code === "ThrottlingException" ? "Throttling" : err.code.replace(/Exception$/, "") || err.code;
        const answer = errorAnswer(err.status, code, err.message, err.status < 500);
        sendXml(res, ctx.service.now(), answer.status, answer.body);
        finish(answer.status, code);
    };
    const injected = rule ? faultError(rule) : undefined;
    if (injected) return failInProtocol(injected);
    const bucket = ctx.getRateLimit();
    if (bucket && !bucket.take()) return failInProtocol(new ApiError("ThrottlingException", "Rate exceeded", 400));

    if (params) {
        const answer = answerQuery(params, ctx.schemas, ctx.region);
        sendXml(res, ctx.service.now(), answer.status, answer.body);
        return finish(answer.status, answer.error);
    }
    let out: Json;
    try {
        validateInput(operation, input);
        out = operations[operation](ctx.service, input);
    } catch (e) {
        if (e instanceof ApiError) return fail(e);
        throw e;
    }
    const event = out.ProgressEvent as Json | undefined;
    if (event) {
        entry.operationStatus = event.OperationStatus;
        entry.requestToken = event.RequestToken;
        if (event.Identifier) entry.identifier = event.Identifier;
    }
    if (rule?.kind === "lost") {
        finish(0, "lost");
        req.socket.destroy();
        return;
    }
    sendJson(res, ctx.service.now(), 200, out);
    finish(200);
}

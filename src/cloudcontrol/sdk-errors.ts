/**
 * Which exceptions thrown by `client.send()` are worth trying again. Mirrors the SDK's own classification
 * (@smithy retry: throttling names, 5xx, Node network codes) which is not a public import; the SDK has already
 * retried these itself by the time we see them, so callers add their own, longer backoff on top.
 */

const THROTTLING_NAMES = new Set([
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "ThrottledException",
    "TransactionInProgressException",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "PriorRequestNotComplete",
]);
const TRANSIENT_NAMES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED", "ERR_HTTP2_STREAM_ERROR"]);

interface SdkErrorLike {
    name?: string;
    code?: string;
    message?: string;
    cause?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
}

function asSdkError(err: unknown): SdkErrorLike | undefined {
    return typeof err === "object" && err !== null ? (err as SdkErrorLike) : undefined;
}

/** The exception's name ("ThrottlingException", "ResourceNotFoundException", "Error", ...). */
export function errorName(err: unknown): string {
    const e = asSdkError(err);
    return e?.name && e.name !== "Error" ? e.name : e?.code ?? e?.name ?? "Error";
}

/** HTTP status of a service exception, when there was a response. */
export function httpStatus(err: unknown): number | undefined {
    return asSdkError(err)?.$metadata?.httpStatusCode;
}

/** True for cancellation through an AbortSignal (ours or the caller's). */
export function isAbortError(err: unknown): boolean {
    const name = asSdkError(err)?.name;
    return name === "AbortError";
}

/** True for throttling by name or by HTTP 429. */
export function isThrottlingError(err: unknown): boolean {
    const e = asSdkError(err);
    if (!e) return false;
    return httpStatus(err) === 429 || THROTTLING_NAMES.has(e.name ?? "");
}

/** True for errors that say nothing about the request itself: throttling, 5xx, timeouts, dropped connections. */
export function isTransientError(err: unknown, depth = 0): boolean {
    const e = asSdkError(err);
    if (!e || isAbortError(err)) return false;
    const status = httpStatus(err) ?? 0;
    return (
        isThrottlingError(err) ||
        (status >= 500 && status <= 599) ||
        TRANSIENT_NAMES.has(e.name ?? "") ||
        NETWORK_CODES.has(e.code ?? "") ||
        (e.$retryable !== undefined && e.$retryable !== false) ||
        (e.cause !== undefined && depth < 5 && isTransientError(e.cause, depth + 1))
    );
}

/** The exception's message, trimmed to a sane length for error text. */
export function errorMessage(err: unknown): string {
    const msg = asSdkError(err)?.message ?? String(err);
    return msg.length > 500 ? `${msg.slice(0, 500)}…` : msg;
}

/**
 * Which exceptions thrown by `client.send()` are worth trying again: the SDK's own classification
 * (@smithy/core/retry, the functions its retry strategy uses: throttling by name, 429 or trait; transient by
 * 500/502/503/504, timeouts and Node network codes). By the time we see an error the SDK has already retried it
 * itself; the retry module (retry.ts) adds its own, longer backoff on top, up to the operation's deadline.
 */
import { isThrottlingError as sdkIsThrottling, isTransientError as sdkIsTransient } from "@smithy/core/retry";

interface SdkErrorLike {
    name?: string;
    code?: string;
    message?: string;
}

function asSdkError(err: unknown): SdkErrorLike | undefined {
    return typeof err === "object" && err !== null ? (err as SdkErrorLike) : undefined;
}

/** The exception's name ("ThrottlingException", "ResourceNotFoundException", "Error", ...). */
export function errorName(err: unknown): string {
    const e = asSdkError(err);
    return e?.name && e.name !== "Error" ? e.name : (e?.code ?? e?.name ?? "Error");
}

/** True for cancellation through an AbortSignal (ours or the caller's). */
export function isAbortError(err: unknown): boolean {
    return asSdkError(err)?.name === "AbortError";
}

/** True for throttling, as the SDK classifies it (by name, HTTP 429 or the throttling trait). */
export function isThrottlingError(err: unknown): boolean {
    const e = asSdkError(err);
    return e !== undefined && sdkIsThrottling(e as Parameters<typeof sdkIsThrottling>[0]);
}

/** True for errors that say nothing about the request itself: throttling, 5xx, timeouts, dropped connections. */
export function isTransientError(err: unknown): boolean {
    const e = asSdkError(err);
    if (!e || isAbortError(err)) return false;
    return isThrottlingError(err) || sdkIsTransient(e as Parameters<typeof sdkIsTransient>[0]);
}

/** The exception's message, trimmed to a sane length for error text. */
export function errorMessage(err: unknown): string {
    const msg = asSdkError(err)?.message ?? String(err);
    return msg.length > 500 ? `${msg.slice(0, 500)}…` : msg;
}

/**
 * Whether a CancelResourceRequest error means the request can no longer be cancelled, so asking again is useless:
 * ConcurrentModificationException (HTTP 500, which the SDK would retry) in the model, or the ValidationException
 * "Request ... is already in status SUCCESS" AWS answers for a finished request (as recorded).
 */
export function isUncancellable(err: unknown): boolean {
    const name = errorName(err);
    return name === "ConcurrentModificationException" || (name === "ValidationException" && /is already in status/.test(errorMessage(err)));
}

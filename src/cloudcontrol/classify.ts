import type { HookProgressEvent, Outcome, OutcomeKind, ProgressEvent } from "./types";

/**
 * What a FAILED ProgressEvent's ErrorCode means for the caller (the table "What each Cloud Control outcome does" in README.md).
 * Codes not listed (new ones AWS may add) fail: retrying an unknown failure risks repeating a harmful call.
 */
export const ERROR_CODE_OUTCOMES: Readonly<Record<string, OutcomeKind>> = Object.freeze({
    NotUpdatable: "replace",
    NotFound: "gone",
    Throttling: "retry",
    ServiceInternalError: "retry",
    InternalFailure: "retry",
    NetworkFailure: "retry",
    ServiceTimeout: "retry",
    NotStabilized: "retry",
    ResourceConflict: "retry",
    AlreadyExists: "fail",
    InvalidRequest: "fail",
    AccessDenied: "fail",
    InvalidCredentials: "fail",
    UnauthorizedTaggingOperation: "fail",
    ServiceLimitExceeded: "fail",
    GeneralServiceException: "fail",
});

/** What to do about each ErrorCode, in words a person can act on. */
const ADVICE: Readonly<Record<string, string>> = {
    NotUpdatable: "a property that cannot change in place changed; the resource must be replaced",
    Throttling: "the resource's service throttled the handler; the request can be retried",
    ServiceInternalError: "the resource's service had an internal error; the request can be retried",
    InternalFailure: "the resource handler failed internally; the request can be retried",
    NetworkFailure: "the resource handler hit a network failure; the request can be retried",
    ServiceTimeout: "the resource's service timed out; the request can be retried",
    NotStabilized: "the resource did not stabilize in time; the request can be retried",
    ResourceConflict: "the resource is busy with another change; the request can be retried",
    AlreadyExists: "a resource with the same identifier already exists; import it or choose another name",
    InvalidRequest: "the desired state was rejected as invalid; correct it and try again",
    AccessDenied: "the credentials (or the RoleArn) lack a permission this operation needs; grant it and try again",
    InvalidCredentials: "the credentials were rejected; check the AWS profile, keys or role",
    UnauthorizedTaggingOperation: "the credentials may not tag this resource; grant the tagging permissions or drop the tags",
    ServiceLimitExceeded: "an account quota was reached; raise the quota or remove unused resources",
    GeneralServiceException: "the resource's service rejected the request; see its message",
};

const FAILED_HOOK_STATUSES = new Set(["HOOK_COMPLETE_FAILED", "HOOK_FAILED"]);

function withServiceMessage(text: string, statusMessage: string | undefined): string {
    return statusMessage ? `${text}. Cloud Control said: ${statusMessage}` : `${text}.`;
}

function hookLabel(hook: HookProgressEvent): string {
    return hook.HookTypeName ?? hook.HookTypeArn ?? "unnamed hook";
}

function hookMessage(hook: HookProgressEvent): string {
    const point = hook.InvocationPoint ? ` (${hook.InvocationPoint})` : "";
    const detail = hook.HookStatusMessage ? `: ${hook.HookStatusMessage}` : "";
    return `hook ${hookLabel(hook)}${point} ${hook.HookStatus === "HOOK_FAILED" ? "could not complete" : "failed"}${detail}`;
}

/** Failed hook invocations with the given failure mode. */
export function failedHooks(hooks: readonly HookProgressEvent[] | undefined, mode: "FAIL" | "WARN"): HookProgressEvent[] {
    return (hooks ?? []).filter((h) => FAILED_HOOK_STATUSES.has(h.HookStatus ?? "") && (h.FailureMode ?? "FAIL") === mode);
}

/** One warning line per failed WARN-mode hook. */
export function hookWarnings(hooks: readonly HookProgressEvent[] | undefined): string[] {
    return failedHooks(hooks, "WARN").map((h) => `${hookMessage(h)} (FailureMode WARN: the request went on)`);
}

/**
 * Classifies a ProgressEvent (and the hook events GetResourceRequestStatus returned with it) into an {@link Outcome}:
 * SUCCESS → success; PENDING, IN_PROGRESS, CANCEL_IN_PROGRESS → pending; CANCEL_COMPLETE → cancelled; FAILED →
 * by ErrorCode ({@link ERROR_CODE_OUTCOMES}), except that a failed hook with FailureMode FAIL makes it fail, naming
 * the hook. Failed WARN-mode hooks become warnings whatever the status.
 */
export function classifyProgressEvent(event: ProgressEvent, hooks?: readonly HookProgressEvent[]): Outcome {
    const warnings = hookWarnings(hooks);
    const status = event.OperationStatus;
    const what = `${event.Operation ?? "Request"} ${event.TypeName ?? ""}${event.Identifier ? ` ${event.Identifier}` : ""}`
        .replace(/\s+/g, " ")
        .trim();
    switch (status) {
        case "SUCCESS":
            return { kind: "success", message: `${what} succeeded.`, warnings };
        case "PENDING":
        case "IN_PROGRESS":
        case "CANCEL_IN_PROGRESS":
            return { kind: "pending", message: withServiceMessage(`${what} is ${status}`, event.StatusMessage), warnings };
        case "CANCEL_COMPLETE":
            return { kind: "cancelled", message: withServiceMessage(`${what} was cancelled`, event.StatusMessage), warnings };
        case "FAILED": {
            const blocking = failedHooks(hooks, "FAIL");
            if (blocking.length > 0) {
                return {
                    kind: "fail",
                    errorCode: hookLabel(blocking[0]),
                    message: withServiceMessage(
                        `${what} failed: ${blocking.map(hookMessage).join("; ")}; fix what the hook reports, or change its configuration`,
                        event.StatusMessage,
                    ),
                    warnings,
                };
            }
            const code = event.ErrorCode;
            if (code === "NotFound") {
                const text =
                    event.Operation === "DELETE"
                        ? `${what}: the resource was already gone`
                        : `${what} failed: the resource no longer exists (deleted outside this program?)`;
                return { kind: "gone", errorCode: code, message: withServiceMessage(text, event.StatusMessage), warnings };
            }
            const kind = (code && ERROR_CODE_OUTCOMES[code]) || "fail";
            const advice = (code && ADVICE[code]) || "the request failed";
            return {
                kind,
                errorCode: code,
                message: withServiceMessage(`${what} failed with ${code ?? "no error code"}: ${advice}`, event.StatusMessage),
                warnings,
            };
        }
        default:
            // An unknown status must not be mistaken for success or failure: keep waiting (the deadline bounds it).
            return { kind: "pending", message: `${what} has status ${status ?? "(none)"}.`, warnings };
    }
}

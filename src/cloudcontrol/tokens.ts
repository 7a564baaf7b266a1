import { randomUUID } from "crypto";
import { CloudControlError } from "./errors";

/** What Cloud Control accepts as a ClientToken. */
export const CLIENT_TOKEN_PATTERN = /^[-A-Za-z0-9+/=]+$/;
/** The longest ClientToken Cloud Control accepts (its model: 1 to 128 characters). */
export const CLIENT_TOKEN_MAX_LENGTH = 128;

/** Throws a clear error unless `token` is a valid ClientToken. */
export function assertClientToken(token: string, context: string): void {
    if (!CLIENT_TOKEN_PATTERN.test(token) || token.length > CLIENT_TOKEN_MAX_LENGTH) {
        throw new CloudControlError(
            `${context}: clientToken must be 1-${CLIENT_TOKEN_MAX_LENGTH} characters of [-A-Za-z0-9+/=] (got ${token.length} characters)`,
            { outcome: "fail" },
        );
    }
}

/**
 * The ClientToken of attempt `attempt` (1-based) of an operation whose caller chose `base`. Attempt 1 uses `base`
 * itself, later ones `${base}-${attempt}`: deterministic, so a process that crashed mid-retry and runs again replays
 * the same requests (Cloud Control answers a known token with the request it already has) instead of starting new
 * ones. A base too long for the suffix keeps its first characters.
 */
export function attemptToken(base: string, attempt: number): string {
    if (attempt <= 1) return base;
    const suffix = `-${attempt}`;
    return base.slice(0, CLIENT_TOKEN_MAX_LENGTH - suffix.length) + suffix;
}

/** A fresh token for callers that gave none (still reused across the retries of one call). */
export function newClientToken(): string {
    return randomUUID();
}

import { CloudControlError } from "./errors";

const DURATION = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/;

/**
 * Parses a duration: a number of seconds, or a string of seconds ("90") or hours/minutes/seconds ("1h30m", "30m",
 * "45s"). Returns the seconds (> 0, finite), or undefined for anything else. The one parser of the project: the
 * provider's `timeouts` and the library's `timeout` options both go through it.
 */
export function parseDuration(value: unknown): number | undefined {
    if (typeof value === "number") {
        return Number.isFinite(value) && value > 0 ? value : undefined;
    }
    if (typeof value !== "string") {
        return undefined;
    }
    const text = value.trim();
    if (/^\d+(?:\.\d+)?$/.test(text)) {
        const seconds = Number(text);
        return seconds > 0 ? seconds : undefined;
    }
    const match = DURATION.exec(text);
    if (!text || !match) {
        return undefined;
    }
    const [, h, m, s] = match;
    const seconds = Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
    return seconds > 0 ? seconds : undefined;
}

/** A `timeout` option: seconds (0 and Infinity allowed) or a duration string such as "10m", "1h30m", "90s". */
export type Timeout = number | string;

/**
 * The seconds of a `timeout` option, undefined when absent. Numbers keep their meaning (>= 0; Infinity: no
 * deadline); strings are parsed by {@link parseDuration}. Anything else is a clear error naming `context`.
 */
export function timeoutSeconds(timeout: unknown, context: string): number | undefined {
    if (timeout === undefined) return undefined;
    if (typeof timeout === "number" && timeout >= 0) return timeout;
    const parsed = typeof timeout === "string" ? parseDuration(timeout) : undefined;
    if (parsed !== undefined) return parsed;
    const got = typeof timeout === "string" ? JSON.stringify(timeout) : typeof timeout === "number" ? String(timeout) : typeof timeout;
    throw new CloudControlError(
        `${context}: timeout must be a number of seconds >= 0 or a duration such as "90s", "10m" or "1h30m" (got ${got})`,
        {
            outcome: "fail",
        },
    );
}

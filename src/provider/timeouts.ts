import type { Timeouts } from "./types";

const DURATION = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/;

/**
 * Parses a timeout: a number of seconds, or a string of seconds ("90") or hours/minutes/seconds ("1h30m", "30m",
 * "45s"). Returns undefined for anything else (check reports it).
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

/** The deadline in seconds for one operation, or undefined for the Cloud Control layer's default. */
export function operationTimeout(timeouts: Timeouts | undefined, operation: keyof Timeouts): number | undefined {
    return timeouts ? parseDuration(timeouts[operation]) : undefined;
}

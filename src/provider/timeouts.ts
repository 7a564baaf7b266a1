import { parseDuration } from "../cloudcontrol/duration";
import type { Timeouts } from "./types";

// The parser lives in the Cloud Control layer (the library's waitForRequest takes the same durations).
export { parseDuration };

/** The deadline in seconds for one operation, or undefined for the Cloud Control layer's default. */
export function operationTimeout(timeouts: Timeouts | undefined, operation: keyof Timeouts): number | undefined {
    return timeouts ? parseDuration(timeouts[operation]) : undefined;
}

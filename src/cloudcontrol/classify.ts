import type { Outcome, ProgressEvent } from "./types";
/** Classifies a ProgressEvent into an {@link Outcome}. (stub: owned by the operations issue) */
export function classifyProgressEvent(_event: ProgressEvent): Outcome {
    throw new Error("not implemented");
}

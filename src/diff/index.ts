import type { Operation } from "fast-json-patch";
import type { RegistrySchema, ResourceSchema } from "../schema/types";
// stubs: owned by the diff issue

/** The value Pulumi passes for unknown inputs during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Result of {@link diffDesiredState}. */
export interface DesiredStateDiff {
    changes: boolean;
    /** JSON pointers (relative to properties) of create-only paths that changed. */
    replaces: string[];
    patch: Operation[];
    deleteBeforeReplace: boolean;
    /** Readable one-line summaries of each change (no values of write-only paths). */
    summary: string[];
}

/** RFC 6902 patch from old to new desired state that Cloud Control accepts. */
export function computePatch(_oldState: unknown, _newState: unknown, _schema?: RegistrySchema | ResourceSchema): Operation[] {
    throw new Error("not implemented");
}
/** Compares two desired states. */
export function diffDesiredState(_oldState: unknown, _newState: unknown, _schema?: RegistrySchema | ResourceSchema): DesiredStateDiff {
    throw new Error("not implemented");
}
/**
 * Inputs reconciled with a live model (for read/refresh/import): values from the live model on writable paths,
 * write-only values kept from the old inputs, read-only values dropped.
 */
export function reconcileInputs(_oldInputs: Record<string, unknown> | undefined, _live: Record<string, unknown>, _schema: RegistrySchema | ResourceSchema): Record<string, unknown> {
    throw new Error("not implemented");
}

// Schema-aware desired-state diff and RFC 6902 patches: re-exports only.
export { UNKNOWN, containsUnknown } from "./unknown";
export { computePatch, diffDesiredState, DesiredStateDiff, identifierKept } from "./desired-state";
export { reconcileInputs } from "./reconcile";

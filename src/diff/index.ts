// Schema-aware desired-state diff and RFC 6902 patches: re-exports only.
export { UNKNOWN, containsUnknown } from "./unknown";
export { computePatch, diffDesiredState, DesiredStateDiff } from "./desired-state";
export { reconcileInputs } from "./reconcile";

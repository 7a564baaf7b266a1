/**
 * Configured CloudFormation hooks: which run on a mutating request, and the HooksProgressEvent entries they add.
 */
import type { Placement } from "./model";
import type { StoredHookEvent } from "./state";
import type { EmulatedOperation, HookConfig } from "./types";

/** Runs the hooks matching a request; `failed` is the first failing hook in FAIL mode (which fails the request). */
export function runHooks(
    hooks: HookConfig[],
    typeName: string,
    op: EmulatedOperation,
    time: number,
    where: Placement,
): { events: StoredHookEvent[]; failed?: StoredHookEvent } {
    const events: StoredHookEvent[] = [];
    let failed: StoredHookEvent | undefined;
    for (const hook of hooks) {
        if (hook.typeName && hook.typeName !== typeName) continue;
        if (hook.operations && !hook.operations.includes(op)) continue;
        const fails = hook.fails ?? true;
        const event: StoredHookEvent = {
            HookTypeName: hook.name,
            HookTypeVersionId: "00000001",
            HookTypeArn: `arn:aws:cloudformation:${where.region}:${where.accountId}:type/hook/${hook.name.replace(/::/g, "-")}`,
            InvocationPoint: "PRE_PROVISION",
            HookStatus: fails ? "HOOK_COMPLETE_FAILED" : "HOOK_COMPLETE_SUCCEEDED",
            HookEventTime: time / 1000,
            FailureMode: hook.failureMode,
            HookStatusMessage: hook.message ?? (fails ? `Hook ${hook.name} failed` : `Hook ${hook.name} succeeded`),
        };
        events.push(event);
        if (fails && hook.failureMode === "FAIL" && !failed) failed = event;
    }
    return { events, failed };
}

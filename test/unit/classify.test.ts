import * as assert from "assert";
import { HandlerErrorCode } from "@aws-sdk/client-cloudcontrol";
import { classifyProgressEvent, ERROR_CODE_OUTCOMES } from "../../src/cloudcontrol/classify";
import type { HookProgressEvent, OutcomeKind, ProgressEvent } from "../../src/cloudcontrol/types";

function failed(code: string, operation: ProgressEvent["Operation"] = "CREATE", extra: Partial<ProgressEvent> = {}): ProgressEvent {
    return {
        TypeName: "AWS::Logs::LogGroup",
        Operation: operation,
        OperationStatus: "FAILED",
        ErrorCode: code as ProgressEvent["ErrorCode"],
        RequestToken: "tok",
        ...extra,
    };
}

describe("classifyProgressEvent", () => {
    const table: [string, OutcomeKind][] = [
        ["NotUpdatable", "replace"],
        ["NotFound", "gone"],
        ["Throttling", "retry"],
        ["ServiceInternalError", "retry"],
        ["InternalFailure", "retry"],
        ["NetworkFailure", "retry"],
        ["ServiceTimeout", "retry"],
        ["NotStabilized", "retry"],
        ["ResourceConflict", "retry"],
        ["AlreadyExists", "fail"],
        ["InvalidRequest", "fail"],
        ["AccessDenied", "fail"],
        ["InvalidCredentials", "fail"],
        ["UnauthorizedTaggingOperation", "fail"],
        ["ServiceLimitExceeded", "fail"],
        ["GeneralServiceException", "fail"],
    ];
    for (const [code, kind] of table) {
        it(`FAILED ${code} → ${kind}`, () => {
            const outcome = classifyProgressEvent(failed(code, "UPDATE", { StatusMessage: "handler says why" }));
            assert.strictEqual(outcome.kind, kind);
            assert.strictEqual(outcome.errorCode, code);
            assert.match(outcome.message, /handler says why/);
            assert.deepStrictEqual(outcome.warnings, []);
        });
    }

    it("has an explicit outcome for every handler ErrorCode the SDK knows", () => {
        assert.deepStrictEqual(Object.keys(ERROR_CODE_OUTCOMES).sort(), Object.values(HandlerErrorCode).sort());
        assert.deepStrictEqual(table.map(([c]) => c).sort(), Object.values(HandlerErrorCode).sort());
    });

    it("fails (does not retry) an ErrorCode it does not know, or a FAILED event without one", () => {
        assert.strictEqual(classifyProgressEvent(failed("SomethingNew")).kind, "fail");
        const none = classifyProgressEvent({ OperationStatus: "FAILED", Operation: "CREATE", TypeName: "AWS::S3::Bucket" });
        assert.strictEqual(none.kind, "fail");
        assert.match(none.message, /no error code/);
    });

    it("maps the operation statuses", () => {
        const kinds = (["SUCCESS", "PENDING", "IN_PROGRESS", "CANCEL_IN_PROGRESS", "CANCEL_COMPLETE"] as const).map(
            (s) => classifyProgressEvent({ OperationStatus: s }).kind,
        );
        assert.deepStrictEqual(kinds, ["success", "pending", "pending", "pending", "cancelled"]);
    });

    it("keeps waiting on an unknown status rather than guessing", () => {
        assert.strictEqual(classifyProgressEvent({ OperationStatus: "SOMETHING" as ProgressEvent["OperationStatus"] }).kind, "pending");
    });

    it("words NotFound as done for a delete and as vanished for an update, without assuming Pulumi", () => {
        assert.match(classifyProgressEvent(failed("NotFound", "DELETE")).message, /already gone/);
        const vanished = classifyProgressEvent(failed("NotFound", "UPDATE", { Identifier: "grp" })).message;
        assert.match(vanished, /UPDATE AWS::Logs::LogGroup grp failed: the resource no longer exists \(deleted outside this program\?\)/);
        assert.doesNotMatch(vanished, /refresh|Pulumi|stack|state/i);
    });

    it("names the operation, type and identifier, and never the resource model", () => {
        const outcome = classifyProgressEvent(
            failed("InvalidRequest", "CREATE", { Identifier: "my-id", ResourceModel: '{"Secret":"hunter2"}' }),
        );
        assert.match(outcome.message, /^CREATE AWS::Logs::LogGroup my-id failed with InvalidRequest/);
        assert.doesNotMatch(outcome.message, /hunter2/);
    });

    describe("hooks", () => {
        const hook = (mode: "FAIL" | "WARN", status: string, name = "Private::Guard::Check", msg = "tags missing"): HookProgressEvent => ({
            HookTypeName: name,
            FailureMode: mode,
            HookStatus: status,
            HookStatusMessage: msg,
            InvocationPoint: "PRE_PROVISION",
        });

        it("a failed FAIL-mode hook fails the request, naming the hook and its message, even for a retryable code", () => {
            const outcome = classifyProgressEvent(failed("Throttling"), [hook("FAIL", "HOOK_COMPLETE_FAILED")]);
            assert.strictEqual(outcome.kind, "fail");
            assert.strictEqual(outcome.errorCode, "Private::Guard::Check");
            assert.match(outcome.message, /hook Private::Guard::Check \(PRE_PROVISION\) failed: tags missing/);
        });

        it("HOOK_FAILED (the hook could not run) also fails under FailureMode FAIL", () => {
            const outcome = classifyProgressEvent(failed("GeneralServiceException"), [
                hook("FAIL", "HOOK_FAILED", "Org::Hook", "timed out"),
            ]);
            assert.strictEqual(outcome.errorCode, "Org::Hook");
            assert.match(outcome.message, /could not complete: timed out/);
        });

        it("a passing FAIL-mode hook changes nothing", () => {
            const outcome = classifyProgressEvent(failed("Throttling"), [hook("FAIL", "HOOK_COMPLETE_SUCCEEDED")]);
            assert.strictEqual(outcome.kind, "retry");
            assert.strictEqual(outcome.errorCode, "Throttling");
        });

        it("a failed WARN-mode hook becomes a warning and the request's own status decides", () => {
            const warn = [hook("WARN", "HOOK_COMPLETE_FAILED", "Org::Warn", "no cost tag")];
            const success = classifyProgressEvent({ OperationStatus: "SUCCESS" }, warn);
            assert.strictEqual(success.kind, "success");
            assert.deepStrictEqual(success.warnings.length, 1);
            assert.match(success.warnings[0], /Org::Warn.*no cost tag.*WARN/);
            assert.strictEqual(classifyProgressEvent({ OperationStatus: "IN_PROGRESS" }, warn).warnings.length, 1);
        });

        it("a failed FAIL-mode hook on a request still in progress waits for the request's final status", () => {
            assert.strictEqual(
                classifyProgressEvent({ OperationStatus: "IN_PROGRESS" }, [hook("FAIL", "HOOK_COMPLETE_FAILED")]).kind,
                "pending",
            );
        });
    });
});

import * as assert from "assert";
import { CreateResourceCommand, DeleteResourceCommand, GetResourceRequestStatusCommand } from "@aws-sdk/client-cloudcontrol";
import { Emulator, startEmulator } from "../../src/emulator";
import { cloudControl } from "../fixtures/emulator/sdk";

describe("emulator hooks: HooksRequestToken and HooksProgressEvent, FAIL vs WARN", () => {
    let em: Emulator;
    afterEach(async () => {
        await em?.close();
    });

    const createAndStatus = async (typeName: string, desired: unknown) => {
        const cc = cloudControl(em);
        const out = await cc.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(desired) }));
        return cc.send(new GetResourceRequestStatusCommand({ RequestToken: out.ProgressEvent!.RequestToken }));
    };

    it("fails the request when a FAIL-mode hook fails, and reports the hook", async () => {
        em = await startEmulator({
            schemas: false,
            operationDelayMs: 0,
            hooks: [
                {
                    name: "Private::Guard::NoPublicBuckets",
                    failureMode: "FAIL",
                    typeName: "AWS::S3::Bucket",
                    message: "public buckets are not allowed",
                },
            ],
        });
        const status = await createAndStatus("AWS::S3::Bucket", { BucketName: "hooked" });
        assert.strictEqual(status.ProgressEvent!.OperationStatus, "FAILED");
        assert.ok(status.ProgressEvent!.HooksRequestToken);
        assert.match(status.ProgressEvent!.StatusMessage!, /Private::Guard::NoPublicBuckets/);
        assert.strictEqual(status.HooksProgressEvent!.length, 1);
        const hook = status.HooksProgressEvent![0];
        assert.strictEqual(hook.HookTypeName, "Private::Guard::NoPublicBuckets");
        assert.strictEqual(hook.HookStatus, "HOOK_COMPLETE_FAILED");
        assert.strictEqual(hook.FailureMode, "FAIL");
        assert.strictEqual(hook.InvocationPoint, "PRE_PROVISION");
        assert.ok(hook.HookEventTime instanceof Date);
        assert.strictEqual(em.listResources("AWS::S3::Bucket").length, 0);
        // Other types are not matched by the hook.
        const other = await createAndStatus("AWS::SQS::Queue", {});
        assert.strictEqual(other.ProgressEvent!.OperationStatus, "SUCCESS");
        assert.strictEqual(other.ProgressEvent!.HooksRequestToken, undefined);
        assert.strictEqual(other.HooksProgressEvent, undefined);
    });

    it("lets the request succeed when a WARN-mode hook fails, carrying the warning", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 0, hooks: [{ name: "Private::Guard::Tags", failureMode: "WARN" }] });
        const status = await createAndStatus("AWS::Logs::LogGroup", { LogGroupName: "warned" });
        assert.strictEqual(status.ProgressEvent!.OperationStatus, "SUCCESS");
        assert.ok(status.ProgressEvent!.HooksRequestToken);
        assert.deepStrictEqual(
            status.HooksProgressEvent!.map((h) => [h.HookStatus, h.FailureMode]),
            [["HOOK_COMPLETE_FAILED", "WARN"]],
        );
        assert.ok(em.getResource("AWS::Logs::LogGroup", "warned"));
    });

    it("runs hooks only for their operations, and reports passing hooks as HOOK_COMPLETE_SUCCEEDED", async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 0 });
        em.setHooks([
            { name: "Private::Guard::Deletes", failureMode: "FAIL", operations: ["DELETE"] },
            { name: "Private::Guard::Ok", failureMode: "FAIL", fails: false },
        ]);
        const created = await createAndStatus("AWS::Logs::LogGroup", { LogGroupName: "ops" });
        assert.strictEqual(created.ProgressEvent!.OperationStatus, "SUCCESS");
        assert.deepStrictEqual(
            created.HooksProgressEvent!.map((h) => [h.HookTypeName, h.HookStatus]),
            [["Private::Guard::Ok", "HOOK_COMPLETE_SUCCEEDED"]],
        );
        const cc = cloudControl(em);
        const del = await cc.send(new DeleteResourceCommand({ TypeName: "AWS::Logs::LogGroup", Identifier: "ops" }));
        const status = await cc.send(new GetResourceRequestStatusCommand({ RequestToken: del.ProgressEvent!.RequestToken }));
        assert.strictEqual(status.ProgressEvent!.OperationStatus, "FAILED");
        assert.strictEqual(status.HooksProgressEvent!.length, 2);
        assert.ok(em.getResource("AWS::Logs::LogGroup", "ops"), "a failed delete leaves the resource");
    });
});

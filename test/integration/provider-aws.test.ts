/**
 * The provider against the least convenient answers AWS gives (the emulator's recorded behaviours, docs/emulator.md):
 * a cancelled request whose handler had started keeps its work, a generated identifier is named only in the final
 * event. Nothing may be orphaned: whatever a failed create left behind is recorded for Pulumi.
 */
import * as assert from "assert";
import { startEmulator, type Emulator } from "../../src/emulator";
import { cloudControlProvider as provider, type ProviderInputs } from "../../src/provider";
import { forgetReturned } from "../../src/provider/returned";
import { saveEnv } from "../fixtures/schemas";
import { quietly } from "../support/console";

async function checked(
    name: string,
    typeName: string,
    desiredState: Record<string, unknown>,
    extra: Partial<ProviderInputs> = {},
): Promise<ProviderInputs> {
    const news = { typeName, desiredState, __identity: { project: "proj", stack: "aws", name }, ...extra } as ProviderInputs;
    const result = await quietly(() => provider.check!({} as ProviderInputs, news));
    assert.deepStrictEqual(result.failures ?? [], []);
    return result.inputs!;
}

describe("provider against AWS's less convenient answers", function () {
    this.timeout(30000);
    let emulator: Emulator;
    let restoreEnv = () => undefined as void;

    before(async () => {
        emulator = await startEmulator({ schemas: false, operationDelayMs: 20 });
        restoreEnv = saveEnv();
        // The variables the emulator hands out are all the provider needs.
        for (const key of ["AWS_ENDPOINT_URL", "AWS_PROFILE"]) delete process.env[key];
        Object.assign(process.env, emulator.env);
        await provider.configure!({ config: { get: () => undefined, require: () => "" } as never });
    });
    after(async () => {
        restoreEnv();
        await emulator?.close();
    });
    afterEach(() => emulator.setDurations({}));

    // The deadline falls in the request's second phase: the handler is at work, and cancelling does not undo it.
    const slowCreate = { create: 400 };
    for (const [what, typeName, name, state] of [
        ["a named log group", "AWS::Logs::LogGroup", "cancelled-lg", { LogGroupName: "cancelled-lg" }],
        [
            "a queue whose identifier the service makes (named only in the final event)",
            "AWS::SQS::Queue",
            "cancelled-q",
            { VisibilityTimeout: 30 },
        ],
    ] as const) {
        it(`records ${what} that a timed-out, cancelled create left behind (no orphan)`, async () => {
            emulator.setDurations({ [typeName]: slowCreate });
            const inputs = await checked(name, typeName, state, { timeouts: { create: 0.6 } });
            const error: Error & Record<string, any> = await quietly(() => provider.create(inputs)).then(
                () => assert.fail("the create should have timed out"),
                (e: Error) => e,
            );
            const left = emulator.listResources(typeName);
            assert.strictEqual(left.length, 1, "the cancelled create's handler made the resource");
            assert.strictEqual(error.id, left[0].identifier, `the error must carry the resource for Pulumi to keep: ${error.message}`);
            assert.strictEqual(error.properties?.identifier, left[0].identifier);
            // The destroy is a later deployment (a new provider process, which has not seen this create).
            forgetReturned();
            await quietly(() => provider.delete!(error.id, error.properties));
            assert.deepStrictEqual(emulator.listResources(typeName), []);
        });
    }
});

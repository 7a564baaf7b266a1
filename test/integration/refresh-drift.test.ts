/**
 * Refresh (the provider's read) against the emulator through the real SDK: drift inside a map the user set
 * (AWS::SSM::Parameter Tags, AWS::Lambda::Function Environment.Variables) is seen, like drift in a tag list;
 * properties the user never set stay untracked.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type Emulator } from "../../src/emulator";
import { cloudControlProvider as provider, type ProviderInputs, type ProviderOutputs } from "../../src/provider";
import { clearSchemaCache } from "../../src/schema";
import { saveEnv, schemaFileName, testSchema } from "../fixtures/schemas";
import { quietly } from "../support/console";

type Obj = Record<string, unknown>;

describe("refresh sees drift inside maps the user set (provider against the emulator)", function () {
    this.timeout(30_000);
    let emulator: Emulator;
    let restoreEnv: () => void;
    let schemaDir: string;

    before(async () => {
        // AWS::Lambda::Function is no built-in type: serve its registry schema (with handlers) from a temp directory.
        schemaDir = fs.mkdtempSync(path.join(os.tmpdir(), "refresh-drift-schemas-"));
        const lambda = {
            ...testSchema("AWS::Lambda::Function"),
            handlers: Object.fromEntries(["create", "read", "update", "delete", "list"].map((h) => [h, { permissions: [] }])),
        };
        fs.writeFileSync(path.join(schemaDir, schemaFileName("AWS::Lambda::Function")), JSON.stringify(lambda));
        emulator = await startEmulator({ schemas: schemaDir, operationDelayMs: 0 });
        restoreEnv = saveEnv();
        Object.assign(process.env, {
            AWS_ENDPOINT_URL: emulator.endpoint,
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: "AKIDTEST",
            AWS_SECRET_ACCESS_KEY: "test-secret",
        });
        for (const k of ["AWS_ENDPOINT_URL_CLOUDCONTROL", "AWS_ENDPOINT_URL_CLOUDFORMATION", "AWS_PROFILE"]) delete process.env[k];
        clearSchemaCache();
        await provider.configure!({ config: { get: () => undefined, require: () => "" } as never });
    });
    after(async () => {
        await emulator?.close();
        restoreEnv?.();
        clearSchemaCache();
        fs.rmSync(schemaDir, { recursive: true, force: true });
    });

    /** check + create, an out-of-band change of the live model, then read; returns the refreshed inputs and the program's diff. */
    async function driftAndRefresh(name: string, typeName: string, desiredState: Obj, drift: (live: Obj) => Obj) {
        const news = { typeName, desiredState, __identity: { project: "proj", stack: "test", name } };
        const checked = (await quietly(() => provider.check!({} as ProviderInputs, news as ProviderInputs))).inputs as ProviderInputs;
        const { id, outs } = await quietly(() => provider.create(checked));
        const live = emulator.getResource(typeName, id)!.properties;
        emulator.putResource(typeName, id, drift(structuredClone(live)));
        const read = await quietly(() => provider.read!(id, outs!));
        const refreshed = (read.inputs as ProviderInputs).desiredState;
        const diff = await quietly(() => provider.diff!(id, read.props as ProviderOutputs, checked));
        await quietly(() => provider.delete!(id, read.props as ProviderOutputs));
        return { refreshed, diff };
    }

    it("AWS::SSM::Parameter: a tag added to the Tags map out of band", async () => {
        const state = { Name: "drift-param", Type: "String", Value: "v", Tags: { team: "core" } };
        const { refreshed, diff } = await driftAndRefresh("drift-param", "AWS::SSM::Parameter", state, (live) => ({
            ...live,
            DataType: "text",
            Tags: { ...(live.Tags as Obj), owner: "someone" },
        }));
        assert.deepStrictEqual(
            refreshed,
            { ...state, Tags: { team: "core", owner: "someone" } },
            "the map is the user's; DataType (never set) stays untracked",
        );
        assert.strictEqual(diff.changes, true, "the next preview removes the out-of-band tag");
    });

    it("AWS::Lambda::Function: a variable added to Environment.Variables out of band", async () => {
        const state = {
            FunctionName: "drift-fn",
            Role: "arn:aws:iam::123456789012:role/r",
            Runtime: "nodejs20.x",
            Handler: "index.handler",
            Code: { ZipFile: "exports.handler = async () => 1;" },
            Environment: { Variables: { STAGE: "dev" } },
        };
        const { refreshed, diff } = await driftAndRefresh("drift-fn", "AWS::Lambda::Function", state, (live) => ({
            ...live,
            MemorySize: 128,
            Environment: { Variables: { STAGE: "dev", INJECTED: "x" } },
        }));
        assert.deepStrictEqual(
            refreshed,
            { ...state, Environment: { Variables: { STAGE: "dev", INJECTED: "x" } } },
            "MemorySize (never set) stays untracked",
        );
        assert.strictEqual(diff.changes, true);
    });

    it("no out-of-band change: the refreshed inputs are the program's, no diff", async () => {
        const state = { Name: "steady-param", Type: "String", Value: "v", Description: "write-only", Tags: { team: "core" } };
        const { refreshed, diff } = await driftAndRefresh("steady-param", "AWS::SSM::Parameter", state, (live) => live);
        assert.deepStrictEqual(refreshed, state);
        assert.strictEqual(diff.changes, false);
    });
});

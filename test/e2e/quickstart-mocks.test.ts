/**
 * The quickstart program under `pulumi.runtime.setMocks`: what it registers, how the resources are wired, what it
 * exports, and that every resource carries the same small serialized provider.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";

interface Registration {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

const registrations: Registration[] = [];

/** Answers like the provider would: outputs = inputs + identifier + a live model with read-only values. */
const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
        const desired = args.inputs.desiredState ?? {};
        const typeName = args.inputs.typeName as string;
        let identifier = `${args.name}-id`;
        const live: Record<string, unknown> = { ...desired };
        if (typeName === "AWS::Logs::LogGroup") {
            identifier = desired.LogGroupName;
            live.Arn = `arn:aws:logs:us-east-1:123456789012:log-group:${identifier}:*`;
        } else if (typeName === "AWS::SQS::Queue") {
            identifier = `https://sqs.us-east-1.amazonaws.com/123456789012/${args.name}-generated`;
            live.QueueUrl = identifier;
            live.Arn = `arn:aws:sqs:us-east-1:123456789012:${args.name}-generated`;
        } else if (typeName === "AWS::SSM::Parameter") {
            identifier = desired.Name;
        }
        return { id: identifier, state: { ...args.inputs, identifier, properties: live } };
    },
    call: (args) => args.inputs,
};

function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("quickstart program (pulumi.runtime.setMocks)", function () {
    this.timeout(30000);
    let program: Record<string, pulumi.Output<string>>;

    before(async () => {
        pulumi.runtime.setAllConfig({}); // no stack config left over from other tests in this process
        pulumi.runtime.setMocks(mocks, "quickstart", "dev", false);
        program = await import("../../examples/quickstart");
        await outputValue(program.settingsParameter);
    });

    it("declares a log group, a queue and a parameter as Cloud Control resources", () => {
        const byName = Object.fromEntries(registrations.map((r) => [r.name, r]));
        assert.deepStrictEqual(Object.keys(byName).sort(), ["app-logs", "app-queue", "app-settings"]);
        for (const r of registrations) {
            assert.strictEqual(r.type, "pulumi-nodejs:dynamic/cloudcontrol:CloudControlResource");
        }
        assert.strictEqual(byName["app-logs"].inputs.typeName, "AWS::Logs::LogGroup");
        assert.deepStrictEqual(byName["app-logs"].inputs.desiredState, {
            LogGroupName: "quickstart-logs",
            RetentionInDays: 7,
            Tags: [{ Key: "app", Value: "quickstart" }],
        });
        assert.strictEqual(byName["app-queue"].inputs.typeName, "AWS::SQS::Queue");
        assert.deepStrictEqual(byName["app-queue"].inputs.timeouts, { create: "5m", delete: "5m" });
    });

    it("passes the resource identity that keys the create journal (crash re-runs) and autonaming", () => {
        for (const r of registrations) {
            assert.deepStrictEqual(r.inputs.__identity, { project: "quickstart", stack: "dev", name: r.name });
        }
    });

    it("wires the parameter to the log group's ARN and the queue's URL", () => {
        const settings = registrations.find((r) => r.name === "app-settings")!;
        assert.strictEqual(settings.inputs.typeName, "AWS::SSM::Parameter");
        assert.strictEqual(settings.inputs.desiredState.Name, "/quickstart/settings");
        assert.deepStrictEqual(JSON.parse(settings.inputs.desiredState.Value), {
            logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:quickstart-logs:*",
            queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/app-queue-generated",
            queueArn: "arn:aws:sqs:us-east-1:123456789012:app-queue-generated",
        });
    });

    it("exports the identifiers and ARNs", async () => {
        assert.strictEqual(await outputValue(program.logGroupName), "quickstart-logs");
        assert.strictEqual(await outputValue(program.logGroupArn), "arn:aws:logs:us-east-1:123456789012:log-group:quickstart-logs:*");
        assert.strictEqual(await outputValue(program.queueUrl), "https://sqs.us-east-1.amazonaws.com/123456789012/app-queue-generated");
        assert.strictEqual(await outputValue(program.queueArn), "arn:aws:sqs:us-east-1:123456789012:app-queue-generated");
        assert.strictEqual(await outputValue(program.settingsParameter), "/quickstart/settings");
    });

    it("gives every resource the same small serialized provider, whatever the program", async () => {
        const providers = new Set(registrations.map((r) => r.inputs.__provider as string));
        assert.strictEqual(providers.size, 1);
        const [text] = providers;
        assert.ok(text.length < 6 * 1024, /* ~3.8 KB today; the ceiling is 16 KB */ `serialized provider is ${text.length} bytes`);

        // A different program (other types, other captured values around it) serializes the very same provider.
        const { CloudControlResource } = await import("../../src/resource");
        const unrelated = { big: "x".repeat(100_000) };
        const other = new CloudControlResource("other", {
            typeName: "AWS::IAM::Role",
            desiredState: pulumi.output(unrelated).apply((u) => ({ RoleName: `r${u.big.length}`, AssumeRolePolicyDocument: {} })),
        });
        await outputValue(other.identifier);
        assert.strictEqual(registrations.find((r) => r.name === "other")!.inputs.__provider, text);
    });
});

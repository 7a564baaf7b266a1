import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CloudControlResource, secrecyMarker } from "../../src/resource";

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("CloudControlResource", () => {
    const registered: Array<{ type: string; name: string; inputs: Record<string, any> }> = [];

    before(() => {
        pulumi.runtime.setAllConfig({}); // no stack config left over from other tests in this process
        pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                    return {
                        id: `${args.name}-id`,
                        state: { ...args.inputs, identifier: `${args.name}-id`, properties: { Arn: `arn:${args.name}` } },
                    };
                },
                call: (args) => args.inputs,
            },
            "proj",
            "unit",
            false,
        );
    });

    it("registers a dynamic resource with its arguments, its identity and the serialized provider", async () => {
        const r = new CloudControlResource("logs", {
            typeName: "AWS::Logs::LogGroup",
            desiredState: { LogGroupName: "logs" },
            roleArn: "arn:aws:iam::123456789012:role/deployer",
            region: "eu-west-1",
            timeouts: { create: "10m" },
        });
        assert.strictEqual(await valueOf(r.identifier), "logs-id");
        assert.deepStrictEqual(await valueOf(r.properties), { Arn: "arn:logs" });
        assert.strictEqual(await valueOf(r.typeName), "AWS::Logs::LogGroup");
        assert.deepStrictEqual(await valueOf(r.desiredState), { LogGroupName: "logs" });
        const reg = registered.find((x) => x.name === "logs")!;
        assert.strictEqual(reg.type, "pulumi-nodejs:dynamic/cloudcontrol:CloudControlResource");
        assert.deepStrictEqual(reg.inputs.__identity, { project: "proj", stack: "unit", name: "logs" });
        assert.strictEqual(reg.inputs.roleArn, "arn:aws:iam::123456789012:role/deployer");
        assert.strictEqual(reg.inputs.region, "eu-west-1");
        assert.deepStrictEqual(reg.inputs.timeouts, { create: "10m" });
        assert.match(reg.inputs.__provider, /exports\.handler/);
    });

    it("passes importId, replaceOnChanges and replaceOnNotUpdatable to the provider as inputs", async () => {
        const r = new CloudControlResource("adopted", {
            typeName: "AWS::Logs::LogGroup",
            desiredState: { LogGroupName: "adopted", RetentionInDays: 7 },
            importId: pulumi.output("adopted"),
            replaceOnChanges: ["/RetentionInDays", pulumi.output("/Tags")],
            replaceOnNotUpdatable: true,
        });
        await valueOf(r.identifier);
        const inputs = registered.find((x) => x.name === "adopted")!.inputs;
        assert.strictEqual(inputs.importId, "adopted");
        assert.deepStrictEqual(inputs.replaceOnChanges, ["/RetentionInDays", "/Tags"]);
        assert.strictEqual(inputs.replaceOnNotUpdatable, true);
    });

    it("includes the parent's URN in the identity (names are unique per parent)", async () => {
        const parent = new pulumi.ComponentResource("test:index:Group", "group");
        const r = new CloudControlResource("child", { typeName: "AWS::SQS::Queue", desiredState: {} }, { parent });
        await valueOf(r.identifier);
        const identity = registered.find((x) => x.name === "child")!.inputs.__identity;
        assert.strictEqual(identity.name, "child");
        assert.strictEqual(identity.parent, await valueOf(parent.urn));
    });

    it("makes the properties marker secret exactly when desiredState holds a secret", async () => {
        assert.strictEqual(await pulumi.isSecret(secrecyMarker({ A: 1 })), false);
        assert.strictEqual(await pulumi.isSecret(secrecyMarker(pulumi.secret({ A: 1 }))), true);
        assert.strictEqual(await pulumi.isSecret(secrecyMarker({ A: 1, B: pulumi.secret("hidden") } as Record<string, unknown>)), true);
        assert.deepStrictEqual(await valueOf(secrecyMarker(pulumi.secret({ A: 1 }))), {});
    });

    it("leaves the properties marker unknown during a preview (outputs are previewed as inputs)", async () => {
        pulumi.runtime.setMocks(
            { newResource: (args) => ({ id: "", state: args.inputs }), call: (args) => args.inputs },
            "proj",
            "unit",
            true,
        );
        try {
            const marker = secrecyMarker(pulumi.secret({ A: 1 }));
            assert.strictEqual(await (marker as unknown as { isKnown: Promise<boolean> }).isKnown, false);
            assert.strictEqual(await pulumi.isSecret(marker), true);
        } finally {
            pulumi.runtime.setMocks(
                { newResource: (args) => ({ id: "", state: args.inputs }), call: (args) => args.inputs },
                "proj",
                "unit",
                false,
            );
        }
    });
});

import * as assert from "assert";
import {
    CreateResourceCommand,
    DeleteResourceCommand,
    GetResourceCommand,
    ListResourcesCommand,
    ResourceNotFoundException,
    TypeNotFoundException,
    UpdateResourceCommand,
} from "@aws-sdk/client-cloudcontrol";
import { DescribeTypeCommand } from "@aws-sdk/client-cloudformation";
import { Emulator, startEmulator } from "../../src/emulator";
import { cloudControl, cloudFormation, rejection, waitFinal } from "../fixtures/emulator/sdk";

describe("emulator core: create -> get -> update -> delete over the real SDK", () => {
    let em: Emulator;
    before(async () => {
        em = await startEmulator({ schemas: false, operationDelayMs: 20 });
    });
    after(async () => {
        await em.close();
    });

    it("walks a LogGroup through its life as AWS answers: IN_PROGRESS first, no ResourceModel, 400 once gone", async () => {
        const cc = cloudControl(em);
        const created = await cc.send(
            new CreateResourceCommand({
                TypeName: "AWS::Logs::LogGroup",
                DesiredState: JSON.stringify({ LogGroupName: "core-lg", RetentionInDays: 7 }),
            }),
        );
        assert.strictEqual(created.ProgressEvent?.OperationStatus, "IN_PROGRESS");
        assert.strictEqual(created.ProgressEvent?.Identifier, "core-lg");
        assert.strictEqual(created.ProgressEvent?.RetryAfter, undefined, "the start call's answer carries no RetryAfter");
        const events = await waitFinal(cc, created.ProgressEvent!.RequestToken!);
        const final = events[events.length - 1];
        assert.strictEqual(final.OperationStatus, "SUCCESS");
        assert.strictEqual(final.ResourceModel, undefined, "SUCCESS events of CREATE carry no ResourceModel");

        const got = await cc.send(new GetResourceCommand({ TypeName: "AWS::Logs::LogGroup", Identifier: "core-lg" }));
        assert.deepStrictEqual(JSON.parse(got.ResourceDescription!.Properties!), {
            LogGroupName: "core-lg",
            RetentionInDays: 7,
            Arn: "arn:aws:logs:us-east-1:123456789012:log-group:core-lg:*",
        });

        const updated = await cc.send(
            new UpdateResourceCommand({
                TypeName: "AWS::Logs::LogGroup",
                Identifier: "core-lg",
                PatchDocument: JSON.stringify([{ op: "replace", path: "/RetentionInDays", value: 14 }]),
            }),
        );
        const upEvents = await waitFinal(cc, updated.ProgressEvent!.RequestToken!);
        assert.strictEqual(upEvents[upEvents.length - 1].OperationStatus, "SUCCESS");
        assert.strictEqual(em.getResource("AWS::Logs::LogGroup", "core-lg")?.properties.RetentionInDays, 14);

        const listed = await cc.send(new ListResourcesCommand({ TypeName: "AWS::Logs::LogGroup" }));
        assert.deepStrictEqual(
            listed.ResourceDescriptions?.map((d) => d.Identifier),
            ["core-lg"],
        );

        const deleted = await cc.send(new DeleteResourceCommand({ TypeName: "AWS::Logs::LogGroup", Identifier: "core-lg" }));
        const delEvents = await waitFinal(cc, deleted.ProgressEvent!.RequestToken!);
        assert.strictEqual(delEvents[delEvents.length - 1].OperationStatus, "SUCCESS");
        assert.strictEqual(delEvents[delEvents.length - 1].ResourceModel, undefined);
        const err = await rejection(() => cc.send(new GetResourceCommand({ TypeName: "AWS::Logs::LogGroup", Identifier: "core-lg" })));
        assert.ok(err instanceof ResourceNotFoundException, `expected ResourceNotFoundException, got ${err.name}`);
        assert.strictEqual(err.$metadata.httpStatusCode, 400);
    });

    it("answers an unknown type with TypeNotFoundException (400) in AWS's words, then says how to add the type", async () => {
        const err = await rejection(() =>
            cloudControl(em).send(new CreateResourceCommand({ TypeName: "AWS::Nope::Thing", DesiredState: "{}" })),
        );
        assert.ok(err instanceof TypeNotFoundException);
        assert.strictEqual(err.$metadata.httpStatusCode, 400);
        assert.ok(err.message.startsWith("The type 'AWS::Nope::Thing' cannot be found."), err.message);
        assert.match(err.message, /`schemas` option or --schemas DIR/);
    });

    it("refuses a schema directory that does not exist, naming it", async () => {
        await assert.rejects(startEmulator({ schemas: "/nonexistent/cfn-schemas" }), /\/nonexistent\/cfn-schemas does not exist/);
    });

    it("closes idempotently and frees its port", async () => {
        const other = await startEmulator({ schemas: false });
        await other.close();
        await other.close();
        await assert.rejects(fetch(other.endpoint, { method: "POST" }));
    });

    it("serves DescribeType with the schema as JSON", async () => {
        const out = await cloudFormation(em).send(new DescribeTypeCommand({ Type: "RESOURCE", TypeName: "AWS::SSM::Parameter" }));
        const schema = JSON.parse(out.Schema!);
        assert.deepStrictEqual(schema.primaryIdentifier, ["/properties/Name"]);
        assert.deepStrictEqual(schema.writeOnlyProperties, [
            "/properties/Description",
            "/properties/Tier",
            "/properties/AllowedPattern",
            "/properties/Policies",
        ]);
    });
});

/** CloudControlResource passes the Pulumi organization with its identity when the runtime has one (`${organization}` in autonaming patterns). */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CloudControlResource } from "../../src/resource";

describe("CloudControlResource identity", () => {
    it("carries the organization when the runtime knows it (the journal key stays project, stack, parent and name)", async () => {
        const registered: Array<Record<string, any>> = [];
        pulumi.runtime.setAllConfig({});
        await pulumi.runtime.setMocks(
            { newResource: (args) => (registered.push(args.inputs), { id: "", state: args.inputs }), call: (args) => args.inputs },
            "proj",
            "unit",
            false,
            "acme",
        );
        const r = new CloudControlResource("logs", { typeName: "AWS::Logs::LogGroup", desiredState: { RetentionInDays: 7 } });
        await new Promise((resolve) => r.identifier.apply(resolve)); // registered
        assert.deepStrictEqual(registered[0]?.__identity, { project: "proj", stack: "unit", name: "logs", organization: "acme" });
    });
});

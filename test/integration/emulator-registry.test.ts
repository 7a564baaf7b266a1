/**
 * The emulator serves every type of the registry bundled with the package by default (no schema directory, no
 * ../shared): a newcomer's emulator knows what AWS knows. A schema directory wins over the bundle; `schemas: false`
 * leaves only the built-in types.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateResourceCommand, GetResourceCommand } from "@aws-sdk/client-cloudcontrol";
import { DescribeTypeCommand } from "@aws-sdk/client-cloudformation";
import { startEmulator, type Emulator } from "../../src/emulator";
import { bundledTypeNames } from "../../src/registry";
import { cloudControl, cloudFormation, rejection, waitFinal } from "../fixtures/emulator/sdk";

async function describeType(em: Emulator, typeName: string): Promise<Record<string, any>> {
    const cf = cloudFormation(em);
    try {
        const out = await cf.send(new DescribeTypeCommand({ Type: "RESOURCE", TypeName: typeName }));
        return JSON.parse(out.Schema!);
    } finally {
        cf.destroy();
    }
}

describe("emulator: the bundled registry", function () {
    this.timeout(30_000);

    it("serves every bundled type by default, through DescribeType and Cloud Control", async () => {
        const em = await startEmulator({ operationDelayMs: 0 });
        const cc = cloudControl(em);
        try {
            assert.ok(bundledTypeNames().length > 1000, "the bundle holds the public registry");
            // A type none of the six built-ins is: only the bundle can answer it.
            const vpc = await describeType(em, "AWS::EC2::VPC");
            assert.strictEqual(vpc.typeName, "AWS::EC2::VPC");
            assert.deepStrictEqual(vpc.primaryIdentifier, ["/properties/VpcId"]);
            const created = await cc.send(
                new CreateResourceCommand({ TypeName: "AWS::EC2::VPC", DesiredState: JSON.stringify({ CidrBlock: "10.0.0.0/16" }) }),
            );
            const final = (await waitFinal(cc, created.ProgressEvent!.RequestToken!)).pop()!;
            assert.strictEqual(final.OperationStatus, "SUCCESS");
            const got = await cc.send(new GetResourceCommand({ TypeName: "AWS::EC2::VPC", Identifier: final.Identifier! }));
            assert.strictEqual(JSON.parse(got.ResourceDescription!.Properties!).CidrBlock, "10.0.0.0/16");
        } finally {
            cc.destroy();
            await em.close();
        }
    });

    it("lets a schema directory override a bundled type, and `schemas: false` serve only the built-in types", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-registry-"));
        const own = {
            typeName: "AWS::EC2::VPC",
            description: "my own",
            properties: { VpcId: { type: "string" } },
            primaryIdentifier: ["/properties/VpcId"],
            readOnlyProperties: ["/properties/VpcId"],
            additionalProperties: false,
        };
        fs.writeFileSync(path.join(dir, "aws-ec2-vpc.json"), JSON.stringify(own));
        const overridden = await startEmulator({ schemas: dir });
        const builtinOnly = await startEmulator({ schemas: false });
        try {
            assert.strictEqual((await describeType(overridden, "AWS::EC2::VPC")).description, "my own");
            // Types the directory lacks still come from the bundle.
            assert.strictEqual((await describeType(overridden, "AWS::EC2::Subnet")).typeName, "AWS::EC2::Subnet");
            const error = await rejection(() => describeType(builtinOnly, "AWS::EC2::VPC"));
            assert.strictEqual(error.name, "TypeNotFoundException");
            // The message says where the emulator looked, the bundle being off included, and how to add the type.
            assert.match(
                error.message,
                /no schema directory is in use, the bundled registry is off \(schemas: false\), and it is not one of the built-in types/,
            );
            assert.match(error.message, /--schemas DIR/);
            assert.strictEqual((await describeType(builtinOnly, "AWS::Logs::LogGroup")).typeName, "AWS::Logs::LogGroup");
        } finally {
            await overridden.close();
            await builtinOnly.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

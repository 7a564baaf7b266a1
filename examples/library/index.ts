/**
 * Using the building blocks without Pulumi: compute an RFC 6902 patch Cloud Control accepts, send it with the
 * AWS SDK, and wait for the request with `waitForRequest`.
 *
 *   npx ts-node examples/library/index.ts          # against a local emulator started here
 *   npx ts-node examples/library/index.ts --aws    # against AWS (credentials and region from the environment)
 *
 * In your own code, import from the package: `import { computePatch, waitForRequest } from "pulumi-cloudcontrol";`
 */
import {
    CloudControlClient,
    CreateResourceCommand,
    DeleteResourceCommand,
    GetResourceCommand,
    UpdateResourceCommand,
} from "@aws-sdk/client-cloudcontrol";
import { randomUUID } from "crypto";
import { CloudControlError, computePatch, loadResourceSchema, startEmulator, waitForRequest, type LoadSchemaOptions } from "../../src";

/**
 * Creates a log group, changes its retention through a computed patch, and deletes it. Returns what it saw.
 * `schemaOptions` say where DescribeType is (the emulator's clientConfig(), or nothing for AWS).
 */
export async function main(
    client: CloudControlClient,
    log: (line: string) => void = console.log,
    schemaOptions: LoadSchemaOptions = {},
): Promise<{ patch: unknown[]; retention: unknown }> {
    const typeName = "AWS::Logs::LogGroup";
    const name = `library-example-${randomUUID().slice(0, 8)}`;
    const before = {
        LogGroupName: name,
        RetentionInDays: 7,
        Tags: [
            { Key: "team", Value: "a" },
            { Key: "env", Value: "dev" },
        ],
    };
    // Tag order does not matter (the schema says insertionOrder: false); only RetentionInDays really changes.
    const after = {
        LogGroupName: name,
        RetentionInDays: 14,
        Tags: [
            { Key: "env", Value: "dev" },
            { Key: "team", Value: "a" },
        ],
    };

    const onProgress = (e: { Operation?: string; OperationStatus?: string }) => log(`  ${e.Operation} ${e.OperationStatus}`);
    const created = await client.send(
        new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(before), ClientToken: randomUUID() }),
    );
    const done = await waitForRequest(client, created.ProgressEvent!.RequestToken!, { timeout: 600, onProgress });
    log(`created ${done.Identifier}`);

    // The registry schema makes the patch precise: no read-only or create-only paths, sets compared as sets.
    const region = await client.config.region();
    const schema = await loadResourceSchema(typeName, { region, cacheDir: false, ...schemaOptions });
    const patch = computePatch(before, after, schema);
    log(`patch: ${JSON.stringify(patch)}`);
    if (patch.length > 0) {
        const updated = await client.send(
            new UpdateResourceCommand({ TypeName: typeName, Identifier: done.Identifier!, PatchDocument: JSON.stringify(patch) }),
        );
        try {
            await waitForRequest(client, updated.ProgressEvent!.RequestToken!, { timeout: 600, onProgress });
        } catch (error) {
            // A typed error: errorCode (NotUpdatable, Throttling, ...), requestToken, statusMessage; never property values.
            if (error instanceof CloudControlError) log(`update failed: ${error.errorCode}: ${error.message}`);
            throw error;
        }
    }
    const live = await client.send(new GetResourceCommand({ TypeName: typeName, Identifier: done.Identifier! }));
    const retention = JSON.parse(live.ResourceDescription!.Properties!).RetentionInDays;
    log(`RetentionInDays is now ${retention}`);

    const deleted = await client.send(new DeleteResourceCommand({ TypeName: typeName, Identifier: done.Identifier! }));
    await waitForRequest(client, deleted.ProgressEvent!.RequestToken!, { timeout: 600, onProgress });
    log(`deleted ${done.Identifier}`);
    return { patch, retention };
}

if (require.main === module) {
    (async () => {
        if (process.argv.includes("--aws")) {
            await main(new CloudControlClient({}));
            return;
        }
        const emulator = await startEmulator();
        // Endpoint, region and (dummy) credentials for both clients: nothing to export.
        const config = emulator.clientConfig();
        try {
            const client = new CloudControlClient(config);
            await main(client, console.log, config);
        } finally {
            await emulator.close();
        }
    })().catch((error) => {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 1;
    });
}

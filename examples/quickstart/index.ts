/**
 * Quickstart: a CloudWatch log group, an SQS queue and an SSM parameter that records where both live.
 *
 * In your own program, import from the package: `import { CloudControlResource } from "pulumi-cloudcontrol";`
 * (this example imports the repository's sources so it runs from a checkout; see the README).
 */
import * as pulumi from "@pulumi/pulumi";
import { CloudControlResource } from "../../src";

const config = new pulumi.Config();
const prefix = config.get("prefix") ?? "quickstart";

// Create-only: changing the name replaces the log group; RetentionInDays updates in place.
const logs = new CloudControlResource("app-logs", {
    typeName: "AWS::Logs::LogGroup",
    desiredState: {
        LogGroupName: `${prefix}-logs`,
        RetentionInDays: config.getNumber("retentionDays") ?? 7,
        Tags: [{ Key: "app", Value: prefix }],
    },
});

// No QueueName: autonamed from the Pulumi name ("app-queue-<7 random characters>"); the queue URL is the identifier.
const queue = new CloudControlResource("app-queue", {
    typeName: "AWS::SQS::Queue",
    desiredState: {
        VisibilityTimeout: config.getNumber("visibilityTimeout") ?? 30,
        MessageRetentionPeriod: 345600,
        Tags: [{ Key: "app", Value: prefix }],
    },
    timeouts: { create: "5m", delete: "5m" },
});

// Wired to both: its value is only known once the log group and the queue exist.
const settings = new CloudControlResource("app-settings", {
    typeName: "AWS::SSM::Parameter",
    desiredState: pulumi.all([logs.properties, queue.properties]).apply(([logProps, queueProps]) => ({
        Name: `/${prefix}/settings`,
        Type: "String" as const, // a literal of the type's enum (a plain string would not type-check)
        Value: JSON.stringify({ logGroupArn: logProps.Arn, queueUrl: queueProps.QueueUrl, queueArn: queueProps.Arn }),
        Description: "Where the quickstart's log group and queue live", // write-only: kept from the inputs
    })),
});

export const logGroupName = logs.identifier;
export const logGroupArn = logs.properties.apply((p) => p.Arn as string);
export const queueUrl = queue.identifier;
export const queueArn = queue.properties.apply((p) => p.Arn as string);
export const settingsParameter = settings.identifier;

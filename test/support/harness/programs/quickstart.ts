/**
 * The quickstart's shape (a log group, an SQS queue and an SSM parameter wired together), with stack config knobs
 * so the demo and the e2e tests can walk it through update and replace:
 *   quickstart:prefix         name prefix (default "app")
 *   quickstart:retentionDays  log retention, updatable in place (default 7)
 *   quickstart:logGroupName   the log group's name: create-only, so changing it replaces (default "<prefix>-logs")
 *   quickstart:visibility     queue VisibilityTimeout (default 30)
 */
import * as pulumi from "@pulumi/pulumi";
import { CloudControlResource } from "../../../../src/resource";

export = () => {
    const config = new pulumi.Config("quickstart");
    const prefix = config.get("prefix") ?? "app";
    const logs = new CloudControlResource("app-logs", {
        typeName: "AWS::Logs::LogGroup",
        desiredState: { LogGroupName: config.get("logGroupName") ?? `${prefix}-logs`, RetentionInDays: config.getNumber("retentionDays") ?? 7 },
    });
    const queue = new CloudControlResource("app-queue", {
        typeName: "AWS::SQS::Queue",
        desiredState: { QueueName: `${prefix}-queue`, VisibilityTimeout: config.getNumber("visibility") ?? 30 },
    });
    const settings = new CloudControlResource("app-settings", {
        typeName: "AWS::SSM::Parameter",
        desiredState: pulumi.all([logs.properties, queue.properties]).apply(([l, q]) => ({
            Name: `/${prefix}/settings`,
            Type: "String",
            Value: JSON.stringify({ logGroupArn: l.Arn, queueUrl: q.QueueUrl }),
        })),
    });
    return {
        logGroupArn: logs.properties.apply((p) => p.Arn as string),
        queueUrl: queue.identifier,
        settingsName: settings.identifier,
    };
};

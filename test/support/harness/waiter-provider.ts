/**
 * A bench/test-only provider that waits for Cloud Control requests the way most hand-written integrations do:
 * with the SDK's own waiter (`waitUntilResourceRequestSuccess`: first poll at once, then 5 s to 120 s between
 * polls, RetryAfter ignored). The baseline the real provider's poller is measured against. Create and delete only
 * (plus a diff that reports any desiredState change), enough for the deploy benchmark.
 */
import * as pulumi from "@pulumi/pulumi";

type Props = Record<string, any>;

/**
 * The provider object (serialized into `__provider`; the SDK is required at call time in the host). Its client is
 * configured like the real provider's (adaptive retries, 5 attempts) so that only the waiting strategy differs.
 */
export const waiterProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: Props, news: Props) {
        return { inputs: news };
    },
    async diff(_id: string, olds: Props, news: Props) {
        return { changes: JSON.stringify(olds.desiredState) !== JSON.stringify(news.desiredState), replaces: [] };
    },
    async create(inputs: Props) {
        const cc = require("@aws-sdk/client-cloudcontrol");
        const client = new cc.CloudControlClient({ retryMode: "adaptive", maxAttempts: 5 });
        const started = await client.send(
            new cc.CreateResourceCommand({ TypeName: inputs.typeName, DesiredState: JSON.stringify(inputs.desiredState) }),
        );
        const done = await cc.waitUntilResourceRequestSuccess(
            { client, maxWaitTime: 3600 },
            { RequestToken: started.ProgressEvent.RequestToken },
        );
        const id = done.reason?.ProgressEvent?.Identifier ?? started.ProgressEvent.Identifier;
        const got = await client.send(new cc.GetResourceCommand({ TypeName: inputs.typeName, Identifier: id }));
        return { id, outs: { ...inputs, identifier: id, properties: JSON.parse(got.ResourceDescription.Properties) } };
    },
    async delete(id: string, props: Props) {
        const cc = require("@aws-sdk/client-cloudcontrol");
        const client = new cc.CloudControlClient({ retryMode: "adaptive", maxAttempts: 5 });
        const started = await client.send(new cc.DeleteResourceCommand({ TypeName: props.typeName, Identifier: id }));
        await cc.waitUntilResourceRequestSuccess({ client, maxWaitTime: 3600 }, { RequestToken: started.ProgressEvent.RequestToken });
    },
};

/** Inputs of {@link WaiterResource} (the shape of CloudControlResource's main inputs). */
export interface WaiterResourceArgs {
    typeName: pulumi.Input<string>;
    desiredState: pulumi.Input<Record<string, unknown>>;
}

/** A Cloud Control resource managed by {@link waiterProvider}. */
export class WaiterResource extends pulumi.dynamic.Resource {
    declare readonly identifier: pulumi.Output<string>;
    declare readonly properties: pulumi.Output<Record<string, unknown>>;
    constructor(name: string, args: WaiterResourceArgs, opts?: pulumi.CustomResourceOptions) {
        super(waiterProvider, name, { identifier: undefined, properties: undefined, ...args }, opts, "bench", "WaiterResource");
    }
}

import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ProviderInputs, ProviderOutputs } from "./types";

export * from "./types";

type Implementation = typeof import("./impl");

/**
 * Loads the implementation at call time. Pulumi serializes this provider (its functions' text and what they
 * capture) into every resource's `__provider` input, so nothing here may capture the implementation, a client or a
 * schema: a `require` inside a function is left as code. In the program's own process `__filename` is this file and
 * the relative path works. In Pulumi's dynamic-provider host the serialized copy runs with an empty `__filename`
 * and cwd = the program directory, where the package is an installed dependency; when the program directory is a
 * checkout of this package itself, its build (dist/) is used. PULUMI_CLOUDCONTROL_PROVIDER_MODULE (a module path)
 * overrides both, e.g. to run the TypeScript sources under ts-node.
 */
function implementation(): Implementation {
    if (__filename && /[\\/]provider[\\/]index\.[jt]s$/.test(__filename)) {
        return require("./impl");
    }
    const override = process.env.PULUMI_CLOUDCONTROL_PROVIDER_MODULE;
    if (override) {
        return require(override);
    }
    try {
        return require("pulumi-cloudcontrol/dist/provider/impl");
    } catch (error) {
        const path = require("path");
        let own: { name?: string } = {};
        try {
            own = require(path.resolve("package.json"));
        } catch {
            // no package.json in the program directory
        }
        if (own.name !== "pulumi-cloudcontrol") {
            throw new Error(
                `pulumi-cloudcontrol: cannot load the provider from ${process.cwd()} (${(error as Error).message.split("\n")[0]}). ` +
                    "Install the package in the Pulumi program's directory (npm install pulumi-cloudcontrol), " +
                    "or set PULUMI_CLOUDCONTROL_PROVIDER_MODULE to the path of its dist/provider/impl.js.",
                { cause: error },
            );
        }
        return require(path.resolve("dist/provider/impl"));
    }
}

/**
 * The `pulumi.dynamic.ResourceProvider` for Cloud Control resources (used by `CloudControlResource`). Its
 * serialized form is a few kilobytes, the same for every program.
 */
export const cloudControlProvider: dynamic.ResourceProvider<ProviderInputs, ProviderOutputs> = {
    async configure(req: dynamic.ConfigureRequest) {
        return implementation().configure(req);
    },
    async check(olds: ProviderInputs, news: ProviderInputs) {
        return implementation().check(olds as never, news as never);
    },
    async diff(id: string, olds: ProviderOutputs, news: ProviderInputs) {
        return implementation().diff(id, olds, news);
    },
    async create(inputs: ProviderInputs) {
        return implementation().create(inputs);
    },
    async read(id: string, props?: ProviderOutputs) {
        return implementation().read(id, props ?? {});
    },
    async update(id: string, olds: ProviderOutputs, news: ProviderInputs) {
        return implementation().update(id, olds, news);
    },
    async delete(id: string, props: ProviderOutputs) {
        return implementation().delete(id, props);
    },
};

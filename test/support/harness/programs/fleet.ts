/**
 * A program of `count` SSM parameters in a tree: parameter i (i > 0) depends on parameter floor((i-1)/fanout)
 * through its Value (the parent's identifier), so dependents wait for real outputs and siblings run in parallel.
 */
import * as pulumi from "@pulumi/pulumi";
import { CloudControlResource } from "../../../../src/resource";

/** Options of {@link fleetProgram}. */
export interface FleetOptions {
    count: number;
    /** Children per parameter (default 3). */
    fanout?: number;
    /** Name prefix (default "fleet"). */
    prefix?: string;
    /** Appended to every Value: change it to update every parameter. */
    revision?: string;
}

/** Parent index of parameter i in the tree (undefined for the root). */
export function fleetParent(i: number, fanout = 3): number | undefined {
    return i === 0 ? undefined : Math.floor((i - 1) / fanout);
}

/** The program: returns the identifiers as the stack output `names`. */
export function fleetProgram(opts: FleetOptions): () => { names: pulumi.Output<string[]> } {
    const fanout = opts.fanout ?? 3;
    const prefix = opts.prefix ?? "fleet";
    return () => {
        const params: CloudControlResource[] = [];
        for (let i = 0; i < opts.count; i++) {
            const parent = fleetParent(i, fanout);
            const value = parent === undefined ? pulumi.output("root") : params[parent].identifier;
            params.push(
                new CloudControlResource(`p${i}`, {
                    typeName: "AWS::SSM::Parameter",
                    desiredState: value.apply((v) => ({
                        Name: `/${prefix}/p${i}`,
                        Type: "String",
                        Value: `${v}${opts.revision ? `#${opts.revision}` : ""}`,
                    })),
                }),
            );
        }
        return { names: pulumi.all(params.map((p) => p.identifier)) };
    };
}

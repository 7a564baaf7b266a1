/** A dynamic resource served by the test-only {@link fileProvider}. */
import * as pulumi from "@pulumi/pulumi";
import { fileProvider } from "./file-provider";

/** Inputs of {@link FileResource}. */
export interface FileResourceArgs {
    name: pulumi.Input<string>;
    [key: string]: pulumi.Input<unknown>;
}

/** A file in the file provider's directory. */
export class FileResource extends pulumi.dynamic.Resource {
    declare readonly name: pulumi.Output<string>;
    declare readonly arn: pulumi.Output<string>;
    declare readonly version: pulumi.Output<number>;
    /** Any other input comes back as an output of the same name. */
    [key: string]: unknown;
    constructor(name: string, args: FileResourceArgs, opts?: pulumi.CustomResourceOptions) {
        super(fileProvider, name, { arn: undefined, version: undefined, ...args }, opts);
    }
}

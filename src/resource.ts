import * as pulumi from "@pulumi/pulumi";
import { cloudControlProvider } from "./provider";
import type { RegistrySchema } from "./schema/types";
import type { DesiredStateOf, DesiredStateOutputOf, PropertiesOf, TypedTypeName } from "./types";

/**
 * The `properties` input: an empty object that is secret exactly when `desiredState` holds a secret anywhere.
 * Pulumi stores an output as a secret when an input of the same name is secret, so the `properties` output (which
 * echoes desiredState's values, write-only ones included) is then stored as a secret too. During a preview it is
 * unknown: the engine previews a dynamic resource's outputs as its inputs, and `properties` must read as "not known
 * yet" there, not as an empty model.
 */
export function secrecyMarker(desiredState: pulumi.Input<Record<string, unknown>>): pulumi.Output<Record<string, never>> {
    return pulumi.output(desiredState).apply(() => (pulumi.runtime.isDryRun() ? (pulumi.unknown as unknown as Record<string, never>) : {}));
}

/** The Pulumi organization, for `${organization}` in autonaming patterns (none when the runtime has none: tests, mocks). */
function organization(): { organization?: string } {
    try {
        const org = pulumi.getOrganization();
        return org ? { organization: org } : {};
    } catch {
        return {};
    }
}

/** Per-operation deadlines: seconds, or a duration string such as "90s", "30m", "1h30m". */
export interface CloudControlTimeouts {
    /** Seconds, or a duration such as "30m" or "1h30m"; default 60 minutes. */
    create?: pulumi.Input<number | string>;
    /** Seconds, or a duration; default 60 minutes. */
    update?: pulumi.Input<number | string>;
    /** Seconds, or a duration; default 30 minutes. */
    delete?: pulumi.Input<number | string>;
}

/**
 * Arguments of a {@link CloudControlResource}. With a literal `typeName` of a typed type (every type of the bundled
 * registry, and those added with `cloudcontrol-codegen`), `desiredState` is checked against that type's writable
 * properties; with any other type name it is any JSON object.
 */
export interface CloudControlResourceArgs<T extends string = string> {
    /** Cloud Control type name, `Organization::Service::Resource` (e.g. `AWS::Logs::LogGroup`). Changing it replaces the resource. */
    typeName: pulumi.Input<T>;
    /** The resource's properties, as the type's registry schema defines them (read-only properties are not allowed). */
    desiredState: pulumi.Input<DesiredStateOf<T>>;
    /** IAM role Cloud Control assumes for the operations (otherwise the caller's credentials). */
    roleArn?: pulumi.Input<string>;
    /** Version of a private or third-party type to use. */
    typeVersionId?: pulumi.Input<string>;
    /** Region of the resource; otherwise stack config `aws:region`, then AWS_REGION. Changing it replaces the resource. */
    region?: pulumi.Input<string>;
    /** Deadlines for create, update and delete (default 60, 60 and 30 minutes); past them the request is cancelled. */
    timeouts?: pulumi.Input<CloudControlTimeouts>;
    /** The registry schema document (object or JSON text) to use instead of looking it up with DescribeType. */
    schema?: pulumi.Input<RegistrySchema | string>;
    /**
     * The Cloud Control primary identifier of an existing resource to adopt instead of creating one. The create
     * reads it (GetResource), brings the properties `desiredState` sets to their desired values with one
     * UpdateResource (properties it does not set are left alone), and fails without touching anything when a
     * create-only property differs. Only that first create reads it: changing or removing it later changes nothing,
     * and while it is set a replacement adopts the same resource again instead of creating a new one (the preview
     * warns; remove it once adopted). Use this rather than the `import` resource option, which cannot work for
     * dynamic resources (pulumi/pulumi#3550).
     */
    importId?: pulumi.Input<string>;
    /**
     * JSON pointers into `desiredState` (e.g. `["/RetentionInDays"]`, `"/Tags"`, `"/Tags/*\/Value"`) whose change
     * replaces the resource instead of updating it in place. The resource option of the same name does nothing for
     * dynamic resources (the engine matches it against property changes a dynamic provider cannot report).
     */
    replaceOnChanges?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * When Cloud Control refuses an update as NotUpdatable: `false` (default) fails the update without changing
     * anything, and the next preview shows the replacement, which Pulumi then carries out (honouring protect,
     * deleteBeforeReplace, retainOnDelete and dependents). `true` replaces the resource inside that update instead:
     * in one run, but bypassing protect and retainOnDelete, without replacing dependents, and with `id` keeping the
     * old value until the next refresh.
     */
    replaceOnNotUpdatable?: pulumi.Input<boolean>;
}

/**
 * Any AWS resource type Cloud Control supports, managed by Pulumi: previews show update vs replace (from the type's
 * registry schema), deployments converge through Cloud Control, refresh reads drift, destroy deletes.
 */
export class CloudControlResource<T extends TypedTypeName | (string & {}) = string> extends pulumi.dynamic.Resource {
    // `declare`: with ES2022 class fields a plain field declaration would reset the outputs Pulumi set in super().
    /** The Cloud Control type name. */
    declare public readonly typeName: pulumi.Output<string>;
    /**
     * The Cloud Control primary identifier of the live resource. Reference this rather than `id`: after the provider
     * replaced a resource itself (`replaceOnNotUpdatable`), `id` keeps the old value until the next refresh.
     */
    declare public readonly identifier: pulumi.Output<string>;
    /** The live resource model from GetResource (read-only values such as `Arn` included; write-only ones kept from desiredState). */
    declare public readonly properties: pulumi.Output<PropertiesOf<T>>;
    /** The desired state as last applied (after a refresh, reconciled with the live resource). */
    declare public readonly desiredState: pulumi.Output<DesiredStateOutputOf<T>>;

    constructor(name: string, args: CloudControlResourceArgs<T>, opts?: pulumi.CustomResourceOptions) {
        const parent = opts?.parent ? opts.parent.urn : undefined;
        super(
            cloudControlProvider,
            name,
            {
                ...args,
                // Keys the create journal (crash safety) and names the resource for autonaming; not compared by diff.
                __identity: {
                    project: pulumi.getProject(),
                    stack: pulumi.getStack(),
                    name,
                    ...(parent ? { parent } : {}),
                    ...organization(),
                },
                properties: secrecyMarker(args.desiredState as pulumi.Input<Record<string, unknown>>),
                identifier: undefined,
            },
            opts,
            "cloudcontrol",
            "CloudControlResource",
        );
    }
}

import type { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { getCloudControlClient } from "../cloudcontrol";
import { loadResourceSchema } from "../schema";
import type { ResourceSchema } from "../schema/types";
import { parseAutonamingConfig, type AutonamingConfig } from "./autonaming";
import { parseDefaultTags, type Tags } from "./default-tags";
import type { ProviderInputs } from "./types";

/** Stack configuration the provider honours (from `configure`). */
export interface ProviderConfig {
    /** Stack config `aws:region`. */
    region?: string;
    /** Stack config `aws:profile`. */
    profile?: string;
    /** Stack config `pulumi:autonaming`, parsed. */
    autonaming?: AutonamingConfig;
    /** Stack config `aws:defaultTags`, parsed: the tags. */
    defaultTags?: Tags;
    /** What is wrong with the configuration (every check reports it, as the Pulumi CLI and the AWS provider refuse such a stack). */
    problems?: string[];
    /** Any stack config value by its full key (`project:key`), for `${config.key}` in autonaming patterns. */
    value?: (key: string) => unknown;
    /** Stack config `cloudcontrol:maxRequestsPerSecond`: the account's Cloud Control request rate (else env, else learned). */
    maxRequestsPerSecond?: number;
}

/** Parses stack config `cloudcontrol:maxRequestsPerSecond` (text, as all stack config reaches `configure`). */
export function parseMaxRequestsPerSecond(value: unknown): number | undefined {
    if (value === undefined || (typeof value === "string" && value.trim() === "")) return undefined;
    const rate = Number(value);
    if (!Number.isFinite(rate) || rate <= 0)
        throw new Error(`must be a positive number of requests per second (got ${JSON.stringify(value)})`);
    return rate;
}

// Set once per process by `configure` (the dynamic-provider host calls it before any other method).
let config: ProviderConfig = {};

/** Records the stack configuration. */
export function setProviderConfig(next: ProviderConfig): void {
    config = { ...next };
}

/** The stack configuration `configure` recorded (empty when it was not called). */
export function providerConfig(): Readonly<ProviderConfig> {
    return config;
}

/**
 * The provider's settings from the stack config as the dynamic-provider host hands it over (namespaced keys, values
 * as text): region, profile, `pulumi:autonaming`, `aws:defaultTags`, `cloudcontrol:maxRequestsPerSecond`. A
 * malformed value is recorded as a problem (reported by every check), not thrown: `configure` must answer.
 */
export function readProviderConfig(get: (key: string) => unknown): ProviderConfig {
    const problems: string[] = [];
    const parsed = <T>(key: string, parse: (value: unknown) => T): T | undefined => {
        try {
            return parse(get(key));
        } catch (error) {
            problems.push(`stack config ${key} ${(error as Error).message}`);
            return undefined;
        }
    };
    const text = (key: string) => {
        const v = get(key);
        return typeof v === "string" && v !== "" ? v : undefined;
    };
    return {
        region: text("aws:region"),
        profile: text("aws:profile"),
        autonaming: parsed("pulumi:autonaming", parseAutonamingConfig),
        defaultTags: parsed("aws:defaultTags", parseDefaultTags),
        maxRequestsPerSecond: parsed("cloudcontrol:maxRequestsPerSecond", parseMaxRequestsPerSecond),
        problems,
        value: get,
    };
}

/** Region for a resource: its `region` input, then stack config `aws:region`, then the environment (read now). */
export function resolveRegion(inputs: Pick<ProviderInputs, "region">): string | undefined {
    return inputs.region || config.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined;
}

/**
 * Region a resource lives in: the one recorded with it (`__region`, stamped by `check`, and by create, update and
 * read with the client's region, which may come from the AWS profile), else (inputs that did not go through check,
 * state written before the region was recorded) resolved now.
 */
export function regionOf(inputs: Pick<ProviderInputs, "region" | "__region">): string | undefined {
    return inputs.__region || resolveRegion(inputs);
}

/**
 * The region `client` sends its requests to: the one it was given, else the one the SDK found itself (the AWS
 * profile's `region` in ~/.aws/config); undefined when there is none (the client's calls then fail and say so).
 */
export async function clientRegion(client: CloudControlClient): Promise<string | undefined> {
    try {
        return (await client.config.region()) || undefined;
    } catch {
        return undefined;
    }
}

/**
 * Region the inputs resolve to now ({@link resolveRegion}), else the one the SDK takes from the AWS profile: where a
 * resource created with these inputs would live.
 */
export async function effectiveRegion(inputs: Pick<ProviderInputs, "region">): Promise<string | undefined> {
    return resolveRegion(inputs) ?? (await clientRegion(clientFor({ region: inputs.region })));
}

/**
 * Region a resource lives in ({@link regionOf}), else the one the SDK takes from the AWS profile (state recorded
 * before that region was).
 */
export async function effectiveRegionOf(inputs: Pick<ProviderInputs, "region" | "__region">): Promise<string | undefined> {
    return regionOf(inputs) ?? (await clientRegion(clientFor(inputs)));
}

/**
 * The Cloud Control client for a resource (in the region it lives in, see regionOf). The endpoint override is read from the environment at call time and
 * passed explicitly, so the client cache never hands out a client aimed at a stale endpoint.
 */
export function clientFor(inputs: Pick<ProviderInputs, "region" | "__region">): CloudControlClient {
    const endpoint = process.env.AWS_ENDPOINT_URL_CLOUDCONTROL || process.env.AWS_ENDPOINT_URL || undefined;
    return getCloudControlClient({
        region: regionOf(inputs),
        endpoint,
        profile: config.profile || process.env.AWS_PROFILE || undefined,
        maxRequestsPerSecond: config.maxRequestsPerSecond,
    });
}

/** The parsed registry schema for a resource: its `schema` input, else DescribeType (cached by the schema module). */
export async function schemaFor(
    inputs: Pick<ProviderInputs, "typeName" | "schema" | "typeVersionId" | "region" | "__region">,
): Promise<ResourceSchema> {
    const endpoint = process.env.AWS_ENDPOINT_URL_CLOUDFORMATION || process.env.AWS_ENDPOINT_URL || undefined;
    return loadResourceSchema(inputs.typeName, {
        schema: inputs.schema,
        typeVersionId: inputs.typeVersionId,
        region: regionOf(inputs),
        endpoint,
        profile: config.profile || process.env.AWS_PROFILE || undefined,
    });
}

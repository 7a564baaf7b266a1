import type { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import { getCloudControlClient } from "../cloudcontrol";
import { loadResourceSchema } from "../schema";
import type { ResourceSchema } from "../schema/types";
import type { ProviderInputs } from "./types";

/** Stack configuration the provider honours (from `configure`). */
export interface ProviderConfig {
    /** Stack config `aws:region`. */
    region?: string;
    /** Stack config `aws:profile`. */
    profile?: string;
    /** Stack config `cloudcontrol:maxRequestsPerSecond`: the account's Cloud Control request rate (else env, else learned). */
    maxRequestsPerSecond?: number;
}

/** Parses stack config `cloudcontrol:maxRequestsPerSecond` (a string, as all stack config reaches `configure`). */
export function parseMaxRequestsPerSecond(value: string | undefined): number | undefined {
    if (value === undefined || value.trim() === "") return undefined;
    const rate = Number(value);
    if (!Number.isFinite(rate) || rate <= 0) {
        throw new Error(`stack config cloudcontrol:maxRequestsPerSecond must be a positive number of requests per second (got ${JSON.stringify(value)})`);
    }
    return rate;
}

// Set once per process by `configure` (the dynamic-provider host calls it before any other method).
let config: ProviderConfig = {};

/** Records the stack configuration (`aws:region`, `aws:profile`, `cloudcontrol:maxRequestsPerSecond`). */
export function setProviderConfig(next: ProviderConfig): void {
    config = { ...next };
}

/** Region for a resource: its `region` input, then stack config `aws:region`, then the environment (read now). */
export function resolveRegion(inputs: Pick<ProviderInputs, "region">): string | undefined {
    return inputs.region || config.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined;
}

/**
 * Region a resource lives in: the one recorded with it (`__region`, stamped by `check`), else (inputs that did not
 * go through check, state written before the region was recorded) resolved now.
 */
export function regionOf(inputs: Pick<ProviderInputs, "region" | "__region">): string | undefined {
    return inputs.__region || resolveRegion(inputs);
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
export async function schemaFor(inputs: Pick<ProviderInputs, "typeName" | "schema" | "typeVersionId" | "region" | "__region">): Promise<ResourceSchema> {
    const endpoint = process.env.AWS_ENDPOINT_URL_CLOUDFORMATION || process.env.AWS_ENDPOINT_URL || undefined;
    return loadResourceSchema(inputs.typeName, {
        schema: inputs.schema,
        typeVersionId: inputs.typeVersionId,
        region: regionOf(inputs),
        endpoint,
        profile: config.profile || process.env.AWS_PROFILE || undefined,
    });
}

/**
 * The provider's implementation. `index.ts` loads this module at call time, so the serialized provider that
 * Pulumi stores with every resource stays a few small functions (see index.ts).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { UNKNOWN } from "../diff";
import { resourceLabel } from "./describe";
import { diff } from "./diff";
import { create, read, remove, update } from "./lifecycle";
import { parseMaxRequestsPerSecond, resolveRegion, schemaFor, setProviderConfig } from "./settings";
import type { ProviderInputs } from "./types";
import { checkAgainstSchema, checkInputShape } from "./validate";

// `delete` (a reserved word, so exported by name): DeleteResource and wait; NotFound counts as deleted.
export { create, diff, read, remove as delete, update };

/** Receives the stack configuration: `aws:region`, `aws:profile` and `cloudcontrol:maxRequestsPerSecond`. */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
    setProviderConfig({
        region: req.config.get("aws:region"),
        profile: req.config.get("aws:profile"),
        maxRequestsPerSecond: parseMaxRequestsPerSecond(req.config.get("cloudcontrol:maxRequestsPerSecond")),
    });
}

/**
 * Validates the inputs (shape, then the registry schema) so a bad desired state fails at preview, before any
 * write, and stamps the create generation and the resolved region (see ProviderInputs.__generation, __region).
 */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult<ProviderInputs>> {
    const inputs = { ...news, __generation: nextGeneration(olds) } as unknown as ProviderInputs;
    delete inputs.__region;
    const region = news.region === UNKNOWN ? undefined : resolveRegion(news as Pick<ProviderInputs, "region">);
    if (typeof region === "string" && region !== "") {
        inputs.__region = region;
    }
    const failures = checkInputShape(news);
    const known = news.typeName !== UNKNOWN && news.desiredState !== UNKNOWN && news.schema !== UNKNOWN && news.typeVersionId !== UNKNOWN && news.region !== UNKNOWN;
    if (failures.length === 0 && known) {
        let schema;
        try {
            schema = await schemaFor(inputs);
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            failures.push({
                property: "",
                // The schema loader's message already says how to pass a schema explicitly.
                reason: `${resourceLabel(inputs)}: ${message}`,
            });
        }
        if (schema) {
            failures.push(...checkAgainstSchema(news, schema));
        }
    }
    return { inputs, failures };
}

/** 0 for a resource without prior state; one more than the prior inputs' generation otherwise. */
export function nextGeneration(olds: Record<string, unknown> | undefined): number {
    if (!olds || Object.keys(olds).length === 0) {
        return 0;
    }
    const previous = olds.__generation;
    return typeof previous === "number" && Number.isSafeInteger(previous) ? previous + 1 : 1;
}

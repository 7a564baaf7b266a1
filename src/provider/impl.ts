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
 * write, and returns them with what the provider derives from them (see {@link derivedInputs}).
 *
 * The engine calls check with the prior inputs as `olds` for a resource it already tracks, and with no olds for a
 * new resource and again before the create of every replacement (pulumi/pulumi step_generator.go,
 * continueStepsFromImport and continueStepsFromDiff): a value derived here from `olds` is kept across updates and
 * made afresh for a replacement.
 */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult<ProviderInputs>> {
    const inputs = derivedInputs(olds, news);
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

/**
 * The program's inputs plus what the provider derives and records with them: the resolved region (`__region`).
 * `olds` are the prior inputs (empty for a new resource or a replacement).
 */
export function derivedInputs(_olds: Record<string, unknown>, news: Record<string, unknown>): ProviderInputs {
    const { __region: _stale, ...rest } = news;
    const inputs = { ...rest } as unknown as ProviderInputs;
    const region = news.region === UNKNOWN ? undefined : resolveRegion(news as Pick<ProviderInputs, "region">);
    if (typeof region === "string" && region !== "") {
        inputs.__region = region;
    }
    return inputs;
}

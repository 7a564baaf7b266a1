/**
 * The provider's implementation. `index.ts` loads this module at call time, so the serialized provider that
 * Pulumi stores with every resource stays a few small functions (see index.ts).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { UNKNOWN } from "../diff";
import type { ResourceSchema } from "../schema/types";
import { autoname } from "./autoname-check";
import { defaultTagsFor } from "./default-tags";
import { resourceLabel } from "./describe";
import { diff } from "./diff";
import { create, read, remove, update } from "./lifecycle";
import { providerConfig, readProviderConfig, resolveRegion, schemaFor, setProviderConfig } from "./settings";
import type { ProviderInputs } from "./types";
import { checkAgainstSchema, checkInputShape } from "./validate";

// `delete` (a reserved word, so exported by name): DeleteResource and wait; NotFound counts as deleted.
export { create, diff, read, remove as delete, update };

/**
 * Receives the stack configuration (the dynamic-provider host hands over all of it, namespaced): `aws:region`,
 * `aws:profile`, `aws:defaultTags`, `pulumi:autonaming` and `cloudcontrol:maxRequestsPerSecond`.
 */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
    setProviderConfig(readProviderConfig((key) => req.config.get(key)));
}

/**
 * Validates the inputs (shape, then the registry schema) so a bad desired state fails at preview, before any
 * write, and returns them with what the provider derives from them (see {@link derivedInputs}): the validation
 * sees the desired state as it will be sent, generated name and default tags included.
 *
 * The engine calls check with the prior inputs as `olds` for a resource it already tracks, and with no olds for a
 * new resource and again before the create of every replacement (pulumi/pulumi step_generator.go,
 * continueStepsFromImport and continueStepsFromDiff): a value derived here from `olds` is kept across updates and
 * made afresh for a replacement.
 */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult<ProviderInputs>> {
    const label = resourceLabel(news);
    const failures = checkInputShape(news);
    for (const problem of providerConfig().problems ?? []) failures.push({ property: "", reason: `${label}: ${problem}` });
    const known =
        news.typeName !== UNKNOWN &&
        news.desiredState !== UNKNOWN &&
        news.schema !== UNKNOWN &&
        news.typeVersionId !== UNKNOWN &&
        news.region !== UNKNOWN;
    let schema: ResourceSchema | undefined;
    if (failures.length === 0 && known) {
        try {
            schema = await schemaFor(regionInputs(news));
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            failures.push({
                property: "",
                // The schema loader's message already says how to pass a schema explicitly.
                reason: `${label}: ${message}`,
            });
        }
    }
    const derived = derivedInputs(olds, news, schema);
    if (derived.failure) failures.push(derived.failure);
    if (schema) {
        failures.push(...checkAgainstSchema(derived.inputs as unknown as Record<string, unknown>, schema));
    }
    return { inputs: derived.inputs, failures };
}

/**
 * The program's inputs plus what the provider derives and records with them: the resolved region (`__region`)
 * and, with the type's schema, the name autonaming makes (`__autonamed`, see autoname-check.ts) and the default tags
 * (`__defaultTags`, see default-tags.ts). `olds` are the prior inputs (empty for a new resource or a replacement).
 */
export function derivedInputs(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    schema?: ResourceSchema,
): { inputs: ProviderInputs; failure?: dynamic.CheckFailure } {
    const inputs = regionInputs(news);
    if (!schema) return { inputs };
    const label = resourceLabel(inputs);
    const named = autoname(olds, inputs, schema, label);
    inputs.desiredState = named.desiredState;
    if (named.autonamed) inputs.__autonamed = named.autonamed;
    const tagged = defaultTagsFor(olds, inputs.desiredState, schema, providerConfig().defaultTags, label);
    if (tagged) {
        inputs.desiredState = tagged.desiredState;
        inputs.__defaultTags = tagged.defaults;
    }
    return { inputs, failure: named.failure };
}

/**
 * The program's inputs with the region they resolve to recorded (`__region`), when one is known; what check
 * derives (a stale `__region`, `__autonamed`, `__defaultTags` in them) is left for it to derive again.
 */
function regionInputs(news: Record<string, unknown>): ProviderInputs {
    const { __region: _stale, __autonamed: _named, __defaultTags: _tagged, ...rest } = news;
    const inputs = rest as unknown as ProviderInputs;
    const region = news.region === UNKNOWN ? undefined : resolveRegion(news as Pick<ProviderInputs, "region">);
    if (typeof region === "string" && region !== "") {
        inputs.__region = region;
    }
    return inputs;
}

/**
 * Finds a resource type's registry schema: explicit, else memory cache, else disk cache, else DescribeType, else
 * (DescribeType unavailable or denied, for a type of the bundled registry) the bundled schema.
 */
import type { RegistrySchema, ResourceSchema } from "./types";
import { parseResourceSchema } from "./parse";
import { DEFAULT_CACHE_TTL_SECONDS, defaultCacheDir, readCachedSchema, writeCachedSchema, type CacheKey } from "./disk-cache";
import { describeTypeSchema, DescribeTypeError, type AwsCredentials } from "./describe-type";
import { bundledRegistry } from "../registry";
import { credentialIdentity } from "../credential-identity";
import { isTypeName } from "./type-name";

export { parseResourceSchema } from "./parse";

/** Options of {@link loadResourceSchema}. */
export interface LoadSchemaOptions {
    /** An explicit registry schema (object or JSON string): used as is, no lookup. */
    schema?: RegistrySchema | string;
    /** A registered version of the type (DescribeType `VersionId`); default: the default version. */
    typeVersionId?: string;
    /** Region; default AWS_REGION / AWS_DEFAULT_REGION, else the SDK's own resolution. */
    region?: string;
    /** CloudFormation endpoint override (else AWS_ENDPOINT_URL_CLOUDFORMATION / AWS_ENDPOINT_URL). */
    endpoint?: string;
    /** Shared-config profile for credentials. */
    profile?: string;
    /** Credentials for DescribeType (static keys or a provider function, as the AWS SDK takes them); default: the SDK's chain. */
    credentials?: AwsCredentials;
    /**
     * When DescribeType is unavailable (no credentials or region, no network, throttled or failing after retries)
     * or denied, use the type's schema from the registry bundled with the package, with a one-line warning
     * (default true). Only for bundled (public) types and the default version (no `typeVersionId`); never when
     * DescribeType answers: it stays the source of truth, and a type it does not know is an error.
     */
    bundledFallback?: boolean;
    /** Receives the fallback's one-line warning (default: standard output, which Pulumi shows as an info line). */
    onWarning?: (message: string) => void;
    /** On-disk cache directory (default {@link defaultCacheDir}); false disables it. */
    cacheDir?: string | false;
    /** Disk cache expiry in seconds (default 24 h). */
    cacheTtlSeconds?: number;
}

const memory = new Map<string, Promise<ResourceSchema>>();
// Explicit schemas arrive again on every provider call: parse each document once (objects by identity, texts by value).
let explicitObjects = new WeakMap<object, ResourceSchema>();
const explicitTexts = new Map<string, ResourceSchema>();
const MAX_EXPLICIT_TEXTS = 64;

/** Forgets the in-process caches (tests, or after registering a new type version). */
export function clearSchemaCache(): void {
    memory.clear();
    explicitTexts.clear();
    explicitObjects = new WeakMap(); // a WeakMap has no clear()
}

function parseExplicit(schema: RegistrySchema | string, typeName: string): ResourceSchema {
    const hit =
        typeof schema === "string"
            ? explicitTexts.get(schema)
            : schema && typeof schema === "object"
              ? explicitObjects.get(schema)
              : undefined;
    if (hit) return hit;
    const parsed = parseResourceSchema(schema, typeName);
    if (typeof schema === "string") {
        if (explicitTexts.size >= MAX_EXPLICIT_TEXTS) explicitTexts.delete(explicitTexts.keys().next().value as string);
        explicitTexts.set(schema, parsed);
    } else {
        explicitObjects.set(schema, parsed);
    }
    return parsed;
}

/**
 * Loads and parses a registry schema. Order: `options.schema` (parsed, no lookup) → in-process cache →
 * disk cache (keyed by type, version, region and endpoint; expiry `cacheTtlSeconds`) → CloudFormation DescribeType
 * → when DescribeType is unavailable or denied, the bundled registry's schema of a public type (see
 * `bundledFallback`; warned once per process, kept in memory only). Throws an error naming the type and telling
 * the user to pass `schema` when none can be found.
 */
export async function loadResourceSchema(typeName: string, options: LoadSchemaOptions = {}): Promise<ResourceSchema> {
    if (options.schema !== undefined) {
        const parsed = parseExplicit(options.schema, typeName);
        if (parsed.typeName !== typeName) {
            throw new Error(`The schema passed for ${typeName} describes ${parsed.typeName}: pass the registry schema of ${typeName}.`);
        }
        return parsed;
    }
    if (!isTypeName(typeName)) {
        throw new Error(
            `Cannot load a schema for type name ${JSON.stringify(String(typeName)).slice(0, 80)}: expected "Org::Service::Type".`,
        );
    }
    const key: CacheKey = {
        typeName,
        typeVersionId: options.typeVersionId,
        region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "default",
        endpoint: options.endpoint ?? process.env.AWS_ENDPOINT_URL_CLOUDFORMATION ?? process.env.AWS_ENDPOINT_URL,
    };
    const memoryKey = JSON.stringify([
        key.typeName,
        key.typeVersionId ?? "",
        key.region,
        key.endpoint ?? "",
        options.profile ?? "",
        credentialIdentity(options.credentials),
        options.bundledFallback !== false,
    ]);
    const cached = memory.get(memoryKey);
    if (cached) return cached;
    const pending = fetchSchema(key, options);
    memory.set(memoryKey, pending);
    pending.catch(() => memory.delete(memoryKey)); // a failure is not cached
    return pending;
}

async function fetchSchema(key: CacheKey, options: LoadSchemaOptions): Promise<ResourceSchema> {
    const dir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir());
    const ttl = options.cacheTtlSeconds ?? DEFAULT_CACHE_TTL_SECONDS;
    if (dir) {
        const text = readCachedSchema(dir, key, ttl);
        if (text !== undefined) {
            try {
                const parsed = parseResourceSchema(text, key.typeName);
                if (parsed.typeName === key.typeName) return parsed;
            } catch {
                /* corrupt entry: fetch again */
            }
        }
    }
    let text: string;
    try {
        text = await describeTypeSchema({
            typeName: key.typeName,
            typeVersionId: key.typeVersionId,
            region: options.region,
            endpoint: options.endpoint,
            profile: options.profile,
            credentials: options.credentials,
        });
    } catch (e) {
        const bundled = bundledFallback(key, options, e);
        if (bundled) return bundled;
        throw e;
    }
    const parsed = parseResourceSchema(text, key.typeName);
    if (dir) writeCachedSchema(dir, key, text);
    return parsed;
}

/** The bundled schema standing in for a DescribeType that could not be asked, or undefined (the error stands). Never cached on disk. */
function bundledFallback(key: CacheKey, options: LoadSchemaOptions, error: unknown): ResourceSchema | undefined {
    if (options.bundledFallback === false || key.typeVersionId !== undefined) return undefined;
    if (!(error instanceof DescribeTypeError) || (error.reason !== "unavailable" && error.reason !== "denied")) return undefined;
    let text: string | undefined;
    let date: string;
    try {
        const bundle = bundledRegistry();
        text = bundle.schemaText(key.typeName);
        date = bundle.info.date;
    } catch {
        return undefined; // no readable bundle: report DescribeType's failure
    }
    if (text === undefined) return undefined;
    const parsed = parseResourceSchema(text, key.typeName);
    const why = error.reason === "denied" ? "was denied" : "is unavailable";
    (options.onWarning ?? console.log)(
        `warning: ${key.typeName}: DescribeType ${why} (${error.errorName}); using the schema from the registry bundled with pulumi-cloudcontrol (snapshot of ${date})`,
    );
    return parsed;
}

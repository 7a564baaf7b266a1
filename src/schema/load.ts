import type { RegistrySchema, ResourceSchema } from "./types";
/** Options of {@link loadResourceSchema}. (stub: owned by the diff issue) */
export interface LoadSchemaOptions {
    /** An explicit registry schema (object or JSON string): used as is, no lookup. */
    schema?: RegistrySchema | string;
    typeVersionId?: string;
    region?: string;
    /** CloudFormation endpoint override (else AWS_ENDPOINT_URL_CLOUDFORMATION / AWS_ENDPOINT_URL). */
    endpoint?: string;
    profile?: string;
    /** On-disk cache directory; false disables it. */
    cacheDir?: string | false;
    /** Disk cache expiry in seconds. */
    cacheTtlSeconds?: number;
}
/** Loads and parses a registry schema. (stub) */
export async function loadResourceSchema(_typeName: string, _options: LoadSchemaOptions = {}): Promise<ResourceSchema> {
    throw new Error("not implemented");
}
/** Parses a registry schema document. (stub) */
export function parseResourceSchema(_document: RegistrySchema | string): ResourceSchema {
    throw new Error("not implemented");
}

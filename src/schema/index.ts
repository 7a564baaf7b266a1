export * from "./types";
export { loadResourceSchema, parseResourceSchema, clearSchemaCache, LoadSchemaOptions } from "./load";
export { splitPointer, joinPointer, escapeSegment, unescapeSegment, toPropertyPointer } from "./pointer";
export { defaultCacheDir, DEFAULT_CACHE_TTL_SECONDS } from "./disk-cache";
export { DescribeTypeError, DescribeTypeFailure, AwsCredentials } from "./describe-type";
export { nameProperty, NameProperty } from "./name-property";

export * from "./types";
export { loadResourceSchema, parseResourceSchema, LoadSchemaOptions } from "./load";

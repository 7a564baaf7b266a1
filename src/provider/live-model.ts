import { childForItem, childForKey, schemaIndexOf, TAGS, UNORDERED, type PathNode } from "../diff/schema-index";
import type { ResourceSchema } from "../schema/types";
import { splitPointer } from "../schema/pointer";
import type { ProviderInputs, ProviderOutputs } from "./types";
import { isObject } from "../json-object";

/**
 * The live model with write-only values (which GetResource never returns) copied from the desired state, so
 * `properties` describes the resource as configured. Paths with "*" copy item by item when both arrays have the
 * same length and the array is ordered (Cloud Control keeps the order of those); below an unordered array
 * (`insertionOrder: false`, or the tags) the live items may come in another order, so the copy is skipped rather
 * than put a value on the wrong item.
 */
export function withWriteOnlyValues(live: Record<string, unknown>, desiredState: unknown, schema: ResourceSchema): Record<string, unknown> {
    if (!schema.writeOnly.length || desiredState === null || typeof desiredState !== "object") {
        return live;
    }
    const result = structuredClone(live);
    const root = schemaIndexOf(schema).root;
    for (const pointer of schema.writeOnly) {
        copyAt(desiredState, result, splitPointer(pointer), root);
    }
    return result;
}

/** Copies the value at `segments` from `source` into `target`; `node` is where `source` sits in the schema index. */
function copyAt(source: unknown, target: unknown, segments: string[], node: PathNode | undefined): void {
    if (segments.length === 0 || source === null || typeof source !== "object" || target === null || typeof target !== "object") {
        return;
    }
    const [head, ...rest] = segments;
    if (head === "*") {
        if ((node?.flags ?? 0) & (UNORDERED | TAGS)) return;
        if (Array.isArray(source) && Array.isArray(target) && source.length === target.length) {
            const item = childForItem(node);
            source.forEach((value, i) => (rest.length ? copyAt(value, target[i], rest, item) : (target[i] = structuredClone(value))));
        }
        return;
    }
    const from = (source as Record<string, unknown>)[head];
    if (from === undefined) {
        return;
    }
    const to = target as Record<string, unknown>;
    if (rest.length === 0) {
        to[head] = structuredClone(from);
        return;
    }
    if (to[head] === undefined && from !== null && typeof from === "object" && !Array.isArray(from)) {
        to[head] = {};
    }
    copyAt(from, to[head], rest, childForKey(node, head));
}

/**
 * The identifier a resource with this desired state would get, when the user sets every primary-identifier
 * property; undefined when Cloud Control generates part of it.
 */
export function predictedIdentifier(desiredState: Record<string, unknown>, schema: ResourceSchema): string | undefined {
    if (!schema.primaryIdentifier.length) {
        return undefined;
    }
    const parts: string[] = [];
    for (const pointer of schema.primaryIdentifier) {
        let value: unknown = desiredState;
        for (const segment of splitPointer(pointer)) {
            value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[segment] : undefined;
        }
        if (typeof value !== "string" && typeof value !== "number") {
            return undefined;
        }
        parts.push(String(value));
    }
    return parts.join("|");
}

const INPUT_KEYS = [
    "typeName",
    "desiredState",
    "roleArn",
    "typeVersionId",
    "region",
    "timeouts",
    "schema",
    "importId",
    "replaceOnChanges",
    "replaceOnNotUpdatable",
    "__identity",
    "__region",
    "__autonamed",
    "__defaultTags",
] as const;

/** The provider inputs found in a bag of inputs or outputs (dropping outputs and the secrecy marker). */
export function pickInputs(bag: Record<string, unknown>): ProviderInputs {
    const inputs: Record<string, unknown> = {};
    for (const key of INPUT_KEYS) {
        if (bag[key] !== undefined) {
            inputs[key] = bag[key];
        }
    }
    return inputs as unknown as ProviderInputs;
}

/** The outputs recorded for a live resource: the inputs, its identifier and its model (write-only values kept). */
export function outputsFor(
    inputs: ProviderInputs,
    identifier: string,
    live: Record<string, unknown>,
    schema: ResourceSchema,
): ProviderOutputs {
    return {
        ...pickInputs(inputs as unknown as Record<string, unknown>),
        identifier,
        properties: withWriteOnlyValues(live, inputs.desiredState, schema),
    };
}

/**
 * The reconciled desired state limited to the object keys the old desired state had (recursively; arrays and
 * scalars are taken whole). Properties the user never set (service defaults, generated names) stay out of the
 * inputs: otherwise a refresh would add them and the next deployment would try to remove them (or, for a
 * generated create-only name, replace the resource). They remain visible in the `properties` output.
 */
export function limitToKeysOf(reconciled: unknown, old: unknown): unknown {
    if (!isObject(reconciled) || !isObject(old)) {
        return reconciled;
    }
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(old)) {
        if (key in reconciled) {
            result[key] = limitToKeysOf(reconciled[key], old[key]);
        }
    }
    return result;
}

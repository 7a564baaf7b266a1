/**
 * Default tags from stack config `aws:defaultTags` (`{ "tags": { "key": "value" } }`, an object or its JSON text,
 * as the AWS provider reads it), merged into the tag property of every taggable type (`tagging.tagProperty`) in
 * that property's own shape: a Key/Value array or a map. The resource's own tags win; the merged tags are in sorted
 * key order, so the same configuration always makes the same desired state (previews and crash re-runs included).
 */
import { UNKNOWN } from "../diff";
import { derefNode, typesOf } from "../schema/walk";
import { splitPointer } from "../schema/pointer";
import type { ResourceSchema } from "../schema/types";
import { progress } from "./describe";
import { isObject } from "../json-object";

/** Default tags by key. */
export type Tags = Record<string, string>;

/** A top-level tag property and its shape. */
export interface TagProperty {
    name: string;
    shape: "array" | "map";
}

/**
 * Parses `aws:defaultTags`; undefined when unset or without tags. Values may be strings, numbers or booleans
 * (written as text). Throws an error saying what is wrong.
 */
export function parseDefaultTags(value: unknown): Tags | undefined {
    if (value === undefined || value === null || value === "") return undefined;
    let parsed = value;
    if (typeof value === "string") {
        try {
            parsed = JSON.parse(value);
        } catch {
            throw new Error('is not valid JSON: expected { "tags": { "key": "value" } }');
        }
    }
    if (!isObject(parsed)) throw new Error('must be an object: { "tags": { "key": "value" } }');
    const extra = Object.keys(parsed).filter((k) => k !== "tags");
    if (extra.length) throw new Error(`has an unknown field ${JSON.stringify(extra[0])} (expected "tags")`);
    if (parsed.tags === undefined || parsed.tags === null) return undefined;
    if (!isObject(parsed.tags)) throw new Error('tags must be an object of tag keys and values: { "tags": { "key": "value" } }');
    const tags: Tags = {};
    for (const [key, v] of Object.entries(parsed.tags)) {
        if (key === "") throw new Error("tags: a tag key is empty");
        if (/^aws:/i.test(key)) throw new Error(`tags: ${JSON.stringify(key)}: keys starting with "aws:" are reserved for AWS`);
        if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") throw new Error(`tags.${key} must be a string`);
        tags[key] = String(v);
    }
    return Object.keys(tags).length ? tags : undefined;
}

const shapes = new WeakMap<ResourceSchema, TagProperty | null>();

/**
 * The tag property default tags go into: the schema's `tagging.tagProperty` when it is a top-level, writable
 * Key/Value array (items need nothing else) or map. Undefined for types that are not taggable or keep their tags
 * some other way (nested, or with more required members such as AutoScalingGroup's PropagateAtLaunch).
 */
export function tagPropertyOf(schema: ResourceSchema): TagProperty | undefined {
    let found = shapes.get(schema);
    if (found === undefined) {
        found = findTagProperty(schema) ?? null;
        shapes.set(schema, found);
    }
    return found ?? undefined;
}

function findTagProperty(schema: ResourceSchema): TagProperty | undefined {
    const doc = schema.document;
    if (!schema.tagProperty || doc.tagging?.taggable === false || schema.readOnly.includes(schema.tagProperty)) return undefined;
    const segments = splitPointer(schema.tagProperty);
    if (segments.length !== 1) return undefined;
    const [name] = segments;
    const node = derefNode(doc, doc.properties?.[name]);
    if (!node) return undefined;
    if (schema.maps?.includes(schema.tagProperty)) return { name, shape: "map" };
    if (typesOf(node).includes("array") || node.items !== undefined) {
        const item = derefNode(doc, node.items);
        const branches = item
            ? [
                  item,
                  ...["oneOf", "anyOf"].flatMap((k) =>
                      (Array.isArray(item[k]) ? (item[k] as unknown[]) : []).map((b) => derefNode(doc, b)),
                  ),
              ]
            : [];
        const keyValue = branches.some((b) => {
            if (!b || !isObject(b.properties) || !("Key" in b.properties) || !("Value" in b.properties)) return false;
            const required = Array.isArray(b.required) ? b.required : [];
            return required.every((r) => r === "Key" || r === "Value");
        });
        return keyValue ? { name, shape: "array" } : undefined;
    }
    return undefined;
}

/**
 * The desired state with `defaults` merged into its tag property: the resource's tags win, and the result is in
 * sorted key order. A tag property not known yet (a preview) stays unknown; one of another shape than the schema's
 * is left for validation to report. Unchanged without defaults.
 */
export function withDefaultTags(
    desiredState: Record<string, unknown>,
    tagProperty: TagProperty,
    defaults: Tags | undefined,
): Record<string, unknown> {
    if (!defaults || Object.keys(defaults).length === 0) return desiredState;
    const own = desiredState[tagProperty.name];
    if (own === UNKNOWN) return desiredState;
    const byKey = new Map<string, unknown>();
    if (tagProperty.shape === "map") {
        if (own !== undefined && !isObject(own)) return desiredState;
        for (const [k, v] of Object.entries(defaults)) byKey.set(k, v);
        for (const [k, v] of Object.entries(own ?? {})) byKey.set(k, v);
        const merged: Record<string, unknown> = {};
        for (const k of [...byKey.keys()].sort()) merged[k] = byKey.get(k);
        return { ...desiredState, [tagProperty.name]: merged };
    }
    if (own !== undefined && !Array.isArray(own)) return desiredState;
    for (const [k, v] of Object.entries(defaults)) byKey.set(k, { Key: k, Value: v });
    for (const item of own ?? []) {
        // A tag whose key is not known yet (a preview) could replace any default: the merged tags are not known.
        if (!isObject(item) || item.Key === UNKNOWN) return { ...desiredState, [tagProperty.name]: UNKNOWN };
        if (typeof item.Key !== "string") return desiredState;
        byKey.set(item.Key, item);
    }
    const merged = [...byKey.keys()].sort().map((k) => byKey.get(k));
    return { ...desiredState, [tagProperty.name]: merged };
}

/**
 * Check's step: the desired state with the default tags (`current`, from stack config) merged in, and the defaults
 * merged, recorded as `__defaultTags`; undefined when none apply. A type whose tags cannot change without a
 * replacement (create-only, or `tagUpdatable: false`) keeps, while the stack tracks it (`olds`), the defaults it
 * was created with: a change of `aws:defaultTags` would otherwise replace it.
 */
export function defaultTagsFor(
    olds: Record<string, unknown>,
    desiredState: unknown,
    schema: ResourceSchema,
    current: Tags | undefined,
    label: string,
): { desiredState: Record<string, unknown>; defaults: Tags } | undefined {
    const tagProperty = tagPropertyOf(schema);
    if (!tagProperty || !isObject(desiredState)) return undefined;
    const fixed =
        isObject(olds.desiredState) && (schema.createOnly.includes(schema.tagProperty!) || schema.document.tagging?.tagUpdatable === false);
    const defaults = fixed ? (olds.__defaultTags as Tags | undefined) : current;
    if (fixed && !sameTags(defaults, current)) {
        const kept =
            defaults && Object.keys(defaults).length ? "the default tags it was created with" : "no default tags, as when it was created";
        progress(label, `keeps ${kept} (aws:defaultTags changed): its ${tagProperty.name} cannot change without replacing it`);
    }
    if (!defaults || Object.keys(defaults).length === 0) return undefined;
    return { desiredState: withDefaultTags(desiredState, tagProperty, defaults), defaults };
}

function sameTags(a: Tags | undefined, b: Tags | undefined): boolean {
    const ka = Object.keys(a ?? {}).sort();
    const kb = Object.keys(b ?? {}).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b![k]);
}

/** Parses a registry schema document into the path sets the diff and the provider use. */
import type { PropertyPointer, RegistrySchema, ResourceSchema } from "./types";
import { toPropertyPointer } from "./pointer";
import { collectSchemaPaths } from "./walk";

function pointers(list: unknown): PropertyPointer[] {
    if (!Array.isArray(list)) return [];
    const out: PropertyPointer[] = [];
    for (const p of list) {
        const q = typeof p === "string" ? toPropertyPointer(p) : undefined;
        if (q !== undefined) out.push(q);
    }
    return out;
}

/**
 * Parses a registry schema document (the JSON in DescribeType's `Schema`, as an object or a JSON string).
 * Throws a clear error (naming the type when known, never echoing the content) when it is not a schema.
 */
export function parseResourceSchema(document: RegistrySchema | string, typeName?: string): ResourceSchema {
    const label =
        typeName ??
        (typeof document === "object" && document && typeof document.typeName === "string" ? document.typeName : "the resource");
    let doc: unknown = document;
    if (typeof document === "string") {
        try {
            doc = JSON.parse(document);
        } catch {
            // JSON.parse's message may quote the text (Node 20: `Unexpected token 'h', "{"k": h..." is not valid JSON`).
            throw new Error(`Schema for ${label} is not valid JSON; expected a registry schema document.`);
        }
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
        throw new Error(
            `Schema for ${label} must be a registry schema object (the JSON of DescribeType's Schema), got ${Array.isArray(doc) ? "an array" : typeof doc}.`,
        );
    }
    const d = doc as RegistrySchema;
    if (typeof d.typeName !== "string" || d.typeName === "") {
        throw new Error(`Schema for ${label} has no "typeName": expected a registry schema document.`);
    }
    if (d.properties !== undefined && (d.properties === null || typeof d.properties !== "object" || Array.isArray(d.properties))) {
        throw new Error(`Schema for ${d.typeName}: "properties" must be an object.`);
    }
    const { unorderedArrays, jsonDocuments, maps } = collectSchemaPaths(d);
    const tagProperty = typeof d.tagging?.tagProperty === "string" ? toPropertyPointer(d.tagging.tagProperty) : undefined;
    return {
        typeName: d.typeName,
        document: d,
        createOnly: pointers(d.createOnlyProperties),
        readOnly: pointers(d.readOnlyProperties),
        writeOnly: pointers(d.writeOnlyProperties),
        conditionalCreateOnly: pointers(d.conditionalCreateOnlyProperties),
        primaryIdentifier: pointers(d.primaryIdentifier),
        additionalIdentifiers: Array.isArray(d.additionalIdentifiers) ? d.additionalIdentifiers.map(pointers) : [],
        unorderedArrays,
        jsonDocuments,
        maps,
        // Tagged types without an explicit tagProperty keep their tags in "Tags" (registry convention).
        tagProperty: tagProperty ?? (d.tagging?.taggable !== false && d.properties && "Tags" in d.properties ? "/Tags" : undefined),
        required: Array.isArray(d.required) ? d.required.filter((x): x is string => typeof x === "string") : [],
    };
}

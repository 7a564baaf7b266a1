/**
 * A JSON pointer relative to a resource's properties, as Cloud Control patch paths are:
 * "/LogGroupName", "/Tags/*\/Key" ("*" stands for any array item).
 */
export type PropertyPointer = string;

/** A CloudFormation registry schema document (the JSON in DescribeType's `Schema`). */
export interface RegistrySchema {
    typeName: string;
    properties?: Record<string, unknown>;
    definitions?: Record<string, unknown>;
    required?: string[];
    createOnlyProperties?: string[];
    readOnlyProperties?: string[];
    writeOnlyProperties?: string[];
    conditionalCreateOnlyProperties?: string[];
    primaryIdentifier?: string[];
    additionalIdentifiers?: string[][];
    tagging?: { taggable?: boolean; tagProperty?: string; [k: string]: unknown };
    handlers?: Record<string, unknown>;
    [key: string]: unknown;
}

/** A registry schema parsed into what the diff and the provider need. Pointers are relative to the properties. */
export interface ResourceSchema {
    typeName: string;
    /** The registry schema document it was parsed from. */
    document: RegistrySchema;
    createOnly: PropertyPointer[];
    readOnly: PropertyPointer[];
    writeOnly: PropertyPointer[];
    conditionalCreateOnly: PropertyPointer[];
    primaryIdentifier: PropertyPointer[];
    additionalIdentifiers: PropertyPointer[][];
    /** Arrays whose order does not matter (`insertionOrder: false`), resolved through `$ref`. */
    unorderedArrays: PropertyPointer[];
    /** Where the tags live ("/Tags"), from `tagging.tagProperty`. */
    tagProperty?: PropertyPointer;
    /** Top-level required property names. */
    required: string[];
    /**
     * JSON documents: properties whose type allows both an object and a string (an IAM policy, say), compared
     * parsed so the two forms are equivalent. Optional so hand-written schemas may leave it out.
     */
    jsonDocuments?: PropertyPointer[];
    /**
     * Maps: objects whose keys the user chooses (`patternProperties`, a schema-valued `additionalProperties`, or no
     * declared properties), e.g. SSM Parameter `Tags`, Lambda `Environment.Variables`. A refresh tracks a map the
     * user set whole (keys added out of band are drift). Optional so hand-written schemas may leave it out.
     */
    maps?: PropertyPointer[];
}

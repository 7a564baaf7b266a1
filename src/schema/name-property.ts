/**
 * The name property of a registry type: the property autonaming fills in when the desired state leaves it out
 * (read by the provider's check and by the code generator, which makes it optional in the typings).
 */
import type { RegistrySchema } from "./types";
import { derefNode, typesOf } from "./walk";
import { isObject as isNode } from "../json-object";

/** A type's name property and the constraints its schema puts on it. */
export interface NameProperty {
    /** Top-level property name ("LogGroupName"). */
    name: string;
    /** Whether the schema lists it in `required`. */
    required: boolean;
    maxLength?: number;
    minLength?: number;
    /** The schema's `pattern` (Java-flavoured regular expression text, as the registry writes it). */
    pattern?: string;
}

type Node = Record<string, unknown>;

const cache = new WeakMap<RegistrySchema, NameProperty | null>();

/**
 * The name property of a type, if it has one: a writable string `Name`, else `<Type>Name` (`LogGroupName` for
 * AWS::Logs::LogGroup), else the one writable string `<X>Name` whose `<X>` ends the type name (`GroupName` for
 * AWS::EC2::SecurityGroup). Writable: not read-only. Several candidates for the last rule: none is chosen.
 */
export function nameProperty(document: RegistrySchema): NameProperty | undefined {
    let found = cache.get(document);
    if (found === undefined) {
        found = findNameProperty(document) ?? null;
        cache.set(document, found);
    }
    return found ?? undefined;
}

function findNameProperty(document: RegistrySchema): NameProperty | undefined {
    const properties = isNode(document.properties) ? document.properties : {};
    const typeSegment = typeof document.typeName === "string" ? (document.typeName.split("::")[2] ?? "") : "";
    const readOnly = new Set(
        (Array.isArray(document.readOnlyProperties) ? document.readOnlyProperties : []).filter((p): p is string => typeof p === "string"),
    );
    const stringNode = (key: string): Node | undefined => {
        if (!Object.prototype.hasOwnProperty.call(properties, key) || readOnly.has(`/properties/${key}`)) return undefined;
        const node = derefNode(document, properties[key]);
        return node && typesOf(node).includes("string") ? node : undefined;
    };
    let name: string | undefined;
    if (stringNode("Name")) name = "Name";
    else if (typeSegment && stringNode(`${typeSegment}Name`)) name = `${typeSegment}Name`;
    else {
        const candidates = Object.keys(properties).filter(
            (k) => k.length > 4 && k.endsWith("Name") && typeSegment.endsWith(k.slice(0, -4)) && stringNode(k),
        );
        if (candidates.length === 1) name = candidates[0];
    }
    if (name === undefined) return undefined;
    const node = stringNode(name)!;
    return {
        name,
        required: Array.isArray(document.required) && document.required.includes(name),
        ...(typeof node.maxLength === "number" ? { maxLength: node.maxLength } : {}),
        ...(typeof node.minLength === "number" ? { minLength: node.minLength } : {}),
        ...(typeof node.pattern === "string" ? { pattern: node.pattern } : {}),
    };
}

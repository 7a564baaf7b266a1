/**
 * TypeScript typings for one registry resource type, from its schema document, as the body of a namespace:
 *
 *   DesiredState   the writable properties (read-only ones left out, also nested), `required` members required
 *                  but the name property autonaming fills in (schema/name-property.ts), every value a Pulumi
 *                  `Input` at every level: what `desiredState` accepts
 *   Properties     every property (read-only ones included) as plain values: what the `properties` output holds;
 *                  read-only, required and primary-identifier members are always present
 *   X              each definition the two use, once, as plain values; `DeepInput<X>` is its input form
 *
 * Enums of strings become unions of literals (enums of numbers stay `number`, their values listed in the TSDoc:
 * numbers are usually computed, from config say), descriptions become TSDoc. Where the schema is loose (no `type`,
 * combinators that only constrain `required`, objects open to more keys) the typing is loose too: it never rejects
 * a value the schema accepts.
 */

import { nameProperty } from "../schema/name-property";
import type { RegistrySchema } from "../schema/types";
import { isObject as isNode } from "../json-object";

type Node = Record<string, unknown>;
type Mode = "input" | "output";

/** A registry schema document, as far as code generation reads it. */
export interface SchemaDocument {
    typeName: string;
    description?: string;
    properties?: Record<string, unknown>;
    definitions?: Record<string, unknown>;
    [key: string]: unknown;
}

const RESERVED = new Set(
    (
        "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
        "instanceof new null return super switch this throw true try typeof var void while with implements interface let package private " +
        "protected public static yield any boolean number string symbol object never unknown undefined bigint type of declare namespace " +
        "module async await as is keyof readonly require global infer asserts abstract accessor constructor get set out satisfies unique " +
        "pulumi DeepInput DesiredState Properties"
    ).split(" "),
);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A valid, non-reserved TypeScript identifier for a name from a schema. */
export function identifier(name: string): string {
    let id = name.replace(/[^A-Za-z0-9_$]/g, "_");
    if (!IDENTIFIER.test(id)) id = `_${id}`;
    return RESERVED.has(id) ? `${id}_` : id;
}

/** A property key as written in a type literal: bare when it is an identifier, else quoted. */
function propertyKey(name: string): string {
    return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function typesOf(n: Node): string[] {
    if (typeof n.type === "string") return [n.type];
    if (Array.isArray(n.type)) return n.type.filter((t): t is string => typeof t === "string");
    return [];
}

/** Whether a combinator branch says anything about the value's type (not just `required`, `description`, ...). */
function carriesType(b: unknown): boolean {
    if (!isNode(b)) return false;
    return (
        ["type", "properties", "items", "enum", "const", "$ref", "oneOf", "anyOf", "allOf", "patternProperties"].some((k) => k in b) ||
        isNode(b.additionalProperties)
    );
}

/** A branch merged onto the node it refines (properties and required lists combined). */
function merge(base: Node, branch: Node): Node {
    const out: Node = { ...base, ...branch };
    if (isNode(base.properties) && isNode(branch.properties)) out.properties = { ...base.properties, ...branch.properties };
    if (Array.isArray(base.required) && Array.isArray(branch.required)) out.required = [...base.required, ...branch.required];
    return out;
}

function union(types: string[]): string {
    const unique = [...new Set(types)];
    if (unique.includes("any")) return "any";
    return unique.length === 0 ? "any" : unique.join(" | ");
}

function literal(v: unknown): string | undefined {
    if (typeof v === "string" || typeof v === "boolean" || v === null) return JSON.stringify(v);
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
    return undefined; // object or array literals: not expressible as a literal type
}

/** A TSDoc comment, with `*\/` kept from ending it. */
export function tsdoc(lines: Array<string | undefined>, indent: string): string {
    const text = lines
        .filter((l): l is string => typeof l === "string" && l.trim() !== "")
        .join("\n\n")
        .replace(/\r\n?/g, "\n")
        .replace(/\*\//g, "*\\/")
        .trim();
    if (!text) return "";
    const body = text.split("\n").map((l) => `${indent} *${l ? " " + l.trimEnd() : ""}`);
    return `${indent}/**\n${body.join("\n")}\n${indent} */\n`;
}

interface Ctx {
    mode: Mode;
    /** Read-only pointers below this node (segments relative to it), left out of the input form. */
    readOnly: string[][];
    indent: string;
    /** `$ref`s being inlined on this branch (recursion guard). */
    inlining: string[];
}

/** Renders the typings of one resource type: the body of its namespace (DesiredState, Properties, definitions). */
export function renderResourceTypes(doc: SchemaDocument, indent = "    "): string {
    return new ResourceRenderer(doc).render(indent);
}

class ResourceRenderer {
    private readonly definitions: Record<string, unknown>;
    private readonly names = new Map<string, string>();
    private readonly used = new Set<string>();
    private readonly queue: string[] = [];

    constructor(private readonly doc: SchemaDocument) {
        this.definitions = isNode(doc.definitions) ? doc.definitions : {};
        const taken = new Set<string>();
        for (const key of Object.keys(this.definitions)) {
            let name = identifier(key);
            for (let i = 2; taken.has(name); i++) name = `${identifier(key)}_${i}`;
            taken.add(name);
            this.names.set(key, name);
        }
    }

    render(indent: string): string {
        const doc = this.doc;
        const root: Node = {
            type: "object",
            properties: isNode(doc.properties) ? doc.properties : {},
            required: doc.required,
            additionalProperties: false,
        };
        const pointers = (key: string): string[][] =>
            (Array.isArray(doc[key]) ? (doc[key] as unknown[]) : [])
                .filter((p): p is string => typeof p === "string" && p.startsWith("/properties/"))
                .map((p) =>
                    p
                        .slice("/properties/".length)
                        .split("/")
                        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")),
                );
        const readOnly = pointers("readOnlyProperties");
        const topLevel = (list: string[][]) => new Set(list.filter((p) => p.length === 1).map((p) => p[0]));
        // Autonaming fills in the name property the desired state leaves out: optional there, even when required.
        const autonamed = nameProperty(doc as RegistrySchema)?.name;
        const notesOf = (named: string | undefined) =>
            this.memberNotes(
                topLevel(pointers("createOnlyProperties")),
                topLevel(pointers("writeOnlyProperties")),
                topLevel(pointers("deprecatedProperties")),
                named,
            );
        const alwaysPresent = [
            ...(Array.isArray(doc.required) ? doc.required : []),
            ...topLevel(readOnly),
            ...topLevel(pointers("primaryIdentifier")),
        ];
        const input: Node = { ...root, required: Array.isArray(doc.required) ? doc.required.filter((r) => r !== autonamed) : doc.required };

        let out = "";
        out += tsdoc([`The desired state of ${doc.typeName} (\`desiredState\`): its writable properties.`], indent);
        out += `${indent}interface DesiredState ${this.objectType(input, { mode: "input", readOnly, indent, inlining: [] }, notesOf(autonamed))}\n`;
        out += tsdoc(
            [`The properties of ${doc.typeName} as Cloud Control reports them (\`properties\`), read-only ones included.`],
            indent,
        );
        out += `${indent}interface Properties ${this.objectType({ ...root, required: alwaysPresent }, { mode: "output", readOnly: [], indent, inlining: [] }, notesOf(undefined))}\n`;
        for (let key = this.queue.shift(); key !== undefined; key = this.queue.shift()) out += this.definition(key, indent);
        return out;
    }

    /** TSDoc notes on top-level members: autonaming, replacement, write-only, deprecation. */
    private memberNotes(
        createOnly: Set<string>,
        writeOnly: Set<string>,
        deprecated: Set<string>,
        autonamed: string | undefined,
    ): (key: string) => string[] {
        return (key) => [
            ...(key === autonamed
                ? [
                      "Autonamed: when left out, a name is generated from the resource's Pulumi name (`<name>-<7 random characters>`, or as stack config `pulumi:autonaming` says).",
                  ]
                : []),
            ...(createOnly.has(key) ? ["Create-only: changing it replaces the resource."] : []),
            ...(writeOnly.has(key)
                ? ["Write-only: Cloud Control never returns it; `properties` keeps the value from `desiredState`."]
                : []),
            ...(deprecated.has(key) ? ["@deprecated The schema lists it as deprecated."] : []),
        ];
    }

    /** A definition in its plain form (the input form is `DeepInput<Name>`). */
    private definition(key: string, indent: string): string {
        const node = this.definitions[key];
        const name = this.names.get(key)!;
        const ctx: Ctx = { mode: "output", readOnly: [], indent, inlining: [] };
        const doc = isNode(node) && typeof node.description === "string" ? tsdoc([node.description], indent) : "";
        if (isNode(node) && this.isPlainObject(node)) return `${doc}${indent}interface ${name} ${this.objectType(node, ctx)}\n`;
        return `${doc}${indent}type ${name} = ${this.expr(node, ctx)};\n`;
    }

    /** An object schema that renders as an interface body: properties, no combinators or reference. */
    private isPlainObject(n: Node): boolean {
        const types = typesOf(n);
        return (
            isNode(n.properties) &&
            (types.length === 0 || (types.length === 1 && types[0] === "object")) &&
            !["$ref", "oneOf", "anyOf", "allOf", "enum", "const"].some((k) => k in n)
        );
    }

    private use(key: string): string {
        if (!this.used.has(key)) {
            this.used.add(key);
            this.queue.push(key);
        }
        return this.names.get(key)!;
    }

    /** The value type of a schema node (without the outer `Input`). */
    private expr(node: unknown, c: Ctx): string {
        if (!isNode(node)) return "any";
        if (typeof node.$ref === "string") return this.reference(node.$ref, c);
        for (const key of ["oneOf", "anyOf", "allOf"] as const) {
            const branches = Array.isArray(node[key]) ? (node[key] as unknown[]).filter(carriesType) : [];
            if (branches.length === 0) continue;
            const base = { ...node };
            delete base[key];
            const parts = branches.map((b) => this.expr(merge(base, b as Node), c));
            if (key !== "allOf") return union(parts);
            return parts.includes("any") ? "any" : [...new Set(parts)].map((p) => (p.includes("|") ? `(${p})` : p)).join(" & ");
        }
        if (Array.isArray(node.enum) && node.enum.length > 0 && node.enum.every((v) => typeof v === "string"))
            return union(node.enum.map((v) => JSON.stringify(v)));
        if ("const" in node) {
            const l = literal(node.const);
            if (l !== undefined) return l;
        }
        let types = typesOf(node);
        if (types.length === 0) {
            if (isNode(node.properties) || isNode(node.patternProperties) || isNode(node.additionalProperties)) types = ["object"];
            else if (node.items !== undefined) types = ["array"];
            else return "any";
        }
        return union(
            types.map((t) => {
                switch (t) {
                    case "string":
                        return "string";
                    case "integer":
                    case "number":
                        return "number";
                    case "boolean":
                        return "boolean";
                    case "null":
                        return "null";
                    case "array":
                        return this.arrayType(node, c);
                    case "object":
                        return this.objectType(node, c);
                    default:
                        return "any";
                }
            }),
        );
    }

    private reference(ref: string, c: Ctx): string {
        const m = /^#\/definitions\/([^/]+)$/.exec(ref);
        const key = m ? m[1].replace(/~1/g, "/").replace(/~0/g, "~") : undefined;
        // A named definition, unless read-only members below it must be left out here: then it is inlined.
        if (key !== undefined && this.names.has(key) && c.readOnly.length === 0) {
            const name = this.use(key);
            return c.mode === "input" ? `DeepInput<${name}>` : name;
        }
        if (c.inlining.includes(ref)) return "any";
        const target = this.resolve(ref);
        return target === undefined ? "any" : this.expr(target, { ...c, inlining: [...c.inlining, ref] });
    }

    private resolve(ref: string): unknown {
        if (!ref.startsWith("#/")) return undefined;
        let node: unknown = this.doc;
        for (const raw of ref.slice(2).split("/")) {
            if (!isNode(node)) return undefined;
            node = node[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
        }
        return node;
    }

    private wrap(type: string, c: Ctx): string {
        return c.mode === "input" ? `pulumi.Input<${type}>` : type;
    }

    private below(c: Ctx, segment: string): Ctx {
        return { ...c, readOnly: c.readOnly.filter((p) => p.length > 1 && (p[0] === segment || p[0] === "*")).map((p) => p.slice(1)) };
    }

    private arrayType(n: Node, c: Ctx): string {
        const item = this.wrap(this.expr(n.items, this.below(c, "*")), c);
        return /[|&]/.test(item) && c.mode === "output" ? `(${item})[]` : `${item}[]`;
    }

    private objectType(n: Node, c: Ctx, notes?: (key: string) => string[]): string {
        const inner = c.indent + "    ";
        const props = isNode(n.properties) ? n.properties : {};
        const required = new Set(Array.isArray(n.required) ? n.required.filter((r): r is string => typeof r === "string") : []);
        const leftOut = new Set(c.mode === "input" ? c.readOnly.filter((p) => p.length === 1).map((p) => p[0]) : []);
        const members: string[] = [];
        for (const [key, sub] of Object.entries(props)) {
            if (leftOut.has(key)) continue;
            const description = isNode(sub) && typeof sub.description === "string" ? sub.description : undefined;
            const type = this.wrap(this.expr(sub, { ...this.below(c, key), indent: inner }), c);
            members.push(
                `${tsdoc([description, numericEnum(sub), ...(notes ? notes(key) : [])], inner)}${inner}${propertyKey(key)}${required.has(key) ? "" : "?"}: ${type};\n`,
            );
        }
        // Map values (patternProperties, a schema-valued additionalProperties), or an object open to more keys.
        const values: string[] = [];
        if (isNode(n.patternProperties))
            for (const v of Object.values(n.patternProperties)) values.push(this.expr(v, { ...this.below(c, "*"), indent: inner }));
        if (isNode(n.additionalProperties)) values.push(this.expr(n.additionalProperties, { ...this.below(c, "*"), indent: inner }));
        else if (n.additionalProperties !== false && values.length === 0) values.push("any");
        if (values.length > 0) {
            // With named members beside it, the index signature must admit theirs too.
            const value = members.length > 0 ? "any" : union(values);
            members.push(`${inner}[key: string]: ${value === "any" ? "any" : this.wrap(value, c)};\n`);
        }
        return members.length === 0 ? "{}" : `{\n${members.join("")}${c.indent}}`;
    }
}

/** The allowed values of a numeric enum, for the TSDoc (the type stays `number`). */
function numericEnum(node: unknown): string | undefined {
    if (!isNode(node) || !Array.isArray(node.enum) || node.enum.length === 0 || !node.enum.every((v) => typeof v === "number"))
        return undefined;
    return `One of ${node.enum.join(", ")}.`;
}

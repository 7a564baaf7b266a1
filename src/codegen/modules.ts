/**
 * Declaration files from resource typings: the package's own (one file per registry service plus an index mapping
 * type names to them, generated at build time from the bundled registry), and the module augmentation that
 * `cloudcontrol-codegen` writes for any other type.
 */
import { identifier, renderResourceTypes, tsdoc, type SchemaDocument } from "./render";

/** The module whose `CloudControlTypes` interface generated typings augment. */
export const PACKAGE_MODULE = "pulumi-cloudcontrol";

/**
 * The package's `DeepInput` (typings/input.d.ts, written with the other generated files and re-exported by the
 * package root, where generated typings of other types import it from).
 */
export const DEEP_INPUT_MODULE = `import type * as pulumi from "@pulumi/pulumi";

/**
 * The input form of a plain value type: every member, array item and map value may be a Pulumi \`Input\` (a value,
 * a promise or an output), at every level. Optional members, index signatures and TSDoc carry over.
 */
export type DeepInput<T> = 0 extends 1 & T
    ? any
    : T extends string | number | boolean | null | undefined
      ? T
      : T extends readonly (infer U)[]
        ? pulumi.Input<DeepInput<U>>[]
        : { [K in keyof T]: pulumi.Input<DeepInput<T[K]>> };
`;

function importLines(deepInputFrom: string): string {
    return `import type * as pulumi from "@pulumi/pulumi";\nimport type { DeepInput } from ${JSON.stringify(deepInputFrom)};\n`;
}

function segments(typeName: string): string[] {
    const parts = typeName.split("::");
    if (parts.length !== 3 || parts.some((p) => p === ""))
        throw new Error(`${JSON.stringify(typeName)} is not a registry type name (Organization::Service::Resource)`);
    return parts;
}

function namespaceDoc(doc: SchemaDocument, indent: string): string {
    const description = typeof doc.description === "string" ? `: ${doc.description}` : "";
    const see = typeof doc.documentationUrl === "string" ? `@see ${doc.documentationUrl}` : undefined;
    return tsdoc([`${doc.typeName}${description}`, see], indent);
}

function entry(ns: string): string {
    return `{ desiredState: ${ns}.DesiredState; properties: ${ns}.Properties }`;
}

/** File name of a service's declarations: AWS::Logs → "aws-logs". */
export function serviceModuleName(typeName: string): string {
    const [org, service] = segments(typeName);
    return `${org}-${service}`.toLowerCase();
}

/**
 * The package's typings for a set of schemas: `<org>-<service>.d.ts` per service (a namespace per type),
 * `index.d.ts` with the `BundledTypes` map and `input.d.ts` with `DeepInput`. Returns file name → text.
 */
export function renderBundledModules(docs: readonly SchemaDocument[], header: string): Map<string, string> {
    const byService = new Map<string, SchemaDocument[]>();
    for (const doc of [...docs].sort((a, b) => (a.typeName < b.typeName ? -1 : 1))) {
        const file = serviceModuleName(doc.typeName);
        (byService.get(file) ?? byService.set(file, []).get(file)!).push(doc);
    }
    const files = new Map<string, string>();
    const imports: string[] = [];
    const members: string[] = [];
    for (const [file, group] of byService) {
        const alias = identifier(file.replace(/-/g, "_"));
        imports.push(`import type * as ${alias} from "./${file}";\n`);
        let text = `${header}${importLines("./input")}\n`;
        for (const doc of group) {
            const ns = identifier(segments(doc.typeName)[2]);
            text += `${namespaceDoc(doc, "")}export declare namespace ${ns} {\n${renderResourceTypes(doc)}}\n`;
            members.push(`    ${JSON.stringify(doc.typeName)}: ${entry(`${alias}.${ns}`)};\n`);
        }
        files.set(`${file}.d.ts`, text);
    }
    files.set("input.d.ts", `${header}${DEEP_INPUT_MODULE}`);
    files.set(
        "index.d.ts",
        `${header}${imports.join("")}\n/** Typings of every type in the bundled registry, by type name. */\nexport interface BundledTypes {\n${members.join("")}}\n`,
    );
    return files;
}

/** Options of {@link renderAugmentation}. */
export interface AugmentationOptions {
    /** The module to augment (default "pulumi-cloudcontrol"). */
    moduleName?: string;
    /** First lines of the file (a comment saying where it came from). */
    header?: string;
}

/**
 * One declaration file typing the given types: a namespace per type (`Org.Service.Resource.DesiredState`, ...)
 * and a module augmentation adding them to `CloudControlTypes`, which `CloudControlResource` reads (entries there
 * win over the bundled ones).
 */
export function renderAugmentation(docs: readonly SchemaDocument[], options: AugmentationOptions = {}): string {
    const moduleName = options.moduleName ?? PACKAGE_MODULE;
    const seen = new Set<string>();
    let text = `${options.header ?? ""}${importLines(moduleName)}\n`;
    const members: string[] = [];
    for (const doc of docs) {
        if (seen.has(doc.typeName)) throw new Error(`${doc.typeName} is given twice`);
        seen.add(doc.typeName);
        const ns = segments(doc.typeName).map(identifier).join(".");
        text += `${namespaceDoc(doc, "")}export declare namespace ${ns} {\n${renderResourceTypes(doc)}}\n`;
        members.push(`        ${JSON.stringify(doc.typeName)}: ${entry(ns)};\n`);
    }
    text += `\ndeclare module ${JSON.stringify(moduleName)} {\n    interface CloudControlTypes {\n${members.join("")}    }\n}\n`;
    return text;
}

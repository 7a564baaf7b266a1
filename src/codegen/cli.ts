#!/usr/bin/env node
/**
 * `cloudcontrol-codegen`: TypeScript typings for registry types that the bundled registry does not have (private
 * and third-party types, newer versions), so `CloudControlResource` checks their `desiredState` and types their
 * `properties` like the bundled ones.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { describeTypeSchema } from "../schema/describe-type";
import { PACKAGE_MODULE, renderAugmentation } from "./modules";
import type { SchemaDocument } from "./render";
import { TYPE_NAME } from "../schema/type-name";

/** Usage text printed by --help. */
export const usage = `Usage: cloudcontrol-codegen [options] [TYPE_NAME ...]

Writes TypeScript typings (desiredState and properties) for registry types, as a declaration file that adds them
to pulumi-cloudcontrol's CloudControlTypes: put it in your program (a file its tsconfig includes) and
new CloudControlResource(...) with that typeName is type-checked. Typings written here win over the bundled ones.

Each TYPE_NAME is read with CloudFormation DescribeType, using the AWS SDK's usual credentials, region and endpoint
(AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_CLOUDFORMATION, ...).

  --schema FILE            read a registry schema from a file instead (its typeName names the type); repeatable
  --out FILE               write the typings to FILE (default: standard output)
  --type-version-id ID     DescribeType VersionId: a registered version of a private type (with one TYPE_NAME)
  --region REGION          region for DescribeType
  --endpoint URL           CloudFormation endpoint for DescribeType
  --profile NAME           shared-config profile for credentials
  --module NAME            module to augment (default ${PACKAGE_MODULE})
  --help                   show this text
`;

/** Parsed command line. */
export interface CodegenArgs {
    help: boolean;
    typeNames: string[];
    schemaFiles: string[];
    out?: string;
    typeVersionId?: string;
    region?: string;
    endpoint?: string;
    profile?: string;
    moduleName: string;
}

/** A usage error (exit status 2). */
export class UsageError extends Error {}

function parse(argv: readonly string[]) {
    return parseArgs({
        args: [...argv],
        allowPositionals: true,
        strict: true,
        options: {
            help: { type: "boolean", short: "h" },
            schema: { type: "string", multiple: true },
            out: { type: "string" },
            "type-version-id": { type: "string" },
            region: { type: "string" },
            endpoint: { type: "string" },
            profile: { type: "string" },
            module: { type: "string" },
        },
    });
}

/** Parses the command line (Node's util.parseArgs); throws a {@link UsageError} naming the flag and what was expected. */
export function parseCodegenArgs(argv: readonly string[]): CodegenArgs {
    let parsed: ReturnType<typeof parse>;
    try {
        parsed = parse(argv);
    } catch (e) {
        throw new UsageError(`${(e as Error).message.split("\n")[0]} (see --help)`);
    }
    const { values, positionals } = parsed;
    for (const name of positionals)
        if (!TYPE_NAME.test(name)) throw new UsageError(`${JSON.stringify(name)} is not a type name (Organization::Service::Resource)`);
    const args: CodegenArgs = {
        help: values.help ?? false,
        typeNames: positionals,
        schemaFiles: values.schema ?? [],
        moduleName: values.module ?? PACKAGE_MODULE,
        out: values.out,
        typeVersionId: values["type-version-id"],
        region: values.region,
        endpoint: values.endpoint,
        profile: values.profile,
    };
    if (!args.help && args.typeNames.length === 0 && args.schemaFiles.length === 0)
        throw new UsageError("name at least one type, or a schema file with --schema (see --help)");
    if (args.typeVersionId !== undefined && args.typeNames.length !== 1)
        throw new UsageError("--type-version-id needs exactly one TYPE_NAME");
    return args;
}

function readSchemaFile(file: string): SchemaDocument {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch {
        throw new Error(`${file} is not valid JSON; expected a registry schema document`);
    }
    const typeName = doc && typeof doc === "object" && !Array.isArray(doc) ? (doc as SchemaDocument).typeName : undefined;
    if (typeof typeName !== "string" || !TYPE_NAME.test(typeName)) {
        throw new Error(`${file} has no registry "typeName" (Organization::Service::Resource); expected a registry schema document`);
    }
    return doc as SchemaDocument;
}

/** Reads every schema the arguments name and renders the declaration file. */
export async function generateTypings(args: CodegenArgs): Promise<string> {
    const docs: SchemaDocument[] = args.schemaFiles.map(readSchemaFile);
    const sources = args.schemaFiles.map((f) => path.basename(f));
    for (const typeName of args.typeNames) {
        const text = await describeTypeSchema({
            typeName,
            typeVersionId: args.typeVersionId,
            region: args.region,
            endpoint: args.endpoint,
            profile: args.profile,
        });
        const doc = JSON.parse(text) as SchemaDocument;
        if (doc.typeName !== typeName) throw new Error(`DescribeType answered for ${typeName} with the schema of ${String(doc.typeName)}`);
        docs.push(doc);
        sources.push(`DescribeType ${typeName}${args.typeVersionId ? ` (version ${args.typeVersionId})` : ""}`);
    }
    const header = `// Generated by cloudcontrol-codegen from ${sources.join(", ")}. Do not edit: run it again to update.\n`;
    return renderAugmentation(docs, { moduleName: args.moduleName, header });
}

/** Runs the command: returns the exit status (0 done, 1 failed, 2 usage error). */
export async function main(
    argv: readonly string[],
    out: NodeJS.WritableStream = process.stdout,
    err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
    let args: CodegenArgs;
    try {
        args = parseCodegenArgs(argv);
    } catch (e) {
        err.write(`cloudcontrol-codegen: ${(e as Error).message}\n`);
        return 2;
    }
    if (args.help) {
        out.write(usage);
        return 0;
    }
    try {
        const text = await generateTypings(args);
        if (args.out === undefined) {
            out.write(text);
        } else {
            fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
            fs.writeFileSync(args.out, text);
            const count = args.typeNames.length + args.schemaFiles.length;
            err.write(`cloudcontrol-codegen: wrote ${args.out} (${count} type${count === 1 ? "" : "s"})\n`);
        }
        return 0;
    } catch (e) {
        err.write(`cloudcontrol-codegen: ${(e as Error).message}\n`);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}

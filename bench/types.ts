/**
 * `npm run bench types`: what the typings of the bundled registry cost a program's type check. One small Pulumi
 * program (six resources of common types, outputs wired between them) is checked by `tsc --noEmit` against the
 * package as a user installs it (declarations from `dist/`, typings/ generated from the bundle), three ways:
 *
 *   typed      literal type names: desiredState and properties are typed
 *   untyped    the same program with every typeName widened to `string` (today's shape), same package
 *   baseline   the untyped program against the package without the bundle's typings (what every program paid
 *              before them)
 *
 * under two compiler settings: Pulumi's project template (no skipLibCheck: every declaration file is checked) and
 * with skipLibCheck. Goal: typed at most +1 s or 1.5x over untyped (printed against the baseline too), judged on CPU time (user + system of the tsc
 * process), which other work on a shared machine disturbs less than wall time (printed too). Runs alternate; medians.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { generateBundledTypes, TYPINGS_DIR as generatedDir } from "../src/codegen/bundled";

const root = path.resolve(__dirname, "..");
const work = path.join(root, ".cache", "bench-types"); // inside the repo: node_modules/@pulumi resolves upwards
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const RUNS = Number(process.env.BENCH_TYPES_RUNS ?? 3);

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { CloudControlResource } from "pulumi-cloudcontrol";

const config = new pulumi.Config();
const prefix = config.get("prefix") ?? "bench";

const logs = new CloudControlResource("logs", {
    typeName: "AWS::Logs::LogGroup",
    desiredState: { LogGroupName: \`\${prefix}-logs\`, RetentionInDays: config.getNumber("retention") ?? 7, Tags: [{ Key: "app", Value: prefix }] },
});
const dlq = new CloudControlResource("dlq", { typeName: "AWS::SQS::Queue", desiredState: { MessageRetentionPeriod: 1209600 } });
const queue = new CloudControlResource("queue", {
    typeName: "AWS::SQS::Queue",
    desiredState: { VisibilityTimeout: 60, RedrivePolicy: { deadLetterTargetArn: dlq.properties.Arn, maxReceiveCount: 5 } },
});
const bucket = new CloudControlResource("bucket", {
    typeName: "AWS::S3::Bucket",
    desiredState: {
        VersioningConfiguration: { Status: "Enabled" },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" } }] },
        Tags: [{ Key: "app", Value: prefix }],
    },
});
const role = new CloudControlResource("role", {
    typeName: "AWS::IAM::Role",
    desiredState: {
        AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] },
        Policies: [{ PolicyName: "read", PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: bucket.properties.Arn }] } }],
    },
});
const table = new CloudControlResource("table", {
    typeName: "AWS::DynamoDB::Table",
    desiredState: {
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    },
});
const settings = new CloudControlResource("settings", {
    typeName: "AWS::SSM::Parameter",
    desiredState: {
        Name: \`/\${prefix}/settings\`,
        Type: "String",
        Value: pulumi.all([logs.properties, queue.properties, role.properties]).apply(([l, q, r]) => JSON.stringify({ logs: l.Arn, queue: q.QueueUrl, role: r.Arn })),
    },
});

export const logGroupArn = logs.properties.apply((p) => p.Arn);
export const queueUrl = queue.properties.QueueUrl;
export const tableArn = table.properties.Arn;
export const bucketName = bucket.identifier;
export const parameter = settings.properties.apply((p) => p.Name);
`;

/** The program with every literal typeName widened to string: the untyped shape. */
const UNTYPED = PROGRAM.replace(/typeName: ("[^"]+")/g, "typeName: $1 as string");

// Pulumi's TypeScript project template (pulumi new typescript): strict, no skipLibCheck.
const TEMPLATE_OPTIONS = {
    strict: true,
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    forceConsistentCasingInFileNames: true,
    noEmit: true,
};

function write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
}

/** Installs the package's declarations as node_modules/pulumi-cloudcontrol of `dir`, with or without the bundle's typings. */
function installPackage(dir: string, declarations: string, generated: string | undefined): void {
    const pkg = path.join(dir, "node_modules", "pulumi-cloudcontrol");
    fs.rmSync(pkg, { recursive: true, force: true });
    fs.cpSync(declarations, path.join(pkg, "dist"), { recursive: true });
    const target = path.join(pkg, "typings");
    if (generated) {
        fs.cpSync(generated, target, { recursive: true });
    } else {
        write(path.join(target, "index.d.ts"), "export interface BundledTypes {}\n");
        fs.copyFileSync(path.join(generatedDir, "input.d.ts"), path.join(target, "input.d.ts"));
    }
    write(
        path.join(pkg, "package.json"),
        JSON.stringify({ name: "pulumi-cloudcontrol", version: "0.0.0", main: "dist/index.js", types: "dist/index.d.ts" }),
    );
}

interface Run {
    wall: number;
    cpu: number;
    /** Peak resident memory of the tsc process. */
    memoryMB: number;
}

// Loaded into each tsc process: reports its own CPU time and peak memory when it exits.
const REPORTER = `process.on("exit", () => { const u = process.resourceUsage(); require("fs").writeSync(2, "\\nBENCH " + JSON.stringify({ cpu: (u.userCPUTime + u.systemCPUTime) / 1e6, rssKB: u.maxRSS }) + "\\n"); });\n`;

function check(dir: string, tsconfig: string): Run {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["--require", path.join(work, "reporter.js"), tsc, "-p", path.join(dir, tsconfig)], {
        encoding: "utf8",
    });
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0)
        throw new Error(
            `tsc failed on ${path.relative(root, dir)}/${tsconfig}:\n${r.stdout
                .split("\n")
                .filter((l) => /error TS/.test(l))
                .slice(0, 10)
                .join("\n")}`,
        );
    const report = /BENCH (.*)/.exec(r.stderr);
    const { cpu, rssKB } = report ? (JSON.parse(report[1]) as { cpu: number; rssKB: number }) : { cpu: NaN, rssKB: NaN };
    return { wall, cpu, memoryMB: rssKB / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<void> {
    const generated = generatedDir;
    generateBundledTypes(generated);
    fs.rmSync(work, { recursive: true, force: true });
    write(path.join(work, "reporter.js"), REPORTER);
    const declarations = path.join(work, "declarations");
    const build = spawnSync(
        process.execPath,
        [tsc, "-p", path.join(root, "tsconfig.build.json"), "--emitDeclarationOnly", "--declarationMap", "false", "--outDir", declarations],
        { encoding: "utf8" },
    );
    if (build.status !== 0) throw new Error(`declaration build failed:\n${build.stdout}`);

    const programs = { typed: PROGRAM, untyped: UNTYPED, baseline: UNTYPED } as const;
    for (const [name, text] of Object.entries(programs)) {
        const dir = path.join(work, name);
        installPackage(dir, declarations, name === "baseline" ? undefined : generated);
        write(path.join(dir, "index.ts"), text);
        write(path.join(dir, "tsconfig.template.json"), JSON.stringify({ compilerOptions: TEMPLATE_OPTIONS, files: ["index.ts"] }));
        write(
            path.join(dir, "tsconfig.skiplib.json"),
            JSON.stringify({ compilerOptions: { ...TEMPLATE_OPTIONS, skipLibCheck: true }, files: ["index.ts"] }),
        );
    }

    console.log(`tsc --noEmit of a 7-resource program, ${RUNS} alternating runs each, medians; CPU = user + system time of tsc`);
    let allMet = true;
    for (const [config, label] of [
        ["tsconfig.skiplib.json", "skipLibCheck"],
        ["tsconfig.template.json", "Pulumi template (no skipLibCheck)"],
    ] as const) {
        const runs: Record<keyof typeof programs, Run[]> = { typed: [], untyped: [], baseline: [] };
        for (let i = 0; i < RUNS; i++)
            for (const name of Object.keys(programs) as Array<keyof typeof programs>) runs[name].push(check(path.join(work, name), config));
        const med = (name: keyof typeof programs, key: keyof Run) => median(runs[name].map((r) => r[key]));
        const row = (name: keyof typeof programs, label: string) => {
            const versus =
                name === "baseline"
                    ? ""
                    : `  CPU ${(med(name, "cpu") / med("baseline", "cpu")).toFixed(2)}x baseline (+${(med(name, "cpu") - med("baseline", "cpu")).toFixed(2)} s)`;
            console.log(
                `  ${label.padEnd(28)} CPU ${med(name, "cpu").toFixed(2)} s  wall ${med(name, "wall").toFixed(2)} s  ${med(name, "memoryMB").toFixed(0)} MB${versus}`,
            );
        };
        console.log(`\n${label}:`);
        row("baseline", "baseline (no bundle typings)");
        row("untyped", "untyped");
        row("typed", "typed");
        const [typed, untyped] = [med("typed", "cpu"), med("untyped", "cpu")];
        const met = typed - untyped <= 1 || typed / untyped <= 1.5;
        allMet &&= met;
        const wallRatio = med("typed", "wall") / med("untyped", "wall");
        const baseline = med("baseline", "cpu");
        const sign = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(2)} s`;
        console.log(
            `  typed vs untyped: CPU ${(typed / untyped).toFixed(2)}x (${sign(typed - untyped)}), wall ${wallRatio.toFixed(2)}x  goal <= +1 s or <= 1.5x: ${met ? "PASS" : "FAIL"}`,
        );
        // Every program that imports the package pays for parsing the typings, typed or not: the same goal against the baseline.
        const metBaseline = typed - baseline <= 1 || typed / baseline <= 1.5;
        console.log(
            `  typed vs baseline: CPU ${(typed / baseline).toFixed(2)}x (${sign(typed - baseline)})  same goal: ${metBaseline ? "PASS" : "FAIL"}`,
        );
    }
    console.log(`\ntypes goal: ${allMet ? "PASS" : "FAIL"}`);
}

/**
 * A small test-only dynamic provider that keeps its "cloud" as JSON files in a directory
 * (env FILE_PROVIDER_DIR, read at call time in the host process). It lets the host wrapper and the deployment
 * harness be checked against Pulumi's real host without depending on the Cloud Control provider.
 *
 * Inputs: `name` is create-only (a change replaces), everything else updates in place. Knobs (inputs):
 * `delayMs` (each operation takes that long), `failCheck` (check reports a failure on `name`),
 * `failCreate` (create fails, making nothing), `failAfterCreate` (create makes the resource, then throws a
 * partial-create error), `failAfterUpdate` (update
 * applies the change, then throws a partial-update error), `undefinedInError` (update throws an error whose
 * properties hold an `undefined`: Pulumi's host then never answers), `deleteBeforeReplace`,
 * `waitFor` (create marks its own start, then fails unless the named resource's create starts within 5 s: a
 * barrier that proves two creates run at the same time without comparing clocks).
 * Every operation appends one line `<op> <name> <id> <start> <end>` to `ops.log` in the directory.
 */
import type * as pulumi from "@pulumi/pulumi";

type Props = Record<string, any>;

/** The provider object: serialized into `__provider` like any dynamic provider. */
export const fileProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: Props, news: Props) {
        const failures = news.failCheck ? [{ property: "name", reason: "name is rejected by failCheck" }] : [];
        return { inputs: news, failures };
    },
    async diff(_id: string, olds: Props, news: Props) {
        const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
        keys.delete("__provider");
        // Outputs only (set by create) are not inputs: ignore them when comparing.
        for (const k of ["arn", "createdAt", "version"]) keys.delete(k);
        // Knobs that only steer the test provider are not part of the resource.
        for (const k of ["failAfterUpdate", "undefinedInError", "delayMs"]) keys.delete(k);
        const changed = [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
        return {
            changes: changed.length > 0,
            replaces: changed.filter((k) => k === "name"),
            deleteBeforeReplace: !!news.deleteBeforeReplace,
        };
    },
    async create(inputs: Props) {
        const fs = require("fs");
        const p = require("path");
        const dir = process.env.FILE_PROVIDER_DIR!;
        const start = Date.now();
        if (inputs.failCreate) throw new Error(`create of ${inputs.name} failed (failCreate)`);
        if (inputs.waitFor) {
            fs.writeFileSync(p.join(dir, `started-${inputs.name}`), "");
            const deadline = Date.now() + 5000;
            while (!fs.existsSync(p.join(dir, `started-${inputs.waitFor}`))) {
                if (Date.now() > deadline)
                    throw new Error(`create of ${inputs.name}: ${inputs.waitFor} was not being created at the same time`);
                await new Promise((r) => setTimeout(r, 10));
            }
        }
        if (inputs.delayMs) await new Promise((r) => setTimeout(r, inputs.delayMs));
        const id = `${inputs.name}-${Math.random().toString(36).slice(2, 8)}`;
        const outs: Props = { ...inputs, arn: `arn:file:${id}`, createdAt: start, version: 1 };
        delete outs.__provider;
        fs.writeFileSync(p.join(dir, `${id}.json`), JSON.stringify(outs));
        fs.appendFileSync(p.join(dir, "ops.log"), `create ${inputs.name} ${id} ${start} ${Date.now()}\n`);
        console.log(`created ${id}`);
        if (inputs.failAfterCreate) {
            const err = new Error(`resource ${id} failed to initialize`) as Error & Props;
            err.id = id;
            // The host sends these properties without adding `__provider`; the engine stores them as the outputs,
            // and Delete finds the provider only there: include it, or the resource cannot be deleted later.
            err.properties = { ...outs, __provider: inputs.__provider };
            err.reasons = ["failAfterCreate"];
            throw err;
        }
        return { id, outs };
    },
    async read(id: string, props: Props) {
        const fs = require("fs");
        const p = require("path");
        const file = p.join(process.env.FILE_PROVIDER_DIR!, `${id}.json`);
        if (!fs.existsSync(file)) return { id: "", props: {} };
        const live = JSON.parse(fs.readFileSync(file, "utf8"));
        const inputs = { ...props };
        for (const k of Object.keys(live)) if (k in inputs && !["arn", "createdAt", "version"].includes(k)) inputs[k] = live[k];
        for (const k of ["arn", "createdAt", "version"]) delete inputs[k];
        return { id, props: live, inputs };
    },
    async update(id: string, olds: Props, news: Props) {
        const fs = require("fs");
        const p = require("path");
        const dir = process.env.FILE_PROVIDER_DIR!;
        const start = Date.now();
        if (news.delayMs) await new Promise((r) => setTimeout(r, news.delayMs));
        const outs: Props = { ...news, arn: olds.arn, createdAt: olds.createdAt, version: (olds.version ?? 1) + 1 };
        delete outs.__provider;
        if (news.undefinedInError) {
            const err = new Error(`update of ${id} failed`) as Error & Props;
            err.id = id;
            err.properties = { ...outs, broken: undefined };
            throw err;
        }
        fs.writeFileSync(p.join(dir, `${id}.json`), JSON.stringify(outs));
        fs.appendFileSync(p.join(dir, "ops.log"), `update ${news.name} ${id} ${start} ${Date.now()}\n`);
        if (news.failAfterUpdate) {
            const err = new Error(`resource ${id} failed to apply its update`) as Error & Props;
            err.id = id;
            err.properties = { ...outs, __provider: news.__provider };
            err.reasons = ["failAfterUpdate"];
            throw err;
        }
        return { outs };
    },
    async delete(id: string, props: Props) {
        const fs = require("fs");
        const p = require("path");
        const dir = process.env.FILE_PROVIDER_DIR!;
        const start = Date.now();
        if (props.delayMs) await new Promise((r) => setTimeout(r, props.delayMs));
        fs.rmSync(p.join(dir, `${id}.json`), { force: true });
        fs.appendFileSync(p.join(dir, "ops.log"), `delete ${props.name} ${id} ${start} ${Date.now()}\n`);
    },
};

/** One line of ops.log. */
export interface FileOp {
    op: "create" | "update" | "delete";
    name: string;
    id: string;
    start: number;
    end: number;
}

/** Parses `ops.log` of a file-provider directory. */
export function readOps(dir: string): FileOp[] {
    const fs = require("fs") as typeof import("fs");
    const file = require("path").join(dir, "ops.log") as string;
    if (!fs.existsSync(file)) return [];
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => {
            const [op, name, id, start, end] = l.split(" ");
            return { op: op as FileOp["op"], name, id, start: Number(start), end: Number(end) };
        });
}

/** Live resources in a file-provider directory, by id. */
export function liveResources(dir: string): Record<string, Props> {
    const fs = require("fs") as typeof import("fs");
    const out: Record<string, Props> = {};
    for (const f of fs.readdirSync(dir)) {
        if (f.endsWith(".json")) out[f.slice(0, -5)] = JSON.parse(fs.readFileSync(require("path").join(dir, f), "utf8"));
    }
    return out;
}

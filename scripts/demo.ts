/**
 * `npm run demo`: the whole lifecycle of the quickstart program against a local Cloud Control emulator, through
 * Pulumi's own runtime and dynamic-provider host (the deployment harness in test/support/harness stands in for the
 * `pulumi` CLI): deploy, update a property, replace on a create-only change, refresh after an out-of-band change,
 * converge the drift, destroy. Prints each step's plan and outcome and the emulator's request counts; exits 0 only
 * if every step did what it should.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, Emulator, EmulatedResource } from "../src/emulator";
import { destroy, preview, refresh, up, HarnessEvent, RunOptions, RunResult, StepRecord } from "../test/support/harness";
import { cloudControlRunOptions } from "../test/support/harness/cloudcontrol";

/** The program the demo runs: examples/quickstart (a log group, a queue and a parameter wired together). */
export const DEMO_PROGRAM = path.join(__dirname, "..", "examples", "quickstart", "index.ts");
/** The quickstart's Pulumi project name (its config keys are `<project>:retentionDays`, `<project>:prefix`). */
const PROJECT = "cloudcontrol-quickstart";

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const dim = (s: string) => paint("2", s);
const bold = (s: string) => paint("1", s);
const green = (s: string) => paint("32", s);
const red = (s: string) => paint("31", s);
const yellow = (s: string) => paint("33", s);

const SYMBOL: Record<string, string> = {
    create: "+",
    update: "~",
    replace: "+-",
    delete: "-",
    same: " ",
    refresh: "~",
    read: ">",
    import: "=",
};

/** Step lines name the Cloud Control type (a type name is not a property value). */
const cloudType = (inputs: Record<string, unknown>) => (typeof inputs.typeName === "string" ? inputs.typeName : undefined);

function describeStep(s: StepRecord): string {
    const type = s.label ?? s.type;
    let what: string = s.op;
    if (s.op === "replace")
        what = `replace (${s.deleteBeforeReplace ? "delete first" : "create first"}; ${(s.replaces ?? []).join(", ")} changed)`;
    if (s.op === "delete" && s.replaced) what = "delete (replaced copy)";
    if (s.op === "refresh") what = s.gone ? "refresh: gone" : s.drift ? "refresh: drift" : "refresh: in sync";
    const status = s.status === "failed" ? red("failed") : s.status === "planned" ? dim("planned") : green("done");
    const ms = s.durationMs !== undefined && s.status !== "planned" ? dim(` ${s.durationMs} ms`) : "";
    return `  ${SYMBOL[s.op] ?? "?"} ${s.name.padEnd(14)} ${type.padEnd(22)} ${what.padEnd(36)} ${status}${ms}`;
}

function onEvent(e: HarnessEvent): void {
    if (e.kind === "step") {
        if (e.step.op !== "same" || e.step.status === "failed") console.log(describeStep(e.step));
        if (e.step.error) console.log(red(`      ${e.step.error}`));
    } else if (e.kind === "output") {
        // The provider's own status lines (what `pulumi up` shows as info/error output).
        for (const line of e.text.split("\n")) {
            if (
                !line.trim() ||
                /AWS SDK for JavaScript|node >=22|a\.co\/|trace-warnings|versions published|continue receiving|security updates/.test(line)
            )
                continue;
            console.log(dim(`      │ ${line}`));
        }
    } else {
        console.log(yellow(`  warning: ${e.message}`));
    }
}

function requestCounts(em: Emulator): string {
    const counts = new Map<string, number>();
    for (const e of em.requestLog) counts.set(e.operation, (counts.get(e.operation) ?? 0) + 1);
    return [...counts].map(([op, n]) => `${op} ${n}`).join(", ") || "none";
}

interface Check {
    what: string;
    ok: boolean;
}

/** What every step of the demo shares: the emulator, the run options and the check/phase printers. */
interface Demo {
    em: Emulator;
    base: RunOptions;
    withConfig: (c: Record<string, string>) => RunOptions;
    expect: (what: string, ok: boolean) => void;
    phase: (title: string, fn: () => Promise<RunResult>) => Promise<RunResult>;
    logGroup: () => EmulatedResource[];
}

/** Preview and deploy the stack, re-run with no change, then update RetentionInDays in place. */
async function deployAndUpdate(d: Demo): Promise<Record<string, string>> {
    const { em, base, withConfig, expect, phase, logGroup } = d;
    let r = await phase("preview (empty stack)", () => preview(base));
    expect(
        "preview plans 3 creates and makes no request that writes",
        r.ok && r.counts.create === 3 && em.countRequests("CreateResource") === 0,
    );

    r = await phase("up: deploy", () => up(base));
    expect("3 resources created", r.ok && r.counts.create === 3 && em.listResources().length === 3);
    console.log(dim(`  outputs: ${JSON.stringify(r.outputs)}`));
    const settings = em.listResources("AWS::SSM::Parameter")[0];
    expect(
        "the parameter received the log group's Arn (outputs flow to dependents)",
        !!settings && String(settings.properties.Value).includes(String(logGroup()[0]?.properties.Arn)),
    );

    r = await phase("up again: nothing changed", () => up(base));
    expect("no changes", r.ok && r.counts.same === 3 && Object.keys(r.counts).length === 1 && em.countRequests("UpdateResource") === 0);

    const retention = { [`${PROJECT}:retentionDays`]: "14" };
    r = await phase("preview: RetentionInDays 7 -> 14", () => preview(withConfig(retention)));
    expect(
        "preview plans an in-place update of the log group",
        r.ok && r.steps.find((s) => s.name === "app-logs")?.op === "update" && !r.counts.replace,
    );
    r = await phase("up: RetentionInDays 7 -> 14 (update in place)", () => up(withConfig(retention)));
    expect(
        "log group updated in place, nothing else",
        r.ok && r.counts.update === 1 && r.counts.same === 2 && logGroup()[0]?.properties.RetentionInDays === 14,
    );

    return retention;
}

/** Rename (create-only change, so replace), drift out of band, refresh, converge and destroy. */
async function replaceRefreshDestroy(d: Demo, retention: Record<string, string>): Promise<void> {
    const { em, withConfig, expect, phase, logGroup } = d;
    let r: RunResult;
    // The prefix names the log group (LogGroupName is create-only) and the parameter (Name is create-only).
    const renamed = { ...retention, [`${PROJECT}:prefix`]: "demo-v2" };
    r = await phase("preview: new prefix (LogGroupName and parameter Name are create-only)", () => preview(withConfig(renamed)));
    // The parameter's desiredState is built from the log group's outputs, unknown until the replacement exists:
    // the provider plans a change there and settles update vs replace at deploy time.
    expect(
        "preview plans a replacement of the log group naming LogGroupName, and a change of the parameter",
        r.ok &&
            r.steps.some((s) => s.name === "app-logs" && s.op === "replace" && (s.replaces ?? []).some((p) => /LogGroupName/.test(p))) &&
            r.steps.some((s) => s.name === "app-settings" && (s.op === "replace" || s.op === "update")),
    );
    r = await phase("up: new prefix (replace, create before delete)", () => up(withConfig(renamed)));
    expect(
        "log group and parameter replaced (new ones created, old ones deleted), the queue's tags updated",
        r.ok &&
            r.counts.replace === 2 &&
            r.counts.update === 1 &&
            logGroup().length === 1 &&
            logGroup()[0].identifier === "demo-v2-logs" &&
            em.listResources().length === 3,
    );

    const live = logGroup()[0];
    em.putResource("AWS::Logs::LogGroup", live.identifier, { ...live.properties, RetentionInDays: 30 });
    console.log(dim(`\n  (out of band: RetentionInDays of ${live.identifier} set to 30 behind Pulumi's back)`));
    r = await phase("refresh", () => refresh(withConfig(renamed)));
    expect(
        "refresh reports drift on the log group only",
        r.ok &&
            r.steps
                .filter((s) => s.drift)
                .map((s) => s.name)
                .join() === "app-logs",
    );
    r = await phase("up: converge the drift", () => up(withConfig(renamed)));
    expect("drift corrected", r.ok && r.counts.update === 1 && logGroup()[0]?.properties.RetentionInDays === 14);

    r = await phase("destroy", () => destroy(withConfig(renamed)));
    expect(
        "everything deleted, dependents first",
        r.ok && r.counts.delete === 3 && em.listResources().length === 0 && r.state.resources.length === 0,
    );
}

async function main(): Promise<number> {
    const em = await startEmulator({});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloudcontrol-demo-"));
    const stateFile = path.join(dir, "stack.json");
    // The emulator's schemas are cached beside the state, not in the user's ~/.cache.
    process.env.PULUMI_CLOUDCONTROL_CACHE_DIR ??= path.join(dir, "schema-cache");
    const base = {
        stateFile,
        program: DEMO_PROGRAM,
        project: PROJECT,
        stack: "demo",
        ...cloudControlRunOptions(em),
        onEvent,
        label: cloudType,
    };
    const withConfig = (c: Record<string, string>) => ({ ...base, config: { ...base.config, ...c } });
    const checks: Check[] = [];
    const expect = (what: string, ok: boolean) => {
        checks.push({ what, ok });
        console.log(`  ${ok ? green("✔") : red("✘")} ${what}`);
    };
    const phase = async (title: string, fn: () => Promise<RunResult>): Promise<RunResult> => {
        console.log(`\n${bold(`== ${title}`)}`);
        em.clearRequestLog();
        const r = await fn();
        const counts = Object.entries(r.counts)
            .map(([op, n]) => `${n} ${op}`)
            .join(", ");
        console.log(`  ${r.ok ? green("ok") : red("FAILED")}: ${counts || "nothing to do"}`);
        for (const e of r.errors) console.log(red(`  error: ${e}`));
        console.log(dim(`  emulator requests: ${requestCounts(em)}`));
        return r;
    };
    const logGroup = () => em.listResources("AWS::Logs::LogGroup");
    const demo: Demo = { em, base, withConfig, expect, phase, logGroup };
    try {
        console.log(bold(`Cloud Control emulator at ${em.endpoint}; state in ${stateFile}`));
        console.log(dim("Each run starts Pulumi's dynamic-provider host (as every pulumi command does), which loads the provider"));
        console.log(dim("from this checkout's sources, transpiled once: a run's first operation includes about a second of loading."));

        const retention = await deployAndUpdate(demo);
        await replaceRefreshDestroy(demo, retention);
    } catch (e) {
        checks.push({ what: "demo ran to the end", ok: false });
        console.error(red(`demo aborted: ${(e as Error).stack ?? e}`));
    } finally {
        await em.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
    const failed = checks.filter((c) => !c.ok);
    console.log(
        `\n${failed.length === 0 ? green(bold(`All ${checks.length} checks passed.`)) : red(bold(`${failed.length} of ${checks.length} checks failed.`))}`,
    );
    return failed.length === 0 ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e) => {
            console.error(e);
            process.exit(1);
        },
    );
}

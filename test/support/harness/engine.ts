/**
 * The step rules of one deployment run, re-derived from the Pulumi engine's own source (pulumi/pulumi,
 * pkg/resource/deploy: step_generator.go, step.go, step_executor.go, deployment_executor.go; pkg/engine/update.go;
 * pkg/resource/plugin/provider_plugin.go), with the function each rule comes from cited where it is applied.
 * Each registration is checked, diffed against the prior state and turned into a same / create / update / replace
 * step, executed on the dynamic-provider host once its dependencies are done; resources gone from the program and
 * old copies of replaced resources are deleted at the end, in reverse dependency order. Refresh reads every
 * resource; destroy deletes them all. Where this still departs from the engine, the code says "Departure:" (and
 * docs/e2e.md lists it).
 */
import { ProviderHost, ProviderHostError, type DiffResult } from "../provider-host";
import { parsePropertyPath, pathContains, resetPath, type PathSegment } from "./property-path";
import { Limiter, deleteInReverseDependencyOrder } from "./schedule";
import { DeploymentState, PendingOperation, StateResource } from "./state";
import { isDynamicType, markSecrets, stableJson, stripSecrets, UNKNOWN_VALUE } from "./wire";

type Props = Record<string, unknown>;

/** What a run does. */
export type RunKind = "preview" | "up" | "refresh" | "destroy";

/** Kinds of steps, as `pulumi` prints them. */
export type StepOp = "same" | "create" | "update" | "replace" | "delete" | "refresh" | "read" | "import";

/** One step of a run (planned in a preview, executed otherwise). */
export interface StepRecord {
    urn: string;
    name: string;
    type: string;
    op: StepOp;
    status: "planned" | "done" | "failed";
    id?: string;
    /** Id before the step (replace, refresh). */
    oldId?: string;
    /** Properties whose change forces the replacement (from Diff, or "id" for a targeted replacement). */
    replaces?: string[];
    deleteBeforeReplace?: boolean;
    /** delete: the old copy of a replaced resource. */
    replaced?: boolean;
    /** delete: no provider call (retainOnDelete, deletedWith, or nothing left to delete). */
    skipped?: "retainOnDelete" | "deletedWith" | "pendingReplacement";
    /** refresh: the live resource differs from state (the swapped Diff reported changes). */
    drift?: boolean;
    /** refresh: the resource no longer exists and left the state. */
    gone?: boolean;
    error?: string;
    durationMs?: number;
    /** What {@link EngineOptions.label} made of the resource's inputs (e.g. a cloud type name). */
    label?: string;
}

/** What the harness reports as a run goes. */
export type HarnessEvent =
    | { kind: "step"; step: StepRecord }
    | { kind: "output"; stream: "stdout" | "stderr"; text: string }
    | { kind: "warning"; message: string };

/** A resource registration from the program, in wire format (secrets wrapped, unknowns as the sentinel). */
export interface Registration {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    inputs: Props;
    dependencies: string[];
    /** The deleteBeforeReplace option; undefined when the program did not set it (then the provider decides). */
    deleteBeforeReplace?: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    importId?: string;
    protect: boolean;
    retainOnDelete: boolean;
    deletedWith?: string;
    replaceWith: string[];
    /** The replacementTrigger option (plain), when set. */
    replacementTrigger?: unknown;
}

/** Settings of a run. */
export interface EngineOptions {
    kind: RunKind;
    host: ProviderHost;
    /** Maximum provider operations at once (the CLI's `--parallel`). */
    parallel: number;
    /** Persists the state (after every step). */
    save: (state: DeploymentState) => void;
    onEvent?: (e: HarnessEvent) => void;
    /** Names a resource for the step records from its (plain) inputs; must not return property values. */
    label?: (inputs: Props) => string | undefined;
    /** URNs to replace whatever their diff says (`pulumi up --replace`). */
    replaceTargets?: string[];
    /** Stack config `pulumi:autonaming` (JSON text), which the engine reads itself too (see {@link autonamingDeletesFirst}). */
    autonaming?: string;
}

/**
 * step_generator.go continueStepsFromImport: with `pulumi:autonaming` set, the engine asks its autonamer about every
 * custom resource, whatever its provider supports (pkg/resource/autonaming/strategy.go Global.AutonamingForResource:
 * the resource type's entry under its package, else the package's default, else the top-level one). Verbatim,
 * disabled and a pattern without random parts make `goal.DeleteBeforeReplace = true`, overriding the program's option.
 */
export function autonamingDeletesFirst(config: string | undefined, type: string): boolean {
    if (!config) return false;
    let root: Record<string, any>;
    try {
        root = JSON.parse(config);
    } catch {
        return false; // the CLI refuses such a configuration before the engine starts
    }
    const pkg = type.split(":")[0];
    const provider = root?.providers?.[pkg];
    const naming =
        provider?.resources?.[type] ?? (provider && (provider.mode !== undefined || provider.pattern !== undefined) ? provider : root);
    if (naming?.mode === "verbatim" || naming?.mode === "disabled") return true;
    return typeof naming?.pattern === "string" && !/\$\{(hex|alphanum|string|num)\(\d+\)\}|\$\{uuid\}/.test(naming.pattern);
}

/** The diff the engine acts on, after the rules it applies to the provider's answer. */
interface PlannedDiff {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace: boolean;
    /** replacementTrigger changed: a replacement without a Diff call. */
    triggered: boolean;
}

/** One run over a prior state. */
export class Engine {
    readonly steps: StepRecord[] = [];
    readonly errors: string[] = [];
    /** Live resources by URN (in completion order: dependencies before dependents). */
    private readonly current = new Map<string, StateResource>();
    /** Old copies of replaced resources still to delete (the engine's `Delete: true`). */
    private readonly condemned: StateResource[] = [];
    private readonly pending: PendingOperation[] = [];
    /** Registrations of this run by URN: resolve true when their step succeeded. */
    private readonly registered = new Map<string, Promise<boolean>>();
    /** URNs replaced in this run (the step generator's `replaces`, read by replaceWith and deletedWith). */
    private readonly replacing = new Set<string>();
    /** URNs deleted in this run (the step generator's `deletes`, read by deletedWith). */
    private readonly deleting = new Set<string>();
    private readonly limiter: Limiter;

    constructor(
        private readonly prior: DeploymentState,
        private readonly opts: EngineOptions,
    ) {
        this.limiter = new Limiter(opts.parallel);
        for (const r of prior.resources) {
            if (r.pendingDelete) this.condemned.push(r);
            else this.current.set(r.urn, r);
            this.labelFor(r.urn, r.inputs);
        }
        // Departure: the engine asks what to do with interrupted operations (or, with --clear-pending, drops them).
        // Here they are dropped with a warning; the provider's create journal is what prevents duplicates.
        for (const op of prior.pendingOperations) {
            this.warn(
                `${op.urn}: an interrupted ${op.type.replace(/ing$/, "e")} operation was left by the previous run; it is dropped from the state`,
            );
        }
    }

    /** The state as it stands. */
    state(): DeploymentState {
        return {
            version: 1,
            project: this.prior.project,
            stack: this.prior.stack,
            resources: [...this.current.values(), ...this.condemned],
            pendingOperations: [...this.pending],
        };
    }

    private get preview(): boolean {
        return this.opts.kind === "preview";
    }

    private save(): void {
        if (!this.preview) this.opts.save(this.state());
    }

    private warn(message: string): void {
        this.opts.onEvent?.({ kind: "warning", message });
    }

    private readonly labels = new Map<string, string>();

    private labelFor(urn: string, inputs: Props): void {
        const l = this.opts.label?.(inputs);
        if (l !== undefined) this.labels.set(urn, l);
    }

    private record(step: StepRecord): StepRecord {
        const label = this.labels.get(step.urn);
        if (label !== undefined && step.label === undefined) step.label = label;
        this.steps.push(step);
        if (step.status === "failed" && step.error) this.errors.push(step.error);
        this.opts.onEvent?.({ kind: "step", step });
        return step;
    }

    /** Runs `fn` as an operation in flight (recorded in state until it ends). */
    private async inFlight<T>(op: PendingOperation, fn: () => Promise<T>): Promise<T> {
        return this.limiter.run(async () => {
            this.pending.push(op);
            this.save();
            try {
                return await fn();
            } finally {
                this.pending.splice(this.pending.indexOf(op), 1);
            }
        });
    }

    /** Replaces the state entry of a URN (moving it to the end: completion order). */
    private put(r: StateResource): void {
        this.current.delete(r.urn);
        this.current.set(r.urn, r);
        this.save();
    }

    /** Handles one registration from the program; resolves with the id and (wire-format) outputs it gets back. */
    register(reg: Registration): Promise<{ id: string; outputs: Props }> {
        if (this.registered.has(reg.urn)) return Promise.reject(new Error(`${reg.urn}: duplicate resource URN`));
        const p = this.step(reg);
        this.registered.set(
            reg.urn,
            p.then(
                () => true,
                () => false,
            ),
        );
        return p;
    }

    private base(reg: Registration, secretKeys: string[]): Omit<StateResource, "id" | "inputs" | "outputs"> {
        return {
            urn: reg.urn,
            type: reg.type,
            name: reg.name,
            custom: reg.custom,
            dependencies: reg.dependencies,
            ...(reg.parent ? { parent: reg.parent } : {}),
            secretKeys,
            ...(reg.protect ? { protect: true } : {}),
            ...(reg.retainOnDelete ? { retainOnDelete: true } : {}),
            ...(reg.deletedWith ? { deletedWith: reg.deletedWith } : {}),
            // step_generator.go generateResourceSteps: the new state records the goal's import id (ImportID).
            ...(reg.importId ? { importId: reg.importId } : {}),
            ...(reg.replacementTrigger !== undefined ? { replacementTrigger: reg.replacementTrigger } : {}),
        };
    }

    /** step_generator.go isTargetedReplace: `--replace` targets, and resources tainted in the prior state. */
    private isTargetedReplace(urn: string, old: StateResource | undefined): boolean {
        return (this.opts.replaceTargets ?? []).includes(urn) || old?.taint === true;
    }

    private async step(reg: Registration): Promise<{ id: string; outputs: Props }> {
        // Dependents run after their dependencies (the SDK already waits for input values; explicit dependsOn
        // targets are awaited here, as the engine's step executor does). Departure: replaceWith and deletedWith
        // targets are awaited too, so that whether they are replaced in this run is known (the engine reads its
        // step generator's replace set, which may not be filled yet when the dependent registers).
        const waitFor = [...reg.dependencies, ...reg.replaceWith, ...(reg.deletedWith ? [reg.deletedWith] : [])];
        const depsOk = await Promise.all(waitFor.map((u) => this.registered.get(u) ?? true));
        if (depsOk.includes(false)) throw new Error(`${reg.urn}: skipped because a dependency failed`);
        const { plain, secretKeys } = stripSecrets(reg.inputs);
        this.labelFor(reg.urn, plain);
        if (!reg.custom) {
            // Components have no provider: the engine records them as they are.
            this.put({ ...this.base(reg, secretKeys), id: "", inputs: plain, outputs: plain });
            return { id: "", outputs: reg.inputs };
        }
        if (!isDynamicType(reg.type)) {
            throw new Error(`${reg.urn}: ${reg.type} is not a dynamic resource; the harness only runs dynamic providers`);
        }
        const started = Date.now();
        const rec = { urn: reg.urn, name: reg.name, type: reg.type };
        const report = (op: StepOp, e: unknown, extra: Partial<StepRecord> = {}): string => {
            const error =
                e instanceof ProviderHostError ? `${reg.urn}: ${op} failed: ${e.message}` : e instanceof Error ? e.message : String(e);
            this.record({ ...rec, op, status: "failed", error, durationMs: Date.now() - started, ...extra });
            return error;
        };
        const fail = (op: StepOp, e: unknown, extra: Partial<StepRecord> = {}): never => {
            throw new Error(report(op, e, extra));
        };
        const done = (op: StepOp, extra: Partial<StepRecord> = {}) =>
            this.record({ ...rec, op, status: this.preview ? "planned" : "done", durationMs: Date.now() - started, ...extra });
        // Outputs that share a top-level key with a secret input are secret too (step_executor.go continueExecuteStep).
        const wire = (outputs: Props) => markSecrets(outputs, secretKeys);

        let old = this.current.get(reg.urn);
        // step_generator.go continueStepsFromRefresh: an import happens when the goal has an id and there is no
        // old state, or the old one was imported with another id.
        if (reg.importId && (!old || (old.importId ?? old.id) !== reg.importId)) {
            try {
                old = await this.importStep(reg, old, secretKeys);
            } catch (e) {
                return fail("import", e, { id: reg.importId });
            }
        }

        // step_generator.go continueStepsFromImport: ignoreChanges sets ignored paths back to their old values; a
        // new resource and a targeted replacement are checked with no olds and the goal's own inputs (an imported
        // one with the imported inputs as olds).
        const news = old ? this.ignoreChanges(reg, plain, old.inputs) : plain;
        const targeted = this.isTargetedReplace(reg.urn, old);
        let checked: Props;
        try {
            checked = old && !targeted ? await this.check(reg, old.inputs, news) : await this.check(reg, {}, plain);
        } catch (e) {
            return fail(old ? "update" : "create", e);
        }

        if (!old) {
            if (this.preview) {
                done("create");
                // provider_plugin.go Create: the dynamic-provider host does not support previews, so the engine
                // hands the checked inputs back as outputs; everything else is unknown.
                return { id: "", outputs: wire(checked) };
            }
            const created = await this.create(reg, checked, secretKeys).catch((e) => fail("create", e));
            done("create", { id: created.id });
            return { id: created.id, outputs: wire(created.outputs) };
        }

        let diff: PlannedDiff;
        try {
            diff = await this.diff(reg, old, checked, targeted);
        } catch (e) {
            return fail("update", e, { id: old.id });
        }
        const hasInitErrors = (old.initErrors?.length ?? 0) > 0;

        // step_generator.go continueStepsFromDiff.
        if ((diff.changes || old.pendingReplacement) && (diff.replaces.length > 0 || diff.triggered || old.pendingReplacement)) {
            return this.replace(reg, old, diff, targeted ? checked : undefined, plain, secretKeys, { report, fail, done, wire });
        }
        if (diff.changes || hasInitErrors) {
            // An in-place update; also for a resource left with init errors, to "continue" its initialization.
            if (this.preview) {
                done("update", { id: old.id });
                return { id: old.id, outputs: wire(checked) };
            }
            const outputs = await this.update(reg, old, checked, secretKeys).catch((e) => fail("update", e, { id: old!.id }));
            done("update", { id: old.id });
            return { id: old.id, outputs: wire(outputs) };
        }
        // step.go SameStep.Apply: the new inputs, the old id and outputs.
        const { initErrors: _none, ...kept } = old;
        if (!this.preview) this.put({ ...kept, ...this.base(reg, secretKeys), inputs: checked });
        done("same", { id: old.id });
        return { id: old.id, outputs: wire(old.outputs) };
    }

    private async check(reg: Registration, olds: Props, news: Props): Promise<Props> {
        const res = await this.opts.host.check(reg.urn, olds, news);
        if (res.failures.length > 0) {
            throw new Error(`${reg.urn}: check failed: ${res.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
        }
        return res.inputs;
    }

    /** step_generator.go processIgnoreChanges: each ignored path (nested paths too) keeps its old value. */
    private ignoreChanges(reg: Registration, inputs: Props, oldInputs: Props): Props {
        if (reg.ignoreChanges.length === 0) return inputs;
        const result = structuredClone(inputs);
        const invalid: string[] = [];
        for (const p of reg.ignoreChanges) {
            let path: PathSegment[];
            try {
                path = parsePropertyPath(p);
            } catch {
                continue;
            }
            if (!resetPath(path, oldInputs, result)) invalid.push(p);
        }
        if (invalid.length)
            this.warn(
                `${reg.urn}: cannot ignore changes in added or removed elements of the path: ${invalid.map((p) => JSON.stringify(p)).join(", ")}`,
            );
        return result;
    }

    /**
     * step_generator.go generateStepsFromDiff / diff / continueStepsFromDiff: a changed replacementTrigger, a
     * targeted replacement, a replaceWith target or the deletedWith target being replaced decide without calling
     * Diff; otherwise the provider's Diff, after which replaceOnChanges is applied (applyReplaceOnChanges).
     */
    private async diff(reg: Registration, old: StateResource, checked: Props, targeted: boolean): Promise<PlannedDiff> {
        if (reg.replacementTrigger !== undefined || old.replacementTrigger !== undefined) {
            // shouldTriggerReplace: unknowns always trigger; no trigger on one side means none.
            const a = old.replacementTrigger;
            const b = reg.replacementTrigger;
            const unknown = (v: unknown) => (stableJson(v) ?? "").includes(UNKNOWN_VALUE);
            const triggered =
                unknown(a) ||
                unknown(b) ||
                (a !== undefined && a !== null && b !== undefined && b !== null && stableJson(a) !== stableJson(b));
            if (triggered) return { changes: true, replaces: [], deleteBeforeReplace: false, triggered: true };
        }
        let answer: Pick<DiffResult, "changes" | "replaces" | "deleteBeforeReplace" | "diffs">;
        if (targeted) answer = { changes: "some", replaces: ["id"], deleteBeforeReplace: false };
        else if (reg.replaceWith.some((u) => this.replacing.has(u)))
            answer = { changes: "some", replaces: ["replaceWith"], deleteBeforeReplace: false };
        else if (reg.deletedWith && this.replacing.has(reg.deletedWith))
            answer = { changes: "some", replaces: ["deletedWith"], deleteBeforeReplace: false };
        else {
            answer = await this.opts.host.diff(reg.urn, old.id, old.outputs, checked, old.inputs);
            if (answer.changes === "unknown") {
                // diffResource: DIFF_UNKNOWN falls back to comparing the old and (ignoreChanges-applied) new inputs.
                const news = this.ignoreChanges(reg, checked, old.inputs);
                answer = { ...answer, changes: stableJson(old.inputs) === stableJson(news) ? "none" : "some" };
            }
        }
        let changes = answer.changes === "some";
        const replaces = [...answer.replaces];
        // applyReplaceOnChanges: the option is matched against the changed keys the provider reported (the
        // dynamic-provider host reports none, and no detailed diff) and against init errors ("#initerror").
        const paths = reg.replaceOnChanges.flatMap((p) => {
            try {
                return [parsePropertyPath(p)];
            } catch {
                return [];
            }
        });
        if (changes) {
            for (const k of answer.diffs ?? []) if (paths.some((p) => pathContains(p, [k])) && !replaces.includes(k)) replaces.push(k);
        }
        if ((old.initErrors?.length ?? 0) > 0 && paths.some((p) => pathContains(p, ["#initerror"]))) {
            replaces.push("#initerror");
            changes = true;
        }
        return { changes, replaces, deleteBeforeReplace: answer.deleteBeforeReplace, triggered: false };
    }

    private async replace(
        reg: Registration,
        old: StateResource,
        diff: PlannedDiff,
        targetedInputs: Props | undefined,
        plain: Props,
        secretKeys: string[],
        h: StepHelpers,
    ): Promise<{ id: string; outputs: Props }> {
        // deleteBeforeReplace: the resource option, when the program set it, overrides the provider's answer; the
        // engine's autonaming rule overrides both.
        const deleteBeforeReplace =
            autonamingDeletesFirst(this.opts.autonaming, reg.type) || (reg.deleteBeforeReplace ?? diff.deleteBeforeReplace);
        const rep: Partial<StepRecord> = { replaces: diff.replaces, deleteBeforeReplace, oldId: old.id };
        // A protected resource cannot be replaced (that entails a delete); unprotecting and replacing in one run is allowed.
        if (reg.protect && old.protect) {
            const message = `${reg.urn}: unable to replace resource as it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``;
            // In a preview the engine reports the error and shows the rest of the plan; an update stops here.
            if (!this.preview) return h.fail("replace", new Error(message), rep);
            h.report("replace", new Error(message), rep);
        }
        if (reg.importId) {
            const message = `${reg.urn}: previously-imported resources that still specify an ID may not be replaced; please remove the \`import\` declaration from your program`;
            if (this.preview) this.warn(message);
            else return h.fail("replace", new Error(message), rep);
        }
        this.replacing.add(reg.urn);
        // The replacement's inputs are checked again, with no olds (not for a targeted one: already done so).
        let checked: Props;
        try {
            checked = targetedInputs ?? (await this.check(reg, {}, plain));
        } catch (e) {
            return h.fail("replace", e, rep);
        }
        if (this.preview) {
            h.done("replace", rep);
            return { id: "", outputs: h.wire(checked) };
        }
        if (deleteBeforeReplace) {
            // Departure: the engine first deletes (and later re-creates) dependents that would be replaced by this
            // replacement (calculateDependentReplacements); here only this resource is replaced.
            if (!old.pendingReplacement) {
                this.deleting.add(old.urn);
                try {
                    await this.deleteOne(old, { replacing: true });
                } catch (e) {
                    return h.fail("replace", e, rep);
                }
                // step.go DeleteStep.Apply: the deleted resource stays in state, pending replacement, until its
                // replacement is created (so an interrupted run still knows to create it, without deleting again).
                old.pendingReplacement = true;
                this.save();
            }
            const created = await this.create(reg, checked, secretKeys).catch((e) => h.fail("replace", e, rep));
            h.done("replace", { ...rep, id: created.id });
            return { id: created.id, outputs: h.wire(created.outputs) };
        }
        const created = await this.create(reg, checked, secretKeys, old).catch((e) => h.fail("replace", e, rep));
        h.done("replace", { ...rep, id: created.id });
        return { id: created.id, outputs: h.wire(created.outputs) };
    }

    /**
     * step.go CreateStep.Apply: Create with the checked inputs. A partial create (an error carrying an id) is kept
     * in state with its init errors. For a create-before-delete replacement the old copy is marked for deletion,
     * after a partial create too.
     */
    private async create(
        reg: Registration,
        inputs: Props,
        secretKeys: string[],
        replacing?: StateResource,
    ): Promise<{ id: string; outputs: Props }> {
        const condemn = () => {
            if (!replacing) return;
            this.current.delete(replacing.urn);
            this.condemned.push({ ...replacing, pendingDelete: true });
        };
        try {
            const r = await this.inFlight({ urn: reg.urn, type: "creating" }, () => this.opts.host.create(reg.urn, inputs));
            condemn();
            this.put({ ...this.base(reg, secretKeys), id: r.id, inputs, outputs: r.properties });
            return { id: r.id, outputs: r.properties };
        } catch (e) {
            if (e instanceof ProviderHostError && e.partial?.id) {
                condemn();
                this.put({
                    ...this.base(reg, secretKeys),
                    id: e.partial.id,
                    inputs,
                    outputs: e.partial.properties,
                    initErrors: e.partial.reasons,
                });
            }
            this.save();
            throw e;
        }
    }

    /**
     * step.go UpdateStep.Apply: Update(id, old outputs, new inputs, old inputs). A partial failure (an error
     * carrying the resource's properties) is recorded as the engine does (pkg/engine/update.go
     * OnResourceStepPost, pulumi/pulumi#2011): the error's outputs and init errors with the OLD inputs. A plain
     * failure records nothing.
     */
    private async update(reg: Registration, old: StateResource, inputs: Props, secretKeys: string[]): Promise<Props> {
        try {
            const res = await this.inFlight({ urn: reg.urn, type: "updating", id: old.id }, () =>
                this.opts.host.update(reg.urn, old.id, old.outputs, inputs, old.inputs),
            );
            const { initErrors: _cleared, ...rest } = old;
            this.put({ ...rest, ...this.base(reg, secretKeys), inputs, outputs: res.properties });
            return res.properties;
        } catch (e) {
            if (e instanceof ProviderHostError && e.partial) {
                this.put({
                    ...old,
                    ...this.base(reg, secretKeys),
                    inputs: old.inputs,
                    outputs: e.partial.properties,
                    initErrors: e.partial.reasons,
                });
            }
            throw e;
        }
    }

    /**
     * step.go ImportStep.Apply: Read with the id and no inputs and no state. The dynamic-provider host finds its
     * provider in the properties, so for a dynamic resource this fails (pulumi/pulumi#3550). Were it to succeed, the
     * imported state becomes the old state and the normal Check, Diff and update follow (continueStepsFromImport).
     */
    private async importStep(reg: Registration, old: StateResource | undefined, secretKeys: string[]): Promise<StateResource> {
        const id = reg.importId!;
        const r = await this.limiter.run(() => this.opts.host.read(reg.urn, id, {}, undefined, { bare: true }));
        if (!r.id && Object.keys(r.properties).length === 0) throw new Error(`${reg.urn}: import failed: resource '${id}' does not exist`);
        if (!r.inputs) throw new Error(`${reg.urn}: import failed: provider does not support importing resources`);
        const imported: StateResource = { ...this.base(reg, secretKeys), id: r.id || id, inputs: r.inputs, outputs: r.properties };
        if (!this.preview) {
            if (old) {
                // An import replacing an existing resource: the old one is deleted at the end of the run.
                this.current.delete(old.urn);
                this.condemned.push({ ...old, pendingDelete: true });
            }
            this.put(imported);
        }
        this.record({
            urn: reg.urn,
            name: reg.name,
            type: reg.type,
            op: "import",
            status: this.preview ? "planned" : "done",
            id: imported.id,
        });
        return imported;
    }

    /**
     * `Resource.get`: reads a resource the program does not manage (step.go ReadStep.Apply: the inputs sent as both
     * inputs and state). Departure: the engine keeps such a resource in state marked external; here it is not stored.
     */
    async read(reg: Registration & { id: string }): Promise<{ id: string; outputs: Props }> {
        const { plain, secretKeys } = stripSecrets(reg.inputs);
        const r = await this.limiter.run(() => this.opts.host.read(reg.urn, reg.id, plain, plain));
        if (!r.id) throw new Error(`${reg.urn}: resource ${reg.id} does not exist`);
        this.record({ urn: reg.urn, name: reg.name, type: reg.type, op: "read", status: "done", id: r.id });
        return { id: r.id, outputs: markSecrets(r.properties, secretKeys) };
    }

    /**
     * After the program (step_generator.go GenerateDeletes): delete resources it no longer declares and old copies
     * of replaced ones (also those earlier runs left). The engine does not get here when the program or a step
     * failed (deployment_executor.go Execute), and neither does this.
     */
    async finish(programFailed: boolean): Promise<void> {
        const removed = [...this.current.values()].filter((r) => !this.registered.has(r.urn));
        if (this.preview) {
            for (const r of removed) this.record({ urn: r.urn, name: r.name, type: r.type, op: "delete", status: "planned", id: r.id });
            for (const r of this.condemned)
                this.record({ urn: r.urn, name: r.name, type: r.type, op: "delete", status: "planned", id: r.id, replaced: true });
            return;
        }
        if (programFailed || this.errors.length > 0) return;
        await this.deleteAll([...removed, ...this.condemned]);
    }

    /** destroy: delete everything in state, dependents first. */
    async destroy(): Promise<void> {
        await this.deleteAll([...this.current.values(), ...this.condemned]);
    }

    private async deleteAll(items: StateResource[]): Promise<void> {
        for (const r of items) this.deleting.add(r.urn);
        await deleteInReverseDependencyOrder(items, async (r) => {
            const started = Date.now();
            const rec = {
                urn: r.urn,
                name: r.name,
                type: r.type,
                op: "delete" as const,
                id: r.id,
                ...(r.pendingDelete ? { replaced: true } : {}),
            };
            let skipped: StepRecord["skipped"];
            try {
                skipped = await this.deleteOne(r, { replacing: r.pendingDelete === true });
            } catch (e) {
                this.record({ ...rec, status: "failed", error: `${r.urn}: delete failed: ${(e as Error).message}` });
                throw e;
            }
            if (r.pendingDelete) this.condemned.splice(this.condemned.indexOf(r), 1);
            else this.current.delete(r.urn);
            this.save();
            if (r.custom) this.record({ ...rec, status: "done", durationMs: Date.now() - started, ...(skipped ? { skipped } : {}) });
        });
    }

    /**
     * step.go DeleteStep.Apply: a protected resource is not deleted (unless it is the old copy of a replacement,
     * whose protection the step generator checked); retainOnDelete and a deletedWith target deleted in the same run
     * skip the provider call; a resource pending replacement was deleted already (RemovePendingReplaceStep).
     * Returns why no provider call was made, if none was.
     */
    private async deleteOne(r: StateResource, opts: { replacing: boolean }): Promise<StepRecord["skipped"]> {
        if (!opts.replacing && r.protect) {
            throw new Error(
                `resource ${JSON.stringify(r.urn)} cannot be deleted because it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command: \`pulumi state unprotect ${r.urn}\``,
            );
        }
        if (!r.custom) return undefined;
        if (r.pendingReplacement) return "pendingReplacement";
        if (r.retainOnDelete) return "retainOnDelete";
        if (r.deletedWith && this.deleting.has(r.deletedWith)) return "deletedWith";
        await this.inFlight({ urn: r.urn, type: "deleting", id: r.id }, () => this.opts.host.delete(r.urn, r.id, r.outputs, r.inputs));
        return undefined;
    }

    /**
     * refresh (and `up --refresh`, which refreshes before the program runs: deployment_executor.go refresh):
     * step.go RefreshStep.Apply for every resource — Read(id, old inputs, old outputs); an empty id means gone;
     * the read's inputs (when given) and outputs are taken, init errors are replaced by the read's (cleared unless
     * it failed partially); drift is what Diff says with the arguments swapped (old inputs as the new inputs, the
     * refreshed outputs as the olds). Resources pending replacement are not read.
     */
    async refresh(): Promise<void> {
        const all = [...this.current.values(), ...this.condemned].filter((r) => r.custom && !r.pendingReplacement);
        await Promise.all(
            all.map(async (r) => {
                const started = Date.now();
                const rec = { urn: r.urn, name: r.name, type: r.type, op: "refresh" as const, oldId: r.id };
                let res: { id: string; properties: Props; inputs?: Props };
                let initErrors: string[] | undefined;
                try {
                    res = await this.limiter.run(() => this.opts.host.read(r.urn, r.id, r.outputs, r.inputs));
                } catch (e) {
                    if (!(e instanceof ProviderHostError && e.partial)) {
                        this.record({ ...rec, status: "failed", id: r.id, error: `${r.urn}: refresh failed: ${(e as Error).message}` });
                        return;
                    }
                    // A partial read does not fail the refresh: its init errors are kept for the next update.
                    this.warn(`${r.urn}: refreshed resource is in an unhealthy state: ${e.partial.reasons.join("; ")}`);
                    res = { id: e.partial.id || r.id, properties: e.partial.properties };
                    initErrors = e.partial.reasons;
                }
                if (!res.id) {
                    if (r.pendingDelete) this.condemned.splice(this.condemned.indexOf(r), 1);
                    else this.current.delete(r.urn);
                    this.save();
                    this.record({ ...rec, status: "done", gone: true, drift: true, durationMs: Date.now() - started });
                    return;
                }
                const inputs = res.inputs ?? r.inputs;
                let drift: boolean;
                try {
                    const d = await this.opts.host.diff(r.urn, res.id, res.properties, r.inputs, inputs);
                    drift = d.changes === "some" || (d.changes === "unknown" && stableJson(inputs) !== stableJson(r.inputs));
                } catch (e) {
                    this.record({ ...rec, status: "failed", id: r.id, error: `${r.urn}: refresh failed: ${(e as Error).message}` });
                    return;
                }
                Object.assign(r, { id: res.id, outputs: res.properties, inputs });
                if (initErrors) r.initErrors = initErrors;
                else delete r.initErrors;
                this.save();
                this.record({ ...rec, status: "done", id: res.id, drift, durationMs: Date.now() - started });
            }),
        );
    }
}

/** What {@link Engine.replace} needs from the step it continues. */
interface StepHelpers {
    /** Records a failed step and returns its error message. */
    report: (op: StepOp, e: unknown, extra?: Partial<StepRecord>) => string;
    /** Records a failed step and throws. */
    fail: (op: StepOp, e: unknown, extra?: Partial<StepRecord>) => never;
    done: (op: StepOp, extra?: Partial<StepRecord>) => StepRecord;
    wire: (outputs: Props) => Props;
}

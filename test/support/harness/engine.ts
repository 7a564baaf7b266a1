/**
 * The step rules of one deployment run, following the Pulumi engine (pkg/resource/deploy in pulumi/pulumi):
 * each registration is checked, diffed against the prior state and turned into a same / create / update / replace
 * step, executed on the dynamic-provider host once its dependencies are done; resources gone from the program and
 * old copies of replaced resources are deleted at the end, in reverse dependency order. Refresh reads every resource;
 * destroy deletes them all. Departures from the engine are marked "Departure:".
 */
import { ProviderHost, ProviderHostError } from "../provider-host";
import { Limiter, deleteInReverseDependencyOrder } from "./schedule";
import { DeploymentState, PendingOperation, StateResource } from "./state";
import { isDynamicType, markSecrets, stableJson, stripSecrets } from "./wire";

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
    /** Properties whose change forces the replacement (from Diff). */
    replaces?: string[];
    deleteBeforeReplace?: boolean;
    /** delete: the old copy of a replaced resource. */
    replaced?: boolean;
    /** refresh: the live resource differs from state. */
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
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    importId?: string;
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
}

/** One run over a prior state. */
export class Engine {
    readonly steps: StepRecord[] = [];
    readonly errors: string[] = [];
    /** Live resources by URN (in completion order: dependencies before dependents). */
    private readonly current = new Map<string, StateResource>();
    /** Old copies of replaced resources still to delete. */
    private readonly condemned: StateResource[] = [];
    private readonly pending: PendingOperation[] = [];
    /** Registrations of this run by URN: resolve true when their step succeeded. */
    private readonly registered = new Map<string, Promise<boolean>>();
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
        // Here they are dropped with a warning; the provider's idempotent ClientToken is what prevents duplicates.
        for (const op of prior.pendingOperations) {
            this.warn(`${op.urn}: an interrupted ${op.type.replace(/ing$/, "e")} operation was left by the previous run; it is dropped from the state`);
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

    private async step(reg: Registration): Promise<{ id: string; outputs: Props }> {
        // Dependents run after their dependencies (the SDK already waits for input values; explicit dependsOn
        // targets are awaited here, as the engine's step executor does).
        const depsOk = await Promise.all(reg.dependencies.map((u) => this.registered.get(u) ?? true));
        if (depsOk.includes(false)) throw new Error(`${reg.urn}: skipped because a dependency failed`);
        const { plain, secretKeys } = stripSecrets(reg.inputs);
        this.labelFor(reg.urn, plain);
        if (!reg.custom) {
            // Components have no provider: the engine records them as they are.
            this.current.delete(reg.urn);
            this.current.set(reg.urn, { ...this.base(reg, secretKeys), id: "", inputs: plain, outputs: plain });
            this.save();
            return { id: "", outputs: reg.inputs };
        }
        if (!isDynamicType(reg.type)) {
            throw new Error(`${reg.urn}: ${reg.type} is not a dynamic resource; the harness only runs dynamic providers`);
        }
        const started = Date.now();
        const old = this.current.get(reg.urn);
        const news = { ...plain };
        if (old) {
            // ignoreChanges: keep the old value of each ignored (top-level) property.
            // Departure: the engine also accepts nested property paths here.
            for (const k of reg.ignoreChanges) {
                if (k in old.inputs) news[k] = old.inputs[k];
                else delete news[k];
            }
        }
        const base = { urn: reg.urn, name: reg.name, type: reg.type };
        const fail = (op: StepOp, e: unknown, extra: Partial<StepRecord> = {}): never => {
            const error = e instanceof ProviderHostError ? `${reg.urn}: ${op} failed: ${e.message}` : e instanceof Error ? e.message : String(e);
            this.record({ ...base, op, status: "failed", error, durationMs: Date.now() - started, ...extra });
            throw new Error(error);
        };
        let checked: Props;
        try {
            const res = await this.opts.host.check(reg.urn, old?.inputs ?? {}, news);
            if (res.failures.length > 0) {
                throw new Error(`${reg.urn}: check failed: ${res.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
            }
            checked = res.inputs;
        } catch (e) {
            return fail(old ? "update" : "create", e);
        }
        // Outputs that share a top-level key with a secret input are secret too.
        const wire = (outputs: Props) => markSecrets(outputs, secretKeys);
        const done = (op: StepOp, extra: Partial<StepRecord> = {}) =>
            this.record({ ...base, op, status: this.preview ? "planned" : "done", durationMs: Date.now() - started, ...extra });

        if (!old) {
            if (reg.importId) return this.import(reg, checked, secretKeys, started);
            if (this.preview) {
                done("create");
                // In a preview the engine hands the checked inputs back; every other output is unknown.
                return { id: "", outputs: wire(checked) };
            }
            const created = await this.create(reg, checked, secretKeys).catch((e) => fail("create", e));
            done("create", { id: created.id });
            return { id: created.id, outputs: wire(created.outputs) };
        }

        let diff;
        try {
            diff = await this.opts.host.diff(reg.urn, old.id, old.outputs, checked, old.inputs);
        } catch (e) {
            return fail("update", e);
        }
        // DIFF_UNKNOWN: the engine falls back to comparing old and new inputs itself.
        // A resource left with init errors (partial create) is always updated, as the engine does.
        const changed =
            diff.changes === "some" || (diff.changes === "unknown" && stableJson(old.inputs) !== stableJson(checked)) || (old.initErrors?.length ?? 0) > 0;
        const replaces = [...diff.replaces];
        // Departure: replaceOnChanges is matched on top-level property names only.
        for (const k of reg.replaceOnChanges) {
            if ((k === "*" || stableJson(old.inputs[k]) !== stableJson(checked[k])) && changed && !replaces.includes(k)) replaces.push(k);
        }
        if (!changed) {
            this.current.delete(reg.urn);
            this.current.set(reg.urn, { ...old, ...this.base(reg, secretKeys), inputs: checked });
            this.save();
            done("same", { id: old.id });
            return { id: old.id, outputs: wire(old.outputs) };
        }
        if (replaces.length === 0) {
            if (this.preview) {
                done("update", { id: old.id });
                return { id: old.id, outputs: wire(checked) };
            }
            let outputs: Props;
            try {
                outputs = (
                    await this.inFlight({ urn: reg.urn, type: "updating", id: old.id }, () =>
                        this.opts.host.update(reg.urn, old.id, old.outputs, checked, old.inputs),
                    )
                ).properties;
            } catch (e) {
                return fail("update", e, { id: old.id });
            }
            this.current.delete(reg.urn);
            const { initErrors: _cleared, ...rest } = old;
            this.current.set(reg.urn, { ...rest, ...this.base(reg, secretKeys), inputs: checked, outputs });
            this.save();
            done("update", { id: old.id });
            return { id: old.id, outputs: wire(outputs) };
        }

        const deleteBeforeReplace = diff.deleteBeforeReplace || reg.deleteBeforeReplace;
        const rep = { replaces, deleteBeforeReplace, oldId: old.id };
        if (this.preview) {
            done("replace", rep);
            return { id: "", outputs: wire(checked) };
        }
        if (deleteBeforeReplace) {
            // Departure: the engine first replaces dependents whose inputs would dangle; here only this resource is.
            try {
                await this.inFlight({ urn: reg.urn, type: "deleting", id: old.id }, () =>
                    this.opts.host.delete(reg.urn, old.id, old.outputs, old.inputs),
                );
            } catch (e) {
                return fail("replace", e, rep);
            }
            this.current.delete(reg.urn);
            this.save();
        }
        const created = await this.create(reg, checked, secretKeys).catch((e) => fail("replace", e, rep));
        if (!deleteBeforeReplace) {
            // Create-before-delete: the old copy stays (marked) until the deletes at the end of the run.
            this.condemned.push({ ...old, pendingDelete: true });
            this.save();
        }
        done("replace", { ...rep, id: created.id });
        return { id: created.id, outputs: wire(created.outputs) };
    }

    private base(reg: Registration, secretKeys: string[]) {
        return {
            urn: reg.urn,
            type: reg.type,
            name: reg.name,
            custom: reg.custom,
            dependencies: reg.dependencies,
            ...(reg.parent ? { parent: reg.parent } : {}),
            secretKeys,
        };
    }

    private async create(reg: Registration, inputs: Props, secretKeys: string[]): Promise<{ id: string; outputs: Props }> {
        try {
            const r = await this.inFlight({ urn: reg.urn, type: "creating" }, () => this.opts.host.create(reg.urn, inputs));
            this.current.delete(reg.urn);
            this.current.set(reg.urn, { ...this.base(reg, secretKeys), id: r.id, inputs, outputs: r.properties });
            this.save();
            return { id: r.id, outputs: r.properties };
        } catch (e) {
            if (e instanceof ProviderHostError && e.partial?.id) {
                // A partial create: the resource exists, so it is kept in state (with its init errors), not orphaned.
                this.current.delete(reg.urn);
                this.current.set(reg.urn, {
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

    /** import: Read the existing resource, then check that the program's inputs would not change it. */
    private async import(reg: Registration, checked: Props, secretKeys: string[], started: number) {
        const base = { urn: reg.urn, name: reg.name, type: reg.type, id: reg.importId };
        try {
            const r = await this.limiter.run(() => this.opts.host.read(reg.urn, reg.importId!, {}, checked));
            if (!r.id) throw new Error(`${reg.urn}: import failed: resource ${reg.importId} does not exist`);
            const d = await this.opts.host.diff(reg.urn, r.id, r.properties, checked, r.inputs);
            if (d.changes === "some") throw new Error(`${reg.urn}: import failed: the program's inputs differ from the imported resource`);
            if (!this.preview) {
                this.current.set(reg.urn, { ...this.base(reg, secretKeys), id: r.id, inputs: r.inputs ?? checked, outputs: r.properties });
                this.save();
            }
            this.record({ ...base, op: "import", status: this.preview ? "planned" : "done", durationMs: Date.now() - started });
            return { id: r.id, outputs: markSecrets(r.properties, secretKeys) };
        } catch (e) {
            const error = e instanceof Error ? e.message : String(e);
            this.record({ ...base, op: "import", status: "failed", error });
            throw new Error(error);
        }
    }

    /**
     * `Resource.get`: reads a resource the program does not manage.
     * Departure: the engine keeps such a resource in state marked external (never deleted); here it is not stored.
     */
    async read(reg: Registration & { id: string }): Promise<{ id: string; outputs: Props }> {
        const { plain, secretKeys } = stripSecrets(reg.inputs);
        const r = await this.limiter.run(() => this.opts.host.read(reg.urn, reg.id, plain, plain));
        if (!r.id) throw new Error(`${reg.urn}: resource ${reg.id} does not exist`);
        this.record({ urn: reg.urn, name: reg.name, type: reg.type, op: "read", status: "done", id: r.id });
        return { id: r.id, outputs: markSecrets(r.properties, secretKeys) };
    }

    /**
     * After the program: delete resources it no longer declares and old copies of replaced ones.
     * The engine skips these deletes when the program or a step failed, and so does this.
     */
    async finish(programFailed: boolean): Promise<void> {
        const removed = [...this.current.values()].filter((r) => !this.registered.has(r.urn));
        if (this.preview) {
            for (const r of removed) this.record({ urn: r.urn, name: r.name, type: r.type, op: "delete", status: "planned", id: r.id });
            for (const r of this.condemned) this.record({ urn: r.urn, name: r.name, type: r.type, op: "delete", status: "planned", id: r.id, replaced: true });
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
        await deleteInReverseDependencyOrder(items, async (r) => {
            const started = Date.now();
            const base = { urn: r.urn, name: r.name, type: r.type, op: "delete" as const, id: r.id, ...(r.pendingDelete ? { replaced: true } : {}) };
            if (r.custom) {
                try {
                    await this.inFlight({ urn: r.urn, type: "deleting", id: r.id }, () => this.opts.host.delete(r.urn, r.id, r.outputs, r.inputs));
                } catch (e) {
                    this.record({ ...base, status: "failed", error: `${r.urn}: delete failed: ${(e as Error).message}` });
                    throw e;
                }
            }
            if (r.pendingDelete) this.condemned.splice(this.condemned.indexOf(r), 1);
            else this.current.delete(r.urn);
            this.save();
            if (r.custom) this.record({ ...base, status: "done", durationMs: Date.now() - started });
        });
    }

    /** refresh: Read every resource; take the live outputs (and inputs, when the provider returns them). */
    async refresh(): Promise<void> {
        const all = [...this.current.values(), ...this.condemned].filter((r) => r.custom);
        await Promise.all(
            all.map(async (r) => {
                const started = Date.now();
                const base = { urn: r.urn, name: r.name, type: r.type, op: "refresh" as const, oldId: r.id };
                let res;
                try {
                    res = await this.limiter.run(() => this.opts.host.read(r.urn, r.id, r.outputs, r.inputs));
                } catch (e) {
                    this.record({ ...base, status: "failed", id: r.id, error: `${r.urn}: refresh failed: ${(e as Error).message}` });
                    return;
                }
                if (!res.id) {
                    // Gone: the engine removes it from state.
                    if (r.pendingDelete) this.condemned.splice(this.condemned.indexOf(r), 1);
                    else this.current.delete(r.urn);
                    this.save();
                    this.record({ ...base, status: "done", gone: true, drift: true, durationMs: Date.now() - started });
                    return;
                }
                const inputs = res.inputs ?? r.inputs;
                // Drift is judged on the id and the outputs, as the engine's refresh step does.
                const drift = res.id !== r.id || stableJson(res.properties) !== stableJson(r.outputs);
                Object.assign(r, { id: res.id, outputs: res.properties, inputs });
                this.save();
                this.record({ ...base, status: "done", id: res.id, drift, durationMs: Date.now() - started });
            }),
        );
    }
}

/**
 * Property test over every registry schema (all of ../shared/cfn-schemas when present, the fixtures otherwise):
 * random model pairs generated from each schema, seeded so a failure reproduces.
 */
import * as assert from "assert";
import { applyPatch, compare, deepClone, Operation } from "fast-json-patch";
import { computePatch, diffDesiredState, reconcileInputs, UNKNOWN } from "../../src/diff";
import { containsUnknown } from "../../src/diff/unknown";
import { normalize } from "../support/normal-form";
import { CREATE_ONLY, READ_ONLY, WRITE_ONLY, schemaIndexOf } from "../../src/diff/schema-index";
import { buildPatch } from "../../src/diff/patch-builder";
import { isAtOrBelow, splitPointer } from "../../src/schema/pointer";
import type { RegistrySchema } from "../../src/schema/types";
import { allTestSchemas, haveSharedSchemas } from "../fixtures/schemas";
import { ModelGenerator, prng } from "../fixtures/schemas/generator";

type Obj = Record<string, unknown>;
// Few pairs per type over 1,665 real schemas keeps CI fast; many more over the handful of fixtures.
const PAIRS = Number(process.env.PATCH_PROPERTY_PAIRS ?? (haveSharedSchemas() ? 6 : 300));

/** A copy with only order-insensitive changes: unordered arrays and tag lists shuffled, keys reordered, aws: tags added. */
function reorder(value: unknown, segs: string[], unordered: string[][], tagPath: string[] | undefined, rand: () => number): unknown {
    if (Array.isArray(value)) {
        let items = value.map((v) => reorder(v, [...segs, "*"], unordered, tagPath, rand));
        const isTags = tagPath !== undefined && isAtOrBelow(segs, tagPath) && segs.length === tagPath.length;
        if (isTags && items.every((t) => t && typeof t === "object" && "Key" in (t as Obj)))
            items.push({ Key: "aws:cloudformation:stack-name", Value: "s" });
        if (isTags || unordered.some((u) => u.length === segs.length && isAtOrBelow(segs, u))) {
            items = items
                .map((v) => [rand(), v] as const)
                .sort((a, b) => a[0] - b[0])
                .map((e) => e[1]);
        }
        return items;
    }
    if (value && typeof value === "object") {
        const keys = Object.keys(value).reverse();
        return Object.fromEntries(keys.map((k) => [k, reorder((value as Obj)[k], [...segs, k], unordered, tagPath, rand)]));
    }
    return value;
}

function valuesAt(v: unknown, segs: string[]): unknown[] {
    if (segs.length === 0) return v === undefined ? [] : [v];
    if (!v || typeof v !== "object") return [];
    const [head, ...rest] = segs;
    if (head === "*") return Object.values(v as Obj).flatMap((x) => valuesAt(x, rest));
    return valuesAt((v as Obj)[head], rest);
}

function checkPair(doc: RegistrySchema, old: Obj, next: Obj): void {
    const index = schemaIndexOf(doc);
    const s = index.schema;
    const label = `${doc.typeName}\nold=${JSON.stringify(old)}\nnew=${JSON.stringify(next)}`;
    const patch = computePatch(old, next, doc);
    let applied: unknown;
    try {
        applied = applyPatch(deepClone(old), deepClone(patch) as Operation[], true).newDocument;
    } catch (e) {
        assert.fail(`patch does not apply: ${(e as Error).message}\n${JSON.stringify(patch)}\n${label}`);
    }
    const forbidden = [...s.readOnly, ...s.createOnly].map(splitPointer);
    const readOnly = s.readOnly.map(splitPointer);
    for (const op of patch) {
        const segs = splitPointer(op.path);
        assert.ok(!forbidden.some((f) => isAtOrBelow(segs, f)), `op on a read-only/create-only path ${op.path}\n${label}`);
        if ("value" in op) {
            for (const r of readOnly) {
                if (
                    r.length > segs.length &&
                    isAtOrBelow(
                        r.slice(0, segs.length),
                        segs.map((x) => (/^\d+$|^-$/.test(x) ? "*" : x)),
                    )
                ) {
                    assert.deepStrictEqual(valuesAt(op.value, r.slice(segs.length)), [], `read-only value inside op ${op.path}\n${label}`);
                }
            }
        }
    }
    // applyPatch(old, patch) equals new on every writable, non-create-only path...
    assert.deepStrictEqual(
        normalize(applied, index.root, READ_ONLY | CREATE_ONLY),
        normalize(next, index.root, READ_ONLY | CREATE_ONLY),
        `patched model differs\n${JSON.stringify(patch)}\n${label}`,
    );
    // ...and everywhere but read-only paths when no replacement is needed.
    const d = diffDesiredState(old, next, doc);
    assert.deepStrictEqual(d.patch, patch);
    if (d.replaces.length === 0) {
        assert.deepStrictEqual(
            normalize(applied, index.root, READ_ONLY),
            normalize(next, index.root, READ_ONLY),
            `patched model differs (no replacement)\n${label}`,
        );
    }
    if (patch.length > 0 || d.replaces.length > 0) assert.strictEqual(d.changes, true, label);
    // Never more ops than a plain diff, but for the deliberate add-then-remove of a member the live model may lack
    // and the write-only values re-sent after a real change.
    const { ops, resent } = buildPatch(old, next, index.root);
    assert.deepStrictEqual(ops, patch);
    const pairs = patch.filter((op, i) => op.op === "add" && patch[i + 1]?.op === "remove" && patch[i + 1].path === op.path).length;
    assert.ok(patch.length - resent - pairs <= compare(old, next).length, `more ops than compare\n${JSON.stringify(patch)}\n${label}`);
    // What Cloud Control does: the patch applied to the current model, which holds no write-only values (a service
    // may keep or drop the parents they leave empty), must still give the whole new state.
    if (patch.length > 0) {
        for (const prune of [false, true]) {
            const live = withoutWriteOnly(doc, old, prune);
            let result: unknown;
            try {
                result = applyPatch(live, deepClone(patch) as Operation[], true).newDocument;
            } catch (e) {
                assert.fail(
                    `patch does not apply to the model without write-only values (prune=${prune}): ${(e as Error).message}\n${JSON.stringify(patch)}\nlive=${JSON.stringify(live)}\n${label}`,
                );
            }
            // A service that drops emptied parents drops the user's empty objects alike.
            const form = (v: unknown) => (prune ? dropEmptyMembers : (x: unknown) => x)(normalize(v, index.root, READ_ONLY | CREATE_ONLY));
            assert.deepStrictEqual(
                form(result),
                form(next),
                `write-only values lost (prune=${prune})\n${JSON.stringify(patch)}\nlive=${JSON.stringify(live)}\n${label}`,
            );
        }
    }
}

/** A copy without object members that are empty objects (recursively). */
function dropEmptyMembers(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(dropEmptyMembers);
    if (!v || typeof v !== "object") return v;
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
        const y = dropEmptyMembers(x);
        if (!(y && typeof y === "object" && !Array.isArray(y) && Object.keys(y).length === 0)) out[k] = y;
    }
    return out;
}

/** A model as Cloud Control holds it: write-only values removed (and, with prune, the objects left empty; never items). */
function withoutWriteOnly(doc: RegistrySchema, model: Obj, prune: boolean): Obj {
    const out = deepClone(model) as Obj;
    for (const p of schemaIndexOf(doc).schema.writeOnly) {
        const segs = splitPointer(p);
        mapAt(out, segs, () => undefined);
        if (!prune) continue;
        for (let n = segs.length - 1; n > 0; n--) {
            if (segs[n - 1] === "*") continue;
            mapAt(out, segs.slice(0, n), (x) =>
                x && typeof x === "object" && !Array.isArray(x) && Object.keys(x).length === 0 ? undefined : x,
            );
        }
    }
    return out;
}

/** Pointers (as segments) whose values a refresh tracks whole: maps and JSON documents. */
function wholePaths(doc: RegistrySchema): string[][] {
    const s = schemaIndexOf(doc).schema;
    return [...(s.maps ?? []), ...(s.jsonDocuments ?? [])].map(splitPointer);
}

/** What a refresh tracks of `actual`: the members `inputs` set, recursively; maps, JSON documents and arrays whole. */
function trackedPart(actual: unknown, inputs: unknown, segs: string[], whole: string[][]): unknown {
    const plain = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
    if (!plain(actual) || !plain(inputs) || whole.some((w) => w.length === segs.length && isAtOrBelow(segs, w))) return actual;
    return Object.fromEntries(
        Object.keys(inputs)
            .filter((k) => k in actual)
            .map((k) => [k, trackedPart(actual[k], inputs[k], [...segs, k], whole)]),
    );
}

/** Whether a pointer lies at or below any of the others. */
function atOrBelowAny(segs: string[], others: string[][]): boolean {
    return others.some((o) => isAtOrBelow(segs, o));
}

/** Calls fn on every value at a pointer (with "*" for any array item or map member). */
function forEachAt(v: unknown, segs: string[], fn: (x: unknown) => void): void {
    if (segs.length === 0) return fn(v);
    if (!v || typeof v !== "object") return;
    const [head, ...rest] = segs;
    if (head === "*") for (const x of Object.values(v as Obj)) forEachAt(x, rest, fn);
    else forEachAt((v as Obj)[head], rest, fn);
}

/** Sets the value at every match of a pointer (with "*") in place. */
function mapAt(v: unknown, segs: string[], fn: (x: unknown) => unknown): void {
    if (!v || typeof v !== "object" || segs.length === 0) return;
    const [head, ...rest] = segs;
    const keys = head === "*" ? Object.keys(v) : head in (v as Obj) ? [head] : [];
    for (const k of keys) {
        if (rest.length === 0) {
            const x = fn((v as Obj)[k]);
            if (x === undefined && !Array.isArray(v)) delete (v as Obj)[k];
            else (v as Obj)[k] = x;
        } else mapAt((v as Obj)[k], rest, fn);
    }
}

/**
 * What a read of a resource created from `model` returns: no write-only values, sets reordered, JSON documents as
 * text, read-only values and aws: tags added.
 */
function liveOf(doc: RegistrySchema, model: Obj, rand: () => number): Obj {
    const s = schemaIndexOf(doc).schema;
    let live = deepClone(model) as Obj;
    for (const p of s.writeOnly) mapAt(live, splitPointer(p), () => undefined);
    live = reorder(live, [], s.unorderedArrays.map(splitPointer), s.tagProperty ? splitPointer(s.tagProperty) : undefined, rand) as Obj;
    for (const p of s.jsonDocuments ?? [])
        mapAt(live, splitPointer(p), (x) => (x && typeof x === "object" && !Array.isArray(x) ? JSON.stringify(x) : x));
    for (const p of s.readOnly) {
        const segs = splitPointer(p);
        if (segs.length === 1) live[segs[0]] = "read-only-value";
    }
    return live;
}

describe(`patch properties over ${haveSharedSchemas() ? "every schema in ../shared/cfn-schemas" : "the fixture schemas"} (${PAIRS} pairs per schema, seeded)`, function () {
    this.timeout(120_000);
    const schemas = allTestSchemas();
    it(`holds for random pairs of models of ${schemas.length} types`, () => {
        let checked = 0;
        let nonEmpty = 0;
        schemas.forEach((doc, i) => {
            const gen = new ModelGenerator(doc, prng(1000 + i));
            for (let p = 0; p < PAIRS; p++) {
                const old = gen.model();
                const next = p === 0 ? gen.model() : gen.mutate(old);
                checkPair(doc, old, next);
                checked++;
                if (computePatch(old, next, doc).length) nonEmpty++;
            }
        });
        assert.ok(nonEmpty > checked / 2, `most pairs should differ (${nonEmpty}/${checked})`);
    });
    it("a read reconciles to inputs that show exactly the drift: none but one drifted property", () => {
        let drifted = 0;
        schemas.forEach((doc, i) => {
            const gen = new ModelGenerator(doc, prng(9000 + i));
            const index = schemaIndexOf(doc);
            for (let p = 0; p < 2; p++) {
                const inputs = gen.model();
                const unchanged = reconcileInputs(inputs, liveOf(doc, inputs, gen.rand), doc);
                const d0 = diffDesiredState(unchanged, inputs, doc);
                assert.strictEqual(
                    d0.changes,
                    false,
                    `${doc.typeName} no drift\ninputs=${JSON.stringify(inputs)}\nreconciled=${JSON.stringify(unchanged)}\n${d0.summary}`,
                );
                // Drift one top-level property without write-only content (its live value is all there is to know).
                const candidates = Object.keys(doc.properties ?? {}).filter((k) => {
                    const node = index.root.children?.get(k);
                    return !node || !((node.flags | node.below) & (READ_ONLY | WRITE_ONLY));
                });
                if (candidates.length === 0) continue;
                const k = candidates[Math.floor(gen.rand() * candidates.length)];
                const actual = deepClone(inputs) as Obj;
                if (k in actual && gen.rand() < 0.3) delete actual[k];
                else actual[k] = gen.value((doc.properties ?? {})[k], 1);
                const live = liveOf(doc, actual, gen.rand);
                const reconciled = reconcileInputs(inputs, live, doc);
                // Only what the user set is tracked: the drift minus members the inputs never had (but in maps).
                const expected = trackedPart(actual, inputs, [], wholePaths(doc)) as Obj;
                const d = diffDesiredState(reconciled, expected, doc);
                assert.strictEqual(
                    d.changes,
                    false,
                    `${doc.typeName} drift of ${k}\ninputs=${JSON.stringify(inputs)}\nlive=${JSON.stringify(live)}\nreconciled=${JSON.stringify(reconciled)}\n${d.summary}`,
                );
                // Everything else keeps the user's own form (what Pulumi shows as the refreshed inputs).
                for (const other of Object.keys(inputs)) {
                    const node = index.root.children?.get(other);
                    if (other === k || (node && node.flags & READ_ONLY)) continue;
                    assert.deepStrictEqual(
                        reconciled[other],
                        inputs[other],
                        `${doc.typeName}: form of ${other} not kept\ninputs=${JSON.stringify(inputs)}\nlive=${JSON.stringify(live)}`,
                    );
                }
                if (diffDesiredState(inputs, expected, doc).changes) drifted++;
            }
        });
        assert.ok(drifted > 0);
    });
    it("refresh: keys added out of band to maps the user set are drift, properties never set stay untracked", () => {
        let injected = 0;
        schemas.forEach((doc, i) => {
            const index = schemaIndexOf(doc);
            const s = index.schema;
            const maps = (s.maps ?? [])
                .map(splitPointer)
                .filter((m) => !atOrBelowAny(m, [...s.readOnly, ...s.writeOnly].map(splitPointer)));
            const unset = Object.keys(doc.properties ?? {}).filter((k) => !s.readOnly.includes("/" + k) && !s.writeOnly.includes("/" + k));
            if (maps.length === 0 && unset.length === 0) return;
            const gen = new ModelGenerator(doc, prng(13000 + i));
            for (let p = 0; p < 3; p++) {
                const inputs = gen.model();
                const actual = deepClone(inputs) as Obj;
                let touched = 0;
                for (const m of maps) {
                    forEachAt(actual, m, (map) => {
                        if (!map || typeof map !== "object" || Array.isArray(map)) return;
                        (map as Obj)[`oob${touched++}`] = "out-of-band";
                    });
                }
                // A service default the user never set (a property the inputs lack).
                const never = unset.find((k) => !(k in inputs));
                if (never) actual[never] = gen.value((doc.properties ?? {})[never], 1);
                const live = liveOf(doc, actual, gen.rand);
                const reconciled = reconcileInputs(inputs, live, doc);
                const label = `${doc.typeName}\ninputs=${JSON.stringify(inputs)}\nlive=${JSON.stringify(live)}\nreconciled=${JSON.stringify(reconciled)}`;
                if (never) assert.ok(!(never in reconciled), `${never} (never set) is tracked\n${label}`);
                // The refreshed inputs hold the injected keys: the program (inputs) differs from them exactly there.
                const withInjected = never ? (({ [never]: _drop, ...rest }) => rest)(actual) : actual;
                assert.strictEqual(diffDesiredState(reconciled, withInjected, doc).changes, false, `injected keys lost\n${label}`);
                if (touched > 0) {
                    assert.strictEqual(diffDesiredState(reconciled, inputs, doc).changes, true, `drift in a map not seen\n${label}`);
                    injected++;
                }
            }
        });
        assert.ok(injected > 0, "no map was ever injected into: the test checked nothing");
    });
    it("aws: tags on either side: a list of them alone equals none; no op carries one", () => {
        let checked = 0;
        schemas.forEach((doc, i) => {
            const s = schemaIndexOf(doc).schema;
            if (!s.tagProperty || splitPointer(s.tagProperty).length !== 1) return;
            const key = splitPointer(s.tagProperty)[0];
            const isMap = (s.maps ?? []).includes(s.tagProperty);
            const awsOnly = isMap ? { "aws:cloudformation:stack-name": "s" } : [{ Key: "aws:cloudformation:stack-name", Value: "s" }];
            const mixed = isMap
                ? { "aws:cloudformation:logical-id": "l", team: "core" }
                : [
                      { Key: "team", Value: "core" },
                      { Key: "aws:cloudformation:logical-id", Value: "l" },
                  ];
            const gen = new ModelGenerator(doc, prng(15000 + i));
            const base = gen.model();
            delete base[key];
            const label = `${doc.typeName} ${key}\nbase=${JSON.stringify(base)}`;
            for (const [a, b] of [
                [base, { ...base, [key]: awsOnly }],
                [{ ...base, [key]: awsOnly }, base],
            ]) {
                const d = diffDesiredState(a, b, doc);
                assert.strictEqual(d.changes, false, `${label}\n${JSON.stringify([a[key], b[key]])}\n${d.summary}`);
                assert.deepStrictEqual(d.patch, [], label);
            }
            for (const [a, b] of [
                [base, { ...base, [key]: mixed }],
                [
                    { ...base, [key]: awsOnly },
                    { ...base, [key]: mixed },
                ],
                [
                    { ...base, [key]: mixed },
                    { ...base, [key]: awsOnly },
                ],
                [{ ...base, [key]: mixed }, base],
            ]) {
                const patch = computePatch(a, b, doc);
                assert.ok(!JSON.stringify(patch).includes("aws:"), `an op carries an aws: tag\n${JSON.stringify(patch)}\n${label}`);
                if (!s.createOnly.includes(s.tagProperty) && !s.readOnly.includes(s.tagProperty))
                    assert.ok(patch.length > 0, `the user's tag change is lost\n${label}`);
            }
            checked++;
        });
        assert.ok(checked > 0);
    });
    it("unknown values: a change, never inside an op, a replacement under create-only paths", () => {
        let replaced = 0;
        schemas.forEach((doc, i) => {
            const gen = new ModelGenerator(doc, prng(7000 + i));
            const s = schemaIndexOf(doc).schema;
            const old = gen.model();
            const next = gen.mutate(old);
            // Make one random top-level member unknown.
            const keys = Object.keys(next);
            if (keys.length === 0) return;
            const k = keys[Math.floor(gen.rand() * keys.length)];
            next[k] = UNKNOWN;
            const d = diffDesiredState(old, next, doc);
            const label = `${doc.typeName} /${k}`;
            const readOnly = s.readOnly.includes("/" + k);
            assert.ok(!d.patch.some((op) => "value" in op && containsUnknown(op.value)), label);
            if (!readOnly) assert.strictEqual(d.changes, true, label);
            if (!readOnly && s.createOnly.some((c) => c === "/" + k || c.startsWith("/" + k + "/"))) {
                assert.ok(
                    d.replaces.some((r) => r === "/" + k || r.startsWith("/" + k + "/")),
                    label,
                );
                replaced++;
            }
            // On purpose, whatever the random pick was: an unknown at a top-level create-only member is a replacement.
            const c = s.createOnly.find((p) => splitPointer(p).length === 1 && !s.readOnly.includes(p));
            if (c) {
                const d2 = diffDesiredState(old, { ...old, [c.slice(1)]: UNKNOWN }, doc);
                assert.ok(d2.replaces.includes(c), `${doc.typeName} ${c}: ${JSON.stringify(d2.replaces)}`);
                replaced++;
            }
        });
        assert.ok(replaced > 0, "no create-only member was ever checked");
    });
    it("without a schema: a plain precise patch that reaches the new model exactly, with no more ops than compare", () => {
        schemas.forEach((doc, i) => {
            const gen = new ModelGenerator(doc, prng(11000 + i));
            const old = gen.model();
            const next = gen.mutate(old);
            const patch = computePatch(old, next);
            const label = `${doc.typeName}\nold=${JSON.stringify(old)}\nnew=${JSON.stringify(next)}\npatch=${JSON.stringify(patch)}`;
            assert.deepStrictEqual(applyPatch(deepClone(old), deepClone(patch) as Operation[], true).newDocument, next, label);
            assert.ok(patch.length <= compare(old, next).length, label);
        });
    });
    it("reordering only order-insensitive data gives no patch and no change", () => {
        // Keys sorted: a pair counts as reordered only if an array's order or content changed, not just key order.
        const canonical = (v: unknown): string =>
            JSON.stringify(v, (_k, x) =>
                x && typeof x === "object" && !Array.isArray(x)
                    ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
                    : x,
            );
        let reordered = 0;
        schemas.forEach((doc, i) => {
            const gen = new ModelGenerator(doc, prng(5000 + i));
            const s = schemaIndexOf(doc).schema;
            const unordered = s.unorderedArrays.map(splitPointer);
            const tags = s.tagProperty ? splitPointer(s.tagProperty) : undefined;
            for (let p = 0; p < 2; p++) {
                const old = gen.model();
                const next = reorder(old, [], unordered, tags, gen.rand) as Obj;
                const label = `${doc.typeName}\nold=${JSON.stringify(old)}\nnew=${JSON.stringify(next)}`;
                assert.deepStrictEqual(computePatch(old, next, doc), [], label);
                assert.strictEqual(diffDesiredState(old, next, doc).changes, false, label);
                if (canonical(next) !== canonical(old)) reordered++;
            }
        });
        assert.ok(reordered > 0, "reorder() never changed an array: the test checked nothing");
    });
});

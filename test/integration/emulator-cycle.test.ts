import * as assert from "assert";
import {
    CreateResourceCommand,
    DeleteResourceCommand,
    GetResourceCommand,
    ProgressEvent,
    UnsupportedActionException,
    UpdateResourceCommand,
} from "@aws-sdk/client-cloudcontrol";
import { builtinSchemas, Emulator, startEmulator } from "../../src/emulator";
import { deletePath, pointerWithin, splitPointer, valuesAt } from "../../src/emulator/pointer";
import { identifierOf, nameOf, propertySchema } from "../../src/emulator/model";
import { SchemaRegistry } from "../../src/emulator/schemas";
import { minimalModels, NotDerivable, updateCandidates } from "../fixtures/emulator/minimal-model";
import { cloudControl, rejection, waitFinal } from "../fixtures/emulator/sdk";

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
        Array.from({ length: Math.min(limit, items.length) }, async () => {
            while (next < items.length) await fn(items[next++]);
        }),
    );
}

describe("emulator cycle: create -> get -> update -> delete over every type of the bundled registry", function () {
    this.timeout(180000);
    let em: Emulator;
    before(async () => {
        // SUCCESS events carry the model (an AWS variant, off by default): saves a GetResource per type.
        em = await startEmulator({ operationDelayMs: 0, resourceModel: true });
    });
    after(async () => {
        await em.close();
    });

    it("runs the cycle over every type with handlers and a derivable minimal model", async () => {
        const registry = new SchemaRegistry(undefined);
        const cc = cloudControl(em);
        const names = registry.typeNames();
        const skipped: Record<string, number> = {};
        const failures: string[] = [];
        let full = 0;
        let noUpdateHandler = 0;
        let noUpdatableProperty = 0;
        let unupdatable = 0;
        let tried = 0;
        const skip = (reason: string) => {
            skipped[reason] = (skipped[reason] ?? 0) + 1;
        };
        const passedTypes = new Set<string>();

        /**
         * Sends a mutating request and returns its final event (no status call when the answer is already final);
         * undefined when Cloud Control refuses the model itself (ValidationException "Model validation failed").
         */
        const finalEvent = async (send: () => Promise<{ ProgressEvent?: ProgressEvent }>): Promise<ProgressEvent | undefined> => {
            let first: ProgressEvent;
            try {
                first = (await send()).ProgressEvent!;
            } catch (e) {
                if ((e as Error).name === "ValidationException" && /^Model validation failed/.test((e as Error).message)) return undefined;
                throw e;
            }
            if (!["PENDING", "IN_PROGRESS"].includes(first.OperationStatus!)) return first;
            const events = await waitFinal(cc, first.RequestToken!);
            return events[events.length - 1];
        };

        await pool(names, 8, async (typeName) => {
            const info = registry.get(typeName)!;
            if (!["create", "read", "delete"].every((h) => info.handlers.has(h))) return skip("no create/read/delete handlers");
            let candidates: Array<Record<string, unknown>>;
            try {
                candidates = minimalModels(info.schema);
            } catch (e) {
                if (e instanceof NotDerivable) return skip(`cannot derive a value: ${e.message}`);
                throw e;
            }
            const step = async (name: string, fn: () => Promise<void>) => {
                try {
                    await fn();
                } catch (e) {
                    throw new Error(`${typeName}: ${name}: ${(e as Error).name}: ${(e as Error).message}`, { cause: e });
                }
            };
            try {
                let identifier = "";
                let model: Record<string, unknown> | undefined;
                tried++;
                await step("create", async () => {
                    for (const candidate of candidates) {
                        const last = await finalEvent(() =>
                            cc.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(candidate) })),
                        );
                        // The emulator validates against the schema: an invalid derived model is the deriver's limit.
                        if (!last || (last.OperationStatus === "FAILED" && last.ErrorCode === "InvalidRequest")) continue;
                        assert.strictEqual(last.OperationStatus, "SUCCESS", `${last.ErrorCode}: ${last.StatusMessage}`);
                        identifier = last.Identifier!;
                        assert.ok(identifier, "no identifier");
                        model = candidate;
                        return;
                    }
                });
                if (!model) return skip("derived model is not schema-valid");
                await step("get", async () => {
                    const got = await cc.send(new GetResourceCommand({ TypeName: typeName, Identifier: identifier }));
                    assert.strictEqual(got.ResourceDescription!.Identifier, identifier);
                    const props = JSON.parse(got.ResourceDescription!.Properties!);
                    for (const p of info.writeOnly) assert.deepStrictEqual(valuesAt(props, p), [], `write-only /${p.join("/")} returned`);
                    // Nested read-only values (e.g. /properties/Export/ExportArn) are filled by the service.
                    for (const p of info.readOnly) deletePath(props, p);
                    for (const [k, v] of Object.entries(model!)) {
                        if (info.writeOnly.some((p) => p[0] === k)) continue;
                        assert.deepStrictEqual(props[k], v, `property ${k}`);
                    }
                });
                let updated = false;
                // Recorded (cloudformation-coverage-roadmap#2205): with a required write-only property that is also
                // create-only, Cloud Control refuses every update, with it (NotUpdatable) and without (validation).
                const unpatchable = info.writeOnly.filter(
                    (p) =>
                        p.length === 1 && (info.schema.required ?? []).includes(p[0]) && info.createOnly.some((c) => c.join("/") === p[0]),
                );
                const refusesUpdates = info.handlers.has("update") && unpatchable.length > 0;
                if (refusesUpdates) {
                    const [key, value] = updateCandidates(info.schema, model)[0] ?? ["Description", "x"];
                    await step("update refused without a create-only write-only value", async () => {
                        const err = await rejection(() =>
                            cc.send(
                                new UpdateResourceCommand({
                                    TypeName: typeName,
                                    Identifier: identifier,
                                    PatchDocument: JSON.stringify([{ op: "add", path: `/${key}`, value }]),
                                }),
                            ),
                        );
                        assert.strictEqual(err.name, "ValidationException");
                        for (const p of unpatchable) assert.ok(err.message.includes(`#: required key [${p[0]}] not found`), err.message);
                    });
                } else if (info.handlers.has("update")) {
                    // The patch applies to the model without write-only values: like any client, re-send them (each
                    // where it is, but never a create-only one: that is NotUpdatable even unchanged).
                    const createOnly = (ptr: string) =>
                        info.createOnly.some((p) => pointerWithin(ptr, p) || pointerWithin(`/${p.join("/")}`, splitPointer(ptr)));
                    const writeOnlyOps = info.writeOnly
                        .flatMap((p) => valuesAt(model, p))
                        .filter((found) => !createOnly(found.pointer))
                        .map((found) => ({ op: "add", path: found.pointer, value: found.value }));
                    for (const [key, value] of updateCandidates(info.schema, model).slice(0, 3)) {
                        let done = false;
                        await step(`update /${key}`, async () => {
                            const last = await finalEvent(() =>
                                cc.send(
                                    new UpdateResourceCommand({
                                        TypeName: typeName,
                                        Identifier: identifier,
                                        PatchDocument: JSON.stringify([
                                            ...writeOnlyOps.filter((o) => o.path !== `/${key}`),
                                            { op: "add", path: `/${key}`, value },
                                        ]),
                                    }),
                                ),
                            );
                            if (!last) return;
                            assert.strictEqual(last.OperationStatus, "SUCCESS", `${last.ErrorCode}: ${last.StatusMessage}`);
                            // The SUCCESS event carries the updated model (saves a GetResource per type).
                            assert.deepStrictEqual(JSON.parse(last.ResourceModel!)[key], value);
                            done = true;
                        });
                        if (done) {
                            updated = true;
                            break;
                        }
                    }
                } else {
                    await step("update without an update handler", async () => {
                        const err = await rejection(() =>
                            cc.send(new UpdateResourceCommand({ TypeName: typeName, Identifier: identifier, PatchDocument: "[]" })),
                        );
                        assert.ok(err instanceof UnsupportedActionException, `got ${err.name}`);
                    });
                }
                await step("delete", async () => {
                    const last = (await finalEvent(() =>
                        cc.send(new DeleteResourceCommand({ TypeName: typeName, Identifier: identifier })),
                    ))!;
                    assert.strictEqual(last.OperationStatus, "SUCCESS", `${last.ErrorCode}: ${last.StatusMessage}`);
                    assert.strictEqual(em.getResource(typeName, identifier), undefined, "still stored after delete");
                });
                if (updated) full++;
                else if (refusesUpdates) unupdatable++;
                else if (info.handlers.has("update")) noUpdatableProperty++;
                else noUpdateHandler++;
                passedTypes.add(typeName);
            } catch (e) {
                failures.push((e as Error).message);
            }
        });

        const skippedTotal = Object.values(skipped).reduce((a, b) => a + b, 0);
        console.log(
            `      cycle over the bundled registry: ${names.length} types, ` +
                `${tried} tried, ${full} passed the full cycle, ` +
                `${noUpdateHandler} passed create/get/(UnsupportedAction)/delete having no update handler, ` +
                `${noUpdatableProperty} passed create/get/delete with no derivable update, ` +
                `${unupdatable} passed create/get/(update refused: a required write-only property is create-only)/delete, ` +
                `${failures.length} failed, ${skippedTotal} skipped`,
        );
        for (const [reason, n] of Object.entries(skipped).sort((a, b) => b[1] - a[1])) console.log(`        skipped ${n}: ${reason}`);
        assert.deepStrictEqual(failures.slice(0, 40), [], `${failures.length} types failed the cycle`);
        for (const builtin of Object.keys(builtinSchemas)) assert.ok(passedTypes.has(builtin), `${builtin} did not pass the cycle`);
    });
    it("gives two nameless resources of each type different identifiers, where the service names them (no collision AWS would not have)", async () => {
        const registry = new SchemaRegistry(undefined);
        const cc = cloudControl(em);
        const collisions: string[] = [];
        let checked = 0;
        await pool(registry.typeNames(), 8, async (typeName) => {
            const info = registry.get(typeName)!;
            if (!info.handlers.has("create")) return;
            // An identifier whose values are an enum is an account-wide singleton (AWS::DevOpsGuru::ResourceCollection).
            if (info.primaryIdentifier.some((p) => Array.isArray(propertySchema(info, p)?.enum))) return;
            let candidates: Array<Record<string, unknown>>;
            try {
                candidates = minimalModels(info.schema);
            } catch (e) {
                if (e instanceof NotDerivable) return;
                throw e;
            }
            for (const candidate of candidates) {
                // Without its name (writable identifier parts, own name): two resources given one name may rightly collide.
                const model = { ...candidate };
                for (const p of info.primaryIdentifier) if (p.length === 1) delete model[p[0]];
                for (const key of Object.keys(model)) if (nameOf(info, { [key]: model[key] }) !== undefined) delete model[key];
                if (identifierOf(info, model) !== undefined) return;
                const send = async () => {
                    try {
                        return (await cc.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(model) })))
                            .ProgressEvent!;
                    } catch {
                        return undefined; // not a schema-valid model: try the next candidate
                    }
                };
                const first = await send();
                if (first?.OperationStatus !== "SUCCESS") continue;
                const second = await send();
                checked++;
                if (second?.OperationStatus !== "SUCCESS" || second.Identifier === first.Identifier) {
                    collisions.push(`${typeName}: ${first.Identifier} then ${second?.OperationStatus} ${second?.StatusMessage ?? ""}`);
                }
                return;
            }
        });
        console.log(`      ${checked} types created twice without a name: ${collisions.length} collisions`);
        assert.ok(checked >= 500, `only ${checked} types checked`);
        assert.deepStrictEqual(collisions, []);
    });
});

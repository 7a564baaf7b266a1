/**
 * Scheduling helpers shared by the steps: a concurrency limit (the engine's `--parallel`) and deletion in reverse
 * dependency order (a resource goes only after every resource that depends on it, independent ones in parallel).
 */

/** A counting semaphore. */
export class Limiter {
    private active = 0;
    private readonly waiting: (() => void)[] = [];
    constructor(private readonly max: number) {}

    /** Runs `fn` once fewer than `max` calls are active. */
    async run<T>(fn: () => Promise<T>): Promise<T> {
        if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
        this.active++;
        try {
            return await fn();
        } finally {
            this.active--;
            this.waiting.shift()?.();
        }
    }
}

/** Something that can be deleted, with the URNs it depends on. */
export interface Deletable {
    urn: string;
    dependencies: string[];
}

/**
 * Deletes every item, each only after all items that depend on it were deleted. An item whose dependent failed is
 * not deleted (the engine would leave it too: deleting it could break the survivor). Returns the failures.
 */
export async function deleteInReverseDependencyOrder<T extends Deletable>(
    items: T[],
    del: (item: T) => Promise<void>,
): Promise<{ item: T; error: unknown }[]> {
    const failures: { item: T; error: unknown }[] = [];
    const done = new Map<T, Promise<boolean>>();
    const dependentsOf = (item: T) => items.filter((o) => o !== item && o.dependencies.includes(item.urn));
    const visiting = new Set<T>();
    const run = (item: T): Promise<boolean> => {
        let p = done.get(item);
        if (p) return p;
        if (visiting.has(item)) throw new Error(`dependency cycle through ${item.urn}`);
        visiting.add(item);
        const deps = dependentsOf(item).map(run);
        visiting.delete(item);
        p = Promise.all(deps).then(async (oks) => {
            if (oks.some((ok) => !ok)) return false;
            try {
                await del(item);
                return true;
            } catch (error) {
                failures.push({ item, error });
                return false;
            }
        });
        done.set(item, p);
        return p;
    };
    await Promise.all(items.map(run));
    return failures;
}

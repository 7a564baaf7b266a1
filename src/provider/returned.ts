/**
 * A safety net under the create journal: the resources a create (or an adoption by `importId`) of this process
 * handed to Pulumi. Pulumi starts a fresh provider process for every deployment, so a resource a create returned
 * is one the stack tracks from now on; a request of the same deployment to delete it (a replacement handed back
 * the resource it replaces, say) is not carried out (see deletes.ts).
 */
const returned = new Set<string>();

function key(typeName: string, identifier: string, region: string | undefined): string {
    return JSON.stringify([region ?? "", typeName, identifier]);
}

/** Records a resource a create returned to Pulumi. */
export function recordReturned(typeName: string, identifier: string, region: string | undefined): void {
    returned.add(key(typeName, identifier, region));
}

/** Whether a create of this process returned the resource. */
export function wasReturned(typeName: string, identifier: string, region: string | undefined): boolean {
    return returned.has(key(typeName, identifier, region));
}

/**
 * Forgets what creates returned: a new deployment begins in this process. Pulumi never does this (one process per
 * deployment); it is for code that drives several deployments through one process, such as tests.
 */
export function forgetReturned(): void {
    returned.clear();
}

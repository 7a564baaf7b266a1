import type { CloudControlClient, ProgressEvent } from "@aws-sdk/client-cloudcontrol";
import type { CreateInput, DeleteInput, LiveResource, RunOptions, UpdateInput } from "./types";
// stubs: owned by the operations issue

/** CreateResource, wait, retry retryable failures without ever duplicating; resolves to the new identifier. */
export async function runCreate(_client: CloudControlClient, _input: CreateInput, _options: RunOptions = {}): Promise<{ identifier: string; event: ProgressEvent }> {
    throw new Error("not implemented");
}
/** UpdateResource with a patch, wait, retry retryable failures. Throws CloudControlError with outcome "replace" on NotUpdatable, "gone" on NotFound. */
export async function runUpdate(_client: CloudControlClient, _input: UpdateInput, _options: RunOptions = {}): Promise<ProgressEvent> {
    throw new Error("not implemented");
}
/** DeleteResource and wait; a resource already gone counts as deleted (resolves false then, true otherwise). */
export async function runDelete(_client: CloudControlClient, _input: DeleteInput, _options: RunOptions = {}): Promise<boolean> {
    throw new Error("not implemented");
}
/** GetResource; undefined when the resource does not exist. */
export async function getResource(_client: CloudControlClient, _input: { typeName: string; identifier: string; roleArn?: string; typeVersionId?: string }): Promise<LiveResource | undefined> {
    throw new Error("not implemented");
}
/** CancelResourceRequest. */
export async function cancelRequest(_client: CloudControlClient, _requestToken: string): Promise<ProgressEvent | undefined> {
    throw new Error("not implemented");
}
/** ListResourceRequests, all pages, with optional filters. */
export async function listRequests(_client: CloudControlClient, _filter: { operations?: string[]; statuses?: string[] } = {}): Promise<ProgressEvent[]> {
    throw new Error("not implemented");
}

import type { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import type { ProgressEvent, WaitOptions } from "./types";
/** Polls GetResourceRequestStatus until the request is final. (stub) */
export async function waitForRequest(_client: CloudControlClient, _requestToken: string, _options: WaitOptions = {}): Promise<ProgressEvent> {
    throw new Error("not implemented");
}

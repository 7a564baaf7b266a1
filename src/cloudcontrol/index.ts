export * from "./types";
export { CloudControlError, CloudControlErrorDetails } from "./errors";
export { classifyProgressEvent } from "./classify";
export { waitForRequest } from "./poller";
export { getCloudControlClient } from "./client";
export { runCreate, runUpdate, runDelete, getResource, cancelRequest, listRequests } from "./operations";

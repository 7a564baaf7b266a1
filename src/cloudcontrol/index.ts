// What the rest of the project (and src/index.ts) uses; helpers stay importable from their own modules.
export * from "./types";
export { CloudControlError, CloudControlErrorDetails } from "./errors";
export { classifyProgressEvent } from "./classify";
export { waitForRequest } from "./poller";
export { getCloudControlClient } from "./client";
export { runCreate, runUpdate, runDelete, getResource, getRequestStatus, cancelRequest, listRequests, CallOptions } from "./operations";
export { Timeout } from "./duration";
// Clock and PollSchedule are the types of the `clock` and `schedule` options; VirtualClock is documented for tests.
export { Clock, VirtualClock } from "./clock";
export { PollSchedule } from "./schedule";

import type { CloudControlClient } from "@aws-sdk/client-cloudcontrol";
import type { ClientSettings } from "./types";
/** One CloudControlClient per distinct settings, reused. (stub) */
export function getCloudControlClient(_settings: ClientSettings = {}): CloudControlClient {
    throw new Error("not implemented");
}

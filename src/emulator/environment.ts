/**
 * What a client needs to reach the emulator, from one source: the SDK client settings (`clientConfig()`) and the
 * environment variables the CLI prints (`env`). Requests must be signed, but any key is accepted.
 */
import type { EmulatorClientConfig } from "./types";

/** The static credentials handed out (the emulator checks no signature). */
export const EMULATOR_CREDENTIALS = Object.freeze({ accessKeyId: "test", secretAccessKey: "test" });

/** Endpoint, region and credentials for an AWS SDK client. */
export function clientConfigFor(endpoint: string, region: string): EmulatorClientConfig {
    return { endpoint, region, credentials: { ...EMULATOR_CREDENTIALS } };
}

/** The environment that points the AWS SDK and CLI at the emulator, for Cloud Control and CloudFormation alike. */
export function environmentFor(endpoint: string, region: string): Readonly<Record<string, string>> {
    return Object.freeze({
        AWS_ENDPOINT_URL_CLOUDCONTROL: endpoint,
        AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint,
        AWS_REGION: region,
        AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    });
}

import { CloudControlClient, type CloudControlClientConfig } from "@aws-sdk/client-cloudcontrol";
import type { ClientSettings } from "./types";

const clients = new Map<string, CloudControlClient>();

/**
 * The settings a client is built from, with the environment fallbacks the SDK would apply filled in, so a change of
 * AWS_REGION / AWS_PROFILE / endpoint variables between calls yields a different client rather than a stale one.
 * AWS_ACCESS_KEY_ID (an identifier, not a secret) separates different static credentials; secrets never enter the key.
 */
function cacheKey(settings: ClientSettings): string {
    const env = process.env;
    return JSON.stringify([
        settings.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "",
        settings.endpoint ?? env.AWS_ENDPOINT_URL_CLOUDCONTROL ?? env.AWS_ENDPOINT_URL ?? "",
        settings.profile ?? env.AWS_PROFILE ?? "",
        env.AWS_ACCESS_KEY_ID ?? "",
        env.AWS_ROLE_ARN ?? "",
        settings.maxAttempts ?? 0,
    ]);
}

/**
 * The SDK configuration for these settings: region if given (else the SDK's chain: AWS_REGION, the profile's
 * region), profile if given (else the default credential chain), endpoint override if given (else the SDK honours
 * AWS_ENDPOINT_URL_CLOUDCONTROL / AWS_ENDPOINT_URL), and adaptive retries so a throttled account slows every call
 * this process makes, not just the one that was throttled.
 */
export function clientConfig(settings: ClientSettings = {}): CloudControlClientConfig {
    const config: CloudControlClientConfig = { retryMode: "adaptive", maxAttempts: settings.maxAttempts ?? 5 };
    if (settings.region) config.region = settings.region;
    if (settings.endpoint) config.endpoint = settings.endpoint;
    if (settings.profile) config.profile = settings.profile;
    return config;
}

/**
 * One CloudControlClient per distinct region, endpoint and credentials, reused across resources (its connection
 * pool and adaptive-retry rate limiter are shared that way). Credentials come from the SDK's default chain.
 */
export function getCloudControlClient(settings: ClientSettings = {}): CloudControlClient {
    const key = cacheKey(settings);
    let client = clients.get(key);
    if (!client) {
        client = new CloudControlClient(clientConfig(settings));
        clients.set(key, client);
    }
    return client;
}

/** Forgets (and closes) every cached client: for tests and long-lived processes that rotate settings. */
export function clearClientCache(): void {
    for (const client of clients.values()) client.destroy();
    clients.clear();
}

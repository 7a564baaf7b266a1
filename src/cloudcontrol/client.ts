import { CloudControlClient, type CloudControlClientConfig } from "@aws-sdk/client-cloudcontrol";
import { CloudControlError } from "./errors";
import { attachPacer, clearPacers, pacerFor } from "./pacer";
import type { ClientSettings } from "./types";
import { credentialIdentity, secretDigest } from "../credential-identity";

/** Environment variable for the account's request rate, when neither settings nor stack config set it. */
export const MAX_REQUESTS_PER_SECOND_ENV = "CLOUDCONTROL_MAX_REQUESTS_PER_SECOND";

const clients = new Map<string, CloudControlClient>();
function credentialKey(credentials: ClientSettings["credentials"]): string {
    // Without explicit credentials the SDK's chain starts with the environment's static key.
    return credentials ? credentialIdentity(credentials) : (process.env.AWS_ACCESS_KEY_ID ?? "");
}

/**
 * Who and where the requests go, with the environment fallbacks the SDK would apply filled in, so a change of
 * AWS_REGION / AWS_PROFILE / endpoint variables between calls yields a different client (and pacer) rather than a
 * stale one: an account and region, as far as it can be told without asking AWS. Access key ids (identifiers, not
 * secrets) separate different static credentials; secrets never enter the key.
 */
function accountKey(settings: ClientSettings): string[] {
    const env = process.env;
    return [
        settings.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "",
        settings.endpoint ?? env.AWS_ENDPOINT_URL_CLOUDCONTROL ?? env.AWS_ENDPOINT_URL ?? "",
        settings.profile ?? env.AWS_PROFILE ?? "",
        credentialKey(settings.credentials),
        env.AWS_ROLE_ARN ?? "",
    ];
}

/**
 * The account's request rate: `settings.maxRequestsPerSecond`, else CLOUDCONTROL_MAX_REQUESTS_PER_SECOND, else
 * undefined (the pacer learns it from throttling). A value that is not a positive number is an error.
 */
export function maxRequestsPerSecond(settings: ClientSettings = {}): number | undefined {
    const fromEnv = process.env[MAX_REQUESTS_PER_SECOND_ENV];
    const [value, source] =
        settings.maxRequestsPerSecond !== undefined
            ? [settings.maxRequestsPerSecond, "maxRequestsPerSecond"]
            : [fromEnv || undefined, MAX_REQUESTS_PER_SECOND_ENV];
    if (value === undefined) return undefined;
    const rate = typeof value === "number" ? value : Number(value);
    if (!Number.isFinite(rate) || rate <= 0) {
        throw new CloudControlError(`${source} must be a positive number of requests per second (got ${JSON.stringify(value)})`, {
            outcome: "fail",
        });
    }
    return rate;
}

/**
 * The SDK configuration for these settings: region if given (else the SDK's chain: AWS_REGION, the profile's
 * region), credentials if given (else the profile if given, else the SDK's default chain), endpoint override if
 * given (else the SDK honours AWS_ENDPOINT_URL_CLOUDCONTROL / AWS_ENDPOINT_URL), and standard retries: the pacer
 * does the rate limiting, the SDK's retries are the backstop.
 */
export function clientConfig(settings: ClientSettings = {}): CloudControlClientConfig {
    const config: CloudControlClientConfig = { retryMode: "standard", maxAttempts: settings.maxAttempts ?? 5 };
    if (settings.region) config.region = settings.region;
    if (settings.endpoint) config.endpoint = settings.endpoint;
    if (settings.profile) config.profile = settings.profile;
    if (settings.credentials) config.credentials = settings.credentials;
    return config;
}

/**
 * One CloudControlClient per distinct region, endpoint, credentials (secret included) and attempts, reused across resources (its
 * connection pool is shared that way). Every call it makes goes through the pacer of its account and region (see
 * pacer.ts), whose rate is {@link maxRequestsPerSecond} of these settings.
 */
export function getCloudControlClient(settings: ClientSettings = {}): CloudControlClient {
    const account = accountKey(settings);
    const pacer = pacerFor(JSON.stringify(account), maxRequestsPerSecond(settings));
    // The account's pacer is shared, but a client is built with the secret: a new secret gets a new client.
    const key = JSON.stringify([...account, secretDigest(settings.credentials), settings.maxAttempts ?? 0]);
    let client = clients.get(key);
    if (!client) {
        client = new CloudControlClient(clientConfig(settings));
        attachPacer(client, pacer);
        clients.set(key, client);
    }
    return client;
}

/** Forgets (and closes) every cached client, and forgets every pacer: for tests and long-lived processes that rotate settings. */
export function clearClientCache(): void {
    for (const client of clients.values()) client.destroy();
    clients.clear();
    clearPacers();
}

/** Fetches a registry schema with CloudFormation DescribeType (the real SDK). */
import { CloudFormationClient, DescribeTypeCommand, type CloudFormationClientConfig } from "@aws-sdk/client-cloudformation";

/** Credentials as the AWS SDK takes them: static keys, or a provider function returning them. */
export type AwsCredentials = NonNullable<CloudFormationClientConfig["credentials"]>;

/** Where and what to fetch. */
export interface DescribeTypeRequest {
    typeName: string;
    typeVersionId?: string;
    region?: string;
    endpoint?: string;
    profile?: string;
    /** Credentials for the call; default: the SDK's credential chain (environment, profile, SSO, roles). */
    credentials?: AwsCredentials;
}

/**
 * Why DescribeType gave no schema: `not-found` (it answered: CloudFormation does not know the type or version),
 * `denied` (the caller may not ask: access denied, invalid or expired credentials), `unavailable` (no answer: no
 * credentials or region, network failure, throttling or server errors after the SDK's retries), `failed` (any
 * other refusal).
 */
export type DescribeTypeFailure = "not-found" | "denied" | "unavailable" | "failed";

/** DescribeType could not give the schema; the message names the type and says how to pass the schema instead. */
export class DescribeTypeError extends Error {
    constructor(
        message: string,
        readonly reason: DescribeTypeFailure,
        /** The AWS error name (e.g. AccessDeniedException), never its message. */
        readonly errorName: string,
    ) {
        super(message);
        this.name = "DescribeTypeError";
    }
}

const DENIED = new Set([
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidAccessKeyId",
    "InvalidSignatureException",
    "AuthFailure",
    "MissingAuthenticationToken",
]);

/** Classifies an SDK error from DescribeType (by name, then by HTTP status; a missing status means no answer). */
function failureOf(name: string, status: number | undefined): DescribeTypeFailure {
    if (name === "TypeNotFoundException" || name === "CFNRegistryException") return "not-found";
    if (DENIED.has(name) || status === 401 || status === 403) return "denied";
    if (status === undefined || status >= 500 || status === 429 || /Throttl/.test(name)) return "unavailable";
    return "failed";
}

/**
 * Returns the schema JSON string of a resource type. Errors ({@link DescribeTypeError}) name the type, say why
 * and tell the user how to pass the schema instead; they carry the AWS error name only (messages can hold account
 * details, never credentials here).
 */
export async function describeTypeSchema(req: DescribeTypeRequest): Promise<string> {
    const hint = `Pass the registry schema explicitly with the \`schema\` argument (the JSON of \`aws cloudformation describe-type --type RESOURCE --type-name ${req.typeName} --query Schema\`).`;
    const fail = (what: string, reason: DescribeTypeFailure, name: string) =>
        new DescribeTypeError(`Could not load the registry schema of ${req.typeName}: ${what}. ${hint}`, reason, name);
    let client: CloudFormationClient;
    try {
        // With no endpoint option the SDK itself honours AWS_ENDPOINT_URL_CLOUDFORMATION / AWS_ENDPOINT_URL.
        client = new CloudFormationClient({
            ...(req.region ? { region: req.region } : {}),
            ...(req.endpoint ? { endpoint: req.endpoint } : {}),
            ...(req.profile ? { profile: req.profile } : {}),
            ...(req.credentials ? { credentials: req.credentials } : {}),
        });
    } catch (e) {
        throw fail(`cannot create a CloudFormation client (${(e as Error).name})`, "unavailable", (e as Error).name);
    }
    try {
        const out = await client.send(
            new DescribeTypeCommand({
                Type: "RESOURCE",
                TypeName: req.typeName,
                ...(req.typeVersionId ? { VersionId: req.typeVersionId } : {}),
            }),
        );
        if (typeof out.Schema !== "string" || out.Schema === "") throw fail("DescribeType returned no schema", "unavailable", "NoSchema");
        return out.Schema;
    } catch (e) {
        if (e instanceof DescribeTypeError) throw e;
        const err = e as Error & { $metadata?: { httpStatusCode?: number } };
        const name = err.name || "Error";
        const status = err.$metadata?.httpStatusCode;
        const reason = failureOf(name, status);
        const what =
            reason === "not-found"
                ? `CloudFormation does not know the type${req.typeVersionId ? ` (version ${req.typeVersionId})` : ""}${req.region ? ` in ${req.region}` : ""}`
                : `DescribeType failed (${name}${status ? ` HTTP ${status}` : ""})`;
        throw fail(what, reason, name);
    } finally {
        client.destroy();
    }
}

/** Fetches a registry schema with CloudFormation DescribeType (the real SDK). */
import { CloudFormationClient, DescribeTypeCommand } from "@aws-sdk/client-cloudformation";

/** Where and what to fetch. */
export interface DescribeTypeRequest {
    typeName: string;
    typeVersionId?: string;
    region?: string;
    endpoint?: string;
    profile?: string;
}

/**
 * Returns the schema JSON string of a resource type. Errors name the type and tell the user how to pass the
 * schema instead; they carry the AWS error name only (messages can hold account details, never credentials here).
 */
export async function describeTypeSchema(req: DescribeTypeRequest): Promise<string> {
    const hint = `Pass the registry schema explicitly with the \`schema\` argument (the JSON of \`aws cloudformation describe-type --type RESOURCE --type-name ${req.typeName} --query Schema\`).`;
    let client: CloudFormationClient;
    try {
        // With no endpoint option the SDK itself honours AWS_ENDPOINT_URL_CLOUDFORMATION / AWS_ENDPOINT_URL.
        client = new CloudFormationClient({
            ...(req.region ? { region: req.region } : {}),
            ...(req.endpoint ? { endpoint: req.endpoint } : {}),
            ...(req.profile ? { profile: req.profile } : {}),
        });
    } catch (e) {
        throw new Error(`Could not load the registry schema of ${req.typeName}: cannot create a CloudFormation client (${(e as Error).name}). ${hint}`);
    }
    try {
        const out = await client.send(
            new DescribeTypeCommand({ Type: "RESOURCE", TypeName: req.typeName, ...(req.typeVersionId ? { VersionId: req.typeVersionId } : {}) }),
        );
        if (typeof out.Schema !== "string" || out.Schema === "") {
            throw new Error(`Could not load the registry schema of ${req.typeName}: DescribeType returned no schema. ${hint}`);
        }
        return out.Schema;
    } catch (e) {
        const err = e as Error & { $metadata?: { httpStatusCode?: number } };
        if (err.message?.startsWith("Could not load the registry schema")) throw err;
        const name = err.name || "Error";
        const status = err.$metadata?.httpStatusCode ? ` HTTP ${err.$metadata.httpStatusCode}` : "";
        const what =
            name === "TypeNotFoundException" || name === "CFNRegistryException"
                ? `CloudFormation does not know the type${req.typeVersionId ? ` (version ${req.typeVersionId})` : ""}${req.region ? ` in ${req.region}` : ""}`
                : `DescribeType failed (${name}${status})`;
        throw new Error(`Could not load the registry schema of ${req.typeName}: ${what}. ${hint}`);
    } finally {
        client.destroy();
    }
}

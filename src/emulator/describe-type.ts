/**
 * CloudFormation DescribeType (awsQuery: form-encoded request, XML response) for the types the emulator knows,
 * so a client's schema lookup goes over the wire too.
 */
import { randomUUID } from "crypto";
import { SchemaFileError, SchemaRegistry, TypeInfo } from "./schemas";

const xmlns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

/** Escapes text for an XML element body. */
export function xmlEscape(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** An awsQuery answer: status, XML body and, for errors, the code. */
export interface QueryAnswer {
    status: number;
    body: string;
    error?: string;
    typeName?: string;
}

/** An awsQuery error answer (`<ErrorResponse>`). */
export function errorAnswer(status: number, code: string, message: string, sender = true): QueryAnswer {
    const body =
        `<ErrorResponse xmlns="${xmlns}"><Error><Type>${sender ? "Sender" : "Receiver"}</Type><Code>${code}</Code>` +
        `<Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
    return { status, body, error: code };
}

/** Answers one CloudFormation awsQuery request (only DescribeType is supported). */
export function answerQuery(params: URLSearchParams, schemas: SchemaRegistry, region: string): QueryAnswer {
    const action = params.get("Action");
    if (action !== "DescribeType") {
        return errorAnswer(400, "InvalidAction", `The action ${action ?? "(none)"} is not valid for this endpoint.`);
    }
    const arn = params.get("Arn");
    // Lenient: a TypeName without Type means a resource type (the only kind the emulator serves).
    const kind = params.get("Type") ?? "RESOURCE";
    let typeName = params.get("TypeName") ?? undefined;
    if (!typeName && arn) {
        const m = /:type\/resource\/([A-Za-z0-9]+-[A-Za-z0-9]+-[A-Za-z0-9]+)/.exec(arn);
        typeName = m ? m[1].replace(/-/g, "::") : undefined;
    }
    if (!typeName) return errorAnswer(400, "ValidationError", "Either TypeName and Type, or Arn, must be specified.");
    let info: TypeInfo | undefined;
    try {
        info = kind === "RESOURCE" ? schemas.get(typeName) : undefined;
    } catch (e) {
        if (!(e instanceof SchemaFileError)) throw e;
        return {
            ...errorAnswer(400, "CFNRegistryException", SchemaRegistry.unusableMessage(typeName, e)),
            typeName,
        };
    }
    if (!info) {
        const message = `The type '${typeName}' cannot be found. (${schemas.notFoundHint(typeName)})`;
        return { ...errorAnswer(404, "TypeNotFoundException", message), typeName };
    }
    const doc = info.schema;
    const typeArn = `arn:aws:cloudformation:${region}::type/resource/${info.typeName.replace(/::/g, "-")}`;
    const fields: Array<[string, string]> = [
        ["Arn", typeArn],
        ["Type", "RESOURCE"],
        ["TypeName", info.typeName],
        ["DefaultVersionId", "00000001"],
        ["IsDefaultVersion", "true"],
        ["Description", typeof doc.description === "string" ? doc.description : ""],
        ["Schema", info.schemaText],
        ["ProvisioningType", info.handlers.has("update") ? "FULLY_MUTABLE" : info.handlers.size > 0 ? "IMMUTABLE" : "NON_PROVISIONABLE"],
        ["DeprecatedStatus", "LIVE"],
        ["Visibility", "PUBLIC"],
        ["SourceUrl", typeof doc.sourceUrl === "string" ? doc.sourceUrl : ""],
        ["LastUpdated", "2024-01-01T00:00:00.000Z"],
        ["TimeCreated", "2024-01-01T00:00:00.000Z"],
    ];
    const inner = fields
        .filter(([, v]) => v !== "")
        .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
        .join("");
    const body =
        `<DescribeTypeResponse xmlns="${xmlns}"><DescribeTypeResult>${inner}</DescribeTypeResult>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeTypeResponse>`;
    return { status: 200, body, typeName: info.typeName };
}

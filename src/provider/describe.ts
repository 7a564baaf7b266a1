import type { ProviderInputs } from "./types";

/** How messages name a resource: "'app-logs' (AWS::Logs::LogGroup)", or just the type without an identity. */
export function resourceLabel(inputs: Partial<Pick<ProviderInputs, "typeName" | "__identity">>): string {
    const type = typeof inputs.typeName === "string" ? inputs.typeName : "Cloud Control resource";
    const name = inputs.__identity && typeof inputs.__identity.name === "string" ? inputs.__identity.name : undefined;
    return name ? `'${name}' (${type})` : type;
}

/**
 * Prints a progress line. The dynamic-provider host forwards stdout to the Pulumi CLI as info lines. Callers pass
 * only type names, identifiers, statuses and Cloud Control's own messages: never property values.
 */
export function progress(label: string, message: string): void {
    console.log(`${label}: ${message}`);
}

/** An error's message (or the thrown value as text). */
export function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/**
 * `Organization::Service::Resource`, as Cloud Control and the registry spell resource type names: AWS's model for
 * TypeName allows 2 to 64 letters and digits per segment (every one of the 1,665 registry types fits).
 */
export const TYPE_NAME = /^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$/;

/** Whether `value` is a resource type name ({@link TYPE_NAME}). */
export function isTypeName(value: unknown): value is string {
    return typeof value === "string" && TYPE_NAME.test(value);
}

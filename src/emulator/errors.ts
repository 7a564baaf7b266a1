/**
 * Cloud Control API exceptions with the HTTP status AWS models for each, so the SDK maps and retries
 * them exactly as it does against AWS.
 */

/** HTTP status of each Cloud Control exception (and the few protocol-level ones AWS sends). */
export const exceptionStatus: Record<string, number> = {
    AlreadyExistsException: 400,
    GeneralServiceException: 400,
    InvalidRequestException: 400,
    NotStabilizedException: 400,
    NotUpdatableException: 400,
    PrivateTypeException: 400,
    ServiceLimitExceededException: 400,
    ThrottlingException: 400,
    ValidationException: 400,
    SerializationException: 400,
    UnknownOperationException: 400,
    InvalidCredentialsException: 401,
    RequestTokenNotFoundException: 404,
    ResourceNotFoundException: 404,
    TypeNotFoundException: 404,
    UnsupportedActionException: 405,
    ClientTokenConflictException: 409,
    ConcurrentOperationException: 409,
    ResourceConflictException: 409,
    ConcurrentModificationException: 500,
    InternalFailure: 500,
    HandlerFailureException: 502,
    HandlerInternalFailureException: 502,
    NetworkFailureException: 502,
    ServiceInternalErrorException: 502,
    ServiceUnavailable: 503,
};

/** Error namespaces as AWS writes them in `__type`. */
const namespaces: Record<string, string> = {
    ValidationException: "com.amazon.coral.validate",
    SerializationException: "com.amazon.coral.service",
    UnknownOperationException: "com.amazon.coral.service",
    InternalFailure: "com.amazon.coral.service",
    ServiceUnavailable: "com.amazon.coral.availability",
};

/** An error answered to the client as `{"__type": ..., "Message": ...}` with its HTTP status. */
export class ApiError extends Error {
    readonly code: string;
    readonly status: number;
    constructor(code: string, message: string, status?: number) {
        super(message);
        this.name = code;
        this.code = code;
        this.status = status ?? exceptionStatus[code] ?? 400;
    }

    /** The `__type` value, namespaced as AWS does. */
    get qualifiedType(): string {
        return `${namespaces[this.code] ?? "com.amazonaws.cloudcontrol"}#${this.code}`;
    }
}

/** The message AWS gives for a missing resource (ResourceNotFoundException, or a request FAILED with NotFound). */
export function notFoundMessage(typeName: string, identifier: string | undefined): string {
    return `Resource of type '${typeName}' with identifier '${identifier}' was not found.`;
}

/**
 * Cloud Control API exceptions with the HTTP status AWS answers for each, so the SDK maps and retries them exactly
 * as it does against AWS, and the messages AWS was recorded sending.
 */
import { randomUUID } from "crypto";

/**
 * HTTP status of each Cloud Control exception (and the few protocol-level ones AWS sends): the Smithy model's
 * (aws-sdk-js-v3 codegen/sdk-codegen/aws-models/cloudcontrol.json), except where real AWS was recorded answering
 * otherwise: TypeNotFound, RequestTokenNotFound, ResourceNotFound, ClientTokenConflict and UnsupportedAction come
 * with 400 (localstack tests/aws/services/cloudcontrol/test_cloudcontrol_api.snapshot.json: test_api_exceptions,
 * test_invalid_request_token_exc, test_lifecycle, test_double_create_with_client_token; UnsupportedAction per
 * design.md's recorded facts). The SDK maps exceptions by name, so only retry decisions depend on these.
 */
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
    RequestTokenNotFoundException: 400,
    ResourceNotFoundException: 400,
    TypeNotFoundException: 400,
    UnsupportedActionException: 400,
    ClientTokenConflictException: 400,
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

/**
 * A handler's message for a missing resource (a request FAILED with NotFound): the wording of the CloudFormation
 * resource-provider plugins' NotFound exception, which AWS's handlers use.
 */
export function notFoundMessage(typeName: string, identifier: string | undefined): string {
    return `Resource of type '${typeName}' with identifier '${identifier}' was not found.`;
}

/**
 * ResourceNotFoundException of GetResource / UpdateResource: Cloud Control ran the read handler and reports its
 * failure, as recorded ("AWS::S3::Bucket Handler returned status FAILED: Bucket not found (HandlerErrorCode:
 * NotFound, RequestToken: ...)", localstack test_lifecycle).
 */
export function resourceNotFound(typeName: string, identifier: string): ApiError {
    return new ApiError(
        "ResourceNotFoundException",
        `${typeName} Handler returned status FAILED: ${notFoundMessage(typeName, identifier)} (HandlerErrorCode: NotFound, RequestToken: ${randomUUID()})`,
    );
}

/** RequestTokenNotFoundException, worded as recorded (localstack test_invalid_request_token_exc). */
export function requestTokenNotFound(token: string): ApiError {
    return new ApiError("RequestTokenNotFoundException", `Request with token ${token} was not found`);
}

/** ClientTokenConflictException, worded as recorded (localstack test_double_create_with_client_token). */
export function clientTokenConflict(clientToken: string, requestToken: string): ApiError {
    return new ApiError(
        "ClientTokenConflictException",
        `ClientToken ${clientToken} is already associated with an existing operation with RequestToken ${requestToken}`,
    );
}

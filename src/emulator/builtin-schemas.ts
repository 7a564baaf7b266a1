/**
 * A small built-in set of registry schemas, written for this project (trimmed property lists) with the real
 * metadata of each type: createOnly, readOnly, writeOnly, conditionalCreateOnly, primaryIdentifier,
 * insertionOrder and tagging. They make the emulator (and tests) work on a clone without ../shared/cfn-schemas;
 * when a schema directory has the same type, the directory's (complete) schema wins.
 */

const allHandlers = {
    create: { permissions: [] },
    read: { permissions: [] },
    update: { permissions: [] },
    delete: { permissions: [] },
    list: { permissions: [] },
};

function tagDefinition(keyMin = 0): object {
    return {
        type: "object",
        additionalProperties: false,
        properties: {
            Key: { type: "string", minLength: keyMin, maxLength: 128 },
            Value: { type: "string", maxLength: 256 },
        },
        required: ["Key", "Value"],
    };
}

function tagging(tagProperty: string | undefined, cloudFormationSystemTags: boolean): object {
    return {
        taggable: true,
        tagOnCreate: true,
        tagUpdatable: true,
        cloudFormationSystemTags,
        ...(tagProperty ? { tagProperty } : {}),
    };
}

const logGroup = {
    typeName: "AWS::Logs::LogGroup",
    description: "The AWS::Logs::LogGroup resource specifies a log group (built-in trimmed schema).",
    definitions: { Tag: tagDefinition(1) },
    properties: {
        LogGroupName: { type: "string", minLength: 1, maxLength: 512, pattern: "^[.\\-_/#A-Za-z0-9]{1,512}\\Z" },
        KmsKeyId: { type: "string", maxLength: 256, pattern: "^arn:[a-z0-9-]+:kms:[a-z0-9-]+:\\d{12}:(key|alias)/.+\\Z" },
        DataProtectionPolicy: { type: "object" },
        LogGroupClass: { type: "string", enum: ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"], default: "STANDARD" },
        RetentionInDays: {
            type: "integer",
            enum: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
        },
        Tags: { type: "array", uniqueItems: true, insertionOrder: false, items: { $ref: "#/definitions/Tag" } },
        Arn: { type: "string" },
        DeletionProtectionEnabled: { type: "boolean" },
    },
    additionalProperties: false,
    tagging: tagging("/properties/Tags", true),
    createOnlyProperties: ["/properties/LogGroupName"],
    readOnlyProperties: ["/properties/Arn"],
    primaryIdentifier: ["/properties/LogGroupName"],
    handlers: allHandlers,
};

const queue = {
    typeName: "AWS::SQS::Queue",
    description: "The AWS::SQS::Queue resource creates an SQS queue (built-in trimmed schema).",
    definitions: { Tag: tagDefinition() },
    properties: {
        QueueUrl: { type: "string" },
        Arn: { type: "string" },
        ContentBasedDeduplication: { type: "boolean" },
        DelaySeconds: { type: "integer" },
        FifoQueue: { type: "boolean" },
        KmsMasterKeyId: { type: "string" },
        MaximumMessageSize: { type: "integer" },
        MessageRetentionPeriod: { type: "integer" },
        QueueName: { type: "string" },
        ReceiveMessageWaitTimeSeconds: { type: "integer" },
        RedrivePolicy: { type: ["object", "string"] },
        Tags: { type: "array", uniqueItems: false, insertionOrder: false, items: { $ref: "#/definitions/Tag" } },
        VisibilityTimeout: { type: "integer" },
    },
    additionalProperties: false,
    tagging: tagging("/properties/Tags", false),
    createOnlyProperties: ["/properties/FifoQueue", "/properties/QueueName"],
    readOnlyProperties: ["/properties/QueueUrl", "/properties/Arn"],
    primaryIdentifier: ["/properties/QueueUrl"],
    handlers: allHandlers,
};

const parameter = {
    typeName: "AWS::SSM::Parameter",
    description: "The AWS::SSM::Parameter resource creates an SSM parameter (built-in trimmed schema).",
    properties: {
        Type: { type: "string", enum: ["String", "StringList"] },
        Value: { type: "string" },
        Description: { type: "string" },
        Policies: { type: "string" },
        AllowedPattern: { type: "string" },
        Tier: { type: "string", enum: ["Standard", "Advanced", "Intelligent-Tiering"] },
        Tags: {
            type: "object",
            patternProperties: { "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$": { type: "string" } },
            additionalProperties: false,
        },
        DataType: { type: "string", enum: ["text", "aws:ec2:image"] },
        Name: { type: "string" },
        Arn: { type: "string", pattern: "arn:aws(-[a-z0-9-]+)*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+" },
    },
    required: ["Value", "Type"],
    additionalProperties: false,
    tagging: tagging("/properties/Tags", true),
    createOnlyProperties: ["/properties/Name"],
    readOnlyProperties: ["/properties/Arn"],
    writeOnlyProperties: ["/properties/Description", "/properties/Tier", "/properties/AllowedPattern", "/properties/Policies"],
    primaryIdentifier: ["/properties/Name"],
    handlers: allHandlers,
};

const role = {
    typeName: "AWS::IAM::Role",
    description: "Creates a new role for your AWS-account (built-in trimmed schema).",
    definitions: {
        Policy: {
            type: "object",
            additionalProperties: false,
            properties: { PolicyDocument: { type: ["string", "object"] }, PolicyName: { type: "string" } },
            required: ["PolicyName", "PolicyDocument"],
        },
        Tag: tagDefinition(),
    },
    properties: {
        Arn: { type: "string" },
        AssumeRolePolicyDocument: { type: ["object", "string"] },
        Description: { type: "string" },
        ManagedPolicyArns: { type: "array", uniqueItems: true, insertionOrder: false, items: { type: "string" } },
        MaxSessionDuration: { type: "integer" },
        Path: { type: "string", default: "/" },
        PermissionsBoundary: { type: "string" },
        Policies: { type: "array", insertionOrder: false, uniqueItems: false, items: { $ref: "#/definitions/Policy" } },
        RoleId: { type: "string" },
        RoleName: { type: "string" },
        Tags: { type: "array", uniqueItems: false, insertionOrder: false, items: { $ref: "#/definitions/Tag" } },
    },
    required: ["AssumeRolePolicyDocument"],
    additionalProperties: false,
    tagging: tagging("/properties/Tags", false),
    createOnlyProperties: ["/properties/Path", "/properties/RoleName"],
    readOnlyProperties: ["/properties/Arn", "/properties/RoleId"],
    primaryIdentifier: ["/properties/RoleName"],
    handlers: allHandlers,
};

const bucket = {
    typeName: "AWS::S3::Bucket",
    description: "The AWS::S3::Bucket resource creates an Amazon S3 bucket (built-in trimmed schema).",
    definitions: {
        VersioningConfiguration: {
            type: "object",
            additionalProperties: false,
            properties: { Status: { type: "string", default: "Suspended", enum: ["Enabled", "Suspended"] } },
            required: ["Status"],
        },
        LifecycleConfiguration: {
            type: "object",
            additionalProperties: false,
            properties: { Rules: { type: "array", uniqueItems: true, insertionOrder: true, items: { $ref: "#/definitions/Rule" } } },
            required: ["Rules"],
        },
        Rule: {
            type: "object",
            additionalProperties: false,
            properties: {
                Id: { type: "string", maxLength: 255 },
                Prefix: { type: "string" },
                Status: { type: "string", enum: ["Enabled", "Disabled"] },
                ExpirationInDays: { type: "integer" },
                NoncurrentVersionExpirationInDays: { type: "integer" },
                ExpiredObjectDeleteMarker: { type: "boolean" },
            },
            required: ["Status"],
        },
        Arn: { type: "string" },
        Tag: tagDefinition(1),
    },
    properties: {
        AccessControl: {
            type: "string",
            enum: [
                "AuthenticatedRead",
                "AwsExecRead",
                "BucketOwnerFullControl",
                "BucketOwnerRead",
                "LogDeliveryWrite",
                "Private",
                "PublicRead",
                "PublicReadWrite",
            ],
        },
        BucketName: { type: "string" },
        BucketNamePrefix: { type: "string" },
        BucketNamespace: { type: "string" },
        LifecycleConfiguration: { $ref: "#/definitions/LifecycleConfiguration" },
        ObjectLockEnabled: { type: "boolean" },
        Tags: { type: "array", insertionOrder: false, items: { $ref: "#/definitions/Tag" } },
        VersioningConfiguration: { $ref: "#/definitions/VersioningConfiguration" },
        Arn: { $ref: "#/definitions/Arn" },
        DomainName: { type: "string" },
        DualStackDomainName: { type: "string" },
        RegionalDomainName: { type: "string" },
        WebsiteURL: { type: "string", format: "uri" },
    },
    additionalProperties: false,
    tagging: tagging("/properties/Tags", true),
    createOnlyProperties: ["/properties/BucketName", "/properties/BucketNamePrefix", "/properties/BucketNamespace"],
    readOnlyProperties: [
        "/properties/Arn",
        "/properties/DomainName",
        "/properties/DualStackDomainName",
        "/properties/RegionalDomainName",
        "/properties/WebsiteURL",
    ],
    writeOnlyProperties: [
        "/properties/AccessControl",
        "/properties/BucketNamePrefix",
        "/properties/BucketNamespace",
        "/properties/LifecycleConfiguration/Rules/*/NoncurrentVersionExpirationInDays",
        "/properties/LifecycleConfiguration/Rules/*/ExpiredObjectDeleteMarker",
    ],
    primaryIdentifier: ["/properties/BucketName"],
    handlers: allHandlers,
};

const table = {
    typeName: "AWS::DynamoDB::Table",
    description: "The AWS::DynamoDB::Table resource creates a DynamoDB table (built-in trimmed schema).",
    definitions: {
        KeySchema: {
            type: "object",
            additionalProperties: false,
            properties: { AttributeName: { type: "string" }, KeyType: { type: "string" } },
            required: ["KeyType", "AttributeName"],
        },
        AttributeDefinition: {
            type: "object",
            additionalProperties: false,
            properties: { AttributeName: { type: "string" }, AttributeType: { type: "string" } },
            required: ["AttributeName", "AttributeType"],
        },
        ProvisionedThroughput: {
            type: "object",
            additionalProperties: false,
            properties: { ReadCapacityUnits: { type: "integer" }, WriteCapacityUnits: { type: "integer" } },
            required: ["WriteCapacityUnits", "ReadCapacityUnits"],
        },
        StreamSpecification: {
            type: "object",
            additionalProperties: false,
            properties: { StreamViewType: { type: "string" } },
            required: ["StreamViewType"],
        },
        ImportSourceSpecification: {
            type: "object",
            additionalProperties: false,
            properties: {
                S3BucketSource: {
                    type: "object",
                    additionalProperties: false,
                    properties: { S3Bucket: { type: "string" }, S3KeyPrefix: { type: "string" } },
                    required: ["S3Bucket"],
                },
                InputFormat: { type: "string" },
            },
            required: ["S3BucketSource", "InputFormat"],
        },
        Tag: tagDefinition(),
    },
    properties: {
        TableName: { type: "string" },
        KeySchema: {
            oneOf: [{ type: "array", uniqueItems: true, items: { $ref: "#/definitions/KeySchema" } }, { type: "object" }],
        },
        AttributeDefinitions: { type: "array", uniqueItems: true, items: { $ref: "#/definitions/AttributeDefinition" } },
        BillingMode: { type: "string" },
        ProvisionedThroughput: { $ref: "#/definitions/ProvisionedThroughput" },
        StreamSpecification: { $ref: "#/definitions/StreamSpecification" },
        ImportSourceSpecification: { $ref: "#/definitions/ImportSourceSpecification" },
        DeletionProtectionEnabled: { type: "boolean" },
        Arn: { type: "string" },
        StreamArn: { type: "string" },
        Tags: { type: "array", uniqueItems: false, items: { $ref: "#/definitions/Tag" } },
    },
    required: ["KeySchema"],
    additionalProperties: false,
    tagging: tagging("/properties/Tags", false),
    createOnlyProperties: ["/properties/TableName", "/properties/ImportSourceSpecification"],
    conditionalCreateOnlyProperties: ["/properties/KeySchema"],
    readOnlyProperties: ["/properties/Arn", "/properties/StreamArn"],
    writeOnlyProperties: ["/properties/ImportSourceSpecification"],
    primaryIdentifier: ["/properties/TableName"],
    handlers: allHandlers,
};

/** Built-in registry schemas by type name (the JSON DescribeType returns in `Schema`). */
export const builtinSchemas: Record<string, object> = {
    [logGroup.typeName]: logGroup,
    [queue.typeName]: queue,
    [parameter.typeName]: parameter,
    [role.typeName]: role,
    [bucket.typeName]: bucket,
    [table.typeName]: table,
};

/**
 * Two AWS::DynamoDB::Table key layouts over the same attributes: KeySchema is create-only, so going from
 * {@link keyA} to {@link keyB} is the classic change Cloud Control refuses to update (NotUpdatable).
 */
export const keyA = {
    KeySchema: [{ AttributeName: "a", KeyType: "HASH" }],
    AttributeDefinitions: [
        { AttributeName: "a", AttributeType: "S" },
        { AttributeName: "b", AttributeType: "S" },
    ],
};

/** {@link keyA} with the hash key on attribute "b". */
export const keyB = { ...keyA, KeySchema: [{ AttributeName: "b", KeyType: "HASH" }] };

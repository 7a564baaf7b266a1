import * as assert from "assert";
import { parseResourceSchema } from "../../src/schema";
import { testSchema } from "../fixtures/schemas";

describe("parseResourceSchema: maps (objects whose keys the user chooses)", () => {
    it("finds patternProperties maps through $ref (SSM Parameter Tags, Lambda Environment.Variables) and free-form JSON documents", () => {
        assert.deepStrictEqual(parseResourceSchema(testSchema("AWS::SSM::Parameter")).maps, ["/Tags"]);
        assert.deepStrictEqual(parseResourceSchema(testSchema("AWS::Lambda::Function")).maps, ["/Environment/Variables"]);
        assert.deepStrictEqual([...(parseResourceSchema(testSchema("AWS::IAM::Role")).maps ?? [])].sort(), [
            "/AssumeRolePolicyDocument",
            "/Policies/*/PolicyDocument",
        ]);
    });
    it("an object declaring properties on any branch is a record, not a map; map values and items are walked", () => {
        const s = parseResourceSchema({
            typeName: "Test::Maps::Kinds",
            properties: {
                Pattern: { type: "object", patternProperties: { ".*": { type: "string" } }, additionalProperties: false },
                Additional: { type: "object", additionalProperties: { type: "object", properties: { A: { type: "string" } } } },
                FreeForm: { type: "object" },
                Record: { type: "object", properties: { A: { type: "string" } }, additionalProperties: false },
                Either: { oneOf: [{ type: "object" }, { type: "object", properties: { A: { type: "string" } } }] },
                Items: { type: "array", items: { type: "object", patternProperties: { ".*": { type: "integer" } } } },
                Text: { type: "string" },
            },
        });
        assert.deepStrictEqual([...(s.maps ?? [])].sort(), ["/Additional", "/FreeForm", "/Items/*", "/Pattern"]);
    });
});

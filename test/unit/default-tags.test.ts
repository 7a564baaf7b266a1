/**
 * Default tags' parts: `aws:defaultTags` parsed as the AWS provider reads it, the tag property and its shape over
 * the real registry schemas (../shared when present, the fixtures otherwise), and the merge. Through the real host
 * and engine sequences against the emulator: test/e2e/default-tags.test.ts.
 */
import * as assert from "assert";
import { UNKNOWN } from "../../src/diff";
import { parseDefaultTags, tagPropertyOf, withDefaultTags } from "../../src/provider/default-tags";
import { parseResourceSchema } from "../../src/schema";
import { haveSharedSchemas, testSchema } from "../fixtures/schemas";

const schemaOf = (typeName: string) => parseResourceSchema(testSchema(typeName));

describe("default tags", () => {
    describe("aws:defaultTags", () => {
        it('takes { "tags": {...} } as an object or JSON text; values as text', () => {
            assert.strictEqual(parseDefaultTags(undefined), undefined);
            assert.strictEqual(parseDefaultTags('{"tags":{}}'), undefined);
            assert.deepStrictEqual(parseDefaultTags('{"tags":{"team":"core","tier":2,"prod":false}}'), {
                team: "core",
                tier: "2",
                prod: "false",
            });
            assert.deepStrictEqual(parseDefaultTags({ tags: { team: "core" } }), { team: "core" });
        });
        it("refuses what is not tags, saying what is expected", () => {
            const refusals: Array<[unknown, RegExp]> = [
                ["{tags", /not valid JSON/],
                ["[1]", /must be an object/],
                [{ Tags: { a: "b" } }, /unknown field "Tags" \(expected "tags"\)/],
                [{ tags: ["a"] }, /tags must be an object of tag keys and values/],
                [{ tags: { a: { b: 1 } } }, /tags\.a must be a string/],
                [{ tags: { "aws:owner": "x" } }, /reserved for AWS/],
            ];
            for (const [value, expected] of refusals) assert.throws(() => parseDefaultTags(value), expected, JSON.stringify(value));
        });
    });

    describe(`the tag property and its shape (${haveSharedSchemas() ? "../shared registry schemas" : "fixture schemas"})`, () => {
        const cases: Array<[string, unknown]> = [
            ["AWS::Logs::LogGroup", { name: "Tags", shape: "array" }],
            ["AWS::S3::Bucket", { name: "Tags", shape: "array" }],
            ["AWS::IAM::Role", { name: "Tags", shape: "array" }],
            ["AWS::SSM::Parameter", { name: "Tags", shape: "map" }],
            ["AWS::EFS::FileSystem", { name: "FileSystemTags", shape: "array" }],
        ];
        for (const [typeName, expected] of cases) {
            it(`${typeName}: ${JSON.stringify(expected)}`, () => assert.deepStrictEqual(tagPropertyOf(schemaOf(typeName)), expected));
        }
        if (haveSharedSchemas()) {
            it("none for a type that is not taggable, keeps tags nested, or needs more in a tag than Key and Value", () => {
                assert.strictEqual(tagPropertyOf(schemaOf("AWS::EC2::CapacityReservation")), undefined, "TagSpecifications/*/Tags");
                assert.strictEqual(
                    tagPropertyOf(schemaOf("AWS::AutoScaling::AutoScalingGroup")),
                    undefined,
                    "PropagateAtLaunch is required",
                );
                assert.deepStrictEqual(
                    tagPropertyOf(schemaOf("AWS::ApiGatewayV2::Stage")),
                    { name: "Tags", shape: "map" },
                    "a free-form object",
                );
                assert.deepStrictEqual(
                    tagPropertyOf(schemaOf("AWS::AppStream::AppBlock")),
                    { name: "Tags", shape: "array" },
                    "a oneOf item with a Key/Value branch",
                );
            });
        }
        it("none when the schema says the type is not taggable", () => {
            const doc = testSchema("AWS::Logs::LogGroup");
            assert.strictEqual(tagPropertyOf(parseResourceSchema({ ...doc, tagging: { ...doc.tagging, taggable: false } })), undefined);
        });
    });

    describe("merge", () => {
        const array = { name: "Tags", shape: "array" as const };
        const map = { name: "Tags", shape: "map" as const };
        const defaults = { team: "core", env: "dev" };

        it("into a Key/Value array: resource tags win, sorted by key, other properties untouched", () => {
            const state = {
                RetentionInDays: 7,
                Tags: [
                    { Key: "env", Value: "prod" },
                    { Key: "app", Value: "web" },
                ],
            };
            assert.deepStrictEqual(withDefaultTags(state, array, defaults), {
                RetentionInDays: 7,
                Tags: [
                    { Key: "app", Value: "web" },
                    { Key: "env", Value: "prod" },
                    { Key: "team", Value: "core" },
                ],
            });
            assert.deepStrictEqual(withDefaultTags({}, array, defaults), {
                Tags: [
                    { Key: "env", Value: "dev" },
                    { Key: "team", Value: "core" },
                ],
            });
            assert.deepStrictEqual(state.Tags.length, 2, "the input is not changed");
        });
        it("into a map: the same, as keys", () => {
            assert.deepStrictEqual(Object.entries(withDefaultTags({ Tags: { zone: "a", env: "prod" } }, map, defaults).Tags as object), [
                ["env", "prod"],
                ["team", "core"],
                ["zone", "a"],
            ]);
        });
        it("without defaults, or for a value of another shape, leaves the desired state as it is (validation reports the shape)", () => {
            const state = {
                Tags: [
                    { Key: "b", Value: "1" },
                    { Key: "a", Value: "2" },
                ],
            };
            assert.strictEqual(withDefaultTags(state, array, undefined), state);
            assert.strictEqual(withDefaultTags(state, array, {}), state);
            const wrong = { Tags: { a: "1" } };
            assert.strictEqual(withDefaultTags(wrong, array, defaults), wrong);
        });
        it("during a preview: unknown tags stay unknown, a tag with an unknown key makes them unknown, unknown values merge", () => {
            assert.deepStrictEqual(withDefaultTags({ Tags: UNKNOWN }, array, defaults), { Tags: UNKNOWN });
            assert.deepStrictEqual(withDefaultTags({ Tags: [{ Key: UNKNOWN, Value: "x" }] }, array, defaults), { Tags: UNKNOWN });
            assert.deepStrictEqual(withDefaultTags({ Tags: [{ Key: "team", Value: UNKNOWN }] }, array, defaults), {
                Tags: [
                    { Key: "env", Value: "dev" },
                    { Key: "team", Value: UNKNOWN },
                ],
            });
            assert.deepStrictEqual(withDefaultTags({ Tags: { team: UNKNOWN } }, map, defaults), { Tags: { env: "dev", team: UNKNOWN } });
        });
    });
});

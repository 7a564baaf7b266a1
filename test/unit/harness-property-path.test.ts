/**
 * Unit tests of the harness's property paths (ignoreChanges / replaceOnChanges), the engine's rules from
 * pulumi/pulumi sdk/go/common/resource/properties_path.go (ParsePropertyPath, PropertyPath.Reset, Contains).
 */
import * as assert from "assert";
import { parsePropertyPath, pathContains, resetPath } from "../support/harness/property-path";

describe("harness property paths (unit)", () => {
    it("parses names, indexes, quoted keys and wildcards, and rejects malformed paths", () => {
        assert.deepStrictEqual(parsePropertyPath("desiredState.Tags"), ["desiredState", "Tags"]);
        assert.deepStrictEqual(parsePropertyPath('a.b[0]["key.with.dots"][*]'), ["a", "b", 0, "key.with.dots", "*"]);
        assert.deepStrictEqual(parsePropertyPath('tags["say \\"hi\\""]'), ["tags", 'say "hi"']);
        for (const bad of [".a", "a.", "a[", "a[x]", 'a["b']) assert.throws(() => parsePropertyPath(bad), /property path/, bad);
    });

    it("resets a nested key to its old value, or deletes it when the old state has none", () => {
        const olds = { desiredState: { Tags: { env: "prod" }, Size: 1 } };
        const news = { desiredState: { Tags: { env: "dev", extra: "x" }, Size: 2 } };
        assert.strictEqual(resetPath(["desiredState", "Tags", "env"], olds, news), true);
        assert.strictEqual(resetPath(["desiredState", "Tags", "extra"], olds, news), true);
        assert.deepStrictEqual(news, { desiredState: { Tags: { env: "prod" }, Size: 2 } });
    });

    it("resets every member with a trailing wildcard, and items of equal-length arrays", () => {
        const news = { tags: { a: "2", b: "new" } };
        assert.strictEqual(resetPath(["tags", "*"], { tags: { a: "1" } }, news), true);
        assert.deepStrictEqual(news, { tags: { a: "1" } });
        const list = { xs: [{ v: 9 }, { v: 8 }] };
        assert.strictEqual(resetPath(["xs", "*", "v"], { xs: [{ v: 1 }, { v: 2 }] }, list), true);
        assert.deepStrictEqual(list, { xs: [{ v: 1 }, { v: 2 }] });
    });

    it("cannot follow a path into added or removed elements (the engine reports it cannot ignore those)", () => {
        // An item added at the index: no old value to put back.
        assert.strictEqual(resetPath(["xs", 1], { xs: [1] }, { xs: [1, 2] }), false);
        // A member added on the way down.
        assert.strictEqual(resetPath(["a", "b"], { a: { b: 1 } }, {}), false);
        // Arrays of different lengths under a wildcard.
        assert.strictEqual(resetPath(["xs", "*", "v"], { xs: [{ v: 1 }] }, { xs: [{ v: 1 }, { v: 2 }] }), false);
        // Neither side has the path: nothing to do.
        assert.strictEqual(resetPath(["a", "b"], {}, {}), true);
        assert.strictEqual(resetPath([], {}, {}), false);
    });

    it("contains: a wildcard matches one segment and a prefix contains the paths below it", () => {
        assert.strictEqual(pathContains(["desiredState"], ["desiredState", "Tags", 0]), true);
        assert.strictEqual(pathContains(["tags", "*"], ["tags", "env"]), true);
        assert.strictEqual(pathContains(["tags", "env"], ["tags"]), false);
        assert.strictEqual(pathContains(["a", "b"], ["a", "c"]), false);
    });
});

import * as assert from "assert";
import * as path from "path";

describe("package", () => {
    it("points main and types at the CommonJS build", () => {
        const pkg = require(path.join(__dirname, "../../package.json"));
        assert.strictEqual(pkg.main, "dist/index.js");
        assert.strictEqual(pkg.types, "dist/index.d.ts");
        assert.strictEqual(pkg.bin["cloudcontrol-emulator"], "dist/emulator/cli.js");
    });
});

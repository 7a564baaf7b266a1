// Tests run TypeScript directly; type errors are caught once by `tsc --noEmit` in `npm test`.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = require("path").join(__dirname, "tsconfig.json");
// Schemas fetched from throwaway emulators must not pile up in the user's ~/.cache: one temp cache per run.
if (!process.env.PULUMI_CLOUDCONTROL_CACHE_DIR) {
    const fs = require("fs");
    const dir = fs.mkdtempSync(require("path").join(require("os").tmpdir(), "cloudcontrol-test-cache-"));
    process.env.PULUMI_CLOUDCONTROL_CACHE_DIR = dir;
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
}
module.exports = {
    require: ["ts-node/register"],
    extension: ["ts"],
    reporter: require("path").join(__dirname, "test/support/summary-reporter.js"),
    timeout: 20000,
    exit: true,
};

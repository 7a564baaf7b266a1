// Tests run TypeScript directly; type errors are caught once by `tsc --noEmit` in `npm test`.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = require("path").join(__dirname, "tsconfig.json");
module.exports = {
  require: ["ts-node/register"],
  extension: ["ts"],
  reporter: require("path").join(__dirname, "test/support/summary-reporter.js"),
  timeout: 20000,
  exit: true,
};

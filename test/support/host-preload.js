// Loaded with `node -r` into Pulumi's dynamic-provider host by ProviderHost (test support only). The host catches
// uncaught exceptions and unhandled rejections itself and only prints them: an error thrown while it answers an
// RPC (e.g. Struct.fromJavaScript on an `undefined` in an error's properties) leaves that RPC unanswered forever.
// This marks each such error on stderr, one line, so the test side can fail at once instead of waiting.
"use strict";
const MARK = "__HARNESS_UNCAUGHT__ ";
function report(error) {
    try {
        process.stderr.write(`\n${MARK}${JSON.stringify(String((error && error.stack) || error))}\n`);
    } catch {
        // nothing left to report with
    }
}
process.on("uncaughtException", report);
process.on("unhandledRejection", report);

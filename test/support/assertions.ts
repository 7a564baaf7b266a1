import * as assert from "assert";
import { CloudControlError } from "../../src/cloudcontrol";

/** Awaits a promise that must reject with a CloudControlError, and returns that error for further assertions. */
export async function rejection(p: Promise<unknown>): Promise<CloudControlError> {
    try {
        await p;
    } catch (err) {
        assert.ok(err instanceof CloudControlError, `expected a CloudControlError, got ${String(err)}`);
        return err;
    }
    assert.fail("expected a rejection");
}

/** Polls `cond` every 10 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 30000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
    }
}

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

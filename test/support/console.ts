/** Runs `fn` with the provider's progress lines (console.log) kept out of the test output. */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
    const original = console.log;
    console.log = () => undefined;
    try {
        return await fn();
    } finally {
        console.log = original;
    }
}

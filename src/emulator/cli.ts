#!/usr/bin/env node
/**
 * `cloudcontrol-emulator`: runs the local Cloud Control emulator until SIGINT/SIGTERM.
 */
import { environmentLines, parseCliArgs, usage } from "./cli-args";
import { startEmulator } from "./index";
import { SchemaRegistry } from "./schemas";

async function main(argv: string[]): Promise<void> {
    let parsed;
    try {
        parsed = parseCliArgs(argv);
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        process.exitCode = 2;
        return;
    }
    if (parsed.help) {
        process.stdout.write(usage);
        return;
    }
    const emulator = await startEmulator(parsed.options);
    // Unusable schema files would only show up as errors of the requests for their types: say so at once.
    const dir = parsed.options.schemas === false ? undefined : parsed.options.schemas;
    for (const problem of new SchemaRegistry(dir, null).problems())
        process.stderr.write(`cloudcontrol-emulator: warning: ${problem.message}\n`);
    let stopping = false;
    const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        emulator.close().then(
            () => {
                process.stdout.write(`Stopped (${signal}).\n`);
                process.exit(0);
            },
            (e) => {
                process.stderr.write(`cloudcontrol-emulator: error while stopping: ${(e as Error).message}\n`);
                process.exit(1);
            },
        );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
    // Announce only once the handlers are in place: whoever reads the endpoint may signal us at once.
    const b = emulator.behaviour;
    const behaviour = `Behaviour: RetryAfter ${b.retryAfter}, identifier ${b.identifier}, ResourceModel on SUCCESS ${b.resourceModel ? "on" : "off"}, first status ${b.initialStatus}, cancel ${b.cancelKeepsWork ? "keeps" : "discards"} started work`;
    process.stdout.write(`${[...environmentLines(emulator.endpoint, emulator.env), behaviour].join("\n")}\n`);
}

main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`cloudcontrol-emulator: ${(e as Error).message}\n`);
    process.exit(1);
});

/**
 * `npm run bench [section...]`: runs each benchmark section (bench/<section>.ts exporting `run()`), in one process,
 * so every ratio compares numbers measured in the same run on the same machine.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

async function main(): Promise<void> {
    // Schemas fetched from the benches' throwaway emulators must not pile up in the user's ~/.cache.
    if (!process.env.PULUMI_CLOUDCONTROL_CACHE_DIR) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloudcontrol-bench-cache-"));
        process.env.PULUMI_CLOUDCONTROL_CACHE_DIR = dir;
        process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    }
    const wanted = process.argv.slice(2);
    const sections = fs
        .readdirSync(__dirname)
        .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_"))
        .map((f) => f.replace(/\.ts$/, ""))
        .filter((s) => wanted.length === 0 || wanted.includes(s))
        .sort();
    for (const section of sections) {
        const mod = await import(path.join(__dirname, section));
        if (typeof mod.run !== "function") continue;
        console.log(`\n=== ${section} ===`);
        await mod.run();
    }
}

main().then(
    () => process.exit(0),
    (err) => {
        console.error(err);
        process.exit(1);
    },
);

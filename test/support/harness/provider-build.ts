/**
 * This checkout's sources transpiled to CommonJS (what `npm run build` makes, without type checking), for provider
 * hosts: a host then loads plain JavaScript instead of the TypeScript compiler (ts-node), which is most of its
 * start-up time, and the harness starts a host for every run, as the engine does.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

const repoRoot = path.resolve(__dirname, "..", "..", "..");

/** Transpiles every file under src/ into `distDir` (same layout, .js). */
export function transpileSources(distDir: string): void {
    const walk = (dir: string): string[] =>
        fs
            .readdirSync(dir, { withFileTypes: true })
            .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
    for (const file of walk(path.join(repoRoot, "src"))) {
        const out = path.join(distDir, path.relative(path.join(repoRoot, "src"), file)).replace(/\.ts$/, ".js");
        fs.mkdirSync(path.dirname(out), { recursive: true });
        const { outputText } = ts.transpileModule(fs.readFileSync(file, "utf8"), {
            fileName: file,
            compilerOptions: {
                module: ts.ModuleKind.CommonJS,
                target: ts.ScriptTarget.ES2022,
                esModuleInterop: true,
                resolveJsonModule: true,
            },
        });
        fs.writeFileSync(out, outputText);
    }
}

let built: string | undefined;

/**
 * The provider implementation module (provider/impl.js) of the sources transpiled once per process into a temp
 * dir (removed at exit) that resolves dependencies from this checkout's node_modules.
 */
export function builtProviderModule(): string {
    if (!built) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloudcontrol-provider-build-"));
        process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
        transpileSources(path.join(dir, "dist"));
        fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
        built = path.join(dir, "dist", "provider", "impl.js");
    }
    return built;
}

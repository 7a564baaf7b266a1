/**
 * Type-level tests: compile fixtures with the TypeScript compiler (the project's own options) and compare the
 * diagnostics with what the fixtures expect. A fixture line `// @ts-expect-error <fragment>` expects an error
 * containing <fragment> on the next line; the directives are removed before compiling, so the errors are real.
 */
import * as path from "path";
import * as ts from "typescript";

export const ROOT = path.resolve(__dirname, "..", "..");

/** The project's compiler options, with "pulumi-cloudcontrol" resolving to this checkout's sources. */
export function compilerOptions(extra: ts.CompilerOptions = {}): ts.CompilerOptions {
    const configFile = path.join(ROOT, "tsconfig.json");
    const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
    return { ...parsed.options, noEmit: true, baseUrl: ROOT, paths: { "pulumi-cloudcontrol": ["src/index.ts"] }, ...extra };
}

/** An expected error: a fragment of its message, on a line (0-based). */
export interface Expectation {
    line: number;
    fragment: string;
}

const DIRECTIVE = /\/\/\s*@ts-expect-error\s*(.*)$/;

/** The fixture text with its directives blanked out (same lines), and what they expected. */
export function stripDirectives(text: string): { text: string; expected: Expectation[] } {
    const lines = text.split("\n");
    const expected: Expectation[] = [];
    lines.forEach((l, i) => {
        const m = DIRECTIVE.exec(l);
        if (!m) return;
        expected.push({ line: i + 1, fragment: m[1].trim() });
        lines[i] = l.replace(DIRECTIVE, "// (expected error below)");
    });
    return { text: lines.join("\n"), expected };
}

/** A diagnostic as the tests read it. */
export interface Found {
    file: string;
    line: number;
    message: string;
}

/**
 * Compiles the given files (real paths; `overrides` replaces or adds file contents) in one program and returns
 * the diagnostics of those files (syntactic, semantic), by file.
 */
export function compile(
    files: readonly string[],
    overrides: ReadonlyMap<string, string>,
    options: ts.CompilerOptions = compilerOptions(),
): Found[] {
    const host = ts.createCompilerHost(options, true);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (f) => overrides.get(path.resolve(f)) ?? readFile(f);
    host.fileExists = (f) => overrides.has(path.resolve(f)) || fileExists(f);
    host.getSourceFile = (f, lang, onError, create) => {
        const text = overrides.get(path.resolve(f));
        return text !== undefined ? ts.createSourceFile(f, text, lang, true) : getSourceFile(f, lang, onError, create);
    };
    const program = ts.createProgram({ rootNames: [...files], options, host });
    const found: Found[] = [];
    for (const file of files) {
        const sf = program.getSourceFile(file);
        if (!sf) throw new Error(`not compiled: ${file}`);
        for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
            const line = d.start === undefined ? -1 : sf.getLineAndCharacterOfPosition(d.start).line;
            found.push({ file, line, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") });
        }
    }
    return found;
}

/** Readable list of diagnostics for assertion messages. */
export function listDiagnostics(found: readonly Found[]): string {
    return found.map((f) => `${path.relative(ROOT, f.file)}:${f.line + 1}: ${f.message.split("\n")[0]}`).join("\n") || "(none)";
}

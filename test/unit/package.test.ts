import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const root = path.join(__dirname, "../..");
const pkg = require(path.join(root, "package.json"));

/** GitHub's heading anchor: lower case, punctuation dropped (but `-` and `_`), spaces to `-`. */
function slug(heading: string): string {
    return heading
        .trim()
        .toLowerCase()
        .replace(/`/g, "")
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

function anchorsOf(markdown: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    let fenced = false;
    for (const line of markdown.split("\n")) {
        if (line.startsWith("```")) fenced = !fenced;
        const m = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
        if (!m) continue;
        const base = slug(m[1]);
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    return anchors;
}

/** Relative links of a markdown file (outside code), as [target, anchor]. */
function linksOf(markdown: string): Array<{ target: string; anchor?: string }> {
    const links: Array<{ target: string; anchor?: string }> = [];
    const prose = markdown.replace(/```[\s\S]*?```/g, "");
    for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        const href = m[1];
        if (/^[a-z]+:/i.test(href)) continue; // http(s), mailto: not checked offline
        const [target, anchor] = href.split("#");
        links.push({ target, anchor });
    }
    return links;
}

describe("package", () => {
    it("points main and types at the CommonJS build", () => {
        assert.strictEqual(pkg.main, "dist/index.js");
        assert.strictEqual(pkg.types, "dist/index.d.ts");
        assert.strictEqual(pkg.bin["cloudcontrol-emulator"], "dist/emulator/cli.js");
    });

    it("declares the Node.js versions CI tests (22 and 24), which @pulumi/pulumi also needs", () => {
        assert.strictEqual(pkg.engines.node, ">=22");
        const ci = fs.readFileSync(path.join(root, ".ci/run"), "utf8");
        assert.match(ci, /CI_NODE_VERSIONS:-22 24/);
        const pulumiEngines = require(path.join(root, "node_modules/@pulumi/pulumi/package.json")).engines?.node ?? "";
        const pulumiMajor = Number(/(\d+)/.exec(pulumiEngines)?.[1] ?? 0);
        assert.ok(pulumiMajor <= 22, `@pulumi/pulumi needs node ${pulumiEngines}, more than we declare`);
    });

    it("ships the docs the README links to, the license, and source maps that carry their sources", () => {
        for (const entry of ["dist", "docs", "README.md", "LICENSE"]) {
            assert.ok(pkg.files.includes(entry), `package.json files lacks ${entry}`);
        }
        assert.match(fs.readFileSync(path.join(root, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
        assert.strictEqual(pkg.license, "Apache-2.0");
        const build = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.build.json"), "utf8"));
        // dist/ maps point at src/, which is not shipped: without inlined sources they would dangle.
        assert.strictEqual(build.compilerOptions.inlineSources, true);
        assert.strictEqual(pkg.scripts.prepack, "npm run build", "npm pack must build dist/ first");
    });

    it("has no broken relative link or anchor in the README and docs/", () => {
        const files = [
            "README.md",
            ...fs
                .readdirSync(path.join(root, "docs"))
                .filter((f) => f.endsWith(".md"))
                .map((f) => `docs/${f}`),
        ];
        const broken: string[] = [];
        for (const file of files) {
            const text = fs.readFileSync(path.join(root, file), "utf8");
            for (const { target, anchor } of linksOf(text)) {
                const resolved = target ? path.join(path.dirname(path.join(root, file)), target) : path.join(root, file);
                if (!fs.existsSync(resolved)) {
                    broken.push(`${file}: ${target} does not exist`);
                    continue;
                }
                if (anchor && resolved.endsWith(".md") && !anchorsOf(fs.readFileSync(resolved, "utf8")).has(anchor)) {
                    broken.push(`${file}: #${anchor} is not a heading of ${path.relative(root, resolved)}`);
                }
            }
        }
        assert.deepStrictEqual(broken, []);
    });
});

describe("package root", function () {
    this.timeout(60_000);

    it("does not load the emulator until startEmulator is called", () => {
        const { execFileSync } = require("child_process") as typeof import("child_process");
        const script = `
            const loaded = () => Object.keys(require.cache).filter((f) => /[\\\\/]src[\\\\/]emulator[\\\\/]/.test(f)).length;
            const root = require("./src/index.ts");
            const before = loaded();
            root.startEmulator({ schemas: false }).then(async (e) => {
                const after = loaded();
                await e.close();
                console.log(JSON.stringify({ before, after }));
            });`;
        const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
            cwd: root,
            encoding: "utf8",
        });
        const { before, after } = JSON.parse(out.trim().split("\n").pop()!);
        assert.strictEqual(before, 0, "requiring the package root loaded emulator modules");
        assert.ok(after > 0, "startEmulator did not load the emulator");
    });
});

// ESLint (flat config): correctness rules for TypeScript and size limits on functions. Formatting is Prettier's
// (.prettierrc.json: 140 columns); max-len here only catches the comments and code Prettier cannot wrap.
"use strict";
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");
const prettier = require("eslint-config-prettier");

const nodeGlobals = {
    require: "readonly",
    module: "writable",
    exports: "writable",
    process: "readonly",
    __dirname: "readonly",
    __filename: "readonly",
    console: "readonly",
    setTimeout: "readonly",
};

module.exports = tseslint.config(
    // What the tools write (build output, generated typings, bench scratch programs, local state) is not ours to lint.
    { ignores: ["dist/**", "node_modules/**", "typings/**", "data/**", "**/*.d.ts", ".cache/**", ".pulumi-state/**", "tmp/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    prettier,
    {
        rules: {
            // Deliberate: the serialized provider and the package root load their implementations at call time.
            "@typescript-eslint/no-require-imports": "off",
            // Registry schemas and wire payloads are untyped JSON; strict TypeScript checks the rest.
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
            "max-len": [
                "error",
                { code: 160, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
            ],
            complexity: ["error", 30],
            "max-depth": ["error", 5],
            "max-params": ["error", 7],
        },
    },
    {
        files: ["src/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts", "examples/**/*.ts"],
        rules: { "max-lines-per-function": ["error", { max: 120, skipBlankLines: true, skipComments: true }] },
    },
    {
        files: ["**/*.js"],
        languageOptions: { sourceType: "commonjs", globals: nodeGlobals },
    },
);

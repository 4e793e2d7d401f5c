// ESLint flat config: typescript-eslint's recommended rules for all TypeScript, mocha's for specs.
import js from "@eslint/js";
import mochaPlugin from "eslint-plugin-mocha";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "plan/", "bin/", ".tools/", "**/*.js", "**/*.mjs"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        rules: {
            // `??` and `?:` mixed with other operators without parentheses hide precedence bugs.
            "no-mixed-operators": [
                "error",
                {
                    groups: [
                        ["??", "||", "&&"],
                        ["?:", "??"],
                        ["?:", "||", "&&"],
                    ],
                    allowSamePrecedence: true,
                },
            ],
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            eqeqeq: ["error", "always"],
        },
    },
    {
        files: ["tests/**/*.ts"],
        ...mochaPlugin.configs.recommended,
        rules: {
            ...mochaPlugin.configs.recommended.rules,
            "mocha/no-exclusive-tests": "error",
            "mocha/no-mocha-arrows": "off",
            "mocha/max-top-level-suites": "off",
        },
    },
);

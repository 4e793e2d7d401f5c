// Register ts-node with SWC as its transpiler, for mocha and the tools' child processes.
// SWC emits the same CommonJS as TypeScript's transpile-only mode (docs/performance.md) at a fraction
// of the cost; type checking is `npm run typecheck`, which CI runs before the tests.
require("ts-node").register({ swc: true });

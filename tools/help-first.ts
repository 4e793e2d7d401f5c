/**
 * Imported first by every tool: answers `--help`/`-h` (before any `--`) with the tool's usage and help
 * from tools/usage.ts, before the tool's other imports load the Pulumi SDKs, zod or the AWS SDK: a help
 * text cost ~0.4 s of CPU, now ~0.1 s. Does nothing unless the importing tool is the process's main
 * module (a test that imports a tool is not asking for help); the tools' own parsing still answers
 * `--help` the same way when they are called in-process.
 */
import * as fs from "fs";
import * as path from "path";
import { checkHelp, HelpRequested } from "./cli";
import { TOOLS } from "./usage";

const main = require.main?.filename;
const tool = (main !== undefined && path.dirname(main) === __dirname) ? TOOLS[path.basename(main, ".ts")] : undefined;
if (tool !== undefined) {
    try {
        checkHelp(process.argv.slice(2), tool.usage, tool.help);
    } catch (err) {
        if (!(err instanceof HelpRequested)) throw err;
        try {
            // Synchronous, so nothing of the text is lost to the exit.
            fs.writeSync(1, err.text);
        } catch {
            // A reader that went away (`| head -1`) wanted no more of it.
        }
        process.exit(0);
    }
}

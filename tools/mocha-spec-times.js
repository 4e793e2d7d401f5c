// A mocha reporter that prints the wall time of each spec file, its hooks included (mocha's own
// reporters time tests only, so a spec whose `before` spawns a process looks free), slowest first,
// then the total and every failure. Usage: `npm test -- --no-parallel --reporter ./tools/mocha-spec-times.js`
// (in parallel mode mocha replays each file's events at once when its worker is done, so there is no
// time to read: the reporter says so instead of printing zeros).
"use strict";
const Mocha = require("mocha");

const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_FAIL, EVENT_TEST_PASS } = Mocha.Runner.constants;

class SpecTimes extends Mocha.reporters.Base {
    constructor(runner, options) {
        super(runner, options);
        const began = Date.now();
        const times = new Map();
        const started = new Map();
        const failures = [];
        let passes = 0;
        // A file's top-level suites are the children of the root suite that carry its name.
        runner.on(EVENT_SUITE_BEGIN, (suite) => {
            if (suite.file && suite.parent && suite.parent.root) started.set(suite, Date.now());
        });
        runner.on(EVENT_SUITE_END, (suite) => {
            if (!started.has(suite)) return;
            times.set(suite.file, (times.get(suite.file) ?? 0) + Date.now() - started.get(suite));
        });
        runner.on(EVENT_TEST_PASS, () => passes++);
        runner.on(EVENT_TEST_FAIL, (test, err) => failures.push(`${test.fullTitle()}: ${String(err && err.message).split("\n")[0]}`));
        runner.once(EVENT_RUN_END, () => {
            if (typeof runner.isParallelMode === "function" && runner.isParallelMode()) {
                process.stdout.write("mocha-spec-times: the suite ran in parallel mode, where spec files cannot be timed; run it with --no-parallel\n");
            }
            for (const [file, ms] of [...times].sort((a, b) => b[1] - a[1])) {
                process.stdout.write(`${(ms / 1000).toFixed(1).padStart(6)} s  ${file.replace(`${process.cwd()}/`, "")}\n`);
            }
            process.stdout.write(`total ${((Date.now() - began) / 1000).toFixed(1)} s: ${passes} passing, ${failures.length} failing\n`);
            for (const f of failures) process.stdout.write(`failed: ${f}\n`);
        });
    }
}

module.exports = SpecTimes;

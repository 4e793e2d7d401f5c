/**
 * The usage line and help of every tool, by its file name below tools/: read by the tool itself and by
 * tools/help-first.ts, which answers `--help`/`-h` before a tool loads anything heavy. Imports nothing.
 */

/** A tool's usage line, and the help printed under it. */
export interface ToolUsage {
    readonly usage: string;
    readonly help?: string;
}

export const TOOLS: Readonly<Record<string, ToolUsage>> = Object.freeze({
    plan: {
        usage: "npm run plan -- --stack <name> [--config-file <path>] [--out <dir>] [--render [--charts-dir <dir>]]",
        help: `Runs the program offline under Pulumi's mock runtime with the stack's configuration and writes
resources.json, manifests.yaml and argocd-values.yaml. Secrets appear only as [secret].

  --stack <name>         the stack (reads Pulumi.<name>.yaml)
  --config-file <path>   a stack file of the same format to read instead
  --out <dir>            where to write (default: plan/<name>/ in the repository; created when missing)
  --render               render every chart with real Helm; its objects become the Chart's children
  --charts-dir <dir>     with --render: read the pinned charts from <dir>/<chart name>/
  -h, --help             this help

Exit 0 planned, 2 usage, configuration or input error.`,
    },
    "plan-diff": {
        usage: "npm run plan:diff -- --stack <name> [--base <git-ref>] [--format text|markdown] [--render [--charts-dir <dir>]] | --stacks <a>,<b> [--format text|markdown] [--render [--charts-dir <dir>]]",
        help: `Plans the working tree and a base offline and prints what changes: stack configuration,
resources added, removed, replaced and changed, argo-cd chart values by path, manifests.yaml as a
unified diff. Secrets stay [secret].

  --stack <name>            the stack to compare
  --base <git-ref>          the base (default: the merge base of HEAD with the current branch's
                            upstream, origin/main on main; the report names the base it used)
  --stacks <a>,<b>          compare two stacks of the working tree instead
  --format text|markdown    the report's format (markdown: for a pull request comment)
  --render                  render every chart of both sides with real Helm
  --charts-dir <dir>        with --render: read the pinned charts from <dir>/<chart name>/
  -h, --help                this help

Exit 0 no change, 1 changes, 2 error.`,
    },
    "policy-check": {
        usage: "npm run policy:check -- --stack <name> [--config-file <path>] [--policy-config <file.json>] [--render [--charts-dir <dir>]]",
        help: `Runs the program offline and every policy of the pack on every registered resource, then the
stack policies; prints the violations grouped by enforcement level.

  --stack <name>               the stack (reads Pulumi.<name>.yaml)
  --config-file <path>         a stack file of the same format to read instead
  --policy-config <file.json>  the pack configuration (default: policy/pack-config.json), as for
                               pulumi preview --policy-pack-config
  --render                     render every chart with real Helm and judge the rendered objects
  --charts-dir <dir>           with --render: read the pinned charts from <dir>/<chart name>/
  -h, --help                   this help

Exit 0 clean, 1 a mandatory violation, 2 usage, configuration or input error.`,
    },
    "policy-manifests": {
        usage: "npm run policy:manifests -- [--format text|json] [--policy-config <file.json>] [--allow-empty] [--jobs <n>] <file-or-dir>...",
        help: `Applies the pack's workload rules (require-requests-limits, require-probes, disallow-latest-tag)
to rendered Kubernetes manifests: multi-document YAML and JSON files, directories (walked
recursively for .yaml, .yml and .json, links followed), Lists flattened. - reads standard input
(kubectl kustomize overlays/staging | npm run -s policy:manifests -- -).

  --format text|json           text lines (default) or one JSON object {violations, problems, summary}
  --policy-config <file.json>  the pack configuration, as for pulumi preview --policy-pack-config
                               (--config is another name for it)
  --allow-empty                an input without workloads is not an error
  --jobs <n>                   threads (default: one per core for large inputs)
  -h, --help                   this help

Exit 0 clean, 1 a mandatory violation, 2 usage or input error (2 wins over 1).`,
    },
    "rbac-can": {
        usage: "npm run rbac:can -- --stack <name> [--config-file <path>] <subject> <action> <resource> <object>",
        help: `Answers yes or no from the stack's generated Argo CD RBAC policy, like
\`argocd admin settings rbac can\`: may <subject> (a role, group or user) do <action> on <resource> <object>?

  --stack <name>         the stack (reads Pulumi.<name>.yaml)
  --config-file <path>   a stack file of the same format to read instead
  -h, --help             this help

Exit 0 yes, 1 no, 2 usage or configuration error.`,
    },
    preflight: { usage: "npm run preflight -- --stack <name> [--config-file <path>]" },
    bench: {
        usage: "npm run bench -- [--runs <n>] [--quick] [--json] [--charts-dir <dir>] [--no-suite] [--no-ci]",
        help: `Offline performance figures of the tools (plan, policy:check, policy:manifests, the tests), as
docs/performance.md reports them.

  --runs <n>   runs per measurement (default: 5; 1 with --quick)
  --quick      a quick, rougher run (also BENCH_QUICK=1)
  --json       the report as JSON
  --charts-dir <dir>  read the pinned charts from <dir>/<chart name>/ for the rendering rows
  --no-suite   leave out \`npm test\` (measured once by default; never with --quick)
  --no-ci      leave out CI on a fresh clone of HEAD (measured once by default; never with --quick)
  -h, --help   this help`,
    },
    "config-docs": {
        usage: "npm run docs:config",
        help: `Regenerates docs/configuration.md and schema/stack.schema.json from the schema in config/ (a
test fails while either is stale). Files that are current are left alone.

  -h, --help   this help`,
    },
});

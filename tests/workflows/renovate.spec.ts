import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PINNED } from "@footanalytics/facts";
import { PLATFORM_DEFAULTS } from "../../components/platform/values";
import { ROOT, workflowFiles } from "../../tools/actionlint";

interface CustomManager {
    readonly customType: string;
    readonly managerFilePatterns: readonly string[];
    readonly matchStrings: readonly string[];
    readonly depNameTemplate?: string;
    readonly datasourceTemplate?: string;
    readonly registryUrlTemplate?: string;
    readonly packageNameTemplate?: string;
}

interface PackageRule {
    readonly matchPackageNames?: readonly string[];
    readonly groupName?: string;
}

interface RenovateConfig {
    readonly customManagers: readonly CustomManager[];
    readonly packageRules: readonly PackageRule[];
    readonly enabledManagers: readonly string[];
}

const TEXT = fs.readFileSync(path.join(ROOT, "renovate.json"), "utf8");
const STACKS = ["staging", "production"] as const;

function config(): RenovateConfig {
    return JSON.parse(TEXT) as RenovateConfig;
}

/** A Renovate pattern written `/regex/` as a RegExp; anything else matches exactly (as Renovate does). */
function pattern(p: string): RegExp {
    const m = /^\/(.*)\/([a-z]*)$/.exec(p);
    return m ? new RegExp(m[1], m[2]) : new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`);
}

function manager(depName: string): CustomManager {
    const found = config().customManagers.filter((m) => m.depNameTemplate === depName);
    assert.equal(found.length, 1, `expected one custom manager for ${depName}`);
    return found[0];
}

/** Every `currentValue` the manager's match strings capture in a text (Renovate applies them per file with the g flag). */
function extract(m: CustomManager, text: string): string[] {
    return m.matchStrings.flatMap((s) => [...text.matchAll(new RegExp(s, "g"))].map((match) => match.groups?.currentValue ?? ""));
}

function handles(m: CustomManager, file: string): boolean {
    return m.managerFilePatterns.some((p) => pattern(p).test(file));
}

function stackText(stack: string): string {
    return fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
}

/** The group a package lands in: the groupName of the last rule that matches it, as Renovate merges rules in order. */
function groupOf(name: string): string | undefined {
    let group: string | undefined;
    for (const rule of config().packageRules) {
        if (rule.groupName !== undefined && rule.matchPackageNames?.some((p) => pattern(p).test(name))) group = rule.groupName;
    }
    return group;
}

describe("renovate.json", () => {
    it("is valid JSON with the Renovate schema", () => {
        assert.equal((JSON.parse(TEXT) as Record<string, unknown>).$schema, "https://docs.renovatebot.com/renovate-schema.json");
    });

    it("keeps GitHub Actions pinned to commit digests (the workflows' `@<sha> # vX.Y.Z` form)", () => {
        const c = config() as unknown as { extends: string[]; packageRules: { matchManagers?: string[]; pinDigests?: boolean }[] };
        assert.ok(c.extends.includes("helpers:pinGitHubActionDigests"));
        assert.equal(c.packageRules.find((r) => r.matchManagers?.includes("github-actions"))?.pinDigests, true);
    });

    it("proposes updates for npm, GitHub Actions, the Node version and the regex managers only", () => {
        assert.deepEqual(config().enabledManagers, ["npm", "nvm", "github-actions", "custom.regex"]);
    });

    describe("the argo-cd chart manager", () => {
        it("looks the chart up in the argo-helm repository", () => {
            const m = manager("argo-cd");
            assert.deepEqual([m.customType, m.datasourceTemplate, m.registryUrlTemplate], ["regex", "helm", "https://argoproj.github.io/argo-helm"]);
        });

        it("reads both stack files and not the project file", () => {
            const m = manager("argo-cd");
            assert.deepEqual(
                ["Pulumi.staging.yaml", "Pulumi.production.yaml", "Pulumi.yaml", "config/Pulumi.staging.yaml.bak"].map((f) => handles(m, f)),
                [true, true, false, false],
            );
        });

        for (const stack of STACKS) {
            it(`captures the chartVersion of footanalytics-gitops:argocd in the ${stack} stack file`, () => {
                const expected = (YAML.parse(stackText(stack)).config["footanalytics-gitops:argocd"] as { chartVersion: string }).chartVersion;
                assert.deepEqual(extract(manager("argo-cd"), stackText(stack)), [expected]);
            });
        }

        it("ignores a chartVersion under another key and one nested deeper under argocd", () => {
            const text = [
                "config:",
                "  footanalytics-gitops:other:",
                "    chartVersion: 1.0.0",
                "  footanalytics-gitops:argocd:",
                "    server:",
                "      chartVersion: 2.0.0",
                "",
                "    # the chart",
                '    chartVersion: "9.4.1"',
                "  footanalytics-gitops:gitops:",
                "    chartVersion: 3.0.0",
                "",
            ].join("\n");
            assert.deepEqual(extract(manager("argo-cd"), text), ["9.4.1"]);
        });

        it("finds nothing when the argocd key has no chartVersion of its own", () => {
            const text = ["config:", "  footanalytics-gitops:argocd:", "    domain: argocd.example.com", "  footanalytics-gitops:gitops:", "    chartVersion: 3.0.0", ""].join("\n");
            assert.deepEqual(extract(manager("argo-cd"), text), []);
        });
    });

    describe("the argocd-image-updater chart manager", () => {
        for (const stack of STACKS) {
            it(`captures gitops.imageUpdater.chartVersion in the ${stack} stack file, or nothing when the stack sets none`, () => {
                const updater = (YAML.parse(stackText(stack)).config["footanalytics-gitops:gitops"] as { imageUpdater?: { chartVersion?: string } }).imageUpdater;
                const m = manager("argocd-image-updater");
                assert.deepEqual([m.datasourceTemplate, m.registryUrlTemplate], ["helm", "https://argoproj.github.io/argo-helm"]);
                assert.deepEqual(extract(m, stackText(stack)), updater?.chartVersion === undefined ? [] : [updater.chartVersion]);
            });
        }

        it("ignores the argo-cd chartVersion and a chartVersion outside imageUpdater", () => {
            const text = [
                "config:",
                "  footanalytics-gitops:argocd:",
                "    chartVersion: 10.1.1",
                "  footanalytics-gitops:gitops:",
                "    chartVersion: 3.0.0",
                "    imageUpdater:",
                "      # pinned",
                "      enabled: true",
                "      chartVersion: 1.1.1",
                "      resources:",
                "        chartVersion: 9.9.9",
                "",
            ].join("\n");
            assert.deepEqual(extract(manager("argocd-image-updater"), text), ["1.1.1"]);
        });
    });

    describe("the cluster-service chart managers", () => {
        // Written here from each chart's published repository, not read from components/platform.
        const CHARTS = [
            { key: "loadBalancerController", chart: "aws-load-balancer-controller", registry: "https://aws.github.io/eks-charts" },
            { key: "metricsServer", chart: "metrics-server", registry: "https://kubernetes-sigs.github.io/metrics-server" },
            { key: "prometheusOperatorCrds", chart: "prometheus-operator-crds", registry: "https://prometheus-community.github.io/helm-charts" },
            { key: "nvidiaDevicePlugin", chart: "nvidia-device-plugin", registry: "https://nvidia.github.io/k8s-device-plugin" },
        ] as const;

        for (const { key, chart, registry } of CHARTS) {
            it(`looks ${chart} up in ${registry}, the repository the platform component installs it from`, () => {
                const m = manager(chart);
                assert.deepEqual([m.customType, m.datasourceTemplate, m.registryUrlTemplate], ["regex", "helm", registry]);
                assert.equal(PLATFORM_DEFAULTS[key].repository, registry);
                assert.equal(PLATFORM_DEFAULTS[key].chart, chart);
            });

            for (const stack of STACKS) {
                it(`captures platform.${key}.chartVersion in the ${stack} stack file`, () => {
                    const platform = YAML.parse(stackText(stack)).config["footanalytics-gitops:platform"] as Record<string, { chartVersion: string }>;
                    assert.deepEqual(extract(manager(chart), stackText(stack)), [platform[key].chartVersion]);
                });
            }
        }

        it("takes each chart's version from its own service only", () => {
            const text = [
                "config:",
                "  footanalytics-gitops:argocd:",
                "    chartVersion: 10.1.1",
                "  footanalytics-gitops:platform:",
                "    loadBalancerController:",
                "      enabled: true",
                "      chartVersion: 3.5.0",
                "    metricsServer:",
                "      # pinned",
                "      chartVersion: 3.13.1",
                "      resources:",
                "        chartVersion: 9.9.9",
                "",
            ].join("\n");
            assert.deepEqual(
                CHARTS.map(({ chart }) => extract(manager(chart), text)),
                [["3.5.0"], ["3.13.1"], [], []],
            );
        });
    });

    describe("the Pulumi CLI manager", () => {
        it("captures every pulumi-version in the workflows, and each equals @pulumi/pulumi in package.json", () => {
            const m = manager("pulumi");
            const sdk = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];
            const found = workflowFiles()
                .filter((f) => handles(m, f))
                .flatMap((f) => extract(m, fs.readFileSync(path.join(ROOT, f), "utf8")));
            assert.deepEqual(found, [sdk, sdk, sdk]);
        });
    });

    describe("the annotated-version manager", () => {
        it("captures the kustomize release the manifest-policy workflow renders with", () => {
            const found = config().customManagers.filter((m) => m.matchStrings.some((s) => s.startsWith("# renovate: ")));
            assert.equal(found.length, 1);
            const text = fs.readFileSync(path.join(ROOT, ".github/workflows/manifest-policy.yml"), "utf8");
            const matches = [...text.matchAll(new RegExp(found[0].matchStrings[0], "g"))].map((m) => ({ ...m.groups }));
            assert.deepEqual(matches, [
                { datasource: "github-releases", depName: "kubernetes-sigs/kustomize", extractVersion: "^kustomize/v(?<version>.+)$", currentValue: "5.7.1" },
            ]);
            assert.equal(YAML.parse(text).on.workflow_call.inputs["kustomize-version"].default, "5.7.1");
        });
    });

    describe("grouping", () => {
        it("moves every @pulumi package of both package files and the Pulumi CLI together", () => {
            const names = ["package.json", "policy/package.json"].flatMap((f) => {
                const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, f), "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
                return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => n.startsWith("@pulumi/"));
            });
            assert.ok(names.length >= 6, `expected the Pulumi packages, found ${names.join(", ")}`);
            assert.deepEqual([...new Set([...names, manager("pulumi").packageNameTemplate as string].map(groupOf))], ["Pulumi"]);
        });

        it("leaves other packages out of the Pulumi group", () => {
            assert.deepEqual(["yaml", "typescript", "pulumi-foo", "@pulumiverse/x"].map(groupOf), [undefined, undefined, undefined, undefined]);
        });
    });
});

describe("the chart upgrade procedure with Renovate (docs/operations.md)", () => {
    const SECTION = "Upgrading the Argo CD chart";
    const operations = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
    const section = operations.slice(operations.indexOf(`## 6. ${SECTION}`), operations.indexOf("## 7."));

    for (const chart of ["argo-cd", "argocd-image-updater"]) {
        it(`tells the reviewer of a ${chart} pull request, in its body, that CI fails until charts.ts is updated and where the procedure is`, () => {
            const notes = (config().packageRules as (PackageRule & { matchDepNames?: string[]; prBodyNotes?: string[] })[])
                .filter((r) => r.matchDepNames?.includes(chart))
                .flatMap((r) => r.prBodyNotes ?? []);
            assert.equal(notes.length, 1, `one note for ${chart}`);
            assert.match(notes[0], /facts\/charts\.ts/);
            assert.match(notes[0], /`PINNED`/);
            assert.ok(notes[0].includes(`docs/operations.md`) && notes[0].includes(SECTION), notes[0]);
        });
    }

    it("says what a human re-reads and which commands prove the upgrade, on the Renovate branch", () => {
        assert.ok(section.length > 0, "the section exists");
        for (const needed of [
            "git fetch origin renovate/",
            "facts/charts.ts",
            "`PINNED`",
            "appVersion",
            "npm test",
            "npm run plan:diff -- --stack production",
            "npm run policy:check -- --stack production",
        ]) {
            assert.ok(section.includes(needed), `section 6 of docs/operations.md names ${needed}`);
        }
        // The message quoted in the procedure is the one config/ gives (tests/config/argocd.spec.ts asserts it with the pinned version).
        assert.ok(section.includes('chartVersion ("<new>") must be <pinned>, the version facts/charts.ts was checked against; read the new chart\'s templates and update charts.ts together with this key'));
        assert.match(PINNED.argocd.version, /^\d+\.\d+\.\d+$/);
    });
});

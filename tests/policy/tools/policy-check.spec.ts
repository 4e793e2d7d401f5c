import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PackConfigError, readPackConfigJson } from "../../../policy/lib/config";
import { declaredEnvironment, environmentLabels } from "../../../policy/lib/environment";
import { RecordedResource, ROOT, runProgram, stackFile } from "../../../tools/harness";
import { checkResources, DEFAULT_PACK_CONFIG, formatReport } from "../../../tools/policy-check";
import { runStack, STACKS } from "../../helpers";
import { fixture, Json, podSpec } from "../helpers";

/** A resource as the harness records it (inputs equal raw inputs: no secrets here). */
function recorded(stack: string, type: string, name: string, inputs: Json): RecordedResource {
    return {
        type,
        name,
        urn: `urn:pulumi:${stack}::footanalytics-gitops::${type}::${name}`,
        custom: true,
        remote: type === "kubernetes:helm.sh/v4:Chart",
        inputs,
        rawInputs: inputs,
        options: { protect: false, retainOnDelete: false, dependsOn: [], providers: {}, ignoreChanges: [] },
    };
}

/** A compliant resource set, labelled with its environment as the program labels it. */
function compliantStack(stack: "production" | "staging"): RecordedResource[] {
    const values = fixture(stack === "production" ? "argocd-values-production.yaml" : "argocd-values-staging.yaml");
    values.global = { ...values.global, additionalLabels: environmentLabels(stack) };
    const application = fixture("application.yaml");
    application.metadata.labels = { ...application.metadata.labels, ...environmentLabels(stack) };
    return [
        recorded(stack, "kubernetes:apps/v1:Deployment", "api-gateway", fixture("workloads/deployment.yaml")),
        recorded(stack, "kubernetes:batch/v1:CronJob", "report", fixture("workloads/cronjob.yaml")),
        recorded(stack, "kubernetes:argoproj.io/v1alpha1:AppProject", "platform", fixture("appproject.yaml")),
        recorded(stack, "kubernetes:argoproj.io/v1alpha1:Application", "api-gateway-app", application),
        recorded(stack, "kubernetes:helm.sh/v4:Chart", "argocd", { chart: "argo-cd", version: "10.1.1", namespace: "argocd", values }),
        recorded(stack, "kubernetes:core/v1:Namespace", "argocd-ns", { metadata: { name: "argocd" } }),
    ];
}

describe("policy:check", () => {
    for (const stack of ["production", "staging"] as const) {
        it(`finds no violation in a compliant ${stack} resource set`, async () => {
            assert.deepEqual(await checkResources(compliantStack(stack)), []);
        });
    }

    it("reports a workload violation as mandatory and an Application in staging as advisory", async () => {
        const resources = compliantStack("staging");
        delete podSpec(resources[0].rawInputs).containers[0].livenessProbe;
        (resources[3].rawInputs as Json).spec.project = "default";
        const violations = await checkResources(resources);
        assert.deepEqual(violations, [
            {
                policy: "require-probes",
                enforcementLevel: "mandatory",
                urn: resources[0].urn,
                message: 'Deployment platform/api-gateway container "app" is missing livenessProbe',
            },
            {
                policy: "application-sync-policy",
                enforcementLevel: "advisory",
                urn: resources[3].urn,
                message: "Application argocd/api-gateway uses the default project, which allows every source and destination; set spec.project to a dedicated AppProject",
            },
        ]);
        assert.equal(
            formatReport("staging", resources, violations),
            [
                "mandatory (1):",
                "  [require-probes] kubernetes:apps/v1:Deployment api-gateway",
                '    Deployment platform/api-gateway container "app" is missing livenessProbe',
                "advisory (1):",
                "  [application-sync-policy] kubernetes:argoproj.io/v1alpha1:Application api-gateway-app",
                "    Application argocd/api-gateway uses the default project, which allows every source and destination; set spec.project to a dedicated AppProject",
                "not rendered: argo-cd 10.1.1: the objects these charts create were not checked (add --render [--charts-dir <dir>])",
                "policy:check staging: 6 resources (0 rendered by charts), 10 policies: 1 mandatory, 1 advisory violation(s)",
            ].join("\n"),
        );
    });

    it("judges a Chart as the engine sends it, with no inputs: values that lose a component's resources raise nothing on the Chart itself", async () => {
        const resources = compliantStack("production");
        delete (resources[4].rawInputs as Json).values.applicationSet.resources;
        assert.deepEqual(await checkResources(resources), []);
    });

    it("judges the objects a chart rendered: a production Deployment with one replica and no PodDisruptionBudget fails high-availability", async () => {
        const resources = compliantStack("production");
        const deployment = fixture("workloads/deployment.yaml");
        deployment.metadata = { ...deployment.metadata, name: "argocd-server", namespace: "argocd", labels: environmentLabels("production") };
        deployment.spec.replicas = 1;
        const child = { ...recorded("production", "kubernetes:apps/v1:Deployment", "argocd:argocd/argocd-server", deployment), parent: resources[4].urn, renderedFrom: "argo-cd/templates/argocd-server/deployment.yaml" };
        const violations = await checkResources([...resources, child]);
        assert.deepEqual(violations.map((v) => [v.policy, v.enforcementLevel, v.urn, v.message]), [
            ["high-availability", "mandatory", undefined, "Deployment argocd/argocd-server runs 1 replica; production runs at least 2 so that losing one pod or node keeps it serving"],
            ["high-availability", "mandatory", undefined, "Deployment argocd/argocd-server has no PodDisruptionBudget selecting its pods; production needs one so that a node drain or upgrade keeps it serving"],
        ]);
        assert.match(formatReport("production", [...resources, child], violations), /policy:check production: 7 resources \(1 rendered by charts\), 10 policies: 2 mandatory, 0 advisory violation\(s\)$/);
    });

    it("passes the pack config to the policies: disabled levels and exemptions", async () => {
        const resources = compliantStack("production");
        delete podSpec(resources[0].rawInputs).containers[0].livenessProbe;
        (resources[3].rawInputs as Json).spec.source.targetRevision = "HEAD";
        const config = {
            "application-sync-policy": "disabled",
            "require-probes": { exemptions: [{ kind: "Deployment", namespace: "platform", name: "api-gateway", reason: "vendor image without a health endpoint" }] },
        };
        assert.deepEqual(await checkResources(resources, config), []);
    });

    it("refuses an invalid pack config before running any policy", async () => {
        await assert.rejects(checkResources(compliantStack("staging"), { "require-probes": "sometimes" }), PackConfigError);
    });
});

describe("policy:check on the committed stacks", function () {
    this.timeout(300000);

    for (const stack of STACKS) {
        it(`passes the ${stack} stack with zero mandatory violations and labels what the pack judges by environment`, async () => {
            const run = await runStack(stack);
            const chart = run.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.rawInputs.chart === "argo-cd");
            assert.ok(chart, "the program registers the argo-cd chart");
            // The program declares the configured environment where the pack reads it.
            assert.equal(declaredEnvironment(chart.rawInputs), stack);
            const apps = run.resources.filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application");
            assert.ok(apps.length >= 4);
            assert.deepEqual([...new Set(apps.map((r) => declaredEnvironment(r.rawInputs)))], [stack]);
            // The cluster services whose checks depend on the environment declare it through their charts' own labels.
            const services = run.resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart" && ["aws-load-balancer-controller", "metrics-server"].includes(r.rawInputs.chart as string));
            assert.deepEqual(services.map((r) => [r.rawInputs.chart, declaredEnvironment(r.rawInputs)]).sort(), [["aws-load-balancer-controller", stack], ["metrics-server", stack]]);
            // With the committed pack configuration, as `npm run policy:check` reads it by default.
            const violations = await checkResources(run.resources, readPackConfigJson(DEFAULT_PACK_CONFIG));
            assert.deepEqual(violations.filter((v) => v.enforcementLevel === "mandatory"), []);
        });
    }

    it("judges a stack by the environment its configuration declares, whatever the stack is called", async () => {
        // Stack "dev" with the staging configuration used to get 12 mandatory "in production" violations.
        const dev = await runProgram({ stack: "dev", configFile: stackFile("staging") });
        assert.deepEqual((await checkResources(dev.resources, readPackConfigJson(DEFAULT_PACK_CONFIG))).filter((v) => v.enforcementLevel === "mandatory"), []);
        // Stack "staging" with the production configuration is judged as production: HEAD is refused.
        const misnamed = await runProgram({ stack: "staging", configFile: stackFile("production") });
        const app = misnamed.resources.find((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application");
        assert.ok(app);
        (app.rawInputs as Json).spec.source.targetRevision = "HEAD";
        assert.deepEqual(
            (await checkResources(misnamed.resources, readPackConfigJson(DEFAULT_PACK_CONFIG))).map((v) => [v.policy, v.enforcementLevel]),
            [["application-sync-policy", "mandatory"]],
        );
    });

});

describe("npm run policy:check on a user's mistake", function () {
    this.timeout(120000);
    // As `npm run policy:check` runs it.
    const run = (...args: string[]) => spawnSync(process.execPath, ["--require", "./tools/register.js", "tools/policy-check.ts", ...args], { cwd: ROOT, encoding: "utf8" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const cases: [string, () => string[], string][] = [
        ["a stack without a stack file", () => ["--stack", "qa"], 'there is no stack file Pulumi.qa.yaml for stack "qa"; expected one of: production, staging, or pass --config-file <path>\n'],
        [
            "a missing --config-file",
            () => ["--stack", "staging", "--config-file", path.join(dir, "missing.yaml")],
            `--config-file ${path.join(dir, "missing.yaml")} does not exist or is not a file; pass a stack file in the Pulumi.<stack>.yaml format\n`,
        ],
        [
            "a stack file that is not YAML",
            () => {
                fs.writeFileSync(path.join(dir, "broken.yaml"), "config:\n  a: [\n");
                return ["--stack", "staging", "--config-file", path.join(dir, "broken.yaml")];
            },
            `${path.join(dir, "broken.yaml")} is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1; fix the file (\`pulumi config\` shows what the CLI reads)\n`,
        ],
        [
            "a stack file without an environment: one problem, no production rules",
            () => {
                const text = fs.readFileSync(stackFile("staging"), "utf8").replace(/^ {2}footanalytics-gitops:environment: staging\n/m, "");
                fs.writeFileSync(path.join(dir, "Pulumi.noenv.yaml"), text);
                return ["--stack", "staging", "--config-file", path.join(dir, "Pulumi.noenv.yaml")];
            },
            'Invalid configuration for stack "staging" (1 problem):\n  - footanalytics-gitops:environment is missing; expected one of: staging, production (Which profile the stack follows: `production` defaults are highly available and stricter)\n',
        ],
        ["an invalid stack name", () => ["--stack", "../escape"], '--stack "../escape" is not a valid stack name: stack names may not contain slashes (Pulumi\'s rule), such as "staging" or "production"\n'],
    ];
    for (const [label, args, message] of cases) {
        it(`exits 2 for ${label}, naming it, without a stack trace`, () => {
            const result = run(...args());
            assert.equal(result.stderr, message);
            assert.equal(result.status, 2);
            assert.equal(result.stdout, "");
        });
    }
});


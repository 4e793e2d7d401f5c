import * as assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { requireProbesRule } from "../../../policy/policies/require-probes";
import { checkPaths, InputProblem, LocatedViolation } from "../../../tools/policy-manifests";

// Traps found by running policy:manifests over the test files of polaris, kube-score and checkov and
// over real-world repositories (issue 21): each case failed before its fix.

const created: string[] = [];

/** Writes `files` (name to text) into a new temporary directory; returns it. */
function tree(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-manifests-edges-"));
    created.push(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

/** A container that passes every rule, with `extra` YAML lines (indented for a list item) added. */
const container = (name: string, image = "ghcr.io/footanalytics/app:1.0.0", extra = "") => `        - name: ${name}
          image: ${image}
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
          readinessProbe: {httpGet: {path: /, port: 80}}
          livenessProbe: {httpGet: {path: /, port: 80}}
${extra}`;

/** A Deployment in namespace `web` with the given pod spec body (indented under `spec:` of the template). */
const deployment = (name: string, podSpec: string, header = "apiVersion: apps/v1\nkind: Deployment") =>
    `${header}\nmetadata:\n  name: ${name}\n  namespace: web\nspec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n    spec:\n${podSpec}`;

/** Violations as `policy: message` and problems as `document: message`, for one file. */
function check(text: string): { workloads: number; violations: string[]; problems: string[] } {
    const dir = tree({ "m.yaml": text });
    const report = checkPaths([path.join(dir, "m.yaml")], undefined, false);
    return {
        workloads: report.workloads,
        violations: report.violations.map((v: LocatedViolation) => `${v.violation.policy}: ${v.violation.message}`),
        problems: report.problems.map((p: InputProblem) => `${p.document ?? "-"}: ${p.message}`),
    };
}

describe("policy:manifests edge cases", () => {
    after(() => {
        for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
    });

    describe("templates are told by parse, not by a {{ anywhere", () => {
        it("checks a rendered workload whose values hold {{ (an external-dns argument, a Vault Agent template, a go-template)", () => {
            const externalDns = deployment("external-dns", `      containers:\n${container("external-dns", "registry.k8s.io/external-dns/external-dns:v0.15.0", "          args:\n            - --fqdn-template={{.Name}}.example.com\n")}`);
            const vault = deployment("billing", `      containers:\n${container("billing")}`).replace("metadata:\n  name: billing", "metadata:\n  name: billing\n  annotations:\n    vault.hashicorp.com/agent-inject-template-db: '{{- with secret \"db/creds\" -}}{{ .Data.password }}{{- end }}'");
            const cron = `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: pods-report, namespace: ops}\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: report\n              image: bitnami/kubectl:1.35.0\n              command: [kubectl, get, pods, -o, "go-template={{range .items}}{{.metadata.name}}{{end}}"]\n              resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 50m, memory: 32Mi}}\n`;
            assert.deepEqual(check([externalDns, vault, cron].join("---\n")), { workloads: 3, violations: [], problems: [] });
        });

        it("refuses template markers in a key, in kind or in apiVersion", () => {
            const inKey = deployment("web", `      containers:\n${container("web")}`).replace("  namespace: web\n", "  namespace: web\n  labels:\n    '{{ .Values.label }}': x\n");
            assert.deepEqual(check(inKey).problems, ["1: Deployment web/web holds template markers ({{ or {%) in a key, kind or apiVersion: it is a template, not a manifest; render it first (`helm template <release> <chart>`, `kustomize build <dir>`) and check the output"]);
            assert.deepEqual(check('apiVersion: apps/v1\nkind: "{{ .Values.kind }}"\nmetadata: {name: web}\n').problems, [
                '1: "{{ .Values.kind }}" web holds template markers ({{ or {%) in a key, kind or apiVersion: it is a template, not a manifest; render it first (`helm template <release> <chart>`, `kustomize build <dir>`) and check the output',
            ]);
        });
    });

    describe("the tag rule judges every image", () => {
        const withImage = (image: string) => deployment("web", `      containers:\n${container("web").replace(/ {10}image: .*\n/, image === "<absent>" ? "" : `          image: ${image}\n`)}`);
        for (const [what, image, shown] of [
            ["a missing image", "<absent>", "no image"],
            ["an empty image", '""', 'image ""'],
            ["a null image", "null", "image null"],
            ["a numeric image", "42", "image 42"],
        ] as const) {
            it(`fails ${what}, as polaris, kube-score and checkov do`, () => {
                assert.deepEqual(check(withImage(image)).violations, [`disallow-latest-tag: Deployment web/web container "web" has ${shown}, which is not an image reference; set an image with a version tag or a digest`]);
            });
        }

        it("reads tags case-sensitively: Latest is not latest", () => {
            assert.deepEqual(check(withImage("nginx:Latest")).violations, []);
            assert.deepEqual(check(withImage("nginx:latest")).violations, ['disallow-latest-tag: Deployment web/web container "web" uses image "nginx:latest" with the latest tag; pin a version tag or a digest']);
        });
    });

    describe("each file once", () => {
        const text = deployment("web", `      containers:\n${container("web", "nginx:latest")}`);
        for (const [what, inputs] of [
            ["named twice", (dir: string) => [path.join(dir, "app.yaml"), path.join(dir, "app.yaml")]],
            ["named with its directory", (dir: string) => [path.join(dir, "app.yaml"), dir]],
            ["named with a link to it", (dir: string) => [path.join(dir, "app.yaml"), path.join(dir, "link.yaml")]],
        ] as const) {
            it(`checks a file ${what} once, without a false "nothing to check"`, () => {
                const dir = tree({ "app.yaml": text });
                fs.symlinkSync(path.join(dir, "app.yaml"), path.join(dir, "link.yaml"));
                const report = checkPaths(inputs(dir), undefined, false);
                assert.deepEqual(report.problems, []);
                assert.equal(report.files, 1);
                assert.equal(report.violations.length, 1);
            });
        }
    });

    it("resolves YAML merge keys as kubectl does: no false findings, the inherited :latest found", () => {
        const text = `apiVersion: v1
kind: Pod
metadata: {name: merged, namespace: web}
x-defaults: &defaults
  image: nginx:latest
  resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
  readinessProbe: {httpGet: {path: /, port: 80}}
  livenessProbe: {httpGet: {path: /, port: 80}}
spec:
  containers:
    - <<: *defaults
      name: app
`;
        assert.deepEqual(check(text).violations, ['disallow-latest-tag: Pod web/merged container "app" uses image "nginx:latest" with the latest tag; pin a version tag or a digest']);
    });

    describe("malformed init containers are input errors like malformed containers", () => {
        it("refuses a mis-indented initContainers (null, its fields on the pod spec)", () => {
            const text = deployment("web", `      initContainers:\n      name: migrate\n      containers:\n${container("web")}`);
            assert.deepEqual(check(text).problems, ["1: Deployment web/web: spec.template.spec.initContainers is null; expected a list of containers (or leave it out)"]);
        });

        it("refuses initContainers that is a map, and container entries that are a string or null", () => {
            assert.deepEqual(check(deployment("web", `      initContainers: {name: migrate}\n      containers:\n${container("web")}`)).problems, ["1: Deployment web/web: spec.template.spec.initContainers (a map) must be a list of containers"]);
            assert.deepEqual(check(deployment("web", `      containers:\n        - nginx:1.27\n${container("web")}`)).problems, ['1: Deployment web/web: spec.template.spec.containers[0] (a string "nginx:1.27") must be a container (an object)']);
            assert.deepEqual(check(deployment("web", `      initContainers:\n        -\n      containers:\n${container("web")}`)).problems, ["1: Deployment web/web: spec.template.spec.initContainers[0] (null) must be a container (an object)"]);
        });
    });

    describe("workload kinds under an apiVersion that does not serve them", () => {
        for (const [what, header, message] of [
            ["apiVersion v1 with kind Deployment", "apiVersion: v1\nkind: Deployment", "1: Deployment web/web: apiVersion v1 does not serve kind Deployment; expected apps/v1"],
            ["a missing apiVersion", "kind: Deployment", "1: Deployment web/web: apiVersion is missing for kind Deployment; expected apps/v1"],
            ["a lower-case kind", "apiVersion: apps/v1\nkind: deployment", "1: deployment web/web: apiVersion apps/v1 does not serve kind deployment (kinds are case-sensitive); expected kind Deployment"],
            ["batch/v1 with kind Deployment", "apiVersion: batch/v1\nkind: Deployment", "1: Deployment web/web: apiVersion batch/v1 does not serve kind Deployment; expected apps/v1"],
        ] as const) {
            it(`refuses ${what}, naming both`, () => {
                assert.deepEqual(check(deployment("web", `      containers:\n${container("web")}`, header)).problems, [message]);
            });
        }
    });

    it("checks ReplicationControllers", () => {
        const text = deployment("legacy", `      containers:\n${container("legacy", "nginx:latest")}`, "apiVersion: v1\nkind: ReplicationController");
        assert.deepEqual(check(text), { workloads: 1, violations: ['disallow-latest-tag: ReplicationController web/legacy container "legacy" uses image "nginx:latest" with the latest tag; pin a version tag or a digest'], problems: [] });
    });

    it("requires probes on native sidecar init containers, and says so", () => {
        const sidecar = `        - name: proxy\n          image: envoyproxy/envoy:v1.31.0\n          restartPolicy: Always\n          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}\n`;
        assert.deepEqual(check(deployment("web", `      initContainers:\n${sidecar}      containers:\n${container("web")}`)).violations, ['require-probes: Deployment web/web init container "proxy" is missing readinessProbe, livenessProbe']);
        assert.match(requireProbesRule.description, /native sidecar init container \(restartPolicy: Always\)/);
        assert.match(fs.readFileSync(path.join(__dirname, "..", "..", "..", "docs", "policies.md"), "utf8"), /\| `require-probes` \| mandatory \| every container and native sidecar init container \(`restartPolicy: Always`, /);
    });

    it("names an object whose metadata.name is a number by that number", () => {
        const text = deployment("1234", `      containers:\n${container("web", "nginx:latest")}`);
        assert.deepEqual(check(text), { workloads: 1, violations: ['disallow-latest-tag: Deployment web/1234 container "web" uses image "nginx:latest" with the latest tag; pin a version tag or a digest'], problems: [] });
    });

    it("names the document of a parse error", () => {
        const good = deployment("web", `      containers:\n${container("web")}`);
        const broken = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm\ndata: {}\n";
        assert.deepEqual(check([good, good, broken].join("---\n")).problems, ["3: is not valid YAML: missed comma between flow collection entries (line 38, column 1)"]);
        // Line 38 is the line after the unclosed flow mapping of the third document.
        assert.equal([good, good, broken].join("---\n").split("\n")[36], "metadata: {name: cm");
    });

    describe("one meaning of set: a non-empty string, a number, or an object with a field", () => {
        for (const [what, replace, missing] of [
            ["readinessProbe: false", ["readinessProbe: {httpGet: {path: /, port: 80}}", "readinessProbe: false"], 'require-probes: Deployment web/web container "web" is missing readinessProbe'],
            ["readinessProbe: true", ["readinessProbe: {httpGet: {path: /, port: 80}}", "readinessProbe: true"], 'require-probes: Deployment web/web container "web" is missing readinessProbe'],
            ["cpu: {}", ["requests: {cpu: 100m,", "requests: {cpu: {},"], 'require-requests-limits: Deployment web/web container "web" is missing resources.requests.cpu'],
            ["memory: false", ["limits: {cpu: 200m, memory: 128Mi}", "limits: {cpu: 200m, memory: false}"], 'require-requests-limits: Deployment web/web container "web" is missing resources.limits.memory'],
            ["resources: []", ["resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}", "resources: []"], 'require-requests-limits: Deployment web/web container "web" is missing resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory'],
        ] as const) {
            it(`counts ${what} as not set`, () => {
                const text = deployment("web", `      containers:\n${container("web").replace(replace[0], replace[1])}`);
                assert.deepEqual(check(text).violations, [missing]);
            });
        }

        it("counts a number as set (cpu: 1)", () => {
            assert.deepEqual(check(deployment("web", `      containers:\n${container("web").replace("cpu: 100m", "cpu: 1")}`)).violations, []);
        });
    });
});

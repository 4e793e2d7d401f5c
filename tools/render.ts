/**
 * Render-true: renders every chart the program installs with real Helm, exactly as Chart v4 does under
 * `pulumi preview` and `pulumi up`, and turns each rendered object into the child resource the engine
 * registers for it. Facts from pulumi-kubernetes `provider/pkg/provider/helm/v4/chart.go` (Construct)
 * and `provider/pkg/provider/yaml/v2/yaml.go` (Normalize, Register):
 * - `helm template` with the release name, namespace and values of the Chart, hooks disabled
 *   (`DisableHooks = true`: hook objects are never applied), CRDs included unless `skipCrds`;
 * - the Kubernetes version and API versions of the cluster (offline: the stack's version, and the
 *   group/versions served by CRDs that charts installed earlier in the same run define);
 * - `List` documents expanded; objects without `apiVersion`, `kind` or `metadata.name` refused;
 *   namespaced objects without a namespace get the release namespace;
 * - each object registered as `kubernetes:<group>/<version>:<Kind>` named
 *   `<resourcePrefix>:<namespace>/<name>` (or `<resourcePrefix>:<name>` when cluster-scoped), parent
 *   the Chart, `retainOnDelete` when annotated `helm.sh/resource-policy: keep`, a Secret's `data` and
 *   `stringData` secret; the engine fills `protect` and `retainOnDelete` the child does not set from the
 *   Chart (pulumi/pulumi `inheritFromParent`) and then applies the Chart's transforms, which see those.
 *
 * Every chart is rendered twice from the same values: output that differs (a certificate the chart
 * generates, a random password) would change in every preview and every update, so it is an error.
 * Secret values never reach Helm: the Chart's values are rendered as the plan records them, with every
 * secret `[secret]`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { callTransform } from "../config/sdk-internals";
import { UsageError } from "./cli";
import { ProgramRun, RecordedResource, SECRET_PLACEHOLDER } from "./harness";
import { HelmBinary, run } from "./helm";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- js-yaml ships no types
const jsYaml = require("js-yaml") as { load(text: string, options: { schema: unknown; filename?: string }): unknown; CORE_SCHEMA: unknown };

/** The Chart v4 type token. */
export const CHART_TYPE = "kubernetes:helm.sh/v4:Chart";

/** What Chart v4 is given, as the program registered it. */
export interface ChartRequest {
    /** URN of the Chart resource (the parent of every rendered object). */
    readonly urn: string;
    readonly chart: string;
    readonly version: string;
    /** `repositoryOpts.repo`; charts are pulled from it when no charts directory is given. */
    readonly repository?: string;
    /** Release name (`name`). */
    readonly releaseName: string;
    readonly namespace: string;
    /** `resourcePrefix` (Chart v4 defaults it to the Chart's resource name). */
    readonly resourcePrefix: string;
    readonly values: Readonly<Record<string, unknown>>;
    readonly skipCrds: boolean;
    /** URNs of the resources the Chart depends on (charts among them are rendered first). */
    readonly dependsOn: readonly string[];
}

/** Where charts come from and what cluster they are rendered for. */
export interface RenderSettings {
    readonly helm: HelmBinary;
    /** Read each chart from `<chartsDir>/<chart>/`; else pull it from its repository (needs network). */
    readonly chartsDir?: string;
    /** Kubernetes version of the cluster, `1.35`. */
    readonly kubeVersion: string;
}

/** One rendered object. */
export interface RenderedObject {
    readonly object: Record<string, unknown>;
    /** The template it came from (`argo-cd/templates/argocd-server/deployment.yaml`). */
    readonly source: string;
    /** 1-based index of the document in the chart's output. */
    readonly document: number;
}

/** A chart's rendered objects. */
export interface RenderedChart {
    readonly request: ChartRequest;
    readonly objects: readonly RenderedObject[];
    /** The API versions given to Helm besides the built-in ones. */
    readonly apiVersions: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `Chart.yaml` version of a chart directory, or a problem. */
function chartDirectory(request: ChartRequest, chartsDir: string): string {
    const dir = path.resolve(chartsDir, request.chart);
    const file = path.join(dir, "Chart.yaml");
    if (!fs.existsSync(file)) {
        throw new UsageError(`chart ${request.chart} ${request.version}: --charts-dir ${chartsDir} has no ${request.chart}/Chart.yaml; unpack ${request.chart} ${request.version} into ${dir} (docs/policies.md, "Rendering the charts")`);
    }
    let version: unknown;
    try {
        version = (jsYaml.load(fs.readFileSync(file, "utf8"), { schema: jsYaml.CORE_SCHEMA }) as { version?: unknown } | null)?.version;
    } catch (err) {
        throw new UsageError(`chart ${request.chart} ${request.version}: ${file} is not valid YAML (${(err as Error).message.split("\n")[0]})`);
    }
    if (String(version) !== request.version) {
        throw new UsageError(`chart ${request.chart}: ${file} is version ${String(version)} but the stack pins ${request.version}; unpack ${request.chart} ${request.version} into ${dir}`);
    }
    return dir;
}

/** The `helm template` arguments of a chart, values file aside. */
export function templateArgs(request: ChartRequest, settings: RenderSettings, apiVersions: readonly string[], valuesFile: string): string[] {
    const source = settings.chartsDir !== undefined
        ? [chartDirectory(request, settings.chartsDir)]
        : [request.chart, ...(request.repository ? ["--repo", request.repository] : []), "--version", request.version];
    return [
        "template", request.releaseName, ...source,
        "--namespace", request.namespace,
        "--values", valuesFile,
        "--kube-version", `${settings.kubeVersion}.0`,
        // Chart v4 sets DisableHooks: hook objects are neither rendered into the release nor applied.
        "--no-hooks",
        ...(request.skipCrds ? [] : ["--include-crds"]),
        ...apiVersions.flatMap((v) => ["--api-versions", v]),
    ];
}

/** Splits Helm's output into its documents, each with the template it came from. */
export function splitDocuments(text: string): { readonly text: string; readonly source: string }[] {
    const documents: { text: string; source: string }[] = [];
    for (const chunk of text.split(/^---[ \t]*$/m)) {
        if (chunk.trim() === "") continue;
        const source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim() ?? "(no source comment)";
        documents.push({ text: chunk, source });
    }
    return documents;
}

/** Who a document is, for messages: `Deployment argocd/argocd-server`, or its source when it does not parse. */
function describeObject(object: Record<string, unknown>): string {
    const metadata = isRecord(object.metadata) ? object.metadata : {};
    const name = String(metadata.name ?? "(unnamed)");
    return `${String(object.kind ?? "(no kind)")} ${metadata.namespace ? `${String(metadata.namespace)}/` : ""}${name}`;
}

/**
 * Parses a chart's output strictly: a document that does not parse, or that repeats a mapping key
 * (js-yaml refuses duplicated keys, as strict Kubernetes clients do), is an error naming the chart,
 * the document and its template. `List` documents are expanded.
 */
export function parseRendered(chart: string, text: string): RenderedObject[] {
    const objects: RenderedObject[] = [];
    const problems: string[] = [];
    splitDocuments(text).forEach((doc, i) => {
        let value: unknown;
        try {
            value = jsYaml.load(doc.text, { schema: jsYaml.CORE_SCHEMA });
        } catch (err) {
            problems.push(`document ${i + 1} (${doc.source}) is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
            return;
        }
        if (value === null || value === undefined) return;
        // Lists are expanded, nested ones too (yaml/v2 `expand` recurses into anything with an `items` list).
        const expand = (v: unknown): unknown[] => {
            const list = isRecord(v) && Array.isArray(v.items) && typeof v.kind === "string" && v.kind.endsWith("List");
            return list ? (v.items as unknown[]).flatMap(expand) : [v];
        };
        for (const item of expand(value)) {
            if (!isRecord(item) || typeof item.apiVersion !== "string" || typeof item.kind !== "string" || !isRecord(item.metadata) || typeof item.metadata.name !== "string" || item.metadata.name === "") {
                problems.push(`document ${i + 1} (${doc.source}) is not a Kubernetes object with apiVersion, kind and metadata.name, which Chart v4 requires`);
                continue;
            }
            objects.push({ object: item, source: doc.source, document: i + 1 });
        }
    });
    if (problems.length > 0) throw new UsageError(`chart ${chart} renders documents that are not valid Kubernetes objects:\n  ${problems.join("\n  ")}`);
    return objects;
}

/** The objects whose documents differ between two renders of the same values. */
export function renderDifferences(first: string, second: string): string[] {
    const a = splitDocuments(first);
    const b = splitDocuments(second);
    const differ: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (a[i]?.text === b[i]?.text) continue;
        let who = a[i]?.source ?? b[i]?.source ?? "";
        try {
            const value = jsYaml.load(a[i]?.text ?? b[i]?.text ?? "", { schema: jsYaml.CORE_SCHEMA });
            if (isRecord(value)) who = `${describeObject(value)} (${who})`;
        } catch {
            // named by its source
        }
        differ.push(who);
    }
    return differ;
}

/** Group/versions served by the CRDs among rendered objects (`monitoring.coreos.com/v1`). */
export function crdApiVersions(objects: readonly RenderedObject[]): string[] {
    const out = new Set<string>();
    for (const { object } of objects) {
        if (object.kind !== "CustomResourceDefinition" || !isRecord(object.spec)) continue;
        const group = object.spec.group;
        const versions = Array.isArray(object.spec.versions) ? object.spec.versions : [];
        for (const v of versions) {
            if (isRecord(v) && v.served !== false && typeof v.name === "string" && typeof group === "string") out.add(`${group}/${v.name}`);
        }
    }
    return [...out].sort();
}

/** A chart's render in flight: its first render (what charts after it wait for), and both renders compared. */
interface RenderInFlight {
    readonly first: Promise<RenderedChart>;
    readonly checked: Promise<RenderedChart>;
}

/**
 * Render one chart twice, concurrently. The first render, parsed, is all a chart after it needs (the
 * API versions of its CRDs), so it does not wait for the comparison; the result is only final once
 * both renders are known to be the same.
 */
function renderOne(request: ChartRequest, settings: RenderSettings, apiVersions: readonly string[]): RenderInFlight {
    let dir: string | undefined;
    try {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "footanalytics-render-"));
        const valuesFile = path.join(dir, "values.json");
        fs.writeFileSync(valuesFile, JSON.stringify(request.values));
        const args = templateArgs(request, settings, apiVersions, valuesFile);
        const failed = (err: unknown): never => {
            const reason = (err as Error).message.split("\n").slice(0, 3).join(" ");
            const fix = settings.chartsDir !== undefined
                ? `check the chart in ${path.resolve(settings.chartsDir, request.chart)}`
                : `check the network (charts are pulled from ${request.repository ?? "their repository"}), or pass --charts-dir with the chart unpacked`;
            throw new UsageError(`chart ${request.chart} ${request.version} does not render with helm ${settings.helm.version}: ${reason}; ${fix}`);
        };
        const renders = [run(settings.helm.path, args).catch(failed), run(settings.helm.path, args).catch(failed)];
        const scratch = dir;
        void Promise.allSettled(renders).then(() => fs.rmSync(scratch, { recursive: true, force: true }));
        const first = renders[0].then((text): RenderedChart => ({ request, objects: parseRendered(request.chart, text), apiVersions }));
        const checked = Promise.all([first, ...renders]).then(([chart, a, b]) => {
            const differ = renderDifferences(a as string, b as string);
            if (differ.length > 0) {
                throw new UsageError(
                    `chart ${request.chart} ${request.version} renders differently each time from the same values (every preview and update would change these): ${differ.join(", ")}; ` +
                    "give the chart what it generates (a certificate, a password) as values",
                );
            }
            return chart as RenderedChart;
        });
        // Whoever waits reports the problem; a first render nobody waits for is reported through `checked`.
        first.catch(() => undefined);
        return { first, checked };
    } catch (err) {
        if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
        const rejected = Promise.reject(err);
        rejected.catch(() => undefined);
        return { first: rejected, checked: rejected };
    }
}

/**
 * Render every chart, charts another chart depends on first (their CRDs' API versions are given to
 * the charts after them, as the cluster would serve them), the others in parallel. Reports every
 * chart's problem at once in one `UsageError`.
 */
export async function renderCharts(requests: readonly ChartRequest[], settings: RenderSettings): Promise<RenderedChart[]> {
    const byUrn = new Map(requests.map((r) => [r.urn, r]));
    const inFlight = new Map<string, RenderInFlight>();
    const start = (request: ChartRequest): RenderInFlight => {
        let entry = inFlight.get(request.urn);
        if (entry === undefined) {
            const deps = request.dependsOn.map((urn) => byUrn.get(urn)).filter((r): r is ChartRequest => r !== undefined);
            // A chart whose dependency failed still renders (with what the others serve), so its own problems show too.
            const started = Promise.allSettled(deps.map((d) => start(d).first)).then((settled) => {
                const rendered = settled.flatMap((d) => (d.status === "fulfilled" ? [d.value] : []));
                return renderOne(request, settings, [...new Set(rendered.flatMap((c) => crdApiVersions(c.objects)))].sort());
            });
            entry = { first: started.then((r) => r.first), checked: started.then((r) => r.checked) };
            entry.first.catch(() => undefined);
            inFlight.set(request.urn, entry);
        }
        return entry;
    };
    const results = await Promise.allSettled(requests.map((r) => start(r).checked));
    const problems = new Set<string>();
    for (const r of results) {
        if (r.status === "rejected") problems.add(r.reason instanceof Error ? r.reason.message : String(r.reason));
    }
    if (problems.size > 0) throw new UsageError([...problems].join("\n"));
    return results.map((r) => (r as PromiseFulfilledResult<RenderedChart>).value);
}

/**
 * Kinds the API server serves cluster-scoped (Kubernetes 1.35 `kubectl api-resources --namespaced=false`,
 * the groups a chart may render). CRDs rendered in the same run add their own scope.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
    "v1/Namespace", "v1/Node", "v1/PersistentVolume", "v1/ComponentStatus",
    "rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
    "apiextensions.k8s.io/v1/CustomResourceDefinition", "apiregistration.k8s.io/v1/APIService",
    "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration", "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration",
    "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy", "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding",
    "admissionregistration.k8s.io/v1/MutatingAdmissionPolicy", "admissionregistration.k8s.io/v1/MutatingAdmissionPolicyBinding",
    "scheduling.k8s.io/v1/PriorityClass", "node.k8s.io/v1/RuntimeClass", "networking.k8s.io/v1/IngressClass",
    "storage.k8s.io/v1/StorageClass", "storage.k8s.io/v1/CSIDriver", "storage.k8s.io/v1/CSINode", "storage.k8s.io/v1/VolumeAttachment",
    "storage.k8s.io/v1/VolumeAttributesClass", "certificates.k8s.io/v1/CertificateSigningRequest",
    "flowcontrol.apiserver.k8s.io/v1/FlowSchema", "flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration",
    "resource.k8s.io/v1/DeviceClass",
]);

/** `group/version/Kind` of every CRD with `scope: Cluster` among rendered charts. */
export function clusterScopedCrdKinds(charts: readonly RenderedChart[]): Set<string> {
    const out = new Set<string>();
    for (const { object } of charts.flatMap((c) => c.objects)) {
        if (object.kind !== "CustomResourceDefinition" || !isRecord(object.spec) || object.spec.scope !== "Cluster") continue;
        const names = isRecord(object.spec.names) ? object.spec.names : {};
        for (const v of Array.isArray(object.spec.versions) ? object.spec.versions : []) {
            if (isRecord(v)) out.add(`${String(object.spec.group)}/${String(v.name)}/${String(names.kind)}`);
        }
    }
    return out;
}

/** Chart v4's `Normalize`: a namespaced object without a namespace gets the release namespace (a copy). */
export function normalizeNamespace(object: Record<string, unknown>, namespace: string, clusterScoped: ReadonlySet<string>): Record<string, unknown> {
    const metadata = isRecord(object.metadata) ? object.metadata : {};
    if (typeof metadata.namespace === "string" && metadata.namespace !== "") return object;
    if (clusterScoped.has(`${String(object.apiVersion)}/${String(object.kind)}`)) return object;
    return { ...object, metadata: { ...metadata, namespace } };
}

/** The Pulumi type token Chart v4 registers an object as (`v1` is the `core` group). */
export function childType(object: Record<string, unknown>): string {
    const apiVersion = String(object.apiVersion);
    return `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${String(object.kind)}`;
}

/** The Pulumi resource name Chart v4 gives an object. */
export function childName(object: Record<string, unknown>, resourcePrefix: string): string {
    const metadata = isRecord(object.metadata) ? object.metadata : {};
    const namespaced = typeof metadata.namespace === "string" && metadata.namespace !== "";
    const name = namespaced ? `${String(metadata.namespace)}/${String(metadata.name)}` : String(metadata.name);
    return resourcePrefix === "" ? name : `${resourcePrefix}:${name}`;
}

/** The URN of a child: the parent's qualified type, `$`, the child's type. */
export function childUrn(parentUrn: string, type: string, name: string): string {
    const parts = parentUrn.split("::");
    return `${parts[0]}::${parts[1]}::${parts[2]}$${type}::${name}`;
}

/** Whether an object asks Helm (and Chart v4) to keep it when the release is deleted. */
export function keepAnnotated(object: Record<string, unknown>): boolean {
    const metadata = isRecord(object.metadata) ? object.metadata : {};
    return isRecord(metadata.annotations) && metadata.annotations["helm.sh/resource-policy"] === "keep";
}

/** What `--render` adds to a program run. */
export interface RenderReport {
    /** Each chart rendered, with how many objects it rendered. */
    readonly charts: readonly { readonly chart: string; readonly version: string; readonly objects: number; readonly apiVersions: readonly string[] }[];
    readonly helm: HelmBinary;
}

/** The Chart v4 inputs of a recorded Chart, as the render needs them. */
export function chartRequest(resource: RecordedResource): ChartRequest {
    const inputs = resource.inputs;
    const repositoryOpts = isRecord(inputs.repositoryOpts) ? inputs.repositoryOpts : {};
    return {
        urn: resource.urn,
        chart: String(inputs.chart),
        version: String(inputs.version),
        repository: typeof repositoryOpts.repo === "string" ? repositoryOpts.repo : undefined,
        releaseName: typeof inputs.name === "string" ? inputs.name : resource.name,
        namespace: typeof inputs.namespace === "string" ? inputs.namespace : "default",
        resourcePrefix: typeof inputs.resourcePrefix === "string" ? inputs.resourcePrefix : resource.name,
        // The values as the plan records them: every secret is `[secret]`, so no secret reaches Helm.
        values: isRecord(inputs.values) ? inputs.values : {},
        skipCrds: inputs.skipCrds === true,
        dependsOn: resource.options.dependsOn,
    };
}

/** A rendered object's inputs as the plan shows them: a Secret's `data` and `stringData` secret, as Chart v4 marks them. */
function redactedObject(object: Record<string, unknown>): Record<string, unknown> {
    if (object.apiVersion !== "v1" || object.kind !== "Secret") return object;
    const out = { ...object };
    for (const field of ["data", "stringData"]) if (field in out) out[field] = SECRET_PLACEHOLDER;
    return out;
}

/**
 * The child resources the engine registers for one rendered chart: typed, named and parented as Chart
 * v4 does, the Chart's transforms applied through the program's own callbacks, `protect` and
 * `retainOnDelete` inherited from the Chart where neither the object nor a transform sets them.
 */
export async function chartChildren(chart: RecordedResource, rendered: RenderedChart, clusterScoped: ReadonlySet<string>): Promise<RecordedResource[]> {
    const children: RecordedResource[] = [];
    for (const { object: renderedObject, source } of rendered.objects) {
        let object = normalizeNamespace(renderedObject, rendered.request.namespace, clusterScoped);
        const type = childType(object);
        const name = childName(object, rendered.request.resourcePrefix);
        // The engine fills what the child does not set from its parent (pulumi/pulumi source_eval.go
        // `inheritFromParent`) before it runs the transforms, which see and may change the result.
        let retainOnDelete = keepAnnotated(object) ? true : chart.options.retainOnDelete;
        let protect = chart.options.protect;
        for (const token of chart.transforms ?? []) {
            const result = await callTransform(token, { type, name, parent: chart.urn, props: object, retainOnDelete, protect });
            object = result.props;
            retainOnDelete = result.retainOnDelete ?? retainOnDelete;
            protect = result.protect ?? protect;
        }
        children.push({
            type,
            name,
            urn: childUrn(chart.urn, type, name),
            parent: chart.urn,
            custom: true,
            remote: false,
            inputs: redactedObject(object),
            rawInputs: object,
            options: {
                protect,
                retainOnDelete,
                dependsOn: [],
                provider: chart.options.provider ?? chart.options.providers.kubernetes,
                providers: {},
                ignoreChanges: [],
            },
            renderedFrom: source,
        });
    }
    return children;
}

/** The stack's Kubernetes minor version (`1.35`): the EKS cluster's, else `cluster.version` of the configuration. */
export function kubernetesVersion(run: ProgramRun, config: Readonly<Record<string, string>>): string {
    const cluster = run.resources.find((r) => r.type === "eks:index:Cluster");
    if (typeof cluster?.inputs.version === "string") return cluster.inputs.version;
    try {
        const version = (JSON.parse(config["footanalytics-gitops:cluster"] ?? "{}") as { version?: unknown }).version;
        if (typeof version === "string") return version;
    } catch {
        // not JSON: no version
    }
    throw new UsageError("cannot tell the cluster's Kubernetes version to render the charts for: set cluster.version in the stack file");
}

/** Render every Chart of a run and insert each chart's objects after it, as the engine registers them. */
export async function renderProgram(run: ProgramRun, settings: RenderSettings): Promise<{ run: ProgramRun; report: RenderReport }> {
    const charts = run.resources.filter((r) => r.type === CHART_TYPE);
    const rendered = await renderCharts(charts.map(chartRequest), settings);
    const clusterScoped = new Set([...CLUSTER_SCOPED_KINDS, ...clusterScopedCrdKinds(rendered)]);
    const childrenByChart = new Map<string, RecordedResource[]>();
    for (const [i, chart] of charts.entries()) childrenByChart.set(chart.urn, await chartChildren(chart, rendered[i], clusterScoped));
    // The engine refuses a second resource with the same URN: two objects one chart renders with the same
    // kind, namespace and name, or two charts of one component with the same resourcePrefix.
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const [chartUrn, children] of childrenByChart) {
        for (const child of children) {
            const other = seen.get(child.urn);
            if (other !== undefined) duplicates.push(`${child.type} ${child.name} (from ${other} and ${chartUrn.split("::").pop() ?? chartUrn})`);
            seen.set(child.urn, chartUrn.split("::").pop() ?? chartUrn);
        }
    }
    if (duplicates.length > 0) throw new UsageError(`the charts render objects the engine would register twice under one URN (pulumi up fails with "Duplicate resource URN"): ${duplicates.join("; ")}`);
    const resources = run.resources.flatMap((r) => [r, ...(childrenByChart.get(r.urn) ?? [])]);
    return {
        run: { ...run, resources },
        report: {
            helm: settings.helm,
            charts: rendered.map((c) => ({ chart: c.request.chart, version: c.request.version, objects: c.objects.length, apiVersions: c.apiVersions })),
        },
    };
}

/** The charts of a run that were not rendered, for the tools to say so: `argo-cd 10.1.1`. */
export function unrenderedCharts(run: ProgramRun): string[] {
    return run.resources.filter((r) => r.type === CHART_TYPE).map((r) => `${String(r.inputs.chart)} ${String(r.inputs.version)}`).sort();
}

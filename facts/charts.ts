/**
 * What the program knows about the pinned argo-cd chart, in one place: the versions, every
 * container the chart can render with the values paths of its resources, probes and security
 * context, when it renders, its PodDisruptionBudget setting, and the high-availability minimums.
 *
 * Read by the values builder (components/argocd/values.ts), the config rules
 * (config/schema/argocd.ts), the pack-config test of the exemptions and docs/argocd.md. Plain data
 * with no imports. The policy pack judges the rendered objects instead (docs/policies.md, "Render-true").
 *
 * Sources, at the pinned versions (template file and line cited where a fact is not obvious):
 * - argoproj/argo-helm tag `argo-cd-10.1.1`, charts/argo-cd/Chart.yaml, values.yaml, templates/
 * - DandyDeveloper/charts tag `redis-ha-4.38.0`, charts/redis-ha/values.yaml, templates/
 * - argoproj/argo-helm tag `argocd-image-updater-1.1.1`, charts/argocd-image-updater/Chart.yaml
 */

/** The pinned charts (Renovate updates the stack files; config refuses any other argo-cd version). */
export const PINNED = Object.freeze({
    argocd: Object.freeze({
        chart: "argo-cd",
        repository: "https://argoproj.github.io/argo-helm",
        version: "10.1.1",
        /** charts/argo-cd/Chart.yaml `appVersion`. */
        appVersion: "v3.4.4",
    }),
    /** charts/argo-cd/Chart.yaml `dependencies[0]` (condition `redis-ha.enabled`). */
    redisHa: Object.freeze({ chart: "redis-ha", repository: "https://dandydeveloper.github.io/charts/", version: "4.38.0" }),
    imageUpdater: Object.freeze({
        chart: "argocd-image-updater",
        repository: "https://argoproj.github.io/argo-helm",
        version: "1.1.1",
        /** charts/argocd-image-updater/Chart.yaml `appVersion`. */
        appVersion: "v1.1.0",
    }),
});

/** How a container gets a probe: always rendered, only behind an `enabled` flag, or never. */
export type ProbeSupport = "always" | "flag" | "none";

/** One condition on the values: `(value at path ?? chartDefault) === equals`. */
export interface RenderCondition {
    readonly path: string;
    readonly chartDefault: boolean;
    readonly equals: boolean;
}

/** One container the chart can render. */
export interface ChartContainer {
    /** Component as the docs name it. */
    readonly component: string;
    /** Kind and name of the rendered workload (release `argocd`). */
    readonly workload: { readonly kind: "Deployment" | "StatefulSet" | "Job"; readonly name: string };
    /** Container name in the rendered Pod. */
    readonly container: string;
    /** Init containers cannot carry readiness or liveness probes. */
    readonly init: boolean;
    /** Dotted values path of the container's `resources`. */
    readonly resources: string;
    /** The chart's own fallback when `resources` is empty (`dex.initImage.resources` → `dex.resources`). */
    readonly resourcesFallback?: string;
    /** Dotted values path of the container's `securityContext`. */
    readonly securityContext: string;
    /** Dotted values path of the Pod's `securityContext`. */
    readonly podSecurityContext: string;
    /** Values prefix of the probes (`<probes>.readinessProbe`, `<probes>.livenessProbe`), where they have a setting. */
    readonly probes?: string;
    readonly readiness: ProbeSupport;
    readonly liveness: ProbeSupport;
    /** Chart default of the `enabled` flag of `flag` probes. */
    readonly probeFlagDefault?: boolean;
    /** All must hold for the chart to render the container. */
    readonly renderedWhen: readonly RenderCondition[];
    /** Where the chart reads it, and anything surprising. */
    readonly note: string;
}

const on = (path: string, chartDefault: boolean): RenderCondition => ({ path, chartDefault, equals: true });
const off = (path: string, chartDefault: boolean): RenderCondition => ({ path, chartDefault, equals: false });
const SINGLE_REDIS = [on("redis.enabled", true), off("redis-ha.enabled", false)];
const REDIS_HA = [on("redis-ha.enabled", false)];
const HAPROXY = [...REDIS_HA, on("redis-ha.haproxy.enabled", true)];

/** Every container of the argo-cd chart 10.1.1 and its redis-ha 4.38.0 subchart. */
export const CHART_CONTAINERS: readonly ChartContainer[] = Object.freeze([
    {
        component: "application controller", workload: { kind: "StatefulSet", name: "argocd-application-controller" }, container: "application-controller", init: false,
        resources: "controller.resources", securityContext: "controller.containerSecurityContext", podSecurityContext: "global.securityContext",
        probes: "controller", readiness: "always", liveness: "none", renderedWhen: [],
        note: "templates/argocd-application-controller/statefulset.yaml renders a readiness probe only; chart 10.1.1 has no liveness setting (upstream removed it on purpose, argoproj/argo-cd#9557)",
    },
    {
        component: "API server", workload: { kind: "Deployment", name: "argocd-server" }, container: "server", init: false,
        resources: "server.resources", securityContext: "server.containerSecurityContext", podSecurityContext: "global.securityContext",
        probes: "server", readiness: "always", liveness: "always", renderedWhen: [],
        note: "templates/argocd-server/deployment.yaml:22-23 writes `replicas` only while server.autoscaling.enabled is false",
    },
    {
        component: "API server", workload: { kind: "Deployment", name: "argocd-server" }, container: "<one per extension>", init: true,
        resources: "server.extensions.resources", securityContext: "server.extensions.containerSecurityContext", podSecurityContext: "global.securityContext",
        readiness: "none", liveness: "none", renderedWhen: [on("server.extensions.enabled", false)],
        note: "extension installer init containers, one per server.extensions.extensionList item (templates/argocd-server/deployment.yaml:482)",
    },
    {
        component: "repo server", workload: { kind: "Deployment", name: "argocd-repo-server" }, container: "repo-server", init: false,
        resources: "repoServer.resources", securityContext: "repoServer.containerSecurityContext", podSecurityContext: "global.securityContext",
        probes: "repoServer", readiness: "always", liveness: "always", renderedWhen: [],
        note: "templates/argocd-repo-server/deployment.yaml:22-23 writes `replicas` only while repoServer.autoscaling.enabled is false",
    },
    {
        component: "repo server", workload: { kind: "Deployment", name: "argocd-repo-server" }, container: "copyutil", init: true,
        resources: "repoServer.copyutil.resources", securityContext: "repoServer.containerSecurityContext", podSecurityContext: "global.securityContext",
        readiness: "none", liveness: "none", renderedWhen: [],
        note: "init container; shares repoServer.containerSecurityContext (templates/argocd-repo-server/deployment.yaml:443)",
    },
    {
        component: "ApplicationSet controller", workload: { kind: "Deployment", name: "argocd-applicationset-controller" }, container: "applicationset-controller", init: false,
        resources: "applicationSet.resources", securityContext: "applicationSet.containerSecurityContext", podSecurityContext: "global.securityContext",
        probes: "applicationSet", readiness: "flag", liveness: "flag", probeFlagDefault: false, renderedWhen: [],
        note: "always rendered since chart 6.9.0",
    },
    {
        component: "notifications controller", workload: { kind: "Deployment", name: "argocd-notifications-controller" }, container: "notifications-controller", init: false,
        resources: "notifications.resources", securityContext: "notifications.containerSecurityContext", podSecurityContext: "global.securityContext",
        probes: "notifications", readiness: "flag", liveness: "flag", probeFlagDefault: false, renderedWhen: [on("notifications.enabled", true)],
        note: "its ConfigMap and Secret belong to components/gitops (notifications.cm.create and notifications.secret.create are false)",
    },
    {
        component: "Dex", workload: { kind: "Deployment", name: "argocd-dex-server" }, container: "dex-server", init: false,
        resources: "dex.resources", securityContext: "dex.containerSecurityContext", podSecurityContext: "global.securityContext",
        probes: "dex", readiness: "flag", liveness: "flag", probeFlagDefault: false, renderedWhen: [on("dex.enabled", true)],
        note: "rendered when sso.mode is dex",
    },
    {
        component: "Dex", workload: { kind: "Deployment", name: "argocd-dex-server" }, container: "copyutil", init: true,
        resources: "dex.initImage.resources", resourcesFallback: "dex.resources", securityContext: "dex.containerSecurityContext", podSecurityContext: "global.securityContext",
        readiness: "none", liveness: "none", renderedWhen: [on("dex.enabled", true)],
        note: "init container; falls back to dex.resources and shares dex.containerSecurityContext (templates/dex/deployment.yaml:206)",
    },
    {
        component: "Redis", workload: { kind: "Deployment", name: "argocd-redis" }, container: "redis", init: false,
        resources: "redis.resources", securityContext: "redis.containerSecurityContext", podSecurityContext: "redis.securityContext",
        probes: "redis", readiness: "flag", liveness: "flag", probeFlagDefault: false, renderedWhen: SINGLE_REDIS,
        note: "the single Redis, rendered only without redis-ha (templates/redis/deployment.yaml)",
    },
    {
        component: "Redis", workload: { kind: "Deployment", name: "argocd-redis" }, container: "metrics", init: false,
        resources: "redis.exporter.resources", securityContext: "redis.exporter.containerSecurityContext", podSecurityContext: "redis.securityContext",
        probes: "redis.exporter", readiness: "flag", liveness: "flag", probeFlagDefault: false, renderedWhen: [...SINGLE_REDIS, on("redis.exporter.enabled", false)],
        note: "the single Redis's exporter sidecar",
    },
    {
        component: "redis-ha", workload: { kind: "StatefulSet", name: "argocd-redis-ha-server" }, container: "redis", init: false,
        resources: "redis-ha.redis.resources", securityContext: "redis-ha.containerSecurityContext", podSecurityContext: "redis-ha.securityContext",
        probes: "redis-ha.redis", readiness: "flag", liveness: "flag", probeFlagDefault: true, renderedWhen: REDIS_HA,
        note: "redis-ha templates/redis-ha-statefulset.yaml:313-332 (probe flags default true in redis-ha values.yaml)",
    },
    {
        component: "redis-ha", workload: { kind: "StatefulSet", name: "argocd-redis-ha-server" }, container: "sentinel", init: false,
        resources: "redis-ha.sentinel.resources", securityContext: "redis-ha.containerSecurityContext", podSecurityContext: "redis-ha.securityContext",
        probes: "redis-ha.sentinel", readiness: "flag", liveness: "flag", probeFlagDefault: true, renderedWhen: REDIS_HA,
        note: "redis-ha templates/redis-ha-statefulset.yaml:421-440",
    },
    {
        component: "redis-ha", workload: { kind: "StatefulSet", name: "argocd-redis-ha-server" }, container: "split-brain-fix", init: false,
        resources: "redis-ha.splitBrainDetection.resources", securityContext: "redis-ha.containerSecurityContext", podSecurityContext: "redis-ha.securityContext",
        probes: "redis-ha.splitBrainDetection", readiness: "always", liveness: "always", renderedWhen: REDIS_HA,
        note: "redis-ha templates/redis-ha-statefulset.yaml:489-490 renders splitBrainDetection.livenessProbe/readinessProbe unconditionally (since redis-ha 4.35.4, DandyDeveloper/charts#368)",
    },
    {
        component: "redis-ha", workload: { kind: "StatefulSet", name: "argocd-redis-ha-server" }, container: "redis-exporter", init: false,
        resources: "redis-ha.exporter.resources", securityContext: "redis-ha.containerSecurityContext", podSecurityContext: "redis-ha.securityContext",
        probes: "redis-ha.exporter", readiness: "always", liveness: "always", renderedWhen: [...REDIS_HA, on("redis-ha.exporter.enabled", false)],
        note: "probes come from the subchart's exporter.livenessProbe/readinessProbe defaults, rendered unconditionally",
    },
    {
        component: "redis-ha", workload: { kind: "StatefulSet", name: "argocd-redis-ha-server" }, container: "config-init", init: true,
        resources: "redis-ha.init.resources", securityContext: "redis-ha.containerSecurityContext", podSecurityContext: "redis-ha.securityContext",
        readiness: "none", liveness: "none", renderedWhen: REDIS_HA,
        note: "init container (redis-ha templates/redis-ha-statefulset.yaml:144-152)",
    },
    {
        component: "redis-ha HAProxy", workload: { kind: "Deployment", name: "argocd-redis-ha-haproxy" }, container: "haproxy", init: false,
        resources: "redis-ha.haproxy.resources", securityContext: "redis-ha.haproxy.containerSecurityContext", podSecurityContext: "redis-ha.haproxy.securityContext",
        readiness: "always", liveness: "always", renderedWhen: HAPROXY,
        note: "redis-ha templates/redis-haproxy-deployment.yaml:158-169 hard-codes HTTP probes on :8888/healthz; there is no setting for them",
    },
    {
        component: "redis-ha HAProxy", workload: { kind: "Deployment", name: "argocd-redis-ha-haproxy" }, container: "config-init", init: true,
        resources: "redis-ha.haproxy.init.resources", securityContext: "redis-ha.haproxy.containerSecurityContext", podSecurityContext: "redis-ha.haproxy.securityContext",
        readiness: "none", liveness: "none", renderedWhen: HAPROXY,
        note: "init container; redis-ha templates/redis-haproxy-deployment.yaml:118 gives it haproxy.containerSecurityContext",
    },
    {
        component: "commit server", workload: { kind: "Deployment", name: "argocd-commit-server" }, container: "commit-server", init: false,
        resources: "commitServer.resources", securityContext: "commitServer.containerSecurityContext", podSecurityContext: "global.securityContext",
        probes: "commitServer", readiness: "flag", liveness: "flag", probeFlagDefault: true, renderedWhen: [on("commitServer.enabled", false)],
        note: "rendered only when the manifest hydrator's commit server is enabled",
    },
    {
        component: "redis-secret-init", workload: { kind: "Job", name: "argocd-redis-secret-init" }, container: "secret-init", init: false,
        resources: "redisSecretInit.resources", securityContext: "redisSecretInit.containerSecurityContext", podSecurityContext: "redisSecretInit.securityContext",
        readiness: "none", liveness: "none", renderedWhen: [on("redisSecretInit.enabled", true)],
        note: "a Helm pre-install hook Job (templates/redis-secret-init/job.yaml); off, because Chart v4 runs no hooks and components/argocd creates the Secret",
    },
]);

/** A PodDisruptionBudget setting: `<path>.enabled` (argo-cd) or a budget object (redis-ha). */
export interface PdbSetting {
    readonly component: string;
    readonly path: string;
    readonly style: "enabled" | "spec";
    readonly renderedWhen: readonly RenderCondition[];
}

/** Components that get a PodDisruptionBudget in production. */
export const PDB_SETTINGS: readonly PdbSetting[] = Object.freeze([
    { component: "controller", path: "controller.pdb", style: "enabled", renderedWhen: [] },
    { component: "server", path: "server.pdb", style: "enabled", renderedWhen: [] },
    { component: "repoServer", path: "repoServer.pdb", style: "enabled", renderedWhen: [] },
    { component: "applicationSet", path: "applicationSet.pdb", style: "enabled", renderedWhen: [] },
    { component: "notifications", path: "notifications.pdb", style: "enabled", renderedWhen: [on("notifications.enabled", true)] },
    { component: "dex", path: "dex.pdb", style: "enabled", renderedWhen: [on("dex.enabled", true)] },
    { component: "redis-ha", path: "redis-ha.podDisruptionBudget", style: "spec", renderedWhen: REDIS_HA },
    { component: "redis-ha.haproxy", path: "redis-ha.haproxy.podDisruptionBudget", style: "spec", renderedWhen: HAPROXY },
]);

/** One production minimum: a replica count of a component. */
export interface HaMinimum {
    /** Config key under `argocd.` (the same path as the chart value unless `value` says otherwise). */
    readonly configKey: string;
    /** Chart values path of the count. */
    readonly value: string;
    /** Chart values path of the count while the component autoscales (then `value` is not rendered). */
    readonly autoscaled?: { readonly enabled: string; readonly configKey: string; readonly value: string };
    readonly min: number;
    /** The chart's default when the value is unset. */
    readonly chartDefault: number;
    readonly why: string;
    readonly renderedWhen: readonly RenderCondition[];
}

/** The chart's "High Availability" guide (charts/argo-cd/README.md) as minimums, enforced by config and by the policy. */
export const HA_MINIMUMS: readonly HaMinimum[] = Object.freeze([
    {
        configKey: "server.replicas", value: "server.replicas", min: 2, chartDefault: 1, why: "the API server runs highly available", renderedWhen: [],
        autoscaled: { enabled: "server.autoscaling.enabled", configKey: "server.autoscaling.minReplicas", value: "server.autoscaling.minReplicas" },
    },
    {
        configKey: "repoServer.replicas", value: "repoServer.replicas", min: 2, chartDefault: 1, why: "the repo server runs highly available", renderedWhen: [],
        autoscaled: { enabled: "repoServer.autoscaling.enabled", configKey: "repoServer.autoscaling.minReplicas", value: "repoServer.autoscaling.minReplicas" },
    },
    { configKey: "applicationSet.replicas", value: "applicationSet.replicas", min: 2, chartDefault: 1, why: "the ApplicationSet controller runs highly available", renderedWhen: [] },
    { configKey: "redisHa.replicas", value: "redis-ha.replicas", min: 3, chartDefault: 3, why: "Sentinel needs three Redis nodes to keep a quorum when one is lost", renderedWhen: REDIS_HA },
    { configKey: "redisHa.haproxyReplicas", value: "redis-ha.haproxy.replicas", min: 2, chartDefault: 3, why: "every component reaches Redis through HAProxy", renderedWhen: HAPROXY },
]);

/**
 * Pods of the chart that connect to Redis: the same three the chart's own single-Redis
 * NetworkPolicy admits (templates/redis/networkpolicy.yaml:13-21). Labels are the chart's
 * selector labels (`app.kubernetes.io/name` = `argocd-<component>`, templates/_common.tpl).
 */
export const REDIS_CLIENTS: readonly string[] = Object.freeze(["argocd-server", "argocd-repo-server", "argocd-application-controller"]);

/** The Pod Security Standard `restricted` container fields (Kubernetes docs "Pod Security Standards", v1.33). */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = Object.freeze({
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    seccompProfile: Object.freeze({ type: "RuntimeDefault" }),
    capabilities: Object.freeze({ drop: Object.freeze(["ALL"]) }),
});

/** Distinct values paths of a field of CHART_CONTAINERS, in table order. */
export function distinctPaths(field: "resources" | "securityContext" | "podSecurityContext"): string[] {
    return [...new Set(CHART_CONTAINERS.map((c) => c[field]))];
}

/** The container table of docs/argocd.md, one Markdown row per container (a test keeps the docs in step). */
export function docsTableRows(): string[] {
    const probe = (c: ChartContainer, which: "readiness" | "liveness"): string => {
        if (c.init) return "init";
        switch (c[which]) {
            case "always":
                return "always";
            case "flag":
                return c.probeFlagDefault === true ? "flag (on by default)" : "flag";
            case "none":
                return "**none**";
            default: {
                const never: never = c[which];
                return String(never);
            }
        }
    };
    return CHART_CONTAINERS.map(
        (c) => `| ${c.component} | \`${c.container}\`${c.init ? " (init)" : ""} | \`${c.resources}\` | \`${c.securityContext}\` | ${probe(c, "readiness")} | ${probe(c, "liveness")} |`,
    );
}

/**
 * The argo-cd chart's values, built by one pure, typed function from the validated configuration.
 *
 * Chart keys follow argoproj/argo-helm `charts/argo-cd/values.yaml` (chart 10.x, Argo CD 3.4) and
 * the redis-ha subchart's DandyDeveloper/charts `charts/redis-ha/values.yaml`; `docs/argocd.md`
 * lists every container path given resources and probes.
 */
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import type { Environment } from "../../config/dsl";
import type { ArgoCdConfig, ContainerResources } from "../../config/schema/argocd";
import type { MonitoringConfig } from "../../config/schema/monitoring";
import { environmentLabels } from "../../policy/lib/environment";

/** Fixed names and settings of the installation, in one place (CONVENTIONS §3). */
export const ARGOCD_DEFAULTS = Object.freeze({
    /** Namespace of every Argo CD object. */
    namespace: "argocd",
    /** Helm release name: objects are named `argocd-*`, redis-ha's `argocd-redis-ha-*`. */
    releaseName: "argocd",
    chart: "argo-cd",
    repository: "https://argoproj.github.io/argo-helm",
    /** The UI and API are served under this path of `https://<domain>`. */
    rootPath: "/argocd",
    /** The Secret the chart's Redis, redis-ha and every component read the Redis password from (key `auth`). */
    redisSecretName: "argocd-redis",
    redisSecretKey: "auth",
    /** The Secret holding the SSO client secret, referenced from `oidc.config` / `dex.config` as `$argocd-oidc-client:clientSecret`. */
    oidcSecretName: "argocd-oidc-client",
    oidcSecretKey: "clientSecret",
    /** `timeout.reconciliation` when unset: Git polling every 3 minutes, or every 10 when the webhook reports pushes. */
    reconciliationTimeout: "180s",
    reconciliationTimeoutWithWebhook: "600s",
    /** Memory utilisation target of the autoscalers (CPU comes from config). */
    targetMemoryPercent: 80,
    zoneTopologyKey: "topology.kubernetes.io/zone",
    oidcScopes: Object.freeze(["openid", "profile", "email", "groups"]),
});

/** What the values are built from. */
export interface ArgoCdValuesInput {
    /** `cfg.argocd`. */
    readonly config: ArgoCdConfig;
    /** `cfg.monitoring`. */
    readonly monitoring: MonitoringConfig;
    readonly environment: Environment;
    /** The GitHub webhook secret (`secrets.githubWebhookSecret`), passed through unchanged; omitted when unset or the webhook is off. */
    readonly githubWebhookSecret?: pulumi.Input<string>;
    /** GPG public keys for `configs.gpg.keys`. */
    readonly gpgKeys?: readonly { readonly keyId: string; readonly publicKey: string }[];
}

/** Chart values: a plain object tree (the webhook secret, when given, is its only non-literal leaf). */
export type ChartValues = { [key: string]: unknown };

/** How a chart component exposes a probe: always rendered, behind an `enabled` flag we set, or not at all. */
export type ProbeSupport = "always" | "flag" | "none";

/** One container the chart renders, the values path of its resources, and how its probes are set. */
export interface ContainerPath {
    /** Component as the docs name it. */
    readonly component: string;
    /** Container name in the rendered Pod. */
    readonly container: string;
    /** Dotted values path of the container's `resources`. */
    readonly resources: string;
    /** Init containers cannot carry readiness or liveness probes (Kubernetes rejects them). */
    readonly init: boolean;
    /** Values path of the component's probes (`<path>.readinessProbe`, `<path>.livenessProbe`), if any. */
    readonly probes?: string;
    readonly readiness: ProbeSupport;
    readonly liveness: ProbeSupport;
    /** Why a probe is missing, for the docs and the policy pack's exemptions. */
    readonly note?: string;
}

/**
 * Every container the chart can render with the values path of its resources and its probes.
 * Paths under `redis-ha.` render only with redis-ha; `redis.` only without it; `commitServer.`,
 * `dex.` and `server.extensions.` only when enabled.
 */
export const CONTAINER_PATHS: readonly ContainerPath[] = Object.freeze([
    {
        component: "application controller", container: "application-controller", resources: "controller.resources", init: false,
        probes: "controller", readiness: "always", liveness: "none",
        note: "chart 10.1.1 has no controller liveness probe setting: upstream removed it on purpose (argoproj/argo-cd#9557); it became an opt-in in chart 10.8.0",
    },
    { component: "API server", container: "server", resources: "server.resources", init: false, probes: "server", readiness: "always", liveness: "always" },
    { component: "API server", container: "<one per extension>", resources: "server.extensions.resources", init: true, readiness: "none", liveness: "none", note: "init containers of the extension installer, one per extension" },
    { component: "repo server", container: "repo-server", resources: "repoServer.resources", init: false, probes: "repoServer", readiness: "always", liveness: "always" },
    { component: "repo server", container: "copyutil", resources: "repoServer.copyutil.resources", init: true, readiness: "none", liveness: "none", note: "init container" },
    { component: "ApplicationSet controller", container: "applicationset-controller", resources: "applicationSet.resources", init: false, probes: "applicationSet", readiness: "flag", liveness: "flag" },
    { component: "notifications controller", container: "notifications-controller", resources: "notifications.resources", init: false, probes: "notifications", readiness: "flag", liveness: "flag" },
    { component: "Dex", container: "dex-server", resources: "dex.resources", init: false, probes: "dex", readiness: "flag", liveness: "flag" },
    { component: "Dex", container: "copyutil", resources: "dex.initImage.resources", init: true, readiness: "none", liveness: "none", note: "init container" },
    { component: "Redis", container: "redis", resources: "redis.resources", init: false, probes: "redis", readiness: "flag", liveness: "flag" },
    { component: "Redis", container: "metrics", resources: "redis.exporter.resources", init: false, probes: "redis.exporter", readiness: "flag", liveness: "flag" },
    { component: "redis-ha", container: "redis", resources: "redis-ha.redis.resources", init: false, probes: "redis-ha.redis", readiness: "flag", liveness: "flag" },
    { component: "redis-ha", container: "sentinel", resources: "redis-ha.sentinel.resources", init: false, probes: "redis-ha.sentinel", readiness: "flag", liveness: "flag" },
    {
        component: "redis-ha", container: "split-brain-fix", resources: "redis-ha.splitBrainDetection.resources", init: false, readiness: "none", liveness: "none",
        note: "the redis-ha subchart renders this sidecar without probes and offers no setting for them",
    },
    {
        component: "redis-ha", container: "redis-exporter", resources: "redis-ha.exporter.resources", init: false, probes: "redis-ha.exporter", readiness: "always", liveness: "always",
        note: "probes come from the subchart's exporter.livenessProbe/readinessProbe defaults",
    },
    { component: "redis-ha", container: "config-init", resources: "redis-ha.init.resources", init: true, readiness: "none", liveness: "none", note: "init container" },
    {
        component: "redis-ha HAProxy", container: "haproxy", resources: "redis-ha.haproxy.resources", init: false, readiness: "always", liveness: "always",
        note: "the subchart hard-codes HTTP probes on :8888/healthz; they are not configurable",
    },
    { component: "redis-ha HAProxy", container: "config-init", resources: "redis-ha.haproxy.init.resources", init: true, readiness: "none", liveness: "none", note: "init container" },
    { component: "commit server", container: "commit-server", resources: "commitServer.resources", init: false, probes: "commitServer", readiness: "flag", liveness: "flag" },
]);

/** The Pod Security admission level the rendered pods meet (see docs/argocd.md for the evidence). */
export type PodSecurityLevel = "restricted" | "baseline";

/**
 * The level enforced on the `argocd` namespace. Every argo-cd chart container sets
 * `runAsNonRoot`, no privilege escalation, `drop: [ALL]` and the RuntimeDefault seccomp profile,
 * which is what `restricted` checks. The redis-ha subchart's HAProxy init container could not be
 * verified to carry a container security context, so with redis-ha the namespace enforces
 * `baseline` and only warns and audits at `restricted`.
 */
export function podSecurityLevel(redisHaEnabled: boolean): PodSecurityLevel {
    return redisHaEnabled ? "baseline" : "restricted";
}

/** Labels of the `argocd` namespace. */
export function namespaceLabels(level: PodSecurityLevel): Record<string, string> {
    return {
        "app.kubernetes.io/name": "argocd",
        "app.kubernetes.io/part-of": "argocd",
        "app.kubernetes.io/managed-by": "pulumi",
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
    };
}

/** The external URL of the UI and API. */
export function argocdUrl(domain: string): string {
    return `https://${domain}${ARGOCD_DEFAULTS.rootPath}`;
}

/** The effective `timeout.reconciliation`. */
export function reconciliationTimeout(config: { readonly webhook: boolean; readonly reconciliationTimeout?: string }): string {
    if (config.reconciliationTimeout !== undefined) return config.reconciliationTimeout;
    return config.webhook ? ARGOCD_DEFAULTS.reconciliationTimeoutWithWebhook : ARGOCD_DEFAULTS.reconciliationTimeout;
}

const secretRef = `$${ARGOCD_DEFAULTS.oidcSecretName}:${ARGOCD_DEFAULTS.oidcSecretKey}`;

/** `oidc.config` for Argo CD's built-in OIDC client; the client secret is a reference, never the value. */
export function oidcConfig(sso: ArgoCdConfig["sso"]): string {
    return YAML.stringify({
        name: sso.name,
        issuer: sso.issuer,
        clientID: sso.clientId,
        clientSecret: secretRef,
        requestedScopes: [...ARGOCD_DEFAULTS.oidcScopes],
    });
}

/** `dex.config` with one OIDC connector; the client secret is a reference, never the value. */
export function dexConfig(sso: ArgoCdConfig["sso"]): string {
    return YAML.stringify({
        connectors: [
            {
                type: "oidc",
                id: "oidc",
                name: sso.name,
                config: {
                    issuer: sso.issuer,
                    clientID: sso.clientId,
                    clientSecret: secretRef,
                    insecureEnableGroups: true,
                    scopes: [...ARGOCD_DEFAULTS.oidcScopes],
                },
            },
        ],
    });
}

/** Prometheus alert rules of the application controller (`controller.metrics.rules.spec`). */
export function alertRules(alerts: MonitoringConfig["alerts"], environment: Environment): Record<string, unknown>[] {
    // Metric names and labels: Argo CD docs/operator-manual/metrics.md (argocd_app_info, argocd_app_sync_total).
    // Annotations avoid `{{ }}`: the chart passes rules through Helm templating.
    return [
        {
            alert: "ArgoCdAppOutOfSync",
            expr: 'argocd_app_info{sync_status="OutOfSync"} == 1',
            for: alerts.outOfSyncFor,
            labels: { severity: "warning" },
            annotations: {
                summary: "An Argo CD Application is out of sync with Git.",
                description: `The Application named in the alert's labels has differed from its Git revision for more than ${alerts.outOfSyncFor}.`,
            },
        },
        {
            alert: "ArgoCdAppDegraded",
            expr: 'argocd_app_info{health_status="Degraded"} == 1',
            for: alerts.degradedFor,
            labels: { severity: environment === "production" ? "critical" : "warning" },
            annotations: {
                summary: "An Argo CD Application is degraded.",
                description: `The Application named in the alert's labels has reported Degraded health for more than ${alerts.degradedFor}.`,
            },
        },
        {
            alert: "ArgoCdAppSyncFailed",
            expr: 'increase(argocd_app_sync_total{phase=~"Error|Failed"}[10m]) > 0',
            for: alerts.syncFailedFor,
            labels: { severity: "warning" },
            annotations: {
                summary: "Argo CD syncs are failing.",
                description: "The Application named in the alert's labels had a sync end in Error or Failed in the last 10 minutes.",
            },
        },
    ];
}

/** A copy of a container's requests and limits (the config object is frozen; values stay mutable plain data). */
function res(r: ContainerResources): Record<string, Record<string, string>> {
    return { requests: { cpu: r.requests.cpu, memory: r.requests.memory }, limits: { cpu: r.limits.cpu, memory: r.limits.memory } };
}

const ON = () => ({ enabled: true });

/** The argo-cd chart values for one stack. Pure: same input, same output. */
export function argocdValues(input: ArgoCdValuesInput): ChartValues {
    const { config: a, monitoring: m, environment } = input;
    const production = environment === "production";
    const ha = a.redisHa.enabled;
    const url = argocdUrl(a.domain);
    // PodDisruptionBudgets in production only; maxUnavailable 1 never blocks a node drain of a single replica.
    const pdb = () => (production ? { enabled: true, maxUnavailable: 1 } : { enabled: false });
    const serviceMonitor = () => ({ enabled: m.serviceMonitors, additionalLabels: { ...m.serviceMonitorLabels } });
    const metrics = () => ({ enabled: true, serviceMonitor: serviceMonitor() });
    const scaling = (s: ArgoCdConfig["server"]["autoscaling"]) => ({
        enabled: s.enabled,
        minReplicas: s.minReplicas,
        maxReplicas: s.maxReplicas,
        targetCPUUtilizationPercentage: s.targetCpuPercent,
        targetMemoryUtilizationPercentage: ARGOCD_DEFAULTS.targetMemoryPercent,
    });

    const cm: Record<string, unknown> = {
        create: true,
        url,
        "admin.enabled": a.adminEnabled,
        "exec.enabled": false,
        "users.anonymous.enabled": false,
        "timeout.reconciliation": reconciliationTimeout(a),
    };
    if (a.sso.mode === "oidc") cm["oidc.config"] = oidcConfig(a.sso);
    if (a.sso.mode === "dex") cm["dex.config"] = dexConfig(a.sso);

    const secret: Record<string, unknown> = { createSecret: true };
    if (a.webhook && input.githubWebhookSecret !== undefined) secret.githubSecret = input.githubWebhookSecret;

    const global: Record<string, unknown> = {
        domain: a.domain,
        // On every object the chart renders (templates/_common.tpl `argo-cd.labels`); the policy pack
        // reads the environment from here (policy/lib/environment.ts).
        additionalLabels: environmentLabels(environment),
        networkPolicy: { create: a.networkPolicy, defaultDenyIngress: false },
        topologySpreadConstraints: production
            ? [{ maxSkew: 1, topologyKey: ARGOCD_DEFAULTS.zoneTopologyKey, whenUnsatisfiable: "DoNotSchedule" }]
            : [],
    };
    if (a.imageTag !== undefined) global.image = { tag: a.imageTag };

    return {
        global,
        crds: { install: true, keep: true },
        configs: {
            cm,
            params: {
                create: true,
                "server.insecure": false,
                "server.rootpath": ARGOCD_DEFAULTS.rootPath,
                "server.basehref": ARGOCD_DEFAULTS.rootPath,
                "reposerver.parallelism.limit": a.repoServer.parallelismLimit,
                "controller.status.processors": a.controller.statusProcessors,
                "controller.operation.processors": a.controller.operationProcessors,
            },
            // argocd-rbac-cm belongs to components/gitops.
            rbac: { create: false },
            secret,
            gpg: { keys: Object.fromEntries((input.gpgKeys ?? []).map((k) => [k.keyId, k.publicKey])) },
        },
        // Chart v4 runs no Helm hooks: components/argocd creates the `argocd-redis` Secret instead.
        redisSecretInit: { enabled: false },
        controller: {
            replicas: a.controller.replicas,
            resources: res(a.controller.resources),
            pdb: pdb(),
            metrics: {
                ...metrics(),
                applicationLabels: { enabled: m.applicationLabels.length > 0, labels: [...m.applicationLabels] },
                rules: {
                    enabled: m.alerts.enabled,
                    additionalLabels: { ...m.serviceMonitorLabels },
                    spec: alertRules(m.alerts, environment),
                },
            },
        },
        server: {
            replicas: a.server.replicas,
            autoscaling: scaling(a.server.autoscaling),
            env: a.server.autoscaling.enabled ? [] : [{ name: "ARGOCD_API_SERVER_REPLICAS", value: String(a.server.replicas) }],
            resources: res(a.server.resources),
            pdb: pdb(),
            metrics: metrics(),
            ingress: ingressValues(a),
            extensions: {
                enabled: a.extensions.enabled,
                extensionList: a.extensions.list.map((e) => ({
                    name: e.name,
                    env: [
                        { name: "EXTENSION_URL", value: e.url },
                        ...(e.checksumUrl === undefined ? [] : [{ name: "EXTENSION_CHECKSUM_URL", value: e.checksumUrl }]),
                    ],
                })),
                resources: res(a.extensions.resources),
            },
        },
        repoServer: {
            replicas: a.repoServer.replicas,
            autoscaling: scaling(a.repoServer.autoscaling),
            resources: res(a.repoServer.resources),
            copyutil: { resources: res(a.repoServer.copyutilResources) },
            pdb: pdb(),
            metrics: metrics(),
        },
        applicationSet: {
            replicas: a.applicationSet.replicas,
            resources: res(a.applicationSet.resources),
            readinessProbe: ON(),
            livenessProbe: ON(),
            pdb: pdb(),
            metrics: metrics(),
        },
        notifications: {
            enabled: true,
            argocdUrl: url,
            // argocd-notifications-cm and argocd-notifications-secret belong to components/gitops.
            cm: { create: false },
            secret: { create: false },
            resources: res(a.notifications.resources),
            readinessProbe: ON(),
            livenessProbe: ON(),
            pdb: pdb(),
            metrics: metrics(),
        },
        dex: {
            enabled: a.sso.mode === "dex",
            resources: res(a.dex.resources),
            initImage: { resources: res(a.dex.initResources) },
            readinessProbe: ON(),
            livenessProbe: ON(),
            pdb: pdb(),
            metrics: metrics(),
        },
        redis: {
            enabled: !ha,
            resources: res(a.redis.resources),
            readinessProbe: ON(),
            livenessProbe: ON(),
            exporter: { enabled: true, resources: res(a.redis.exporterResources), readinessProbe: ON(), livenessProbe: ON() },
            pdb: pdb(),
            metrics: metrics(),
        },
        "redis-ha": {
            enabled: ha,
            replicas: a.redisHa.replicas,
            // The password comes from the Secret components/argocd creates (the chart's default names, stated explicitly).
            auth: true,
            existingSecret: ARGOCD_DEFAULTS.redisSecretName,
            authKey: ARGOCD_DEFAULTS.redisSecretKey,
            hardAntiAffinity: true,
            topologySpreadConstraints: { enabled: production, maxSkew: 1, topologyKey: ARGOCD_DEFAULTS.zoneTopologyKey, whenUnsatisfiable: "ScheduleAnyway" },
            podDisruptionBudget: production ? { maxUnavailable: 1 } : {},
            redis: { resources: res(a.redisHa.redisResources), readinessProbe: ON(), livenessProbe: ON() },
            sentinel: { resources: res(a.redisHa.sentinelResources), readinessProbe: ON(), livenessProbe: ON() },
            init: { resources: res(a.redisHa.initResources) },
            splitBrainDetection: { resources: res(a.redisHa.splitBrainResources) },
            exporter: {
                enabled: true,
                resources: res(a.redisHa.exporterResources),
                serviceMonitor: { enabled: m.serviceMonitors, labels: { ...m.serviceMonitorLabels } },
            },
            haproxy: {
                enabled: true,
                replicas: a.redisHa.haproxyReplicas,
                hardAntiAffinity: true,
                resources: res(a.redisHa.haproxyResources),
                init: { resources: res(a.redisHa.haproxyInitResources) },
                podDisruptionBudget: production ? { maxUnavailable: 1 } : {},
                metrics: { enabled: true, serviceMonitor: { enabled: m.serviceMonitors, labels: { ...m.serviceMonitorLabels } } },
            },
        },
        commitServer: {
            enabled: a.commitServer.enabled,
            resources: res(a.commitServer.resources),
            readinessProbe: ON(),
            livenessProbe: ON(),
            metrics: { enabled: true },
        },
    };
}

/** `server.ingress`: AWS Load Balancer Controller or ingress-nginx, HTTPS to the server (TLS is kept). */
export function ingressValues(a: Pick<ArgoCdConfig, "ingress" | "domain">): Record<string, unknown> {
    if (!a.ingress.enabled) return { enabled: false };
    const common = { enabled: true, ingressClassName: a.ingress.className, hostname: a.domain, path: ARGOCD_DEFAULTS.rootPath, pathType: "Prefix" };
    switch (a.ingress.className) {
        case "alb":
            // argo-helm README "AWS Application Load Balancer": `controller: aws` adds the gRPC Service.
            return {
                ...common,
                controller: "aws",
                tls: false,
                annotations: {
                    "alb.ingress.kubernetes.io/target-type": "ip",
                    "alb.ingress.kubernetes.io/backend-protocol": "HTTPS",
                    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
                },
                aws: { serviceType: "ClusterIP", backendProtocolVersion: "GRPC" },
            };
        case "nginx":
            return {
                ...common,
                controller: "generic",
                tls: true,
                annotations: {
                    "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS",
                    "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
                },
            };
        default: {
            const never: never = a.ingress.className;
            throw new Error(`unknown ingress class ${String(never)}`);
        }
    }
}

/** Read a dotted values path (`redis-ha.haproxy.init.resources`); undefined when any step is missing. */
export function valueAt(values: ChartValues, path: string): unknown {
    let node: unknown = values;
    for (const step of path.split(".")) {
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<string, unknown>)[step];
    }
    return node;
}

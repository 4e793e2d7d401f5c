/**
 * The argo-cd chart's values, built by one pure, typed function from the validated configuration.
 *
 * Chart keys follow argoproj/argo-helm `charts/argo-cd` at tag argo-cd-10.1.1 and the redis-ha
 * subchart at DandyDeveloper/charts tag redis-ha-4.38.0 (templates, not only values.yaml); the
 * container paths, probe flags, security contexts and HA minimums come from `./chart`.
 * `docs/argocd.md` records which template line reads each non-obvious value.
 */
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { distinctPaths, type Environment, environmentLabels, PINNED, RESTRICTED_CONTAINER_SECURITY_CONTEXT } from "@footanalytics/facts";

import type { ContainerResources } from "../resources";

export { CHART_CONTAINERS } from "@footanalytics/facts";

/** Fixed names and settings of the installation, in one place (CONVENTIONS §3). */
export const ARGOCD_DEFAULTS = Object.freeze({
    /** Namespace of every Argo CD object. */
    namespace: "argocd",
    /** Helm release name: objects are named `argocd-*`, redis-ha's `argocd-redis-ha-*`. */
    releaseName: "argocd",
    chart: PINNED.argocd.chart,
    repository: PINNED.argocd.repository,
    /** The UI and API are served under this path of `https://<domain>`. */
    rootPath: "/argocd",
    /** The Secret the chart's Redis, redis-ha and every component read the Redis password from (key `auth`). */
    redisSecretName: "argocd-redis",
    redisSecretKey: "auth",
    /** The Secret holding the SSO client secret, referenced from `oidc.config` / `dex.config` as `$argocd-oidc-client:clientSecret`. */
    oidcSecretName: "argocd-oidc-client",
    oidcSecretKey: "clientSecret",
    /** `timeout.reconciliation` when unset: Git polling every 3 minutes, or every 10 when pushes reach the webhook through an internet-facing ingress. */
    reconciliationTimeout: "180s",
    reconciliationTimeoutWithWebhook: "600s",
    /** Memory utilisation target of the autoscalers (CPU comes from config). */
    targetMemoryPercent: 80,
    zoneTopologyKey: "topology.kubernetes.io/zone",
    oidcScopes: Object.freeze(["openid", "profile", "email", "groups"]),
});

/** A fixed replica count, or a HorizontalPodAutoscaler (the API server, the repo server). */
export interface ScaledComponent {
    /** Replicas when autoscaling is off. */
    readonly replicas: number;
    readonly autoscaling: {
        readonly enabled: boolean;
        readonly minReplicas: number;
        readonly maxReplicas: number;
        /** Average CPU utilisation target, in percent of the request (memory: `ARGOCD_DEFAULTS.targetMemoryPercent`). */
        readonly targetCpuPercent: number;
    };
    readonly resources: ContainerResources;
}

/** The Argo CD ingress: an ALB of the class the component creates (config's `argocd.ingress` satisfies it). */
export interface ArgoCdIngress {
    readonly enabled: boolean;
    /** The IngressClass (and IngressClassParams) name. */
    readonly className: string;
    readonly scheme: "internet-facing" | "internal";
    /** Client CIDRs the ALB admits; empty admits any. */
    readonly inboundCidrs: readonly string[];
    /** The ACM certificate of the domain. */
    readonly certificateArn?: string;
}

/** Single sign-on (config's `argocd.sso` satisfies it). */
export interface ArgoCdSso {
    readonly mode: "none" | "oidc" | "dex";
    /** Display name of the login button. */
    readonly name: string;
    readonly issuer?: string;
    readonly clientId?: string;
}

/**
 * The installation's settings, as the values and the component read them (config's `argocd` section
 * satisfies it; index.ts passes it). Defaults and validation live in config/; fixed names in ARGOCD_DEFAULTS.
 */
export interface ArgoCdSettings {
    /** The argo-cd chart version (`PINNED.argocd`). */
    readonly chartVersion: string;
    /** Host of `https://<domain>/argocd`. */
    readonly domain: string;
    /** Argo CD image tag. */
    readonly imageTag: string;
    /** The application controller: replicas (shards), processors, resources. */
    readonly controller: {
        readonly replicas: number;
        readonly statusProcessors: number;
        readonly operationProcessors: number;
        readonly resources: ContainerResources;
    };
    /** The API server. */
    readonly server: ScaledComponent;
    /** The repo server, its parallelism, cache expiry and copyutil init container. */
    readonly repoServer: ScaledComponent & {
        readonly parallelismLimit: number;
        readonly repoCacheExpiration: string;
        readonly copyutilResources: ContainerResources;
    };
    /** The ApplicationSet controller. */
    readonly applicationSet: { readonly replicas: number; readonly resources: ContainerResources };
    /** The notifications controller. */
    readonly notifications: { readonly resources: ContainerResources };
    /** Dex (used when `sso.mode` is `dex`) and its init container. */
    readonly dex: { readonly resources: ContainerResources; readonly initResources: ContainerResources };
    /** The single Redis (when redis-ha is off). */
    readonly redis: { readonly resources: ContainerResources; readonly exporterResources: ContainerResources };
    /** Redis HA (sentinels and HAProxy), the production default. */
    readonly redisHa: {
        readonly enabled: boolean;
        readonly replicas: number;
        readonly haproxyReplicas: number;
        readonly redisResources: ContainerResources;
        readonly sentinelResources: ContainerResources;
        readonly haproxyResources: ContainerResources;
        readonly haproxyInitResources: ContainerResources;
        readonly initResources: ContainerResources;
        readonly splitBrainResources: ContainerResources;
        readonly exporterResources: ContainerResources;
    };
    /** The commit server (hydrator). */
    readonly commitServer: { readonly enabled: boolean; readonly resources: ContainerResources };
    /** UI extensions installed by the API server's extension installer. */
    readonly extensions: {
        readonly enabled: boolean;
        readonly list: readonly { readonly name: string; readonly url: string; readonly checksumUrl?: string }[];
        readonly resources: ContainerResources;
    };
    /** Whether Git pushes reach Argo CD through the GitHub webhook. */
    readonly webhook: boolean;
    readonly githubWebhook: {
        /** Generate the webhook secret when none is configured. */
        readonly generateSecret: boolean;
        /** Create the webhook on the repository (`owner/name`). */
        readonly manage: boolean;
        readonly repository: string;
    };
    /** `timeout.reconciliation`; when unset, see `reconciliationTimeout()`. */
    readonly reconciliationTimeout?: string;
    /** The ALB ingress of the UI and API. */
    readonly ingress: ArgoCdIngress;
    /** Single sign-on. */
    readonly sso: ArgoCdSso;
    /** `exec.enabled`: the web terminal. */
    readonly execEnabled: boolean;
    /** `admin.enabled`: the local admin login. */
    readonly adminEnabled: boolean;
    /** NetworkPolicies around redis-ha. */
    readonly networkPolicy: boolean;
}

/** Monitoring of Argo CD (config's `monitoring` section satisfies it). */
export interface ArgoCdMonitoring {
    /** Create ServiceMonitors for the components' metrics. */
    readonly serviceMonitors: boolean;
    /** Labels on every ServiceMonitor and PrometheusRule (the Prometheus selector). */
    readonly serviceMonitorLabels: Readonly<Record<string, string>>;
    /** The Prometheus pods that scrape the metrics ports. */
    readonly prometheus: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
    /** Application labels exported as metric labels. */
    readonly applicationLabels: readonly string[];
    /** The controller's alert rules and how long each condition lasts before it fires. */
    readonly alerts: { readonly enabled: boolean; readonly outOfSyncFor: string; readonly degradedFor: string; readonly syncFailedFor: string };
}

/** What the values are built from. */
export interface ArgoCdValuesInput {
    /** The installation's settings (`cfg.argocd`). */
    readonly config: ArgoCdSettings;
    /** Metrics and alerts (`cfg.monitoring`). */
    readonly monitoring: ArgoCdMonitoring;
    readonly environment: Environment;
    /** The GitHub webhook secret (`secrets.githubWebhookSecret`), passed through unchanged; omitted when unset or the webhook is off. */
    readonly githubWebhookSecret?: pulumi.Input<string>;
    /** GPG public keys for `configs.gpg.keys`. */
    readonly gpgKeys?: readonly { readonly keyId: string; readonly publicKey: string }[];
}

/** Chart values: a plain object tree (the webhook secret, when given, is its only non-literal leaf). */
export type ChartValues = { [key: string]: unknown };

/**
 * The Pod Security Standard enforced on the `argocd` namespace, in both stacks: the values set the
 * restricted container fields at every `securityContext` path of CHART_CONTAINERS (argo-cd and
 * redis-ha alike; redis-ha's HAProxy init container reads `redis-ha.haproxy.containerSecurityContext`,
 * redis-ha templates/redis-haproxy-deployment.yaml:118), so every container complies.
 */
export const POD_SECURITY_LEVEL = "restricted";

/**
 * Labels of the `argocd` namespace. With the ingress on, the AWS Load Balancer Controller's pod
 * webhook injects target-health readiness gates into the namespace's pods (eks-charts
 * aws-load-balancer-controller 3.5.0 templates/webhook.yaml `mpod.elbv2.k8s.aws` selects namespaces
 * by this label; its `failurePolicy` defaults to Ignore), so a rolling argocd-server update waits
 * for the ALB (target type `ip`) to see the new pod healthy instead of answering 502 meanwhile.
 */
export function namespaceLabels(ingressEnabled: boolean): Record<string, string> {
    return {
        ...(ingressEnabled ? { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } : {}),
        "app.kubernetes.io/name": "argocd",
        "app.kubernetes.io/part-of": "argocd",
        "app.kubernetes.io/managed-by": "pulumi",
        "pod-security.kubernetes.io/enforce": POD_SECURITY_LEVEL,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": POD_SECURITY_LEVEL,
        "pod-security.kubernetes.io/warn": POD_SECURITY_LEVEL,
    };
}

/** The external URL of the UI and API. */
export function argocdUrl(domain: string): string {
    return `https://${domain}${ARGOCD_DEFAULTS.rootPath}`;
}

/**
 * The effective `timeout.reconciliation`: the configured one, else 600s when GitHub pushes can reach
 * the webhook (webhook on, ingress on and internet-facing), else 180s.
 */
export function reconciliationTimeout(config: { readonly webhook: boolean; readonly reconciliationTimeout?: string; readonly ingress: ArgoCdIngress }): string {
    if (config.reconciliationTimeout !== undefined) return config.reconciliationTimeout;
    const pushesArrive = config.webhook && config.ingress.enabled && config.ingress.scheme === "internet-facing";
    return pushesArrive ? ARGOCD_DEFAULTS.reconciliationTimeoutWithWebhook : ARGOCD_DEFAULTS.reconciliationTimeout;
}

const secretRef = `$${ARGOCD_DEFAULTS.oidcSecretName}:${ARGOCD_DEFAULTS.oidcSecretKey}`;

/** `oidc.config` for Argo CD's built-in OIDC client; the client secret is a reference, never the value. */
export function oidcConfig(sso: ArgoCdSso): string {
    return YAML.stringify({
        name: sso.name,
        issuer: sso.issuer,
        clientID: sso.clientId,
        clientSecret: secretRef,
        requestedScopes: [...ARGOCD_DEFAULTS.oidcScopes],
    });
}

/** `dex.config` with one OIDC connector; the client secret is a reference, never the value. */
export function dexConfig(sso: ArgoCdSso): string {
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
export function alertRules(alerts: ArgoCdMonitoring["alerts"], environment: Environment): Record<string, unknown>[] {
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
    // templates/argocd-{server,repo-server}/deployment.yaml:22-23 write `replicas` only without autoscaling:
    // with it, the HPA's minReplicas is the floor and a `replicas` value would silently do nothing.
    const fixedReplicas = (c: ScaledComponent) => (c.autoscaling.enabled ? {} : { replicas: c.replicas });
    const scaling = (s: ScaledComponent["autoscaling"]) => ({
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
        "exec.enabled": a.execEnabled,
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
        // reads the environment from here (facts/labels.ts).
        additionalLabels: environmentLabels(environment),
        networkPolicy: { create: a.networkPolicy, defaultDenyIngress: false },
        topologySpreadConstraints: production
            ? [{ maxSkew: 1, topologyKey: ARGOCD_DEFAULTS.zoneTopologyKey, whenUnsatisfiable: "DoNotSchedule" }]
            : [],
    };
    if (a.imageTag !== undefined) global.image = { tag: a.imageTag };

    const values: ChartValues = {
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
                // Argo CD v3.4 docs/operator-manual/high_availability.md ("argocd-repo-server", `--repo-cache-expiration`).
                "reposerver.repo.cache.expiration": a.repoServer.repoCacheExpiration,
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
            ...fixedReplicas(a.server),
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
            ...fixedReplicas(a.repoServer),
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
            // argocd-notifications-cm and argocd-notifications-secret belong to components/gitops, which writes
            // `context.argocdUrl` itself: `notifications.argocdUrl` is read only by the chart's ConfigMap template
            // (templates/argocd-configs/argocd-notifications-cm.yaml:1,11), which cm.create: false turns off.
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
                // The program writes this ServiceMonitor itself (service-monitors.ts): the subchart's repeats `release`.
                serviceMonitor: { enabled: false },
            },
            haproxy: {
                enabled: true,
                replicas: a.redisHa.haproxyReplicas,
                hardAntiAffinity: true,
                resources: res(a.redisHa.haproxyResources),
                init: { resources: res(a.redisHa.haproxyInitResources) },
                podDisruptionBudget: production ? { maxUnavailable: 1 } : {},
                // As for the exporter: the program writes the ServiceMonitor (service-monitors.ts).
                metrics: { enabled: true, serviceMonitor: { enabled: false } },
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
    for (const path of distinctPaths("securityContext")) mergeAt(values, path, restrictedSecurityContext());
    return values;
}

/** A fresh copy of the restricted container fields (the chart merges them over its own defaults). */
export function restrictedSecurityContext(): Record<string, unknown> {
    const r = RESTRICTED_CONTAINER_SECURITY_CONTEXT;
    return { runAsNonRoot: r.runAsNonRoot, allowPrivilegeEscalation: r.allowPrivilegeEscalation, seccompProfile: { ...r.seccompProfile }, capabilities: { drop: [...r.capabilities.drop] } };
}

/** Merge `value` into the object at a dotted path, creating the objects on the way. */
function mergeAt(values: ChartValues, path: string, value: Record<string, unknown>): void {
    let node: Record<string, unknown> = values;
    for (const step of path.split(".")) {
        const next = node[step];
        if (next === undefined) node[step] = {};
        else if (next === null || typeof next !== "object" || Array.isArray(next)) throw new Error(`values path ${path}: ${step} is not an object`);
        node = node[step] as Record<string, unknown>;
    }
    Object.assign(node, value);
}

/**
 * Annotations of the ALB the AWS Load Balancer Controller creates for the Argo CD Ingress
 * (kubernetes-sigs/aws-load-balancer-controller v3.5.0 docs/guide/ingress/annotations.md).
 */
export const ALB_DEFAULTS = Object.freeze({
    /** TLS 1.2/1.3 only on the HTTPS listener. */
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
});

/**
 * `server.ingress`: an ALB Ingress served by the AWS Load Balancer Controller (components/platform).
 * `controller: generic` renders one rule to the `argocd-server` Service (argo-helm argo-cd 10.1.1
 * templates/argocd-server/ingress.yaml); `controller: aws` would add an `argocd-server-grpc` Service and
 * a gRPC rule (templates/argocd-server/aws/) that nothing uses: the CLI speaks gRPC-web through the ALB
 * (`argocd login <domain> --grpc-web-root-path /argocd`). TLS ends on the ALB with the ACM certificate
 * (`tls: false`: no `argocd-server-tls` Secret) and the ALB talks HTTPS to the server.
 */
export function ingressValues(a: Pick<ArgoCdSettings, "ingress" | "domain">): Record<string, unknown> {
    const i = a.ingress;
    if (!i.enabled) return { enabled: false };
    const annotations: Record<string, string> = {
        "alb.ingress.kubernetes.io/scheme": i.scheme,
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
        "alb.ingress.kubernetes.io/ssl-policy": ALB_DEFAULTS.sslPolicy,
        "alb.ingress.kubernetes.io/backend-protocol": "HTTPS",
        // Target health check: argo-cd v3.4.4 server/server.go `withRootPath` (l. 1138) strips the root path and
        // hands `/argocd/...` to the full mux, which serves util/healthz `/healthz` (l. 1249); the ALB's default
        // `/` answers 404 under the root path. HTTPS: the server keeps TLS and redirects plain HTTP.
        "alb.ingress.kubernetes.io/healthcheck-protocol": "HTTPS",
        "alb.ingress.kubernetes.io/healthcheck-path": `${ARGOCD_DEFAULTS.rootPath}/healthz`,
        "alb.ingress.kubernetes.io/success-codes": "200",
    };
    if (i.certificateArn !== undefined) annotations["alb.ingress.kubernetes.io/certificate-arn"] = i.certificateArn;
    if (i.inboundCidrs.length > 0) annotations["alb.ingress.kubernetes.io/inbound-cidrs"] = i.inboundCidrs.join(",");
    return {
        enabled: true,
        controller: "generic",
        ingressClassName: i.className,
        hostname: a.domain,
        path: ARGOCD_DEFAULTS.rootPath,
        pathType: "Prefix",
        tls: false,
        annotations,
    };
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

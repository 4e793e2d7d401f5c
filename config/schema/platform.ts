import { bool, derived, int, list, ParseContext, perEnv, problem, problemText, section, str, TypeOf } from "../dsl";
import * as fmt from "../formats";
import type { Secrets } from "../secret-keys";
import { type ArgoCdConfig, resources } from "./argocd";
import { isNvidiaNodeGroup } from "@footanalytics/facts";
import type { ClusterConfig } from "./cluster";
import type { MonitoringConfig } from "./monitoring";

/** How the Prometheus Operator CRDs reach the cluster. */
export const CRD_MODES = ["install", "preinstalled", "off"] as const;

/** Cluster Autoscaler expanders (kubernetes/autoscaler cluster-autoscaler/FAQ.md "What are Expanders?"); `priority` needs a priority ConfigMap this program does not write. */
export const EXPANDERS = ["least-waste", "most-pods", "random", "price"] as const;

/** The Secrets Manager names under which a stack keeps its applications' secrets. */
export const appSecretsRoot = (stack: string): string => `footanalytics/${stack}/apps/`;

/** A Secrets Manager secret name, or a prefix ending in `/*`. */
const secretPath = {
    name: "Secrets Manager name or prefix",
    check: (v: string) =>
        ((/^[\w/+=.@-]{1,512}(\/\*)?$/.test(v) && !v.startsWith("/")) ? undefined : 'must be a Secrets Manager secret name or a prefix ending in "/*", such as "footanalytics/production/apps/*"'),
};

/** Requests/limits shorthand. */
const sizes = (requestCpu: string, requestMemory: string, limitCpu: string, limitMemory: string) => ({
    requests: { cpu: requestCpu, memory: requestMemory },
    limits: { cpu: limitCpu, memory: limitMemory },
});

/**
 * The cluster services the Argo CD install relies on (components/platform), installed after the
 * cluster and before the argo-cd chart. Chart versions are pinned here (Renovate updates them).
 */
export const platformSchema = section(
    {
        loadBalancerController: section(
            {
                enabled: bool({
                    description: "Install the AWS Load Balancer Controller (serves the `alb` IngressClass of the Argo CD ingress); managed clusters only: `existing` mode creates no AWS resources, so that cluster must already run it.",
                    default: true,
                }),
                chartVersion: str({ description: "Version of the `aws-load-balancer-controller` chart from https://aws.github.io/eks-charts.", format: fmt.semver, default: "3.5.0" }),
                replicas: int({ description: "Controller replicas (leader election; two or more keep the admission webhook up during a node drain).", min: 1, max: 5, default: perEnv(1, 2) }),
                resources: resources("AWS Load Balancer Controller", sizes("50m", "128Mi", "200m", "256Mi"), sizes("100m", "256Mi", "500m", "512Mi")),
            },
            { description: "AWS Load Balancer Controller, under its own IAM role through EKS Pod Identity." },
        ),
        metricsServer: section(
            {
                enabled: bool({ description: "Install metrics-server (the resource metrics API that HorizontalPodAutoscalers and `kubectl top` read).", default: true }),
                chartVersion: str({ description: "Version of the `metrics-server` chart from https://kubernetes-sigs.github.io/metrics-server.", format: fmt.semver, default: "3.13.1" }),
                replicas: int({ description: "metrics-server replicas.", min: 1, max: 5, default: perEnv(1, 2) }),
                resources: resources("metrics-server", sizes("100m", "200Mi", "500m", "400Mi")),
            },
            { description: "Kubernetes metrics-server." },
        ),
        prometheusOperatorCrds: section(
            {
                mode: str<(typeof CRD_MODES)[number]>({
                    description:
                        "`install` the `prometheus-operator-crds` chart, or state that the CRDs are `preinstalled` by other means, or `off`; ServiceMonitors and alert rules need one of the first two.",
                    oneOf: CRD_MODES,
                    default: perEnv<(typeof CRD_MODES)[number]>("off", "install"),
                }),
                chartVersion: str({ description: "Version of the `prometheus-operator-crds` chart from https://prometheus-community.github.io/helm-charts.", format: fmt.semver, default: "31.0.1" }),
            },
            { description: "Prometheus Operator CRDs (`monitoring.coreos.com/v1`); the Prometheus itself is deployed from gitops-config." },
        ),
        nvidiaDevicePlugin: section(
            {
                enabled: bool({ description: "Install the NVIDIA device plugin on the node groups with an NVIDIA AMI type (nothing is installed when there are none).", default: true }),
                chartVersion: str({ description: "Version of the `nvidia-device-plugin` chart from https://nvidia.github.io/k8s-device-plugin.", format: fmt.semver, default: "0.20.0" }),
                resources: resources("NVIDIA device plugin", sizes("10m", "32Mi", "100m", "128Mi")),
            },
            { description: "NVIDIA device plugin (advertises `nvidia.com/gpu` on GPU nodes)." },
        ),
        clusterAutoscaler: section(
            {
                enabled: bool({
                    description:
                        "Install the Cluster Autoscaler, which changes the managed node groups' desired size between their `minSize` and `maxSize` (found by their Auto Scaling group tags); managed clusters only.",
                    default: true,
                }),
                chartVersion: str({ description: "Version of the `cluster-autoscaler` chart from https://kubernetes.github.io/autoscaler (9.59.0 runs Cluster Autoscaler 1.35.0, the cluster's minor version).", format: fmt.semver, default: "9.59.0" }),
                replicas: int({ description: "Autoscaler replicas (one leader; a second one takes over within the lease time when the leader's node goes away).", min: 1, max: 3, default: perEnv(1, 2) }),
                expander: str<(typeof EXPANDERS)[number]>({
                    description: "`--expander`: which node group grows when several could fit the pending pods; `least-waste` picks the one left with the least idle CPU and memory.",
                    oneOf: EXPANDERS,
                    default: "least-waste",
                }),
                balanceSimilarNodeGroups: bool({ description: "`--balance-similar-node-groups`: keep node groups of the same shape (one per zone) at similar sizes.", default: true }),
                scaleDownUnneededTime: str({ description: "`--scale-down-unneeded-time`: how long a node stays unneeded before it is removed.", format: fmt.duration, default: "10m" }),
                resources: resources("Cluster Autoscaler", sizes("100m", "300Mi", "500m", "600Mi")),
            },
            { description: "Cluster Autoscaler for the managed node groups, under its own IAM role through EKS Pod Identity." },
        ),
        externalSecrets: section(
            {
                enabled: bool({
                    description: "Install the External Secrets Operator and a `ClusterSecretStore` for AWS Secrets Manager that the application namespaces (`gitops.destinationNamespaces`) may use; managed clusters only.",
                    default: true,
                }),
                chartVersion: str({ description: "Version of the `external-secrets` chart from https://charts.external-secrets.io.", format: fmt.semver, default: "2.9.0" }),
                replicas: int({ description: "Controller replicas (leader election); the webhook and the certificate controller run as many.", min: 1, max: 3, default: perEnv(1, 2) }),
                secretPaths: list(str({ description: "Secret name or prefix.", format: secretPath }), {
                    description: "The Secrets Manager secrets (names, or prefixes ending in `/*`) the operator's role may read; each under `footanalytics/<stack>/apps/`.",
                    default: derived("`[footanalytics/<stack>/apps/*]`", (ctx) => [`${appSecretsRoot(ctx.stack)}*`]),
                }),
                kmsKeyArn: str({
                    description: "Customer managed KMS key that encrypts those secrets: the role may decrypt with it through Secrets Manager only. Unset: the secrets use the AWS managed key `aws/secretsmanager`, which needs no IAM grant.",
                    format: fmt.kmsKeyArn,
                    optional: true,
                }),
                resources: resources("External Secrets Operator controller", sizes("50m", "128Mi", "200m", "256Mi"), sizes("100m", "256Mi", "500m", "512Mi")),
                webhookResources: resources("External Secrets Operator webhook", sizes("20m", "64Mi", "100m", "128Mi")),
                certControllerResources: resources("External Secrets Operator certificate controller", sizes("20m", "64Mi", "100m", "128Mi")),
            },
            { description: "External Secrets Operator, under its own IAM role through EKS Pod Identity, reading only the applications' secrets." },
        ),
    },
    {
        description: "Cluster services the Argo CD installation relies on.",
        rules(p, key, ctx) {
            const root = appSecretsRoot(ctx.stack);
            p.externalSecrets.secretPaths.forEach((path, i) => {
                if (!path.startsWith(root)) {
                    problem(ctx, `${key}.externalSecrets.secretPaths[${i}]`, path, `must lie under "${root}": the operator's role reads the applications' secrets only, never the ones this program reads (repository, notification, SSO credentials)`);
                }
            });
            if (ctx.env !== "production") return;
            for (const k of ["loadBalancerController", "metricsServer", "clusterAutoscaler", "externalSecrets"] as const) {
                if (p[k].enabled && p[k].replicas < 2) {
                    problem(ctx, `${key}.${k}.replicas`, p[k].replicas, "must be at least 2 in production so the service stays up while a node is drained");
                }
            }
        },
    },
);

export type PlatformConfig = TypeOf<typeof platformSchema>;

/**
 * Combinations that cannot work on a real cluster (registered in config/index.ts CROSS_SECTION_RULES):
 * each names the keys and the fix.
 */
export function platformCrossSectionRules(values: { platform: PlatformConfig; cluster: ClusterConfig; argocd: ArgoCdConfig; monitoring: MonitoringConfig }, _secrets: Secrets, ctx: ParseContext): void {
    const key = (k: string) => `footanalytics-gitops:${k}`;
    const p = values.platform;
    const existing = values.cluster.mode === "existing";
    const lbc = p.loadBalancerController.enabled;
    if (!existing && values.argocd.ingress.enabled && !lbc) {
        problemText(
            ctx,
            key("platform.loadBalancerController.enabled"),
            `${key("platform.loadBalancerController.enabled")} is false but ${key("argocd.ingress.enabled")} is true: nothing would serve the "alb" Ingress and the argo-cd chart would never become ready; enable the controller or turn the ingress off`,
        );
    }
    const monitors = values.monitoring.serviceMonitors || values.monitoring.alerts.enabled;
    if (monitors && p.prometheusOperatorCrds.mode === "off") {
        const which = values.monitoring.serviceMonitors ? "monitoring.serviceMonitors" : "monitoring.alerts.enabled";
        problemText(
            ctx,
            key("platform.prometheusOperatorCrds.mode"),
            `${key("platform.prometheusOperatorCrds.mode")} is "off" but ${key(which)} is true: the argo-cd chart renders ServiceMonitors and PrometheusRules only when the monitoring.coreos.com/v1 CRDs exist, so nothing would be created; set it to "install" (or "preinstalled" if the cluster already has them)`,
        );
    }
    const autoscaled = (["server", "repoServer"] as const).filter((c) => values.argocd[c].autoscaling.enabled);
    if (autoscaled.length > 0 && !p.metricsServer.enabled) {
        problemText(
            ctx,
            key("platform.metricsServer.enabled"),
            `${key("platform.metricsServer.enabled")} is false but ${autoscaled.map((c) => key(`argocd.${c}.autoscaling.enabled`)).join(" and ")} ${autoscaled.length > 1 ? "are" : "is"} true: a HorizontalPodAutoscaler without the metrics API never scales; enable metrics-server or use fixed replicas`,
        );
    }
    if (!existing && !p.clusterAutoscaler.enabled) {
        values.cluster.nodeGroups.forEach((g, i) => {
            if (g.maxSize > g.minSize) {
                problemText(
                    ctx,
                    key(`cluster.nodeGroups[${i}].maxSize`),
                    `${key(`cluster.nodeGroups[${i}].maxSize`)} (${g.maxSize}) is above minSize (${g.minSize}) of node group "${g.name}" but ${key("platform.clusterAutoscaler.enabled")} is false: nothing would ever scale the group, so the range means nothing; enable the autoscaler or set maxSize to ${g.minSize}`,
                );
            }
        });
    }
    if (p.externalSecrets.enabled && p.externalSecrets.secretPaths.length === 0) {
        problemText(
            ctx,
            key("platform.externalSecrets.secretPaths"),
            `${key("platform.externalSecrets.secretPaths")} is empty but ${key("platform.externalSecrets.enabled")} is true: the operator's role could read no secret and every ExternalSecret would fail; list the applications' secrets (such as "${appSecretsRoot(ctx.stack)}*") or turn the operator off`,
        );
    }
    if (!existing && !p.nvidiaDevicePlugin.enabled) {
        const gpu = values.cluster.nodeGroups.filter(isNvidiaNodeGroup).map((g) => g.name);
        if (gpu.length > 0) {
            problemText(
                ctx,
                key("platform.nvidiaDevicePlugin.enabled"),
                `${key("platform.nvidiaDevicePlugin.enabled")} is false but node group(s) ${gpu.join(", ")} run an NVIDIA AMI: without the device plugin no node advertises nvidia.com/gpu and GPU pods stay Pending; enable it or remove the NVIDIA node groups`,
            );
        }
    }
}

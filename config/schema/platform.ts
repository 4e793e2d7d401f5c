import { bool, int, ParseContext, perEnv, problem, problemText, section, str, TypeOf } from "../dsl";
import * as fmt from "../formats";
import type { Secrets } from "../secrets";
import type { SchemaValues } from "./index";
import { resources } from "./argocd";
import { inferAmiType } from "./cluster";

/** How the Prometheus Operator CRDs reach the cluster. */
export const CRD_MODES = ["install", "preinstalled", "off"] as const;

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
    },
    {
        description: "Cluster services the Argo CD installation relies on.",
        rules(p, key, ctx) {
            if (ctx.env !== "production") return;
            for (const k of ["loadBalancerController", "metricsServer"] as const) {
                if (p[k].enabled && p[k].replicas < 2) {
                    problem(ctx, `${key}.${k}.replicas`, p[k].replicas, "must be at least 2 in production so the service stays up while a node is drained");
                }
            }
        },
    },
);

export type PlatformConfig = TypeOf<typeof platformSchema>;

/** Whether a node group runs an NVIDIA AMI (configured or inferred from its instance types). */
export function isNvidiaNodeGroup(g: { readonly amiType?: string; readonly instanceTypes: readonly string[] }): boolean {
    const ami = g.amiType ?? inferAmiType(g.instanceTypes[0]);
    return ami.endsWith("_NVIDIA");
}

/**
 * Combinations that cannot work on a real cluster (registered in config/index.ts CROSS_SECTION_RULES):
 * each names the keys and the fix.
 */
export function platformCrossSectionRules(values: SchemaValues, _secrets: Secrets, ctx: ParseContext): void {
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

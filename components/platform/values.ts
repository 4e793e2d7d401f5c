/**
 * The plan of the cluster services and their chart values, built by pure functions from the
 * validated configuration. Chart keys follow each chart's templates at the pinned version:
 * - aws/eks-charts `stable/aws-load-balancer-controller` 3.5.0 (templates/deployment.yaml, pdb.yaml, values.yaml),
 * - kubernetes-sigs/metrics-server `charts/metrics-server` 3.13.1 (templates/deployment.yaml, pdb.yaml),
 * - prometheus-community/helm-charts `charts/prometheus-operator-crds` 31.0.1 (CRDs only, no workload),
 * - NVIDIA/k8s-device-plugin `deployments/helm/nvidia-device-plugin` 0.20.0 (templates/daemonset-device-plugin.yml),
 * - kubernetes/autoscaler `cluster-autoscaler/charts/cluster-autoscaler` 9.59.0 (tag cluster-autoscaler-chart-9.59.0:
 *   values.yaml, templates/deployment.yaml, pdb.yaml, _helpers.tpl),
 * - external-secrets/external-secrets `deploy/charts/external-secrets` 2.9.0 (tag helm-chart-2.9.0: values.yaml,
 *   templates/deployment.yaml, webhook-deployment.yaml, cert-controller-deployment.yaml, poddisruptionbudget.yaml).
 */
import { type Environment, environmentLabels, isNvidiaNodeGroup, systemPlacement } from "@footanalytics/facts";
import { NODE_GROUP_LABEL, type NodeGroupSettings } from "../cluster/nodegroups";
import type { ContainerResources } from "../resources";

/** Fixed names of the services, in one place. Chart versions live in config (`platform.*.chartVersion`). */
export const PLATFORM_DEFAULTS = Object.freeze({
    /** Namespace of every cluster service (system-cluster-critical and system-node-critical pods belong there). */
    namespace: "kube-system",
    zoneTopologyKey: "topology.kubernetes.io/zone",
    loadBalancerController: Object.freeze({
        chart: "aws-load-balancer-controller",
        repository: "https://aws.github.io/eks-charts",
        releaseName: "aws-load-balancer-controller",
        /** Service account named explicitly so the Pod Identity association can name it. */
        serviceAccount: "aws-load-balancer-controller",
        /** Health endpoints on the controller's health probe port (chart 3.5.0 values.yaml). */
        healthPort: 61779,
        /** The webhook's Service (templates/_helpers.tpl `webhookService`: the chart name without `-controller`, then `-webhook-service`). */
        webhookService: "aws-load-balancer-webhook-service",
    }),
    metricsServer: Object.freeze({ chart: "metrics-server", repository: "https://kubernetes-sigs.github.io/metrics-server", releaseName: "metrics-server" }),
    prometheusOperatorCrds: Object.freeze({ chart: "prometheus-operator-crds", repository: "https://prometheus-community.github.io/helm-charts", releaseName: "prometheus-operator-crds" }),
    nvidiaDevicePlugin: Object.freeze({ chart: "nvidia-device-plugin", repository: "https://nvidia.github.io/k8s-device-plugin", releaseName: "nvidia-device-plugin" }),
    clusterAutoscaler: Object.freeze({
        chart: "cluster-autoscaler",
        repository: "https://kubernetes.github.io/autoscaler",
        releaseName: "cluster-autoscaler",
        /** `nameOverride` and service account: the Deployment, its container and the account are all `cluster-autoscaler` (the chart's default name is `aws-cluster-autoscaler`). */
        serviceAccount: "cluster-autoscaler",
        /** ASG tags of auto-discovery; EKS puts both on every managed node group's Auto Scaling group. */
        discoveryTags: Object.freeze(["k8s.io/cluster-autoscaler/enabled", "k8s.io/cluster-autoscaler/{{ .Values.autoDiscovery.clusterName }}"]),
    }),
    externalSecrets: Object.freeze({
        chart: "external-secrets",
        repository: "https://charts.external-secrets.io",
        releaseName: "external-secrets",
        /** The controller's service account (the Pod Identity association names it); the webhook and cert controller keep the chart's own. */
        serviceAccount: "external-secrets",
        /** The one store the application namespaces may use. */
        clusterSecretStore: "aws-secrets-manager",
    }),
});

/** The four services, by config key. */
export type PlatformService = "loadBalancerController" | "metricsServer" | "prometheusOperatorCrds" | "nvidiaDevicePlugin" | "clusterAutoscaler" | "externalSecrets";

/** Chart values: plain data. */
export type ChartValues = { [key: string]: unknown };

/** One chart to install. */
export interface ReleasePlan {
    readonly service: PlatformService;
    readonly chart: string;
    readonly repository: string;
    readonly version: string;
    readonly releaseName: string;
    readonly namespace: string;
    /** Values without the cluster facts only known at deploy time (the controller's cluster name, region and VPC id are added by the component). */
    readonly values: ChartValues;
}

/** One cluster service's chart: whether to install it and at which version. */
export interface ServiceChart {
    readonly enabled: boolean;
    /** The chart version (config pins it; PLATFORM_DEFAULTS names the chart). */
    readonly chartVersion: string;
}

/**
 * Which cluster services to install and how (config's `platform` section satisfies it; index.ts
 * passes it). Defaults and validation live in config/; fixed names in PLATFORM_DEFAULTS.
 */
export interface PlatformSettings {
    /** The AWS Load Balancer Controller (managed clusters only). */
    readonly loadBalancerController: ServiceChart & { readonly replicas: number; readonly resources: ContainerResources };
    /** metrics-server (the autoscalers' metrics). */
    readonly metricsServer: ServiceChart & { readonly replicas: number; readonly resources: ContainerResources };
    /** `install` the Prometheus Operator CRDs, or rely on `preinstalled` ones, or `off`. */
    readonly prometheusOperatorCrds: { readonly mode: "install" | "preinstalled" | "off"; readonly chartVersion: string };
    /** Installed only when a node group runs an NVIDIA AMI. */
    readonly nvidiaDevicePlugin: ServiceChart & { readonly resources: ContainerResources };
    /** The Cluster Autoscaler (managed clusters only). */
    readonly clusterAutoscaler: ServiceChart & {
        readonly replicas: number;
        /** `--expander`. */
        readonly expander: string;
        readonly balanceSimilarNodeGroups: boolean;
        readonly scaleDownUnneededTime: string;
        readonly resources: ContainerResources;
    };
    /** The External Secrets Operator and its ClusterSecretStore (managed clusters only). */
    readonly externalSecrets: ServiceChart & {
        readonly replicas: number;
        /** Secrets Manager name patterns the operator may read. */
        readonly secretPaths: readonly string[];
        /** A customer-managed KMS key of those secrets, when not the AWS managed key. */
        readonly kmsKeyArn?: string;
        readonly resources: ContainerResources;
        readonly webhookResources: ContainerResources;
        readonly certControllerResources: ContainerResources;
    };
}

/** What the device plugin reads of a node group. */
export type GpuNodeGroup = Pick<NodeGroupSettings, "name" | "amiType" | "instanceTypes" | "taints">;

/** What the plan is built from. */
export interface PlatformPlanInput {
    readonly config: PlatformSettings;
    readonly environment: Environment;
    /** `cluster.mode`: existing mode installs nothing that needs AWS. */
    readonly clusterMode: string;
    /** The cluster's node groups: the NVIDIA ones get the device plugin. */
    readonly nodeGroups: readonly GpuNodeGroup[];
    /** Facts the controller is given explicitly (Pulumi outputs in the component, strings in tests). */
    readonly cluster: ClusterFacts;
}

/** The cluster facts the AWS Load Balancer Controller is given. */
export interface ClusterFacts {
    readonly clusterName: unknown;
    readonly region: string;
    readonly vpcId: unknown;
}

function res(r: ContainerResources): Record<string, Record<string, string>> {
    return { requests: { ...r.requests }, limits: { ...r.limits } };
}

/** Spread over zones in production, by the chart's selector labels. */
function zoneSpread(environment: Environment, name: string, releaseName: string): Record<string, unknown>[] {
    if (environment !== "production") return [];
    return [
        {
            maxSkew: 1,
            topologyKey: PLATFORM_DEFAULTS.zoneTopologyKey,
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": releaseName } },
        },
    ];
}

/**
 * AWS Load Balancer Controller values. `clusterName`, `region` and `vpcId` are explicit: with IMDSv2
 * limited to one hop (components/cluster) pods cannot read them from the instance metadata.
 */
export function loadBalancerControllerValues(
    config: PlatformSettings["loadBalancerController"],
    environment: Environment,
    cluster: ClusterFacts,
): ChartValues {
    const d = PLATFORM_DEFAULTS.loadBalancerController;
    const production = environment === "production";
    const probe = (path: string, initialDelaySeconds: number) => ({
        httpGet: { path, port: d.healthPort, scheme: "HTTP" },
        initialDelaySeconds,
        timeoutSeconds: 10,
        failureThreshold: 2,
    });
    return {
        clusterName: cluster.clusterName,
        region: cluster.region,
        // Labels the release's objects, not its pods (templates/_helpers.tpl); the policy pack reads the environment from it.
        additionalLabels: environmentLabels(environment),
        vpcId: cluster.vpcId,
        replicaCount: config.replicas,
        resources: res(config.resources),
        serviceAccount: { create: true, name: d.serviceAccount },
        // The general IngressClass `alb`, for every namespace, internal-only: its IngressClassParams' scheme
        // overrides an Ingress's scheme annotation, so no application Ingress gets an internet-facing ALB.
        // The Argo CD ALB has its own class (components/argocd/ingress-class.ts).
        ingressClass: "alb",
        createIngressClassResource: true,
        ingressClassParams: { create: true, name: "alb", spec: { scheme: "internal" } },
        // The legacy `kubernetes.io/ingress.class` annotation would bypass IngressClassParams, and a
        // `group.name` annotation would let an Ingress of another namespace join an ALB's group.
        disableIngressClassAnnotation: true,
        disableIngressGroupNameAnnotation: true,
        // The Service mutator (failurePolicy Fail, every Service of the cluster) only defaults
        // LoadBalancer Services to NLBs; nothing here creates one, and while the controller is down it
        // would refuse every Service (templates/webhook.yaml `mservice.elbv2.k8s.aws`).
        enableServiceMutatorWebhook: false,
        livenessProbe: probe("/healthz", 30),
        readinessProbe: probe("/readyz", 10),
        // pdb.yaml renders only with more than one replica.
        podDisruptionBudget: production ? { maxUnavailable: 1 } : {},
        topologySpreadConstraints: zoneSpread(environment, d.chart, d.releaseName),
    };
}

/** The webhook serving certificate the program issues for the controller (see `webhookCertificatePlan`). */
export interface WebhookCertificatePlan {
    /** Subject common name of the CA, as the chart's own `genCA` names it (templates/_helpers.tpl). */
    readonly caCommonName: string;
    /** Subject common name of the serving certificate. */
    readonly commonName: string;
    /** DNS names the API server reaches the webhook Service by. */
    readonly dnsNames: readonly string[];
    /** Validity of the CA and of the serving certificate: the chart's own `genCA`/`genSignedCert` use 3650 days. */
    readonly validityHours: number;
}

/**
 * The controller's webhook certificate, issued by the program (`@pulumi/tls`) and given to the chart as
 * `webhookTLS` (templates/_helpers.tpl `webhookCerts`). Without it the chart generates a new CA and
 * certificate on every render (`genCA`, `keepTLSSecret: false` by default): the TLS Secret and every
 * webhook `caBundle` changed in every preview and update, and the `failurePolicy: Fail` webhooks
 * refused Ingress and TargetGroupBinding writes until the pods read the new certificate.
 *
 * Ten years, like the chart's own, and no automatic early renewal: Chart v4 renders nothing while any
 * of its values is unknown (pulumi-kubernetes helm/v4/chart.go: "Input properties have unknown values.
 * Preview is incomplete."), and a certificate due for renewal is unknown in every preview until the
 * `up` that replaces it, so the controller's chart would vanish from those previews and from the policy
 * pack's view. Rotation is a deliberate `pulumi up --replace` (docs/platform.md), whose preview shows
 * that gap once.
 */
export function webhookCertificatePlan(namespace: string = PLATFORM_DEFAULTS.namespace): WebhookCertificatePlan {
    const service = PLATFORM_DEFAULTS.loadBalancerController.webhookService;
    return {
        caCommonName: "aws-load-balancer-controller-ca",
        commonName: `${service}.${namespace}.svc`,
        // The chart's own altNames (templates/_helpers.tpl), `cluster.dnsDomain` left at its default.
        dnsNames: [`${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`],
        validityHours: 3650 * 24,
    };
}

/** metrics-server values: probes on its own `/livez` and `/readyz` (chart 3.13.1 defaults, stated so the pack sees them). */
export function metricsServerValues(config: PlatformSettings["metricsServer"], environment: Environment): ChartValues {
    const d = PLATFORM_DEFAULTS.metricsServer;
    const production = environment === "production";
    const probe = (path: string, initialDelaySeconds: number) => ({
        httpGet: { path, port: "https", scheme: "HTTPS" },
        initialDelaySeconds,
        periodSeconds: 10,
        failureThreshold: 3,
    });
    return {
        replicas: config.replicas,
        // Labels the release's objects, not its pods (templates/_helpers.tpl); the policy pack reads the environment from it.
        commonLabels: environmentLabels(environment),
        resources: res(config.resources),
        livenessProbe: probe("/livez", 0),
        readinessProbe: probe("/readyz", 20),
        podDisruptionBudget: production ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
        topologySpreadConstraints: zoneSpread(environment, d.chart, d.releaseName),
    };
}

/** Kubernetes toleration effects by the EKS API's taint effects. */
const EFFECTS = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" } as const;

/**
 * NVIDIA device plugin values: scheduled only on the NVIDIA node groups (by the node group label
 * components/cluster puts on every node; the chart's default affinity needs node-feature-discovery
 * labels that EKS nodes do not carry), tolerating their taints. The plugin exposes no health
 * endpoint and the chart no probe setting: see the exemption in policy/pack-config.json.
 */
export function nvidiaDevicePluginValues(config: PlatformSettings["nvidiaDevicePlugin"], gpuGroups: readonly GpuNodeGroup[]): ChartValues {
    const tolerations = new Map<string, Record<string, string>>();
    tolerations.set("CriticalAddonsOnly", { key: "CriticalAddonsOnly", operator: "Exists" });
    for (const g of gpuGroups) {
        for (const t of g.taints) {
            const effect: string = EFFECTS[t.effect as keyof typeof EFFECTS];
            const toleration: Record<string, string> =
                t.value === undefined ? { key: t.key, operator: "Exists", effect } : { key: t.key, operator: "Equal", value: t.value, effect };
            tolerations.set(JSON.stringify(toleration), toleration);
        }
    }
    return {
        resources: res(config.resources),
        affinity: {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{ matchExpressions: [{ key: NODE_GROUP_LABEL, operator: "In", values: gpuGroups.map((g) => g.name) }] }],
                },
            },
        },
        tolerations: [...tolerations.values()],
    };
}

/**
 * Cluster Autoscaler values: AWS auto-discovery of the managed node groups by the tags EKS puts on
 * their Auto Scaling groups, the expander and balancing stated, two replicas with a zone spread in
 * production. The chart hard-codes the liveness probe (`/health-check` on 8085) and offers no
 * readiness setting: see the exemption in policy/pack-config.json.
 */
export function clusterAutoscalerValues(config: PlatformSettings["clusterAutoscaler"], environment: Environment, cluster: ClusterFacts): ChartValues {
    const d = PLATFORM_DEFAULTS.clusterAutoscaler;
    return {
        cloudProvider: "aws",
        awsRegion: cluster.region,
        autoDiscovery: { clusterName: cluster.clusterName, tags: [...d.discoveryTags] },
        nameOverride: d.releaseName,
        // Labels the release's objects and its pods (templates/deployment.yaml); the policy pack reads the environment from it.
        additionalLabels: environmentLabels(environment),
        replicaCount: config.replicas,
        resources: res(config.resources),
        rbac: { serviceAccount: { create: true, name: d.serviceAccount } },
        // Rendered as `--<key>=<value>` (templates/deployment.yaml); merged with the chart's logging flags.
        extraArgs: {
            expander: config.expander,
            "balance-similar-node-groups": config.balanceSimilarNodeGroups,
            // Node groups differ by the node group label components/cluster puts on every node; zones by the zone label (ignored by default).
            "balancing-ignore-label_1": NODE_GROUP_LABEL,
            "scale-down-unneeded-time": config.scaleDownUnneededTime,
            // Pods with emptyDir (Argo CD's repo-server) do not pin a node forever; their data is a cache.
            "skip-nodes-with-local-storage": false,
            "leader-elect": true,
        },
        // pdb.yaml renders whenever podDisruptionBudget is set; with one replica maxUnavailable 1 never blocks a drain.
        podDisruptionBudget: { maxUnavailable: 1 },
        priorityClassName: "system-cluster-critical",
        securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
        containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        topologySpreadConstraints: zoneSpread(environment, d.releaseName, d.releaseName),
    };
}

/** Probe settings of the webhook and cert controller: the chart writes the handler (`/healthz`, `/readyz` on the health port). */
function esoProbe(port: number, initialDelaySeconds: number) {
    return { port, initialDelaySeconds, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 };
}

/**
 * External Secrets Operator values: the controller under a named service account (its Pod Identity
 * association names it), every container with requests, limits and both probes, leader election, and
 * in production two replicas of each Deployment with a PodDisruptionBudget and a zone spread. It only
 * reads: PushSecret processing is off (its role has no write permission either).
 */
export function externalSecretsValues(config: PlatformSettings["externalSecrets"], environment: Environment): ChartValues {
    const d = PLATFORM_DEFAULTS.externalSecrets;
    const production = environment === "production";
    const pdb = production ? { enabled: true, maxUnavailable: 1 } : { enabled: false };
    const spread = (name: string) => zoneSpread(environment, name, d.releaseName);
    return {
        installCRDs: true,
        // Labels the release's objects (templates/_helpers.tpl); the policy pack reads the environment from it.
        commonLabels: environmentLabels(environment),
        replicaCount: config.replicas,
        leaderElect: true,
        serviceAccount: { create: true, name: d.serviceAccount },
        processPushSecret: false,
        processClusterPushSecret: false,
        resources: res(config.resources),
        // templates/deployment.yaml serves both on `--live-addr` (port 8082, named `live`).
        livenessProbe: { enabled: true, spec: { port: 8082, httpGet: { port: "live", path: "/healthz" }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 5, successThreshold: 1 } },
        readinessProbe: { enabled: true, spec: { httpGet: { port: "live", path: "/readyz" }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 } },
        podDisruptionBudget: pdb,
        topologySpreadConstraints: spread(d.chart),
        webhook: {
            replicaCount: config.replicas,
            resources: res(config.webhookResources),
            // webhook-deployment.yaml: both on the health port 8081 (`/healthz`, `/readyz`).
            livenessProbe: { enabled: true, ...esoProbe(8081, 10) },
            readinessProbe: { enabled: true, ...esoProbe(8081, 20) },
            podDisruptionBudget: pdb,
            topologySpreadConstraints: spread(`${d.chart}-webhook`),
        },
        certController: {
            replicaCount: config.replicas,
            resources: res(config.certControllerResources),
            livenessProbe: { enabled: true, ...esoProbe(8081, 10) },
            readinessProbe: { enabled: true, ...esoProbe(8081, 20) },
            podDisruptionBudget: pdb,
            topologySpreadConstraints: spread(`${d.chart}-cert-controller`),
        },
    };
}

/** The node groups that run an NVIDIA AMI. */
export function nvidiaNodeGroups<G extends GpuNodeGroup>(groups: readonly G[]): G[] {
    return groups.filter(isNvidiaNodeGroup);
}

/** The charts to install, in order: CRDs first, then the controller, metrics-server, the device plugin. */
export function planPlatform(input: PlatformPlanInput): ReleasePlan[] {
    const { config: p, environment } = input;
    const ns = PLATFORM_DEFAULTS.namespace;
    const plans: ReleasePlan[] = [];
    // Every chart's CRDs are retained on delete by its transforms (components/chart-transforms.ts).
    const release = (service: PlatformService, version: string, values: ChartValues): ReleasePlan => {
        const d = PLATFORM_DEFAULTS[service];
        return { service, chart: d.chart, repository: d.repository, version, releaseName: d.releaseName, namespace: ns, values };
    };
    if (p.prometheusOperatorCrds.mode === "install") {
        plans.push(release("prometheusOperatorCrds", p.prometheusOperatorCrds.chartVersion, {}));
    }
    // On the tainted system node group when the program created the cluster (`nodeSelector`/`tolerations`:
    // aws-load-balancer-controller 3.5.0 and metrics-server 3.13.1 values.yaml).
    const placed = (values: ChartValues): ChartValues => (input.clusterMode === "managed" ? { ...values, ...systemPlacement() } : values);
    if (p.loadBalancerController.enabled && input.clusterMode === "managed") {
        plans.push(release("loadBalancerController", p.loadBalancerController.chartVersion, placed(loadBalancerControllerValues(p.loadBalancerController, environment, input.cluster))));
    }
    if (p.metricsServer.enabled) {
        plans.push(release("metricsServer", p.metricsServer.chartVersion, placed(metricsServerValues(p.metricsServer, environment))));
    }
    const gpu = input.clusterMode === "managed" ? nvidiaNodeGroups(input.nodeGroups) : [];
    if (p.nvidiaDevicePlugin.enabled && gpu.length > 0) {
        plans.push(release("nvidiaDevicePlugin", p.nvidiaDevicePlugin.chartVersion, nvidiaDevicePluginValues(p.nvidiaDevicePlugin, gpu)));
    }
    if (p.clusterAutoscaler.enabled && input.clusterMode === "managed") {
        plans.push(release("clusterAutoscaler", p.clusterAutoscaler.chartVersion, clusterAutoscalerValues(p.clusterAutoscaler, environment, input.cluster)));
    }
    if (p.externalSecrets.enabled && input.clusterMode === "managed") {
        plans.push(release("externalSecrets", p.externalSecrets.chartVersion, externalSecretsValues(p.externalSecrets, environment)));
    }
    return plans;
}

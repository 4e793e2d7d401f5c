/**
 * Wiring only: load the validated configuration, build the components in bootstrap order, export the
 * outputs. Every behaviour lives in config/, plans/ and components/. This file is the composition root:
 * each component declares its own argument types and imports nothing from config/, and the compiler
 * checks here that the configuration's values fit them.
 *
 * Bootstrap order (each step `dependsOn` the one before; `npm run plan` prints and checks it):
 *   1. cluster          EKS, node groups, managed add-ons, and the one Kubernetes provider (it and the
 *                       add-ons wait for the system node group only; workload and GPU groups come up alongside)
 *   2. cluster services AWS Load Balancer Controller, metrics-server, Prometheus Operator CRDs, NVIDIA device plugin,
 *                       Cluster Autoscaler, External Secrets Operator (its ClusterSecretStore after its CRDs)
 *   3. Argo CD chart    its Ingress needs the controller, its ServiceMonitors the CRDs, its HPAs metrics-server
 *   4. GitOps objects   AppProject, RBAC, repositories, notifications, Applications (need the chart's CRDs)
 */
import { loadConfig } from "./config";
import { EksCluster } from "./components/cluster";
import { ArgoCd } from "./components/argocd";
import { GitOps } from "./components/gitops";
import { PLATFORM_DEFAULTS, PlatformServices } from "./components/platform";
import type { PlatformService } from "./components/platform/values";

const config = loadConfig();

// --- cluster (step 1): the EKS cluster (or an existing one) and the one Kubernetes provider of the program.
const cluster = new EksCluster("footanalytics", {
    config: config.cluster,
    environment: config.environment,
    stack: config.stack,
    costCentre: config.costCentre,
    target: config.clusterTarget,
    region: config.awsRegion,
});
export const clusterName = cluster.clusterName;
export const clusterEndpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const oidcProviderArn = cluster.oidcProviderArn;
export const oidcProviderUrl = cluster.oidcProviderUrl;
export const vpcId = cluster.vpcId;
export const nodeGroupNames = cluster.nodeGroupNames;
export const deployingPrincipal = cluster.deployingPrincipal;
// --- end cluster

// --- platform (step 2): the cluster services the Argo CD install relies on.
const platform = new PlatformServices(
    "platform",
    {
        config: config.platform,
        environment: config.environment,
        clusterMode: config.cluster.mode,
        nodeGroups: config.cluster.nodeGroups,
        clusterName: cluster.clusterName,
        region: config.awsRegion,
        vpcId: cluster.vpcId,
        awsProvider: cluster.awsProvider,
        applicationNamespaces: config.gitops.destinationNamespaces,
    },
    // No data edge for most charts: they need schedulable nodes and the add-ons, which the provider waits for.
    { provider: cluster.provider, dependsOn: [cluster.provider] },
);
export const platformServices = platform.installed;
// --- end platform

// --- argocd (step 3): the namespace, the Redis and SSO Secrets, and the argo-cd chart (HA in production).
const argocd = new ArgoCd(
    "argocd",
    {
        config: config.argocd,
        monitoring: config.monitoring,
        environment: config.environment,
        secretSources: config.secretSources,
        gpgKeys: config.gitops.gpgKeys,
        awsProvider: cluster.awsProvider,
        systemNodes: config.cluster.mode === "managed",
    },
    // Step 3 after step 2: the Ingress needs the controller (and its admission webhook), monitors the CRDs.
    { provider: cluster.provider, dependsOn: Object.values(platform.charts) },
);
export const argocdUrl = argocd.url;
export const argocdNamespace = argocd.namespace;
export const argocdChartVersion = argocd.chartVersion;
export const argocdAdminPassword = argocd.adminPasswordHint;
/** The webhook secret GitHub signs pushes with (a secret output: `pulumi stack output --show-secrets githubWebhookSecret`). */
export const githubWebhookSecret = argocd.githubWebhookSecret;
// --- end argocd

// --- gitops (step 4): AppProject, RBAC, repository credentials, notifications, the platform Applications, Image Updater.
const gitops = new GitOps(
    "gitops",
    {
        stack: config.stack,
        environment: config.environment,
        gitops: config.gitops,
        rbac: config.rbac,
        notifications: config.notifications,
        secretSources: config.secretSources,
        argocdNamespace: argocd.namespace,
        argocdUrl: argocd.url,
        awsProvider: cluster.awsProvider,
        clusterFacts: {
            clusterName: cluster.clusterName,
            region: config.awsRegion ?? "",
            vpcId: cluster.vpcId,
            addons: platform.installed.map((s) => PLATFORM_DEFAULTS[s].chart),
            roleArns: Object.fromEntries(Object.entries(platform.roleArns).map(([s, arn]) => [PLATFORM_DEFAULTS[s as PlatformService].chart, arn])),
        },
    },
    // The AppProject, Application and ImageUpdater resources need the CRDs the argo-cd chart installs (no data edge).
    { provider: cluster.provider, dependsOn: [argocd.chart] },
);
export const applications = gitops.applicationNames;
// --- end gitops

/** The profile this stack follows. */
export const environment = config.environment;

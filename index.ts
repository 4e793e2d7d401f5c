/**
 * Wiring only: load the validated configuration, build the components, export the outputs.
 * Every behaviour lives in config/ and components/.
 */
import { loadConfig } from "./config";
import { EksCluster } from "./components/cluster";
import { ArgoCd } from "./components/argocd";
import { GitOps } from "./components/gitops";

const config = loadConfig();

// --- cluster: the EKS cluster (or an existing one) and the one Kubernetes provider of the program.
const cluster = new EksCluster("footanalytics", {
    config: config.cluster,
    environment: config.environment,
    stack: config.stack,
    costCentre: config.costCentre,
    region: config.awsRegion,
    kubeconfig: config.secrets.kubeconfig,
});
export const clusterName = cluster.clusterName;
export const clusterEndpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const oidcProviderArn = cluster.oidcProviderArn;
export const oidcProviderUrl = cluster.oidcProviderUrl;
export const vpcId = cluster.vpcId;
export const nodeGroupNames = cluster.nodeGroupNames;
// --- end cluster

// --- argocd: the namespace, the Redis and SSO Secrets, and the argo-cd chart (HA in production).
const argocd = new ArgoCd(
    "argocd",
    {
        config: config.argocd,
        monitoring: config.monitoring,
        environment: config.environment,
        secrets: config.secrets,
        gpgKeys: config.gitops.gpgKeys,
        awsProvider: cluster.awsProvider,
    },
    { provider: cluster.provider },
);
export const argocdUrl = argocd.url;
export const argocdNamespace = argocd.namespace;
export const argocdChartVersion = argocd.chartVersion;
export const argocdAdminPassword = argocd.adminPasswordHint;
// --- end argocd

// --- gitops: AppProject, RBAC, repository credentials, notifications, the platform Applications, Image Updater.
const gitops = new GitOps(
    "gitops",
    {
        stack: config.stack,
        environment: config.environment,
        gitops: config.gitops,
        rbac: config.rbac,
        notifications: config.notifications,
        secrets: config.secrets,
        argocdNamespace: argocd.namespace,
        argocdUrl: argocd.url,
        awsProvider: cluster.awsProvider,
    },
    // The AppProject, Application and ImageUpdater resources need the CRDs the argo-cd chart installs (no data edge).
    { provider: cluster.provider, dependsOn: [argocd.chart] },
);
export const applications = gitops.applicationNames;
// --- end gitops

/** The profile this stack follows. */
export const environment = config.environment;

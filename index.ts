/**
 * Wiring only: load the validated configuration, build the components, export the outputs.
 * Every behaviour lives in config/ and components/.
 */
import { loadConfig } from "./config";
import { EksCluster } from "./components/cluster";

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

/** The profile this stack follows. */
export const environment = config.environment;

/**
 * The cluster services the Argo CD installation relies on, created after the cluster and before the
 * argo-cd chart: the AWS Load Balancer Controller (with its IAM role through EKS Pod Identity),
 * metrics-server, the Prometheus Operator CRDs and the NVIDIA device plugin, each a pinned chart
 * through `kubernetes:helm.sh/v4:Chart`. Every decision lives in the pure `planPlatform` (values.ts)
 * and the IAM documents (iam.ts).
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../config/dsl";
import type { NodeGroupConfig } from "../../config/schema/cluster";
import type { PlatformConfig } from "../../config/schema/platform";
import { partitionOf } from "../cluster/iam";
import { podIdentityWait } from "../pod-identity";
import { loadBalancerControllerPolicy, podIdentityTrustPolicy } from "./iam";
import { PLATFORM_DEFAULTS, planPlatform, PlatformService } from "./values";

export { PLATFORM_DEFAULTS, planPlatform } from "./values";

/** Arguments of the cluster services. */
export interface PlatformServicesArgs {
    /** `cfg.platform`: which services, their chart versions, replicas and resources. */
    readonly config: PlatformConfig;
    /** Which profile the stack follows: production runs the services highly available. */
    readonly environment: Environment;
    /** `cfg.cluster.mode`: existing mode installs nothing that calls AWS. */
    readonly clusterMode: string;
    /** `cfg.cluster.nodeGroups`: the NVIDIA ones get the device plugin. */
    readonly nodeGroups: readonly NodeGroupConfig[];
    /** EKS cluster name (`EksCluster.clusterName`). */
    readonly clusterName: pulumi.Input<string>;
    /** AWS region (`aws:region`); required when the controller is installed. */
    readonly region?: string;
    /** VPC id of the cluster (`EksCluster.vpcId`). */
    readonly vpcId: pulumi.Input<string | undefined>;
    /** The program's AWS provider (`EksCluster.awsProvider`); required when the controller is installed. */
    readonly awsProvider?: aws.Provider;
}

export class PlatformServices extends pulumi.ComponentResource {
    /** The charts installed, by service; the argo-cd chart depends on all of them. */
    public readonly charts: Readonly<Partial<Record<PlatformService, k8s.helm.v4.Chart>>>;
    /** Services installed, in order (for outputs and the plan). */
    public readonly installed: readonly PlatformService[];

    constructor(name: string, args: PlatformServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("footanalytics:platform:PlatformServices", name, {}, opts);
        const plans = planPlatform({
            config: args.config,
            environment: args.environment,
            clusterMode: args.clusterMode,
            nodeGroups: args.nodeGroups,
            cluster: { clusterName: args.clusterName, region: args.region ?? "", vpcId: args.vpcId },
        });
        // Children do not inherit the component's dependsOn (the bootstrap order of index.ts): each chart repeats it.
        const inherited = dependsOnList(opts?.dependsOn);
        const charts: Partial<Record<PlatformService, k8s.helm.v4.Chart>> = {};
        if (args.clusterMode === "existing" && args.config.loadBalancerController.enabled) {
            pulumi.log.warn("cluster.mode is \"existing\": the AWS Load Balancer Controller is not installed (it needs an IAM role); the Argo CD ingress relies on the cluster already running it", this);
        }
        for (const plan of plans) {
            // The controller's pods must find their Pod Identity association and permissions when they start.
            const before = plan.service === "loadBalancerController" ? this.controllerIdentity(name, args) : [];
            charts[plan.service] = new k8s.helm.v4.Chart(
                `${name}-${plan.releaseName}`,
                {
                    chart: plan.chart,
                    version: plan.version,
                    repositoryOpts: { repo: plan.repository },
                    name: plan.releaseName,
                    namespace: plan.namespace,
                    resourcePrefix: name,
                    values: plan.values,
                    skipCrds: false,
                },
                {
                    parent: this,
                    dependsOn: [...inherited, ...before],
                    ...(plan.retainOnDelete ? { transforms: [retainCrdsOnDelete] } : {}),
                },
            );
        }
        this.charts = charts;
        this.installed = plans.map((p) => p.service);
        this.registerOutputs({ installed: this.installed });
    }

    /** IAM role (Pod Identity trust), its policy, and the association with the controller's service account. */
    private controllerIdentity(name: string, args: PlatformServicesArgs): pulumi.Resource[] {
        if (args.awsProvider === undefined || args.region === undefined) {
            throw new pulumi.ResourceError(`${name}: the AWS Load Balancer Controller needs aws:region and the program's AWS provider`, this);
        }
        const res: pulumi.CustomResourceOptions = { parent: this, provider: args.awsProvider };
        const d = PLATFORM_DEFAULTS.loadBalancerController;
        const role = new aws.iam.Role(
            `${name}-lbc-role`,
            {
                description: `AWS Load Balancer Controller (${PLATFORM_DEFAULTS.namespace}/${d.serviceAccount}) through EKS Pod Identity`,
                assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()),
            },
            res,
        );
        const policy = new aws.iam.Policy(
            `${name}-lbc-policy`,
            {
                description: "Permissions of the AWS Load Balancer Controller v3.5 (components/platform/iam.ts)",
                policy: JSON.stringify(loadBalancerControllerPolicy(partitionOf(args.region))),
            },
            res,
        );
        const attachment = new aws.iam.RolePolicyAttachment(`${name}-lbc-policy`, { role: role.name, policyArn: policy.arn }, res);
        const association = new aws.eks.PodIdentityAssociation(
            `${name}-lbc`,
            { clusterName: args.clusterName, namespace: PLATFORM_DEFAULTS.namespace, serviceAccount: d.serviceAccount, roleArn: role.arn },
            res,
        );
        // The chart's pods get credentials only if the association has taken effect when they start.
        return [podIdentityWait(`${name}-lbc`, association, [attachment], this)];
    }
}

/** Kubernetes type token of a CustomResourceDefinition, as Chart v4 registers its CRDs. */
const CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";

/** Keeps CRDs on delete: removing the Prometheus Operator CRDs would delete every ServiceMonitor and rule. */
const retainCrdsOnDelete: pulumi.ResourceTransform = (args) =>
    args.type === CRD_TYPE ? { props: args.props, opts: pulumi.mergeOptions(args.opts, { retainOnDelete: true }) } : undefined;

/** The resources of a `dependsOn` option as a list. */
export function dependsOnList(d: pulumi.ResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    if (d === undefined) return [];
    return Array.isArray(d) ? [...(d as pulumi.Input<pulumi.Resource>[])] : [d as pulumi.Input<pulumi.Resource>];
}

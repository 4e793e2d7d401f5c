/**
 * The EKS cluster of a stack and the one Kubernetes provider of the program.
 *
 * `managed` mode creates (through one explicit AWS provider) the VPC or uses an existing one, the
 * KMS key for envelope encryption, the `eks.Cluster` with access entries, OIDC, logging and private
 * endpoint, the managed node groups with IMDSv2-only launch templates, and the pinned managed add-ons.
 * `existing` mode creates no AWS resource: only the Kubernetes provider from the secret kubeconfig.
 * Every decision lives in the pure planning modules next to this file.
 */
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type SecretSource, secretOutput } from "../secrets-manager";
import { deployPrincipalWarning, planPreviewRbac } from "../../plans/access";
import { planAddons, planDefaultStorageClass } from "../../plans/addons";
import { CLUSTER_DEFAULTS, type Environment } from "@footanalytics/facts";
import { clusterKmsPolicy, irsaTrustPolicy, managedPolicyArn, partitionOf, serviceTrustPolicy } from "./iam";
import { planNetwork } from "./network";
import { planNodeGroups, scaleFromZeroTags } from "./nodegroups";
import { type ClusterSettings, kubeconfigServer, logGroupName, planCluster, planEndpointIngress, planSafety, standardTags } from "./plan";

export { CLUSTER_DEFAULTS } from "@footanalytics/facts";

/** Where the cluster is: one to create in a region, or an existing one reached through its kubeconfig (config's `clusterTarget` satisfies it). */
export type ClusterTarget = { readonly mode: "managed"; readonly region: string } | { readonly mode: "existing"; readonly kubeconfig: SecretSource };

export interface EksClusterArgs {
    /** The cluster's settings (`cfg.cluster`). */
    readonly config: ClusterSettings;
    /** The stack's profile; production protects the cluster and its key. */
    readonly environment: Environment;
    /** Pulumi stack name, tagged on every AWS resource. */
    readonly stack: string;
    /** Cost centre tagged on every AWS resource. */
    readonly costCentre: string;
    /** A cluster to create in a region, or an existing one and its kubeconfig (`cfg.clusterTarget`). */
    readonly target: ClusterTarget;
    /** AWS region (`aws:region`) of the program's AWS provider; in existing mode set only to read Secrets Manager secrets. */
    readonly region?: string;
}

/** What either mode produces. */
interface ClusterOutputs {
    readonly provider: k8s.Provider;
    readonly clusterName: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string | undefined>;
    readonly oidcProviderUrl: pulumi.Output<string | undefined>;
    readonly vpcId: pulumi.Output<string | undefined>;
    readonly nodeGroupNames: pulumi.Output<string[]>;
    readonly deployingPrincipal: pulumi.Output<string | undefined>;
}

export class EksCluster extends pulumi.ComponentResource {
    /** The one Kubernetes provider of the program: every Kubernetes resource takes it. */
    public readonly provider: k8s.Provider;
    /** EKS cluster name. */
    public readonly clusterName: pulumi.Output<string>;
    /** API server endpoint. */
    public readonly endpoint: pulumi.Output<string>;
    /** Kubeconfig (exec-based, no static credentials), as a secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** IAM OIDC provider ARN for IRSA; undefined in existing mode. */
    public readonly oidcProviderArn: pulumi.Output<string | undefined>;
    /** OIDC issuer URL (`https://oidc.eks...`); undefined in existing mode. */
    public readonly oidcProviderUrl: pulumi.Output<string | undefined>;
    /** VPC id (created or existing); undefined in existing mode. */
    public readonly vpcId: pulumi.Output<string | undefined>;
    /** Names EKS gave the managed node groups; empty in existing mode. */
    public readonly nodeGroupNames: pulumi.Output<string[]>;
    /** The IAM principal this update runs as (the role behind an assumed-role session); undefined in existing mode. */
    public readonly deployingPrincipal: pulumi.Output<string | undefined>;
    /**
     * The one AWS provider of the program (region and default tags from config), for every AWS
     * resource and read; undefined only in existing mode without `aws:region`.
     */
    public readonly awsProvider?: aws.Provider;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("footanalytics:cluster:EksCluster", name, {}, opts);
        // Default providers are disabled (Pulumi.yaml), so nothing uses ambient AWS config.
        const awsProvider = (region: string) =>
            new aws.Provider(`${name}-aws`, { region: region as aws.Region, defaultTags: { tags: standardTags(args.environment, args.costCentre, args.stack) } }, { parent: this });
        let out: ClusterOutputs;
        const target = args.target;
        if (target.mode === "managed") {
            this.awsProvider = awsProvider(target.region);
            out = this.managed(name, args, target.region, this.awsProvider);
        } else {
            this.awsProvider = args.region === undefined ? undefined : awsProvider(args.region);
            out = this.existing(name, args, secretOutput(target.kubeconfig, { provider: this.awsProvider, parent: this, who: `EksCluster ${name}` }));
        }
        this.provider = out.provider;
        this.clusterName = out.clusterName;
        this.endpoint = out.endpoint;
        this.kubeconfig = out.kubeconfig;
        this.oidcProviderArn = out.oidcProviderArn;
        this.oidcProviderUrl = out.oidcProviderUrl;
        this.vpcId = out.vpcId;
        this.nodeGroupNames = out.nodeGroupNames;
        this.deployingPrincipal = out.deployingPrincipal;
        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            kubeconfig: this.kubeconfig,
            oidcProviderArn: this.oidcProviderArn,
            oidcProviderUrl: this.oidcProviderUrl,
            vpcId: this.vpcId,
            nodeGroupNames: this.nodeGroupNames,
            deployingPrincipal: this.deployingPrincipal,
        });
    }

    /** Existing cluster: the Kubernetes provider from the secret kubeconfig, and nothing else. */
    private existing(name: string, args: EksClusterArgs, kubeconfig: pulumi.Output<string>): ClusterOutputs {
        return {
            provider: this.kubernetesProvider(name, args.config.name, kubeconfig, []),
            clusterName: pulumi.output(args.config.name),
            // Derived from the secret kubeconfig, so it stays secret.
            endpoint: kubeconfig.apply((text) => kubeconfigServer(text) ?? ""),
            kubeconfig,
            oidcProviderArn: pulumi.output<string | undefined>(undefined),
            oidcProviderUrl: pulumi.output<string | undefined>(undefined),
            vpcId: pulumi.output<string | undefined>(undefined),
            nodeGroupNames: pulumi.output<string[]>([]),
            deployingPrincipal: pulumi.output<string | undefined>(undefined),
        };
    }

    /** Managed cluster: network, key, roles, eks.Cluster, node groups, add-ons, provider. */
    private managed(name: string, args: EksClusterArgs, region: string, awsProvider: aws.Provider): ClusterOutputs {
        const cfg = args.config;
        const partition = partitionOf(region);
        const tags = standardTags(args.environment, args.costCentre, args.stack);
        const safety = planSafety(args.environment, cfg);
        const res: pulumi.CustomResourceOptions = { parent: this, provider: awsProvider };

        const network = this.network(name, cfg, res);

        // Envelope encryption of Secrets: a rotating key of our own, or the configured one.
        let keyArn: pulumi.Output<string>;
        if (cfg.kmsKeyArn !== undefined) {
            keyArn = pulumi.output<string>(cfg.kmsKeyArn);
        } else {
            const key = new aws.kms.Key(
                `${name}-secrets-key`,
                {
                    description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${cfg.name}`,
                    enableKeyRotation: true,
                    deletionWindowInDays: CLUSTER_DEFAULTS.kmsDeletionWindowDays,
                    tags: { Name: `${cfg.name}-secrets` },
                },
                // Always retained: deleting the key while the cluster lives makes every Secret unreadable (plan.ts planSafety).
                { ...res, protect: safety.protectCluster, retainOnDelete: true },
            );
            new aws.kms.Alias(`${name}-secrets-key`, { name: `alias/eks/${cfg.name}`, targetKeyId: key.keyId }, res);
            keyArn = key.arn;
        }

        // Cluster role of our own, so it can be granted the key (eks.Cluster's role cannot be extended).
        const clusterRole = new aws.iam.Role(
            `${name}-cluster-role`,
            {
                description: `EKS control plane of ${cfg.name}`,
                assumeRolePolicy: JSON.stringify(serviceTrustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"])),
                tags: { Name: `${cfg.name}-cluster` },
            },
            res,
        );
        const clusterRoleGrants = [
            new aws.iam.RolePolicyAttachment(`${name}-cluster-role-AmazonEKSClusterPolicy`, { role: clusterRole.name, policyArn: managedPolicyArn(partition, "AmazonEKSClusterPolicy") }, res),
            new aws.iam.RolePolicy(`${name}-cluster-role-kms`, { role: clusterRole.name, policy: keyArn.apply((arn) => JSON.stringify(clusterKmsPolicy(arn))) }, res),
        ];

        // Created before the cluster so the retention is ours; EKS would create it without expiry.
        const logGroup =
            cfg.logTypes.length > 0
                ? new aws.cloudwatch.LogGroup(
                      `${name}-control-plane-logs`,
                      { name: logGroupName(cfg.name), retentionInDays: cfg.logRetentionDays, tags: { Name: logGroupName(cfg.name) } },
                      { ...res, retainOnDelete: safety.retainLogs },
                  )
                : undefined;

        const plan = planCluster(cfg, partition);
        const cluster = new eks.Cluster(
            `${name}-eks`,
            {
                ...plan,
                upgradePolicy: { ...plan.upgradePolicy },
                accessEntries: plan.accessEntries as Record<string, eks.types.input.AccessEntryArgs>,
                publicAccessCidrs: plan.publicAccessCidrs ? [...plan.publicAccessCidrs] : undefined,
                enabledClusterLogTypes: [...plan.enabledClusterLogTypes],
                vpcId: network.vpcId,
                privateSubnetIds: network.privateSubnetIds,
                publicSubnetIds: network.publicSubnetIds,
                encryptionConfigKeyArn: keyArn,
                serviceRole: clusterRole,
            },
            {
                parent: this,
                providers: { aws: awsProvider },
                protect: safety.protectCluster,
                // No data edge: the role needs its policies, and the log group must exist before EKS writes to it.
                dependsOn: [...clusterRoleGrants, ...(logGroup ? [logGroup] : [])],
            },
        );
        const clusterName = cluster.eksCluster.name;

        // Runners and bastions in the VPC reach the private endpoint through the EKS cluster security group.
        for (const rule of planEndpointIngress(cfg.endpoint)) {
            const { key, ...args } = rule;
            new aws.vpc.SecurityGroupIngressRule(`${name}-api-from-${key}`, { ...args, securityGroupId: cluster.clusterSecurityGroupId }, res);
        }

        // Who runs this update: EKS makes the cluster's creator an admin outside the program's access
        // entries, so the first up must run as cluster.deployRoleArn (which gets no entry of ours).
        const read = { provider: awsProvider, parent: this };
        const caller = aws.getCallerIdentityOutput({}, read);
        const deployingPrincipal = aws.iam.getSessionContextOutput({ arn: caller.arn }, read).issuerArn.apply((principal) => {
            // The one log in an apply: the principal is known only once the invoke answers.
            const warning = deployPrincipalWarning(cfg, principal);
            if (warning !== undefined) pulumi.log.warn(warning, this);
            return principal;
        });

        // Nodes: one role for every group; EKS creates the EC2_LINUX access entry of a managed group's role.
        const nodeRole = new aws.iam.Role(
            `${name}-node-role`,
            { description: `Nodes of EKS cluster ${cfg.name}`, assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")), tags: { Name: `${cfg.name}-node` } },
            res,
        );
        const nodeRoleGrants = CLUSTER_DEFAULTS.nodeRolePolicies.map(
            (policy) => new aws.iam.RolePolicyAttachment(`${name}-node-role-${policy}`, { role: nodeRole.name, policyArn: managedPolicyArn(partition, policy) }, res),
        );

        const addons = planAddons(cfg.addons);
        const addon = (a: (typeof addons)[number], dependsOn: pulumi.Resource[], serviceAccountRoleArn?: pulumi.Output<string>, podIdentityRoleArn?: pulumi.Output<string>) =>
            new aws.eks.Addon(
                `${name}-${a.addonName}`,
                {
                    clusterName,
                    addonName: a.addonName,
                    addonVersion: a.addonVersion,
                    configurationValues: a.configurationValues,
                    resolveConflictsOnCreate: a.resolveConflictsOnCreate,
                    resolveConflictsOnUpdate: a.resolveConflictsOnUpdate,
                    preserve: a.preserve,
                    serviceAccountRoleArn,
                    podIdentityAssociations: (a.podIdentity === undefined || podIdentityRoleArn === undefined) ? undefined : [{ serviceAccount: a.podIdentity.serviceAccount, roleArn: podIdentityRoleArn }],
                },
                { ...res, dependsOn },
            );
        // Nodes only become Ready once the CNI runs, so these DaemonSets come first.
        // The VPC CNI's permissions go to aws-node through Pod Identity, not to the node role.
        const beforeNodes = addons
            .filter((a) => a.phase === "before-nodes")
            .map((a) => {
                if (a.podIdentity === undefined) return addon(a, []);
                const pid = a.podIdentity;
                const role = new aws.iam.Role(
                    `${name}-${a.addonName}-role`,
                    {
                        description: `EKS Pod Identity role of kube-system/${pid.serviceAccount} in ${cfg.name}`,
                        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"])),
                        tags: { Name: `${cfg.name}-${a.addonName}` },
                    },
                    res,
                );
                const grant = new aws.iam.RolePolicyAttachment(`${name}-${a.addonName}-role-policy`, { role: role.name, policyArn: managedPolicyArn(partition, pid.policy) }, res);
                // No data edge to the attachment: aws-node must find its permissions when the first node starts.
                return addon(a, [grant], undefined, role.arn);
            });

        const plannedGroups = planNodeGroups(cfg.name, cfg.kubernetesVersion, cfg.nodeGroups, tags);
        const nodeGroups = plannedGroups.map((g) => {
            const template = new aws.ec2.LaunchTemplate(
                `${name}-${g.key}-launch-template`,
                {
                    ...g.launchTemplate,
                    blockDeviceMappings: g.launchTemplate.blockDeviceMappings.map((b) => ({ ...b, ebs: { ...b.ebs } })),
                    tagSpecifications: g.launchTemplate.tagSpecifications.map((t) => ({ ...t })),
                },
                res,
            );
            return new aws.eks.NodeGroup(
                `${name}-${g.key}`,
                {
                    ...g.nodeGroup,
                    instanceTypes: [...g.nodeGroup.instanceTypes],
                    taints: g.nodeGroup.taints.map((t) => ({ ...t })),
                    clusterName,
                    nodeRoleArn: nodeRole.arn,
                    subnetIds: network.privateSubnetIds,
                    launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => String(v)) },
                },
                {
                    ...res,
                    // No data edge: the role's policies and the CNI must be in place before nodes join.
                    dependsOn: [...nodeRoleGrants, ...beforeNodes],
                    // The cluster autoscaler owns the node count after creation.
                    ignoreChanges: ["scalingConfig.desiredSize"],
                },
            );
        });
        // A group that may scale to zero tells the Cluster Autoscaler its nodes' labels and taints on its Auto Scaling group.
        cfg.nodeGroups.forEach((g, i) => {
            const asgName = nodeGroups[i].resources.apply((r) => r[0]?.autoscalingGroups?.[0]?.name ?? "");
            for (const [key, value] of Object.entries(scaleFromZeroTags(g))) {
                new aws.autoscaling.Tag(`${name}-${g.name}-asg-${key.slice(key.lastIndexOf("/node-template/") + 15).replace(/[^A-Za-z0-9-]/g, "-")}`, { autoscalingGroupName: asgName, tag: { key, value, propagateAtLaunch: false } }, res);
            }
        });

        // Add-ons and the Kubernetes provider wait for the system group only (config/ requires exactly one):
        // workload and GPU groups are created alongside, so a quota or capacity failure in one of them
        // fails that group alone while CoreDNS, the platform services, Argo CD and the apps come up.
        const systemGroups = nodeGroups.filter((_, i) => plannedGroups[i].role === "system");

        // Deployments need nodes to schedule on; the EBS CSI controller runs under its own IRSA role.
        const afterNodes = addons
            .filter((a) => a.phase === "after-nodes")
            .map((a) => {
                if (a.irsa === undefined) return addon(a, systemGroups);
                const irsa = a.irsa;
                const role = new aws.iam.Role(
                    `${name}-${a.addonName}-role`,
                    {
                        description: `IRSA role of ${irsa.namespace}/${irsa.serviceAccount} in ${cfg.name}`,
                        assumeRolePolicy: pulumi
                            .all([cluster.oidcProviderArn, cluster.oidcIssuer])
                            .apply(([arn, issuer]) => JSON.stringify(irsaTrustPolicy(arn, issuer, irsa.namespace, irsa.serviceAccount))),
                        tags: { Name: `${cfg.name}-${a.addonName}` },
                    },
                    res,
                );
                const grant = new aws.iam.RolePolicyAttachment(`${name}-${a.addonName}-role-policy`, { role: role.name, policyArn: managedPolicyArn(partition, irsa.policy) }, res);
                // No data edge to the attachment: the controller must find its permissions when it starts.
                return addon(a, [...systemGroups, grant], role.arn);
            });

        const kubeconfig = pulumi.secret(cluster.kubeconfigJson);
        // No data edge: Kubernetes workloads need schedulable (system) nodes and cluster DNS.
        const provider = this.kubernetesProvider(name, cfg.name, kubeconfig, [...systemGroups, ...afterNodes]);
        // The default StorageClass: PVCs of gitops-config without a class get encrypted gp3 from the EBS CSI add-on.
        const storageClass = planDefaultStorageClass();
        new k8s.storage.v1.StorageClass(
            `${name}-default-storage-class`,
            { ...storageClass, metadata: { ...storageClass.metadata, annotations: { ...storageClass.metadata.annotations } }, parameters: { ...storageClass.parameters } },
            { parent: this, provider },
        );
        if (cfg.previewRoleArns.length > 0) {
            // The preview roles' group may read the one Secret the controller chart looks up while rendering.
            const rbac = planPreviewRbac();
            new k8s.rbac.v1.Role(`${name}-preview`, { metadata: { ...rbac.role.metadata }, rules: rbac.role.rules.map((r) => ({ ...r })) }, { parent: this, provider });
            new k8s.rbac.v1.RoleBinding(
                `${name}-preview`,
                { metadata: { ...rbac.binding.metadata }, roleRef: { ...rbac.binding.roleRef }, subjects: rbac.binding.subjects.map((x) => ({ ...x })) },
                { parent: this, provider },
            );
        }
        return {
            provider,
            clusterName,
            endpoint: cluster.eksCluster.endpoint,
            kubeconfig,
            oidcProviderArn: cluster.oidcProviderArn,
            oidcProviderUrl: cluster.oidcProviderUrl,
            vpcId: pulumi.output(network.vpcId),
            nodeGroupNames: pulumi.all(nodeGroups.map((g) => g.nodeGroupName)),
            deployingPrincipal,
        };
    }

    /** The dedicated VPC of `create` mode, or the ids of `existing` mode. */
    private network(name: string, cfg: ClusterSettings, res: pulumi.CustomResourceOptions) {
        if (cfg.vpc.mode === "existing") {
            return {
                vpcId: pulumi.output(cfg.vpc.vpcId as string),
                privateSubnetIds: pulumi.output([...cfg.vpc.privateSubnetIds]),
                publicSubnetIds: cfg.vpc.publicSubnetIds.length > 0 ? pulumi.output([...cfg.vpc.publicSubnetIds]) : undefined,
            };
        }
        const plan = planNetwork(cfg.name, cfg.vpc);
        const zones = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, res);
        const vpc = new aws.ec2.Vpc(`${name}-vpc`, plan.vpc, res);
        // The default security group of the VPC keeps no rules, so nothing can use it by accident.
        new aws.ec2.DefaultSecurityGroup(`${name}-vpc-default-sg`, { vpcId: vpc.id, tags: { Name: `${cfg.name}-default-deny` } }, res);
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: cfg.name } }, res);
        const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: { Name: `${cfg.name}-public` } }, res);

        const subnet = (s: (typeof plan.publicSubnets)[number]) =>
            new aws.ec2.Subnet(`${name}-${s.key}`, { vpcId: vpc.id, cidrBlock: s.cidrBlock, availabilityZone: zones.names[s.zoneIndex], mapPublicIpOnLaunch: false, tags: s.tags }, res);
        const publicSubnets = new Map(plan.publicSubnets.map((s) => [s.key, subnet(s)]));
        const privateSubnets = new Map(plan.privateSubnets.map((s) => [s.key, subnet(s)]));
        for (const [key, s] of publicSubnets) {
            new aws.ec2.RouteTableAssociation(`${name}-${key}-rta`, { subnetId: s.id, routeTableId: publicRoutes.id }, res);
        }
        const natGateways = new Map(
            plan.natGateways.map((n) => {
                const eip = new aws.ec2.Eip(`${name}-${n.key}-eip`, { domain: "vpc", tags: n.tags }, res);
                // No data edge: a NAT gateway needs the VPC's internet gateway attached.
                const nat = new aws.ec2.NatGateway(`${name}-${n.key}`, { allocationId: eip.id, subnetId: publicSubnets.get(n.publicSubnet)!.id, tags: n.tags }, { ...res, dependsOn: [igw] });
                return [n.key, nat] as const;
            }),
        );
        for (const r of plan.privateRoutes) {
            const table = new aws.ec2.RouteTable(`${name}-${r.key}-rt`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGateways.get(r.natGateway)!.id }], tags: r.tags }, res);
            new aws.ec2.RouteTableAssociation(`${name}-${r.key}-rta`, { subnetId: privateSubnets.get(r.privateSubnet)!.id, routeTableId: table.id }, res);
        }
        return {
            vpcId: vpc.id,
            privateSubnetIds: pulumi.all([...privateSubnets.values()].map((s) => s.id)),
            publicSubnetIds: pulumi.all([...publicSubnets.values()].map((s) => s.id)) as pulumi.Output<string[]> | undefined,
        };
    }

    /** The program's Kubernetes provider: server-side apply, replaced only if the cluster changes. */
    private kubernetesProvider(name: string, clusterName: string, kubeconfig: pulumi.Output<string>, dependsOn: pulumi.Resource[]): k8s.Provider {
        return new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig, enableServerSideApply: true, clusterIdentifier: clusterName },
            { parent: this, dependsOn },
        );
    }
}

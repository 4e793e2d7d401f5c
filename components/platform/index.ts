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
import * as tls from "@pulumi/tls";
import type { Environment } from "@footanalytics/facts";
import { chartTransforms } from "../chart-transforms";
import { partitionOf } from "../cluster/iam";
import type { PolicyDocument } from "../cluster/iam";
import { podIdentityWait } from "../pod-identity";
import { clusterAutoscalerPolicy, externalSecretsPolicy, loadBalancerControllerPolicy, podIdentityTrustPolicy } from "./iam";
import { clusterSecretStoreSpec } from "./secret-store";
import { type GpuNodeGroup, PLATFORM_DEFAULTS, planPlatform, PlatformService, type PlatformSettings, webhookCertificatePlan } from "./values";

export { PLATFORM_DEFAULTS, planPlatform } from "./values";

/** Arguments of the cluster services. */
export interface PlatformServicesArgs {
    /** Which services, their chart versions, replicas and resources (`cfg.platform`). */
    readonly config: PlatformSettings;
    /** Which profile the stack follows: production runs the services highly available. */
    readonly environment: Environment;
    /** `cfg.cluster.mode`: existing mode installs nothing that calls AWS. */
    readonly clusterMode: string;
    /** The cluster's node groups (`cfg.cluster.nodeGroups`): the NVIDIA ones get the device plugin. */
    readonly nodeGroups: readonly GpuNodeGroup[];
    /** EKS cluster name (`EksCluster.clusterName`). */
    readonly clusterName: pulumi.Input<string>;
    /** AWS region (`aws:region`); required when the controller is installed. */
    readonly region?: string;
    /** VPC id of the cluster (`EksCluster.vpcId`). */
    readonly vpcId: pulumi.Input<string | undefined>;
    /** The program's AWS provider (`EksCluster.awsProvider`); required when the controller is installed. */
    readonly awsProvider?: aws.Provider;
    /** `cfg.gitops.destinationNamespaces`: the only namespaces the External Secrets store serves. */
    readonly applicationNamespaces?: readonly string[];
}

export class PlatformServices extends pulumi.ComponentResource {
    /** The charts installed, by service; the argo-cd chart depends on all of them. */
    public readonly charts: Readonly<Partial<Record<PlatformService, k8s.helm.v4.Chart>>>;
    /** Services installed, in order (for outputs and the plan). */
    public readonly installed: readonly PlatformService[];
    /** IAM role ARN of each service that has one (published to Argo CD through the cluster Secret). */
    public readonly roleArns: Readonly<Partial<Record<PlatformService, pulumi.Output<string>>>>;

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
        const roleArns: Partial<Record<PlatformService, pulumi.Output<string>>> = {};
        for (const plan of plans) {
            // The controllers' pods must find their Pod Identity association and permissions when they start.
            const identity = this.identityOf(name, plan.service, args);
            if (identity !== undefined) roleArns[plan.service] = identity.roleArn;
            const before = identity?.ready ?? [];
            // A certificate the chart would otherwise generate anew on every render (values.ts `webhookCertificatePlan`).
            const values = plan.service === "loadBalancerController" ? { ...plan.values, webhookTLS: this.webhookCertificate(name) } : plan.values;
            charts[plan.service] = new k8s.helm.v4.Chart(
                `${name}-${plan.releaseName}`,
                {
                    chart: plan.chart,
                    version: plan.version,
                    repositoryOpts: { repo: plan.repository },
                    name: plan.releaseName,
                    namespace: plan.namespace,
                    resourcePrefix: name,
                    values,
                    skipCrds: false,
                },
                {
                    parent: this,
                    dependsOn: [...inherited, ...before],
                    // CRDs retained and every object labelled with the environment, never the whole chart (chart-transforms.ts).
                    transforms: chartTransforms(args.environment),
                },
            );
        }
        const eso = charts.externalSecrets;
        if (eso !== undefined) {
            const d = PLATFORM_DEFAULTS.externalSecrets;
            new k8s.apiextensions.CustomResource(
                `${name}-cluster-secret-store`,
                clusterSecretStoreSpec(d.clusterSecretStore, args.region ?? "", args.applicationNamespaces ?? [], args.environment),
                // The ClusterSecretStore kind is a CRD of the chart (no data edge).
                { parent: this, dependsOn: [eso] },
            );
        }
        this.charts = charts;
        this.roleArns = roleArns;
        this.installed = plans.map((p) => p.service);
        this.registerOutputs({ installed: this.installed });
    }

    /** The controller's webhook CA and serving certificate, as the chart's `webhookTLS` values (PEM; the key secret). */
    private webhookCertificate(name: string): { caCert: pulumi.Output<string>; cert: pulumi.Output<string>; key: pulumi.Output<string> } {
        const p = webhookCertificatePlan();
        const opts: pulumi.CustomResourceOptions = { parent: this };
        const caKey = new tls.PrivateKey(`${name}-lbc-webhook-ca-key`, { algorithm: "RSA", rsaBits: 2048 }, opts);
        const ca = new tls.SelfSignedCert(
            `${name}-lbc-webhook-ca`,
            {
                privateKeyPem: caKey.privateKeyPem,
                isCaCertificate: true,
                subject: { commonName: p.caCommonName },
                validityPeriodHours: p.validityHours,
                allowedUses: ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"],
            },
            opts,
        );
        const key = new tls.PrivateKey(`${name}-lbc-webhook-key`, { algorithm: "RSA", rsaBits: 2048 }, opts);
        const request = new tls.CertRequest(`${name}-lbc-webhook`, { privateKeyPem: key.privateKeyPem, subject: { commonName: p.commonName }, dnsNames: [...p.dnsNames] }, opts);
        const cert = new tls.LocallySignedCert(
            `${name}-lbc-webhook`,
            {
                certRequestPem: request.certRequestPem,
                caPrivateKeyPem: caKey.privateKeyPem,
                caCertPem: ca.certPem,
                validityPeriodHours: p.validityHours,
                allowedUses: ["server_auth", "digital_signature", "key_encipherment"],
            },
            opts,
        );
        return { caCert: ca.certPem, cert: cert.certPem, key: pulumi.secret(key.privateKeyPem) };
    }

    /** The IAM identity of a service that calls AWS, or undefined for the others. */
    private identityOf(name: string, service: PlatformService, args: PlatformServicesArgs): Identity | undefined {
        switch (service) {
            case "loadBalancerController":
                return this.controllerIdentity(name, args);
            case "clusterAutoscaler":
                return this.podIdentity(name, "cluster-autoscaler", PLATFORM_DEFAULTS.clusterAutoscaler.serviceAccount, "Cluster Autoscaler", args, (scope) => clusterAutoscalerPolicy(scope));
            case "externalSecrets": {
                const c = args.config.externalSecrets;
                return this.podIdentity(name, "external-secrets", PLATFORM_DEFAULTS.externalSecrets.serviceAccount, "External Secrets Operator", args, (scope) =>
                    externalSecretsPolicy(scope, c.secretPaths, c.kmsKeyArn),
                );
            }
            case "metricsServer":
            case "prometheusOperatorCrds":
            case "nvidiaDevicePlugin":
                return undefined;
            default: {
                const never: never = service;
                return never;
            }
        }
    }

    /**
     * A role assumed through EKS Pod Identity by `kube-system/<serviceAccount>`, with one inline policy
     * built from the account, region and cluster name.
     */
    private podIdentity(name: string, role: string, serviceAccount: string, what: string, args: PlatformServicesArgs, policy: (scope: IdentityScope) => PolicyDocument): Identity {
        if (args.awsProvider === undefined || args.region === undefined) {
            throw new pulumi.ResourceError(`${name}: the ${what} needs aws:region and the program's AWS provider`, this);
        }
        const region = args.region;
        const res: pulumi.CustomResourceOptions = { parent: this, provider: args.awsProvider };
        const iamRole = new aws.iam.Role(
            `${name}-${role}-role`,
            { description: `${what} (${PLATFORM_DEFAULTS.namespace}/${serviceAccount}) through EKS Pod Identity`, assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()) },
            res,
        );
        const accountId = aws.getCallerIdentityOutput({}, { provider: args.awsProvider, parent: this }).accountId;
        const document = pulumi
            .all([accountId, pulumi.output(args.clusterName)])
            .apply(([account, clusterName]) => JSON.stringify(policy({ partition: partitionOf(region), region, accountId: account, clusterName })));
        const grant = new aws.iam.RolePolicy(`${name}-${role}-policy`, { role: iamRole.name, policy: document }, res);
        const association = new aws.eks.PodIdentityAssociation(
            `${name}-${role}`,
            { clusterName: args.clusterName, namespace: PLATFORM_DEFAULTS.namespace, serviceAccount, roleArn: iamRole.arn },
            res,
        );
        // The chart's pods get credentials only if the association has taken effect when they start.
        return { roleArn: iamRole.arn, ready: [podIdentityWait(`${name}-${role}`, association, [grant], this)] };
    }

    /** IAM role (Pod Identity trust), its policy, and the association with the controller's service account. */
    private controllerIdentity(name: string, args: PlatformServicesArgs): Identity {
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
        return { roleArn: role.arn, ready: [podIdentityWait(`${name}-lbc`, association, [attachment], this)] };
    }
}

/** Where a policy applies (components/platform/iam.ts). */
type IdentityScope = Parameters<typeof clusterAutoscalerPolicy>[0];

/** A service's role and what its pods need in place before they start. */
interface Identity {
    readonly roleArn: pulumi.Output<string>;
    readonly ready: pulumi.Resource[];
}

/** The resources of a `dependsOn` option as a list. */
export function dependsOnList(d: pulumi.ResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    if (d === undefined) return [];
    return Array.isArray(d) ? [...(d as pulumi.Input<pulumi.Resource>[])] : [d as pulumi.Input<pulumi.Resource>];
}

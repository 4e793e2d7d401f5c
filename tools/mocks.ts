/**
 * Realistic outputs for resources and provider functions under Pulumi's mock runtime.
 *
 * Remote components (`eks:index:Cluster`, `kubernetes:helm.sh/v4:Chart`) register as one resource
 * with no children under mocks, so their outputs are made up here in the shape the real providers
 * return. Everything else echoes its inputs plus the identifiers AWS would assign.
 */
import * as pulumi from "@pulumi/pulumi";

/** The AWS account every mocked ARN belongs to. */
export const MOCK_ACCOUNT_ID = "123456789012";

/** What the mock gives a resource: its id and state (inputs plus computed outputs). */
export interface MockResult {
    readonly id: string;
    readonly state: Record<string, unknown>;
}

type ResourceMock = (args: pulumi.runtime.MockResourceArgs, region: string) => Record<string, unknown>;
type CallMock = (args: pulumi.runtime.MockCallArgs, region: string, caller?: string) => Record<string, unknown>;

/** Kubeconfig as `eks:index:Cluster` returns it in `kubeconfigJson`: exec-based, no static token. */
export function mockKubeconfig(clusterName: string, endpoint: string, region: string): Record<string, unknown> {
    return {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "kubernetes", cluster: { server: endpoint, "certificate-authority-data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1PQ0sKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=" } }],
        contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
        "current-context": "aws",
        users: [
            {
                name: "aws",
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["--region", region, "eks", "get-token", "--cluster-name", clusterName, "--output", "json"],
                    },
                },
            },
        ],
    };
}

function arn(service: string, region: string, resource: string, global = false): string {
    return `arn:aws:${service}:${global ? "" : region}:${MOCK_ACCOUNT_ID}:${resource}`;
}

/** A PEM block whose body names the mock resource (`mock-2026-<name>`): stable across runs, never a real key. */
function mockPem(label: string, name: string): string {
    return `-----BEGIN ${label}-----\n${Buffer.from(`mock-2026-${name}`).toString("base64")}\n-----END ${label}-----\n`;
}

/** Per-type outputs. Keys are Pulumi type tokens. */
export const RESOURCE_MOCKS: Record<string, ResourceMock> = {
    "eks:index:Cluster": (args, region) => {
        const name = String(args.inputs.name ?? args.name);
        const endpoint = `https://${"0123456789ABCDEF0123456789ABCDEF".toLowerCase()}.gr7.${region}.eks.amazonaws.com`;
        const issuer = `https://oidc.eks.${region}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`;
        const kubeconfig = mockKubeconfig(name, endpoint, region);
        return {
            kubeconfig,
            kubeconfigJson: JSON.stringify(kubeconfig),
            eksCluster: { name, endpoint, arn: arn("eks", region, `cluster/${name}`), version: args.inputs.version },
            clusterSecurityGroupId: "sg-0c1a2b3c4d5e6f701",
            nodeSecurityGroupId: "sg-0c1a2b3c4d5e6f702",
            clusterIngressRuleId: "sgrule-0123456789",
            oidcProviderArn: arn("iam", region, `oidc-provider/${issuer.replace("https://", "")}`, true),
            oidcProviderUrl: issuer,
            oidcIssuer: issuer.replace("https://", ""),
            instanceRoles: [],
        };
    },
    "kubernetes:helm.sh/v4:Chart": () => ({ resources: [] }),
    // Cluster component (components/cluster): what AWS assigns to the resources it creates.
    "aws:eks/nodeGroup:NodeGroup": (args, region) => {
        // `nodeGroupNamePrefix` plus the 26-character unique suffix the provider appends.
        const nodeGroupName = String(args.inputs.nodeGroupName ?? `${args.inputs.nodeGroupNamePrefix ?? `${args.name}-`}20261126110000000000000001`);
        return {
            nodeGroupName,
            arn: arn("eks", region, `nodegroup/${args.inputs.clusterName}/${nodeGroupName}/0ac9e2f0-1234-5678-9abc-def012345678`),
            status: "ACTIVE",
            // The Auto Scaling group EKS creates for the node group (`eks-<node group>-<uuid>`).
            resources: [{ autoscalingGroups: [{ name: `eks-${nodeGroupName}-0ac9e2f0-1234-5678-9abc-def012345678` }], remoteAccessSecurityGroupId: "" }],
        };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": (args, region) => ({ arn: arn("ec2", region, `launch-template/lt-0123456789abcdef0`), latestVersion: 1, defaultVersion: 1, name: args.inputs.name ?? `${args.name}-20261126110000000000000002` }),
    "aws:eks/addon:Addon": (args, region) => ({ arn: arn("eks", region, `addon/${args.inputs.clusterName}/${args.inputs.addonName}/0ac9e2f0-aaaa-bbbb-cccc-def012345678`) }),
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": (args, region) => ({
        associationId: "a-0123456789abcdefg",
        associationArn: arn("eks", region, `podidentityassociation/${args.inputs.clusterName}/a-0123456789abcdefg`),
    }),
    "aws:kms/alias:Alias": (args, region) => ({ arn: arn("kms", region, String(args.inputs.name)) }),
    "aws:cloudwatch/logGroup:LogGroup": (args, region) => ({ arn: arn("logs", region, `log-group:${args.inputs.name}`) }),
    "aws:ec2/eip:Eip": () => ({ publicIp: "198.51.100.10", allocationId: "eipalloc-0123456789abcdef0" }),
    "aws:iam/role:Role": (args, region) => ({ arn: arn("iam", region, `role/${args.inputs.name ?? args.name}`, true), uniqueId: "AROAMOCKMOCKMOCKMOCK" }),
    "aws:kms/key:Key": (_args, region) => ({ arn: arn("kms", region, "key/1234abcd-12ab-34cd-56ef-1234567890ab"), keyId: "1234abcd-12ab-34cd-56ef-1234567890ab" }),
    // @pulumi/tls (the load balancer controller's webhook certificate): PEM-shaped, not real keys.
    "tls:index/privateKey:PrivateKey": (args) => ({ privateKeyPem: mockPem("PRIVATE KEY", args.name), publicKeyPem: mockPem("PUBLIC KEY", args.name) }),
    "tls:index/selfSignedCert:SelfSignedCert": (args) => ({ certPem: mockPem("CERTIFICATE", args.name) }),
    "tls:index/certRequest:CertRequest": (args) => ({ certRequestPem: mockPem("CERTIFICATE REQUEST", args.name) }),
    "tls:index/locallySignedCert:LocallySignedCert": (args) => ({ certPem: mockPem("CERTIFICATE", args.name) }),
    "random:index/randomPassword:RandomPassword": (args) => ({
        result: "m0ck-".padEnd(Number(args.inputs.length ?? 32), "x"),
        bcryptHash: "$2a$10$mockmockmockmockmockmu",
    }),
};

/** Provider functions (invokes). Keys are function tokens. */
export const CALL_MOCKS: Record<string, CallMock> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_args, region) => ({
        names: [`${region}a`, `${region}b`, `${region}c`],
        zoneIds: ["euw1-az1", "euw1-az2", "euw1-az3"],
        state: "available",
    }),
    // The program runs as the stack's deploy role when it names one (CI's deploy job), else as an IAM user.
    "aws:index/getCallerIdentity:getCallerIdentity": (_args, _region, caller) => {
        const role = caller === undefined ? undefined : /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(caller);
        if (role) return { accountId: role[2], arn: `arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}/pulumi`, userId: `AROAMOCKMOCKMOCKMOCK:pulumi` };
        return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`, userId: "AIDAMOCK" };
    },
    // The IAM principal behind a caller ARN: the role (with its path) of an assumed-role session, else the ARN itself.
    "aws:iam/getSessionContext:getSessionContext": (args, _region, caller) => {
        const arn = String(args.inputs.arn);
        const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
        if (!session) return { arn, issuerArn: arn, issuerId: "AIDAMOCK", issuerName: arn.split("/").pop() ?? arn, sessionName: "" };
        const issuerArn = (caller !== undefined && caller.endsWith(`/${session[3]}`)) ? caller : `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
        return { arn, issuerArn, issuerId: "AROAMOCKMOCKMOCKMOCK", issuerName: session[3], sessionName: session[4] };
    },
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com" }),
    "aws:index/getRegion:getRegion": (_args, region) => ({ name: region, region, id: region }),
    // GitOps and Argo CD components: Secrets Manager secrets they read at deploy time are JSON
    // documents; the mock holds every key any of them may carry (see docs/gitops.md, docs/argocd.md).
    "aws:secretsmanager/getSecretVersion:getSecretVersion": (args, region) => ({
        arn: arn("secretsmanager", region, `secret:${args.inputs.secretId}-AbCdEf`),
        id: `${args.inputs.secretId}|AWSCURRENT`,
        name: args.inputs.secretId,
        secretId: args.inputs.secretId,
        versionId: "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE",
        versionStages: ["AWSCURRENT"],
        secretString: JSON.stringify({ token: "mock-github-token", "slack-token": "fake-slack-bot-token", "teams-workflows-url-platform-alerts": "https://teams-workflows.example.invalid/fake", clientSecret: "mock-oidc-client-secret" }),
    }),
};

/** Build the `pulumi.runtime.Mocks` for one run; `caller` is the IAM role the program runs as, if any. */
export function createMocks(region: string, caller?: string): pulumi.runtime.Mocks {
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): MockResult {
            const extra = RESOURCE_MOCKS[args.type]?.(args, region) ?? {};
            const id = args.type.startsWith("pulumi:providers:") ? `${args.name}-provider-id` : `${args.name}-id`;
            return { id, state: { ...args.inputs, ...extra } };
        },
        call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
            return CALL_MOCKS[args.token]?.(args, region, caller) ?? args.inputs;
        },
    };
}

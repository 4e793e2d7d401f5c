/**
 * Which input changes make the engine replace a resource instead of updating it, for every
 * resource type the program registers: one table, each entry citing where the fact comes from.
 * Plain data and pure functions; `plan:diff` reads it (tools/plan-diff.ts `replacementReason`).
 *
 * Sources (read at the versions package.json pins):
 * - `aws:*`: the schema of the Terraform resource @pulumi/aws 7.48.0 bridges (terraform-provider-aws
 *   v6, `internal/service/<service>/<resource>.go`): attributes marked `ForceNew: true` (SDKv2) or
 *   `RequiresReplace()` (plugin framework), snake_case mapped to the Pulumi camelCase input.
 * - `eks:index:Cluster`: pulumi-eks v4.3.0 `nodejs/eks/cluster/cluster.ts` (which input reaches which
 *   ForceNew property of the `aws.eks.Cluster`, access entries and security group it creates).
 * - `kubernetes:*`: pulumi-kubernetes `provider/pkg/provider/diff.go` (`forceNewProperties`) and
 *   `provider.go` (`Diff`, `DiffConfig`).
 * - `random:*`, `tls:*`, `github:*`: terraform-provider-random / -tls / -github resource schemas.
 *
 * Paths are the Pulumi input paths as `plan:diff` prints them (`vpcConfig.subnetIds`); `*` matches
 * any one map key or list item. A change at, below or above a path (the whole object added or
 * removed) forces the replacement.
 */

/** One input path that forces a new resource. */
export interface ForceNewRule {
    /** Pulumi input path; `*` is any one key or list item. */
    readonly path: string;
    /** Only a removal forces it (an EKS cluster cannot turn envelope encryption off). */
    readonly only?: "removed";
    /** The rule does not apply while this input is `true` (the child it reaches is not created). */
    readonly unlessTrue?: string;
    /** For components: the child resource that is replaced (it inherits the component's `protect`). */
    readonly child?: string;
    /** The upstream attribute and why, when the path alone does not say it. */
    readonly note?: string;
}

/** What the table knows about one resource type. */
export interface TypeReplacements {
    /** Where the rules come from: repository and file. */
    readonly source: string;
    readonly forceNew: readonly ForceNewRule[];
    /** Inputs known to update in place (at least one, so a test can show the difference). */
    readonly inPlace: readonly string[];
    /**
     * Inputs that replace this resource when the resource of type `from` they are computed from is
     * replaced (the value is unknown until the new one exists, and the provider plans an unknown
     * value there as a replacement). Needed where the plan cannot show the link: a secret.
     */
    readonly replacedWhenUnknown?: readonly { readonly path: string; readonly from: string }[];
}

const TF_AWS = "terraform-provider-aws v6";
const tf = (file: string) => `${TF_AWS} internal/service/${file}`;
const rules = (...paths: string[]): ForceNewRule[] => paths.map((path) => ({ path }));

/** Every non-Kubernetes type, by Pulumi type token. */
export const REPLACEMENTS: Readonly<Record<string, TypeReplacements>> = {
    "aws:cloudwatch/logGroup:LogGroup": { source: tf("logs/group.go"), forceNew: rules("name", "namePrefix", "logGroupClass"), inPlace: ["retentionInDays", "kmsKeyId", "tags"] },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": { source: tf("ec2/vpc_default_security_group.go"), forceNew: rules("vpcId"), inPlace: ["ingress", "egress", "tags"] },
    "aws:ec2/eip:Eip": { source: tf("ec2/ec2_eip.go"), forceNew: rules("domain", "address", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool"), inPlace: ["instance", "networkInterface", "customerOwnedIpv4Pool", "tags"] },
    "aws:ec2/internetGateway:InternetGateway": { source: tf("ec2/vpc_internet_gateway.go"), forceNew: [], inPlace: ["vpcId", "tags"] },
    "aws:ec2/launchTemplate:LaunchTemplate": { source: tf("ec2/ec2_launch_template.go"), forceNew: rules("name", "namePrefix"), inPlace: ["blockDeviceMappings", "metadataOptions", "tagSpecifications", "description", "updateDefaultVersion", "tags"] },
    "aws:ec2/natGateway:NatGateway": { source: tf("ec2/vpc_nat_gateway.go"), forceNew: rules("allocationId", "subnetId", "connectivityType", "privateIp", "secondaryPrivateIpAddressCount"), inPlace: ["secondaryAllocationIds", "secondaryPrivateIpAddresses", "tags"] },
    "aws:ec2/routeTable:RouteTable": { source: tf("ec2/vpc_route_table.go"), forceNew: rules("vpcId"), inPlace: ["routes", "propagatingVgws", "tags"] },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": { source: tf("ec2/vpc_route_table_association.go"), forceNew: rules("subnetId", "gatewayId"), inPlace: ["routeTableId"] },
    "aws:ec2/subnet:Subnet": {
        source: tf("ec2/vpc_subnet.go"),
        forceNew: rules("vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "ipv4IpamPoolId", "ipv4NetmaskLength", "ipv6IpamPoolId", "ipv6Native", "ipv6NetmaskLength", "outpostArn"),
        inPlace: ["mapPublicIpOnLaunch", "enableDns64", "privateDnsHostnameTypeOnLaunch", "tags"],
    },
    "aws:ec2/vpc:Vpc": { source: tf("ec2/vpc_.go"), forceNew: rules("cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"), inPlace: ["enableDnsHostnames", "enableDnsSupport", "instanceTenancy", "tags"] },
    "aws:ec2/securityGroup:SecurityGroup": { source: tf("ec2/vpc_security_group.go"), forceNew: rules("name", "namePrefix", "vpcId", "description"), inPlace: ["ingress", "egress", "tags"] },
    "aws:eks/cluster:Cluster": {
        source: tf("eks/cluster.go"),
        forceNew: [
            ...rules("name", "roleArn", "bootstrapSelfManagedAddons", "accessConfig.bootstrapClusterCreatorAdminPermissions", "kubernetesNetworkConfig.ipFamily", "kubernetesNetworkConfig.serviceIpv4Cidr", "outpostConfig.controlPlaneInstanceType", "outpostConfig.controlPlanePlacement.groupName", "remoteNetworkConfig"),
            { path: "encryptionConfig", only: "removed", note: "ForceNewIfChange: envelope encryption cannot be turned off" },
        ],
        inPlace: ["version", "vpcConfig.subnetIds", "vpcConfig.publicAccessCidrs", "enabledClusterLogTypes", "accessConfig.authenticationMode", "upgradePolicy", "tags"],
    },
    "aws:eks/addon:Addon": { source: tf("eks/addon.go"), forceNew: rules("addonName", "clusterName"), inPlace: ["addonVersion", "configurationValues", "serviceAccountRoleArn", "resolveConflictsOnUpdate", "podIdentityAssociations", "tags"] },
    "aws:eks/nodeGroup:NodeGroup": {
        source: tf("eks/node_group.go"),
        forceNew: rules("amiType", "capacityType", "clusterName", "diskSize", "instanceTypes", "launchTemplate.id", "launchTemplate.name", "nodeGroupName", "nodeGroupNamePrefix", "nodeRoleArn", "remoteAccess", "subnetIds"),
        inPlace: ["scalingConfig", "labels", "taints", "launchTemplate.version", "version", "releaseVersion", "updateConfig", "nodeRepairConfig", "tags"],
    },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": { source: tf("eks/pod_identity_association.go (RequiresReplace)"), forceNew: rules("clusterName", "namespace", "serviceAccount"), inPlace: ["roleArn", "targetRoleArn", "disableSessionTags", "tags"] },
    "aws:eks/accessEntry:AccessEntry": { source: tf("eks/access_entry.go"), forceNew: rules("clusterName", "principalArn", "type"), inPlace: ["kubernetesGroups", "userName", "tags"] },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": { source: tf("eks/access_policy_association.go"), forceNew: rules("clusterName", "principalArn", "policyArn", "accessScope"), inPlace: [] },
    "aws:autoscaling/tag:Tag": { source: tf("autoscaling/group_tag.go (every argument ForceNew)"), forceNew: rules("autoscalingGroupName", "tag"), inPlace: [] },
    "aws:iam/policy:Policy": { source: tf("iam/policy.go"), forceNew: rules("name", "namePrefix", "path"), inPlace: ["policy", "description", "tags"] },
    "aws:iam/role:Role": { source: tf("iam/role.go"), forceNew: rules("name", "namePrefix", "path"), inPlace: ["assumeRolePolicy", "description", "maxSessionDuration", "permissionsBoundary", "tags"] },
    "aws:iam/rolePolicy:RolePolicy": { source: tf("iam/role_policy.go"), forceNew: rules("name", "namePrefix", "role"), inPlace: ["policy"] },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { source: tf("iam/role_policy_attachment.go"), forceNew: rules("role", "policyArn"), inPlace: [] },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": { source: tf("iam/openid_connect_provider.go"), forceNew: rules("url"), inPlace: ["clientIdLists", "thumbprintLists", "tags"] },
    "aws:kms/alias:Alias": { source: tf("kms/alias.go"), forceNew: rules("name", "namePrefix"), inPlace: ["targetKeyId"] },
    "aws:kms/key:Key": { source: tf("kms/key.go"), forceNew: rules("customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"), inPlace: ["description", "enableKeyRotation", "deletionWindowInDays", "policy", "tags"] },
    "eks:index:Cluster": {
        source: `pulumi-eks v4.3.0 nodejs/eks/cluster/cluster.ts, ${tf("eks/cluster.go")}`,
        forceNew: [
            { path: "name", child: "aws:eks/cluster:Cluster", note: "name is ForceNew" },
            { path: "serviceRole", child: "aws:eks/cluster:Cluster", note: "becomes roleArn, ForceNew" },
            { path: "kubernetesServiceIpAddressRange", child: "aws:eks/cluster:Cluster", note: "becomes kubernetesNetworkConfig.serviceIpv4Cidr, ForceNew" },
            { path: "ipFamily", child: "aws:eks/cluster:Cluster", note: "becomes kubernetesNetworkConfig.ipFamily, ForceNew" },
            { path: "encryptionConfigKeyArn", only: "removed", child: "aws:eks/cluster:Cluster", note: "removing encryptionConfig is ForceNewIfChange: envelope encryption cannot be turned off" },
            { path: "vpcId", unlessTrue: "skipDefaultSecurityGroups", child: "aws:ec2/securityGroup:SecurityGroup", note: "the cluster security group's vpcId is ForceNew" },
            { path: "accessEntries.*.principalArn", child: "aws:eks/accessEntry:AccessEntry", note: "principalArn is ForceNew" },
            { path: "accessEntries.*.type", child: "aws:eks/accessEntry:AccessEntry", note: "type is ForceNew" },
            { path: "accessEntries.*.accessPolicies.*.policyArn", child: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", note: "policyArn is ForceNew" },
            { path: "accessEntries.*.accessPolicies.*.accessScope", child: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", note: "accessScope is ForceNew" },
        ],
        // bootstrapSelfManagedAddons is in the aws.eks.Cluster's ignoreChanges (cluster.ts), so it never replaces.
        inPlace: ["version", "privateSubnetIds", "publicSubnetIds", "publicAccessCidrs", "enabledClusterLogTypes", "authenticationMode", "bootstrapSelfManagedAddons", "upgradePolicy", "deletionProtection", "accessEntries.*.kubernetesGroups"],
    },
    "random:index/randomPassword:RandomPassword": {
        source: "hashicorp/terraform-provider-random internal/provider/resource_password.go (every argument RequiresReplace)",
        forceNew: rules("keepers", "length", "special", "upper", "lower", "numeric", "number", "minLower", "minUpper", "minNumeric", "minSpecial", "overrideSpecial"),
        inPlace: [],
    },
    "time:index/sleep:Sleep": {
        source: "pulumiverse/pulumi-time, bridging hashicorp/terraform-provider-time internal/provider/resource_time_sleep.go (triggers RequiresReplace; the durations update in place)",
        forceNew: rules("triggers"),
        inPlace: ["createDuration", "destroyDuration"],
    },
    "tls:index/privateKey:PrivateKey": { source: "hashicorp/terraform-provider-tls internal/provider/resource_private_key.go (RequiresReplace)", forceNew: rules("algorithm", "rsaBits", "ecdsaCurve"), inPlace: [] },
    "tls:index/selfSignedCert:SelfSignedCert": {
        source: "hashicorp/terraform-provider-tls internal/provider/resource_self_signed_cert.go (RequiresReplace)",
        forceNew: rules("privateKeyPem", "subject", "validityPeriodHours", "allowedUses", "dnsNames", "ipAddresses", "uris", "isCaCertificate", "setSubjectKeyId", "setAuthorityKeyId"),
        inPlace: ["earlyRenewalHours"],
    },
    "tls:index/certRequest:CertRequest": { source: "hashicorp/terraform-provider-tls internal/provider/resource_cert_request.go (RequiresReplace)", forceNew: rules("privateKeyPem", "subject", "dnsNames", "ipAddresses", "uris"), inPlace: [] },
    "tls:index/locallySignedCert:LocallySignedCert": {
        source: "hashicorp/terraform-provider-tls internal/provider/resource_locally_signed_cert.go (RequiresReplace)",
        forceNew: rules("certRequestPem", "caPrivateKeyPem", "caCertPem", "validityPeriodHours", "allowedUses", "isCaCertificate", "setSubjectKeyId"),
        inPlace: ["earlyRenewalHours"],
    },
    "github:index/repositoryWebhook:RepositoryWebhook": { source: "integrations/terraform-provider-github github/resource_github_repository_webhook.go", forceNew: rules("repository"), inPlace: ["configuration", "events", "active"] },
    // A provider is replaced when its configuration points elsewhere; every resource it manages is
    // replaced with it (tools/plan-diff.ts follows options.provider).
    "pulumi:providers:aws": { source: "pulumi/pulumi-aws: a resource in another region or account is another resource", forceNew: rules("region", "assumeRoles", "profile"), inPlace: ["defaultTags", "skipCredentialsValidation", "skipRegionValidation"] },
    "pulumi:providers:kubernetes": {
        source: "pulumi-kubernetes provider/pkg/provider/provider.go DiffConfig",
        forceNew: [{ path: "clusterIdentifier", note: "every object of the provider is replaced with it" }, ...rules("context", "cluster", "renderYamlToDirectory")],
        inPlace: ["enableServerSideApply", "namespace"],
        // index.ts builds the provider's kubeconfig from the eks:index:Cluster's kubeconfigJson.
        replacedWhenUnknown: [{ path: "kubeconfig", from: "eks:index:Cluster" }],
    },
};

/** Components: the engine never replaces them; their children carry their own rules. */
export function isComponentType(type: string): boolean {
    return type.startsWith("footanalytics:") || type === "kubernetes:helm.sh/v4:Chart";
}

const K8S_SOURCE = "pulumi-kubernetes provider/pkg/provider/diff.go forceNewProperties";
const labelSelector = (prefix: string) => [prefix, `${prefix}.matchExpressions`, `${prefix}.matchLabels`];
const containerFields = ["args", "command", "env", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "ports", "readinessProbe", "resources", "securityContext", "stdin", "stdinOnce", "terminationMessagePath", "terminationMessagePolicy", "tty", "volumeDevices", "volumeMounts", "workingDir"];
const podFields = ["affinity", "automountServiceAccountToken", "dnsConfig", "dnsPolicy", "enableServiceLinks", "hostAliases", "hostIPC", "hostNetwork", "hostPID", "hostname", "imagePullSecrets", "nodeName", "nodeSelector", "overhead", "preemptionPolicy", "priority", "priorityClassName", "readinessGates", "restartPolicy", "runtimeClassName", "schedulerName", "securityContext", "serviceAccount", "serviceAccountName", "shareProcessNamespace", "subdomain", "terminationGracePeriodSeconds", "volumes"];
const pvSources = ["awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "csi", "fc", "flexVolume", "flocker", "gcePersistentDisk", "glusterfs", "hostPath", "iscsi", "local", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "vsphereVolume"];
const statefulSet = ["spec.podManagementPolicy", "spec.revisionHistoryLimit", "spec.serviceName", "spec.volumeClaimTemplates", ...labelSelector("spec.selector")];
const workload = labelSelector("spec.selector");
const job = ["spec.completions", "spec.parallelism", "spec.template", ...labelSelector("spec.selector")];
const roleBinding = ["roleRef"];

/** Kind-specific immutable fields, by `<group>/<version>` (core is `core/v1`) and kind. */
const KUBERNETES_KINDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
    "apps/v1": { DaemonSet: workload, Deployment: workload, StatefulSet: statefulSet },
    "apps/v1beta2": { DaemonSet: workload, Deployment: workload, StatefulSet: statefulSet },
    "apps/v1beta1": { StatefulSet: statefulSet },
    "core/v1": {
        PersistentVolume: pvSources.map((s) => `spec.${s}`),
        PersistentVolumeClaim: ["spec.accessModes", "spec.storageClassName", "spec.volumeName", ...labelSelector("spec.selector")],
        Pod: [...podFields.map((f) => `spec.${f}`), ...containerFields.flatMap((f) => [`spec.containers.*.${f}`, `spec.initContainers.*.${f}`])],
        ResourceQuota: ["spec.scopes"],
        Secret: ["type"],
        Service: ["spec.clusterIP"],
    },
    "policy/v1beta1": { PodDisruptionBudget: ["spec"] },
    "rbac.authorization.k8s.io/v1": { ClusterRoleBinding: roleBinding, RoleBinding: roleBinding },
    "rbac.authorization.k8s.io/v1beta1": { ClusterRoleBinding: roleBinding, RoleBinding: roleBinding },
    "storage.k8s.io/v1": { StorageClass: ["parameters", "provisioner"] },
    "batch/v1": { Job: job },
    "batch/v1beta1": { Job: job },
};

/** The provider settings that decide whether ConfigMap and Secret data replace them. */
export interface KubernetesProviderSettings {
    readonly enableConfigMapMutable?: boolean;
    readonly enableSecretMutable?: boolean;
}

/**
 * The rules for a type, or undefined when the table does not know the type. `inputs` are the
 * resource's new inputs (for `immutable: true` objects), `provider` the settings of the Kubernetes
 * provider it uses.
 */
export function rulesFor(type: string, inputs: Record<string, unknown> = {}, provider: KubernetesProviderSettings = {}): TypeReplacements | undefined {
    if (isComponentType(type)) return { source: "a component resource: the engine never replaces it", forceNew: [], inPlace: ["*"] };
    const known = REPLACEMENTS[type];
    if (known !== undefined) return known;
    const k8s = /^kubernetes:([^:]+):([^:]+)$/.exec(type);
    if (k8s === null || type.startsWith("kubernetes:helm.sh/")) return undefined;
    const [groupVersion, kind] = [k8s[1], k8s[2]];
    const immutable = inputs.immutable === true;
    const paths = ["metadata.name", "metadata.namespace"];
    const kindFields = KUBERNETES_KINDS[groupVersion]?.[kind];
    const core = groupVersion === "core/v1";
    // diff.go: a Secret's data replaces it unless the provider enables mutable Secrets (and the
    // Secret is not immutable); likewise a ConfigMap's data and enableConfigMapMutable.
    if (core && kind === "Secret" && (!provider.enableSecretMutable || immutable)) paths.push("type", "stringData", "data");
    else if (kindFields !== undefined) paths.push(...kindFields);
    else if (core && kind === "ConfigMap" && (!provider.enableConfigMapMutable || immutable)) paths.push("binaryData", "data");
    return {
        // apiVersion and kind are part of the URN: changing either is a delete and a create (added/removed).
        source: K8S_SOURCE,
        forceNew: paths.map((path) => ({ path })),
        inPlace: ["metadata.labels", "metadata.annotations"],
    };
}

/** Path segments of a `plan:diff` path: `a.b["c.d"][name=x][0]` → `a`, `b`, `c.d`, `[name=x]`, `[0]`. */
export function pathSegments(p: string): string[] {
    const out: string[] = [];
    const re = /\.?([A-Za-z_$][\w$-]*)|\[("(?:[^"\\]|\\.)*")\]|(\[[^\]]*\])/g;
    for (let m = re.exec(p); m !== null; m = re.exec(p)) {
        if (m[1] !== undefined) out.push(m[1]);
        else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
        else out.push(m[3]);
    }
    return out;
}

/** Whether a change at `changed` touches the value at the rule's path (at, below or above it). */
export function touches(rulePath: string, changed: string): boolean {
    const rule = rulePath.split(".");
    const seg = pathSegments(changed);
    const n = Math.min(rule.length, seg.length);
    for (let i = 0; i < n; i++) {
        const r = rule[i];
        if (r === "*") continue;
        // `*` in a rule matches a list item too (`[name=x]`, `[0]`): the rule's next key names the field.
        if (r !== seg[i]) return false;
    }
    return true;
}

/** How the rule reads in a report: the path, and the child it replaces for components. */
export function describeRule(changedPath: string, rule: ForceNewRule, entry: TypeReplacements): string {
    const what = rule.child !== undefined ? `forces a new ${rule.child} (a child: it inherits protect)` : "forces a new resource";
    const removed = rule.only === "removed" ? " removed" : "";
    return `${changedPath}${removed} ${what}${rule.note !== undefined ? ` (${rule.note})` : ""} [${entry.source}]`;
}

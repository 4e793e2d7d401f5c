/**
 * Fixed choices of the EKS cluster component, in one place. Everything that varies per stack comes
 * from `config/schema/cluster.ts`; these are the values every stack shares.
 */

export const CLUSTER_DEFAULTS = Object.freeze({
    /** Value of the `app.kubernetes.io/part-of` tag on every AWS resource. */
    partOf: "footanalytics",
    /** Tag keys the AWS provider's `defaultTags` set on every AWS resource. */
    tagKeys: Object.freeze({ partOf: "app.kubernetes.io/part-of", environment: "environment", costCentre: "cost-centre", stack: "pulumi-stack", managedBy: "managed-by" }),
    /** Authentication through EKS access entries only; the aws-auth ConfigMap is deprecated. */
    authenticationMode: "API" as const,
    /** Instance metadata: IMDSv2 only, and one hop so pods without host networking cannot reach the node role. */
    metadataOptions: Object.freeze({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" }),
    /** Root device of the Amazon Linux 2023 EKS AMIs. */
    rootDeviceName: "/dev/xvda",
    rootVolumeType: "gp3",
    /** Nodes replaced at once during a node group update. */
    maxUnavailableNodes: 1,
    /** Days KMS waits before deleting a scheduled key (the maximum, to leave time to cancel). */
    kmsDeletionWindowDays: 30,
    /** AWS managed policies of the node role (https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html). */
    // Not AmazonEKS_CNI_Policy: it moved to the aws-node service account (`cni` below), so a pod that
    // reaches the node role (host network, a node escape) cannot rewrite the VPC's network interfaces.
    // Not AmazonSSMManagedInstanceCore: no shell on nodes; `kubectl debug node/<name>` under an admin
    // access entry instead (docs/cluster.md).
    nodeRolePolicies: Object.freeze(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"]),
    /** The VPC CNI's permissions, given to its `aws-node` service account through EKS Pod Identity (https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html). */
    cni: Object.freeze({ policy: "AmazonEKS_CNI_Policy", namespace: "kube-system", serviceAccount: "aws-node" }),
    /** Policy and service account of the EBS CSI controller's IRSA role. */
    ebsCsi: Object.freeze({ policy: "service-role/AmazonEBSCSIDriverPolicy", namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" }),
    /** EKS access policies (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html). */
    accessPolicies: Object.freeze({ admin: "AmazonEKSClusterAdminPolicy", edit: "AmazonEKSEditPolicy", view: "AmazonEKSViewPolicy" }),
    /**
     * The preview roles' Kubernetes group and what it may read beyond AmazonEKSViewPolicy: the AWS Load
     * Balancer Controller chart looks up the Secret `<namePrefix>-tls` (`aws-load-balancer-tls`: no
     * nameOverride) in its release namespace on every render (eks-charts aws-load-balancer-controller
     * templates/_helpers.tpl, define "aws-load-balancer-controller.webhook-certs"), and Chart v4 renders
     * against the cluster, so a preview without `get` on it fails. The namespace is the platform's.
     */
    preview: Object.freeze({ group: "footanalytics:preview", roleName: "footanalytics-preview-chart-render", secretNamespace: "kube-system", secretName: "aws-load-balancer-tls" }),
    /**
     * The cluster's default StorageClass: EKS 1.30+ marks none default (gp2 lost the annotation), so a
     * PersistentVolumeClaim without `storageClassName` would stay Pending. Encrypted gp3 through the
     * EBS CSI add-on, bound where the pod is scheduled (an EBS volume lives in one zone).
     */
    storageClass: Object.freeze({ name: "gp3", provisioner: "ebs.csi.aws.com", defaultAnnotation: "storageclass.kubernetes.io/is-default-class" }),
    /** How add-on updates treat fields changed outside Pulumi: the pinned configuration wins. */
    addonConflicts: Object.freeze({ onCreate: "OVERWRITE", onUpdate: "OVERWRITE" }),
    /** Subnet layout of a created VPC: private subnets take 1/8 of the VPC each, public ones 1/64 of the last eighth. */
    subnetBits: Object.freeze({ private: 3, public: 6 }),
});

/**
 * The `system` node group runs Argo CD and the cluster services only: tainted `CriticalAddonsOnly`
 * (the taint EKS's own add-ons, CoreDNS and the EBS CSI controller, already tolerate), labelled so the
 * charts can select it. Application pods carry no toleration and land on the workload groups, away
 * from the controller's cluster-admin token.
 */
export const SYSTEM_NODES = Object.freeze({
    label: Object.freeze({ key: "footanalytics.io/node-role", value: "system" }),
    taint: Object.freeze({ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }),
    toleration: Object.freeze({ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }),
});

/** Chart values that pin a workload to the system nodes: a node selector and the toleration of their taint. */
export function systemPlacement(): { nodeSelector: Record<string, string>; tolerations: Record<string, string>[] } {
    return { nodeSelector: { [SYSTEM_NODES.label.key]: SYSTEM_NODES.label.value }, tolerations: [{ ...SYSTEM_NODES.toleration }] };
}

/**
 * The Argo CD ALB's own IngressClass. The AWS Load Balancer Controller reads an IngressClass's
 * IngressClassParams (`elbv2.k8s.aws/v1beta1`): `namespaceSelector` limits which namespaces' Ingresses
 * may use the class, and `scheme` overrides whatever scheme an Ingress annotates
 * (kubernetes-sigs/aws-load-balancer-controller docs/guide/ingress/ingress_class.md). So only the
 * argocd namespace gets this (internet-facing) ALB, while the controller's general class `alb` is
 * internal-only (components/platform/values.ts): a gitops-config Ingress cannot open the cluster to
 * the internet. Pure.
 */
import type { ArgoCdIngress } from "./values";
import { ARGOCD_DEFAULTS } from "./values";

/** The controller name an IngressClass names to be served by the AWS Load Balancer Controller. */
export const ALB_CONTROLLER = "ingress.k8s.aws/alb";

const LABELS = { "app.kubernetes.io/part-of": "argocd", "app.kubernetes.io/managed-by": "pulumi" } as const;

/** The IngressClassParams of the Argo CD class: the argocd namespace only, the configured scheme. */
export function argocdIngressClassParams(ingress: ArgoCdIngress) {
    return {
        apiVersion: "elbv2.k8s.aws/v1beta1",
        kind: "IngressClassParams",
        metadata: { name: ingress.className, labels: { ...LABELS } },
        spec: {
            // `kubernetes.io/metadata.name` is set by the API server on every namespace (Kubernetes 1.22+).
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ARGOCD_DEFAULTS.namespace } },
            scheme: ingress.scheme,
        },
    };
}

/** The IngressClass the Argo CD Ingress names (`argocd.ingress.className`). */
export function argocdIngressClass(ingress: ArgoCdIngress) {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "IngressClass",
        metadata: { name: ingress.className, labels: { ...LABELS } },
        spec: { controller: ALB_CONTROLLER, parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: ingress.className } },
    };
}

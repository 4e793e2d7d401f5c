/** The two environments a stack is (config/ `environment`, the pack's profiles). */
export const ENVIRONMENTS = ["staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * How the pack learns a stack's environment, under `pulumi preview --policy-pack` as under
 * `npm run policy:check`: the program declares the environment its configuration validated
 * (`footanalytics-gitops:environment`) on the resources the environment-dependent policies judge,
 * as this label. CrossGuard hands a resource policy the resource's own inputs, so the value travels
 * with the resource; nothing is guessed from the stack name.
 *
 * - Kubernetes objects (the Argo CD Applications) carry it in `metadata.labels`.
 * - The argo-cd Helm chart carries it in `values.global.additionalLabels`, which the chart puts on
 *   every object it renders (argo-helm charts/argo-cd 10.1.1 templates/_common.tpl, `argo-cd.labels`).
 * - The cluster services' charts carry it in their own common-labels key: the AWS Load Balancer
 *   Controller in `values.additionalLabels` (aws/eks-charts aws-load-balancer-controller 3.5.0
 *   templates/_helpers.tpl, `aws-load-balancer-controller.labels`), metrics-server in
 *   `values.commonLabels` (metrics-server chart 3.13.1 templates/_helpers.tpl, `metrics-server.labels`).
 *   The NVIDIA device plugin chart has no such key and no environment-dependent rule.
 */
export const ENVIRONMENT_LABEL = "footanalytics.io/environment";

/** Stack tag that, when set, names the environment of resources that declare none. */
export const ENVIRONMENT_TAG = "environment";

/** The label as the program sets it on a Kubernetes object. */
export function environmentLabels(environment: Environment): Record<string, string> {
    return { [ENVIRONMENT_LABEL]: environment };
}

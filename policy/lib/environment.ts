import type { Environment, PolicySettings } from "./config";
import { at, isRecord } from "./values";

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

const ENVIRONMENTS: readonly Environment[] = ["production", "staging"];

/** The label as the program sets it on a Kubernetes object. */
export function environmentLabels(environment: Environment): Record<string, string> {
    return { [ENVIRONMENT_LABEL]: environment };
}

/** Where a resource declares its labels: a Kubernetes object, then the charts' common-labels values (see above). */
const LABEL_PATHS: readonly (readonly string[])[] = [
    ["metadata", "labels"],
    ["values", "global", "additionalLabels"],
    ["values", "additionalLabels"],
    ["values", "commonLabels"],
];

/** The environment label a resource declares (`metadata.labels`, or a Helm chart's common labels), if any. */
export function declaredEnvironment(props: unknown): unknown {
    for (const path of LABEL_PATHS) {
        const labels = at(props, path);
        if (isRecord(labels) && labels[ENVIRONMENT_LABEL] !== undefined) {
            return labels[ENVIRONMENT_LABEL];
        }
    }
    return undefined;
}

/**
 * Which environment a check runs in, first match wins:
 * 1. the resource's {@link ENVIRONMENT_LABEL} (what the program's configuration declared); a value
 *    other than `production` or `staging` gets production;
 * 2. for resources without the label: the policy's pack config `environment` setting, then the
 *    stack tag `environment`;
 * 3. production, so that an undeterminable environment gets the strict profile.
 */
export function resolveEnvironment(props: unknown, settings: PolicySettings, stackTags: ReadonlyMap<string, string>): Environment {
    const declared = declaredEnvironment(props);
    if (declared !== undefined) {
        return ENVIRONMENTS.includes(declared as Environment) ? (declared as Environment) : "production";
    }
    if (settings.environment !== undefined) {
        return settings.environment;
    }
    const tag = stackTags.get(ENVIRONMENT_TAG);
    return (tag === "production" || tag === "staging") ? tag : "production";
}

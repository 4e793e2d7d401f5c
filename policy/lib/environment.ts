import { ENVIRONMENT_LABEL, ENVIRONMENT_TAG } from "@footanalytics/facts";
import { ENVIRONMENTS, type Environment, type PolicySettings } from "./config";
import { at, isRecord } from "./values";

/** The label and tag names live with the other facts (facts/labels.ts). */
export { ENVIRONMENT_LABEL, ENVIRONMENT_TAG, environmentLabels } from "@footanalytics/facts";

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

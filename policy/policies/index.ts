import type { Policies } from "@pulumi/policy";
import { ResourceRule, toResourcePolicy } from "../lib/engine";
import { applicationSyncPolicyRule } from "./application-sync-policy";
import { appprojectLeastPrivilegeRule } from "./appproject-least-privilege";
import { argocdChartValuesRule } from "./argocd-chart-values";
import { disallowLatestTagRule } from "./disallow-latest-tag";
import { eksVersionSupportRule } from "./eks-version-support";
import { platformChartValuesRule } from "./platform-chart-values";
import { podSecurityRule } from "./pod-security";
import { requireProbesRule } from "./require-probes";
import { requireRequestsLimitsRule } from "./require-requests-limits";

/** The pure rules behind the pack, in the order the CLI lists the policies. */
export const rules: readonly ResourceRule[] = [
    requireRequestsLimitsRule,
    requireProbesRule,
    argocdChartValuesRule,
    platformChartValuesRule,
    disallowLatestTagRule,
    appprojectLeastPrivilegeRule,
    applicationSyncPolicyRule,
    eksVersionSupportRule,
    podSecurityRule,
];

/** Every policy of the pack: the CrossGuard form of {@link rules}. */
export const policies: Policies = rules.map(toResourcePolicy);

/** The workload rules `npm run policy:manifests` applies to plain Kubernetes YAML. */
export const workloadRules: readonly ResourceRule[] = [requireRequestsLimitsRule, requireProbesRule, disallowLatestTagRule, podSecurityRule];

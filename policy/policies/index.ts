import type { Policies } from "@pulumi/policy";
import { ResourceRule } from "../lib/engine";
import { applicationSyncPolicy, applicationSyncPolicyRule } from "./application-sync-policy";
import { appprojectLeastPrivilege, appprojectLeastPrivilegeRule } from "./appproject-least-privilege";
import { argocdChartValues, argocdChartValuesRule } from "./argocd-chart-values";
import { disallowLatestTag, disallowLatestTagRule } from "./disallow-latest-tag";
import { requireProbes, requireProbesRule } from "./require-probes";
import { requireRequestsLimits, requireRequestsLimitsRule } from "./require-requests-limits";

/** Every policy of the pack, in the order the CLI lists them. */
export const policies: Policies = [
    requireRequestsLimits,
    requireProbes,
    argocdChartValues,
    disallowLatestTag,
    appprojectLeastPrivilege,
    applicationSyncPolicy,
];

/** The pure rules behind {@link policies}, same order. */
export const rules: readonly ResourceRule[] = [
    requireRequestsLimitsRule,
    requireProbesRule,
    argocdChartValuesRule,
    disallowLatestTagRule,
    appprojectLeastPrivilegeRule,
    applicationSyncPolicyRule,
];

/** The workload rules `npm run policy:manifests` applies to plain Kubernetes YAML. */
export const workloadRules: readonly ResourceRule[] = [requireRequestsLimitsRule, requireProbesRule, disallowLatestTagRule];

import type { Policies } from "@pulumi/policy";
import { ConfigurablePolicy } from "../lib/config";
import { ResourceRule, StackRule, toResourcePolicy, toStackPolicy } from "../lib/engine";
import { applicationSyncPolicyRule } from "./application-sync-policy";
import { appprojectLeastPrivilegeRule } from "./appproject-least-privilege";
import { disallowLatestTagRule } from "./disallow-latest-tag";
import { eksVersionSupportRule } from "./eks-version-support";
import { highAvailabilityRule } from "./high-availability";
import { podSecurityAdmissionRule } from "./pod-security-admission";
import { noPlaintextSecretsPackRule, noPlaintextSecretsRule } from "./no-plaintext-secrets";
import { podSecurityRule } from "./pod-security";
import { requireProbesRule } from "./require-probes";
import { requireRequestsLimitsRule } from "./require-requests-limits";

/** The pure resource rules behind the pack, in the order the CLI lists the policies. */
export const rules: readonly ResourceRule[] = [
    requireRequestsLimitsRule,
    requireProbesRule,
    disallowLatestTagRule,
    appprojectLeastPrivilegeRule,
    applicationSyncPolicyRule,
    eksVersionSupportRule,
    noPlaintextSecretsPackRule,
    podSecurityRule,
];

/** The rules over the whole stack (they need two objects at once), listed after the resource rules. */
export const stackRules: readonly StackRule[] = [podSecurityAdmissionRule, highAvailabilityRule];

/** Every policy a pack configuration may name a section for. */
export const configurablePolicies: readonly ConfigurablePolicy[] = [...rules, ...stackRules];

/** Every policy of the pack: the CrossGuard form of {@link rules} and {@link stackRules}. */
export const policies: Policies = [...rules.map(toResourcePolicy), ...stackRules.map(toStackPolicy)];

/** The workload rules `npm run policy:manifests` applies to plain Kubernetes YAML. */
export const workloadRules: readonly ResourceRule[] = [requireRequestsLimitsRule, requireProbesRule, disallowLatestTagRule, noPlaintextSecretsRule, podSecurityRule];

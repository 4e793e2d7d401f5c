import { isoDay, supportWarning } from "@footanalytics/facts";
import { Finding, ResourceRule, toResourcePolicy } from "../lib/engine";
import { Subject } from "../lib/kube";
import { knownString } from "../lib/values";

/**
 * Advisory: the EKS cluster's Kubernetes version is past its standard support (facts/eks-versions.ts),
 * so the stack does not drift into billed extended support, or an automatic upgrade, unnoticed.
 */

const CLUSTER_TYPES: ReadonlySet<string> = new Set(["eks:index:Cluster", "aws:eks/cluster:Cluster"]);

/** The rule on the day `clock` returns (tests pass a fixed day). */
export function eksVersionSupportRuleAt(clock: () => Date): ResourceRule {
    return {
        name: "eks-version-support",
        description: "The EKS cluster runs a Kubernetes version still in EKS standard support (advisory; the dated table is facts/eks-versions.ts).",
        enforcementLevel: "advisory",
        settingKeys: [],
        appliesTo: (type) => CLUSTER_TYPES.has(type),
        check(subject: Subject): readonly Finding[] {
            const version = knownString(subject.props.version);
            if (version === undefined) return [];
            const name = knownString(subject.props.name) ?? subject.name;
            const warning = supportWarning(version, isoDay(clock()));
            return warning === undefined ? [] : [{ kind: "EksCluster", name, message: `EKS cluster ${name}: ${warning}` }];
        },
    };
}

/** Pure rule, on today's date. */
export const eksVersionSupportRule: ResourceRule = eksVersionSupportRuleAt(() => new Date());

/** CrossGuard policy. */
export const eksVersionSupport = toResourcePolicy(eksVersionSupportRule);

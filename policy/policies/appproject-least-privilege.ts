import { Finding, ResourceRule, toResourcePolicy } from "../lib/engine";
import { describeObject, identityOf, isKubeKind, ObjectIdentity, Subject } from "../lib/kube";
import { at, isRecord } from "../lib/values";

const WILDCARD = "*";
const DESTINATION_FIELDS = ["server", "name", "namespace"] as const;

function sourceRepoFindings(id: ObjectIdentity, spec: unknown): readonly Finding[] {
    const repos = at(spec, ["sourceRepos"]);
    if (!Array.isArray(repos) || !repos.includes(WILDCARD)) {
        return [];
    }
    return [{ ...id, message: `${describeObject(id)} allows every source repository (spec.sourceRepos contains "*"); list the repositories` }];
}

function destinationFindings(id: ObjectIdentity, spec: unknown): readonly Finding[] {
    const destinations = at(spec, ["destinations"]);
    if (!Array.isArray(destinations)) {
        return [];
    }
    return destinations.flatMap((destination: unknown) => {
        if (!isRecord(destination)) {
            return [];
        }
        const wildcards = DESTINATION_FIELDS.filter((field) => destination[field] === WILDCARD);
        if (wildcards.length === 0) {
            return [];
        }
        const shown = DESTINATION_FIELDS.filter((field) => typeof destination[field] === "string")
            .map((field) => `${field} "${destination[field] as string}"`)
            .join(", ");
        const message = `${describeObject(id)} has a destination (${shown}) with "*" as ${wildcards.join(" and ")}; name the cluster and namespace`;
        return [{ ...id, message }];
    });
}

function clusterWhitelistFindings(id: ObjectIdentity, spec: unknown): readonly Finding[] {
    const whitelist = at(spec, ["clusterResourceWhitelist"]);
    if (!Array.isArray(whitelist)) {
        return [];
    }
    const everything = whitelist.some((entry: unknown) => isRecord(entry) && entry.group === WILDCARD && entry.kind === WILDCARD);
    if (!everything) {
        return [];
    }
    return [{ ...id, message: `${describeObject(id)} whitelists every cluster-scoped resource (spec.clusterResourceWhitelist contains "*/*"); list the kinds` }];
}

function check(subject: Subject): readonly Finding[] {
    const id = identityOf(subject, "AppProject");
    const spec = at(subject.props, ["spec"]);
    // Unknown lists (preview) yield no findings: `at` returns UNKNOWN, which is not an array.
    return [...sourceRepoFindings(id, spec), ...destinationFindings(id, spec), ...clusterWhitelistFindings(id, spec)];
}

/** Pure rule. */
export const appprojectLeastPrivilegeRule: ResourceRule = {
    name: "appproject-least-privilege",
    description:
        "An Argo CD AppProject names its source repositories and destinations (no \"*\") and does not whitelist every cluster-scoped resource (\"*/*\").",
    enforcementLevel: "mandatory",
    settingKeys: [],
    appliesTo: (type) => isKubeKind(type, "argoproj.io", "AppProject"),
    check,
};

/** CrossGuard policy. */
export const appprojectLeastPrivilege = toResourcePolicy(appprojectLeastPrivilegeRule);

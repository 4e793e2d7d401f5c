import { Finding, ResourceRule, RuleContext, toResourcePolicy } from "../lib/engine";
import { globMatch, PRIVILEGED_CLUSTER_KINDS, PROTECTED_NAMESPACES } from "@footanalytics/facts";
import { describeObject, identityOf, isKubeKind, ObjectIdentity, Subject } from "../lib/kube";
import { at, isRecord } from "../lib/values";

const WILDCARD = "*";
const DESTINATION_FIELDS = ["server", "name", "namespace"] as const;

/**
 * Values no listed entry should reach: a pattern that matches one of them matches (nearly) anything,
 * whatever its spelling (`*`, `**`, `https://*`, `*-*`). Argo CD matches sources and destinations with
 * globs (argoproj/argo-cd util/glob/glob.go), so the check asks the pattern, not its text.
 */
const FOREIGN_REPOSITORIES = ["https://attacker.example/org/repo", "git@attacker.example:org/repo.git", "https://github.com/attacker-org/repo"];
const FOREIGN_DESTINATION: Readonly<Record<(typeof DESTINATION_FIELDS)[number], string>> = {
    server: "https://attacker.example:6443",
    name: "attacker-cluster",
    namespace: "attacker-namespace",
};

function sourceRepoFindings(id: ObjectIdentity, spec: unknown): readonly Finding[] {
    const repos = at(spec, ["sourceRepos"]);
    if (!Array.isArray(repos)) {
        return [];
    }
    if (repos.includes(WILDCARD)) {
        return [{ ...id, message: `${describeObject(id)} allows every source repository (spec.sourceRepos contains "*"); list the repositories` }];
    }
    return repos
        .filter((repo): repo is string => typeof repo === "string" && FOREIGN_REPOSITORIES.some((url) => globMatch(repo, url)))
        .map((repo) => ({ ...id, message: `${describeObject(id)} allows repositories of any owner (spec.sourceRepos pattern "${repo}" matches ${FOREIGN_REPOSITORIES.find((url) => globMatch(repo, url)) as string}); list the repositories` }));
}

/** True when the project may only put Argo CD Applications in its namespaces (the root application's project). */
function onlyApplications(spec: unknown): boolean {
    const namespaced = at(spec, ["namespaceResourceWhitelist"]);
    const cluster = at(spec, ["clusterResourceWhitelist"]);
    return (
        Array.isArray(namespaced) &&
        namespaced.length === 1 &&
        isRecord(namespaced[0]) &&
        namespaced[0].group === "argoproj.io" &&
        namespaced[0].kind === "Application" &&
        (cluster === undefined || (Array.isArray(cluster) && cluster.length === 0))
    );
}

function destinationFindings(id: ObjectIdentity, spec: unknown, environment: RuleContext["environment"]): readonly Finding[] {
    const destinations = at(spec, ["destinations"]);
    if (!Array.isArray(destinations)) {
        return [];
    }
    const applicationsOnly = onlyApplications(spec);
    return destinations.flatMap((destination: unknown) => {
        if (!isRecord(destination)) {
            return [];
        }
        const shown = DESTINATION_FIELDS.filter((field) => typeof destination[field] === "string")
            .map((field) => `${field} "${destination[field] as string}"`)
            .join(", ");
        const wildcards = DESTINATION_FIELDS.filter((field) => typeof destination[field] === "string" && globMatch(destination[field] as string, FOREIGN_DESTINATION[field]));
        if (wildcards.length > 0) {
            const how = wildcards.every((field) => destination[field] === WILDCARD) ? '"*"' : "a pattern that matches any value";
            return [{ ...id, message: `${describeObject(id)} has a destination (${shown}) with ${how} as ${wildcards.join(" and ")}; name the cluster and namespace` }];
        }
        const namespace = destination.namespace;
        if (environment !== "production" || typeof namespace !== "string") {
            return [];
        }
        const reached = PROTECTED_NAMESPACES.filter((n) => globMatch(namespace, n) && !(n === "argocd" && namespace === "argocd" && applicationsOnly));
        return reached.map((n) => ({
            ...id,
            message: `${describeObject(id)} has a destination (${shown}) that reaches the ${n} namespace in production; only a project limited to argoproj.io/Application may deploy to argocd, and none to the system namespaces`,
        }));
    });
}

function clusterWhitelistFindings(id: ObjectIdentity, spec: unknown, environment: RuleContext["environment"]): readonly Finding[] {
    const whitelist = at(spec, ["clusterResourceWhitelist"]);
    if (!Array.isArray(whitelist)) {
        return [];
    }
    const entries = whitelist.filter((entry: unknown): entry is { group: string; kind: string } => isRecord(entry) && typeof entry.group === "string" && typeof entry.kind === "string");
    if (entries.some((entry) => entry.group === WILDCARD && entry.kind === WILDCARD)) {
        return [{ ...id, message: `${describeObject(id)} whitelists every cluster-scoped resource (spec.clusterResourceWhitelist contains "*/*"); list the kinds` }];
    }
    return entries.flatMap((entry) => {
        const label = `${entry.group}/${entry.kind}`;
        if (globMatch(entry.kind, "AnyKindAtAll") || globMatch(entry.group, "any.group.example")) {
            return [{ ...id, container: label, message: `${describeObject(id)} whitelists a pattern of cluster-scoped kinds (spec.clusterResourceWhitelist entry "${label}"); list the kinds` }];
        }
        if (environment !== "production") {
            return [];
        }
        return PRIVILEGED_CLUSTER_KINDS.filter((k) => globMatch(entry.group, k.group) && globMatch(entry.kind, k.kind)).map((k) => ({
            ...id,
            container: label,
            message: `${describeObject(id)} whitelists ${k.group === "" ? "core" : k.group}/${k.kind} in production (spec.clusterResourceWhitelist entry "${label}"), a kind that grants privilege over the cluster; remove it, or add a reviewed exemption with container "${label}" and a reason`,
        }));
    });
}

function check(subject: Subject, context: RuleContext): readonly Finding[] {
    const id = identityOf(subject, "AppProject");
    const spec = at(subject.props, ["spec"]);
    // Unknown lists (preview) yield no findings: `at` returns UNKNOWN, which is not an array.
    return [...sourceRepoFindings(id, spec), ...destinationFindings(id, spec, context.environment), ...clusterWhitelistFindings(id, spec, context.environment)];
}

/** Pure rule. */
export const appprojectLeastPrivilegeRule: ResourceRule = {
    name: "appproject-least-privilege",
    description:
        "An Argo CD AppProject names its source repositories and destinations (no \"*\" nor any pattern that matches everything), does not whitelist every cluster-scoped resource, and in production reaches neither argocd nor the system namespaces nor privileged cluster-scoped kinds without a reviewed exemption.",
    enforcementLevel: "mandatory",
    settingKeys: [],
    // The program owns Argo CD's built-in `default` project through an AppProject patch (components/gitops/index.ts).
    appliesTo: (type) => isKubeKind(type, "argoproj.io", "AppProject") || isKubeKind(type, "argoproj.io", "AppProjectPatch"),
    check,
};

/** CrossGuard policy. */
export const appprojectLeastPrivilege = toResourcePolicy(appprojectLeastPrivilegeRule);

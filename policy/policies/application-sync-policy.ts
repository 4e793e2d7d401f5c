import { Environment } from "../lib/config";
import { Finding, ResourceRule, RuleContext, toResourcePolicy } from "../lib/engine";
import { describeObject, identityOf, isKubeKind, ObjectIdentity, Subject } from "../lib/kube";
import { at, isMissing, isRecord, isUnknown } from "../lib/values";

function finding(id: ObjectIdentity, problem: string): Finding {
    return { ...id, message: `${describeObject(id)} ${problem}` };
}

function projectFindings(id: ObjectIdentity, spec: unknown): readonly Finding[] {
    const project = at(spec, ["project"]);
    if (isUnknown(project) || !(isMissing(project) || project === "default")) {
        return [];
    }
    return [finding(id, "uses the default project, which allows every source and destination; set spec.project to a dedicated AppProject")];
}

function automatedFindings(id: ObjectIdentity, syncPolicy: unknown): readonly Finding[] {
    const automated = at(syncPolicy, ["automated"]);
    if (isUnknown(automated)) {
        return [];
    }
    if (!isRecord(automated)) {
        return [finding(id, "does not sync automatically (spec.syncPolicy.automated is not set)")];
    }
    return automated.enabled === false ? [finding(id, "has automated sync switched off (spec.syncPolicy.automated.enabled is false)")] : [];
}

function retryFindings(id: ObjectIdentity, syncPolicy: unknown): readonly Finding[] {
    const retry = at(syncPolicy, ["retry"]);
    if (isUnknown(retry)) {
        return [];
    }
    if (!isRecord(retry)) {
        return [finding(id, "does not retry failed syncs (spec.syncPolicy.retry is not set)")];
    }
    const problems: Finding[] = [];
    if (retry.limit === 0) {
        problems.push(finding(id, "does not retry failed syncs (spec.syncPolicy.retry.limit is 0)"));
    }
    if (!isUnknown(retry.backoff) && !isRecord(retry.backoff)) {
        problems.push(finding(id, "retries failed syncs without backoff (spec.syncPolicy.retry.backoff is not set)"));
    }
    return problems;
}

/** `spec.source` and every `spec.sources[i]`, with the path used in messages. */
function sourcesOf(spec: unknown): readonly (readonly [string, unknown])[] {
    const sources: (readonly [string, unknown])[] = [];
    const single = at(spec, ["source"]);
    if (isRecord(single)) {
        sources.push(["spec.source", single]);
    }
    const multiple = at(spec, ["sources"]);
    if (Array.isArray(multiple)) {
        multiple.forEach((source: unknown, index: number) => {
            if (isRecord(source)) {
                sources.push([`spec.sources[${index}]`, source]);
            }
        });
    }
    return sources;
}

function headFindings(id: ObjectIdentity, spec: unknown): readonly Finding[] {
    return sourcesOf(spec).flatMap(([path, source]) => {
        const revision = at(source, ["targetRevision"]);
        if (isUnknown(revision)) {
            return [];
        }
        if (isMissing(revision)) {
            return [finding(id, `tracks HEAD in production (${path}.targetRevision is not set, which means HEAD); pin a tag or a commit`)];
        }
        if (typeof revision === "string" && revision.toUpperCase() === "HEAD") {
            return [finding(id, `tracks HEAD in production (${path}.targetRevision is "${revision}"); pin a tag or a commit`)];
        }
        return [];
    });
}

function check(subject: Subject, context: RuleContext): readonly Finding[] {
    const id = identityOf(subject, "Application");
    const spec = at(subject.props, ["spec"]);
    if (isUnknown(spec)) {
        return [];
    }
    const syncPolicy = at(spec, ["syncPolicy"]);
    const syncFindings = isUnknown(syncPolicy) ? [] : [...automatedFindings(id, syncPolicy), ...retryFindings(id, syncPolicy)];
    const production = context.environment === "production" ? headFindings(id, spec) : [];
    return [...projectFindings(id, spec), ...syncFindings, ...production];
}

/** Advisory in staging (and any non-production stack), mandatory in production. */
function levelIn(environment: Environment): "advisory" | "mandatory" {
    return environment === "production" ? "mandatory" : "advisory";
}

/** Pure rule. */
export const applicationSyncPolicyRule: ResourceRule = {
    name: "application-sync-policy",
    description:
        "An Argo CD Application uses a dedicated project and automated sync with retry and backoff, and in production does not track HEAD (advisory outside production).",
    enforcementLevel: "mandatory",
    levelIn,
    settingKeys: ["environment"],
    appliesTo: (type) => isKubeKind(type, "argoproj.io", "Application"),
    check,
};

/** CrossGuard policy. */
export const applicationSyncPolicy = toResourcePolicy(applicationSyncPolicyRule);

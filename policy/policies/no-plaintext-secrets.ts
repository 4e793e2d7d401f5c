import { Finding, ResourceRule, toResourcePolicy } from "../lib/engine";
import { describeObject, identityOf, isKubeKind, Subject } from "../lib/kube";
import { PROGRAM_SECRET_SOURCE, SECRET_SOURCE_ANNOTATION } from "@footanalytics/facts";
import { at, isRecord, isUnknown } from "../lib/values";

/**
 * Secret values never live in Git: a `kind: Secret` with keys in `data` or `stringData` is refused
 * and an ExternalSecret suggested (the operator and its `ClusterSecretStore` come from
 * components/platform). A service-account token Secret (the token controller fills it) and a Secret
 * without keys (filled by a controller, such as a webhook's certificate) hold nothing from Git.
 * Only key names are reported, never values.
 */

/** The store gitops-config's ExternalSecrets name (components/platform/values.ts PLATFORM_DEFAULTS.externalSecrets). */
const STORE = "aws-secrets-manager";

/** Key names of a `data`/`stringData` map; undefined when unknown (judged at `up`). */
function keysOf(value: unknown): string[] | undefined {
    if (isUnknown(value)) return undefined;
    return isRecord(value) ? Object.keys(value) : [];
}

function findings(subject: Subject, honourProgramSecrets: boolean): readonly Finding[] {
    if (!isKubeKind(subject.type, "core", "Secret")) return [];
    if (at(subject.props, ["type"]) === "kubernetes.io/service-account-token") return [];
    if (honourProgramSecrets && at(subject.props, ["metadata", "annotations", SECRET_SOURCE_ANNOTATION]) === PROGRAM_SECRET_SOURCE) return [];
    const data = keysOf(at(subject.props, ["data"]));
    const stringData = keysOf(at(subject.props, ["stringData"]));
    if (data === undefined || stringData === undefined || data.length + stringData.length === 0) return [];
    const id = identityOf(subject, "Secret");
    const held = [data.length > 0 ? `data: ${data.join(", ")}` : "", stringData.length > 0 ? `stringData: ${stringData.join(", ")}` : ""].filter((s) => s !== "").join("; ");
    return [
        {
            ...id,
            message: `${describeObject(id)} holds secret values in plain text (${held}); keep the values in AWS Secrets Manager under footanalytics/<stack>/apps/ and commit an ExternalSecret (external-secrets.io/v1) that names the ClusterSecretStore "${STORE}" instead (docs/platform.md)`,
        },
    ];
}

const description =
    "A Kubernetes Secret holds no values in data or stringData (an ExternalSecret reads them from AWS Secrets Manager); service-account token Secrets and Secrets without keys pass.";

/** Pure rule as `npm run policy:manifests` applies it to gitops-config: every Secret is judged. */
export const noPlaintextSecretsRule: ResourceRule = {
    name: "no-plaintext-secrets",
    description,
    enforcementLevel: "mandatory",
    settingKeys: [],
    appliesTo: (type) => isKubeKind(type, "core", "Secret"),
    check: (subject) => findings(subject, false),
};

/**
 * The same rule as the pack runs it on the program's resources: a Secret the program creates from
 * its Pulumi secrets carries the `footanalytics.io/secret-source: pulumi` annotation
 * (facts/program-secrets.ts) and passes; a Secret a chart renders is judged like a manifest.
 */
export const noPlaintextSecretsPackRule: ResourceRule = { ...noPlaintextSecretsRule, check: (subject) => findings(subject, true) };

/** CrossGuard policy. */
export const noPlaintextSecrets = toResourcePolicy(noPlaintextSecretsPackRule);

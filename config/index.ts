/**
 * The only module that reads `pulumi.Config`. `loadConfig()` returns one frozen, typed object with
 * every default applied, or throws one `ConfigValidationError` listing every problem.
 */
import * as pulumi from "@pulumi/pulumi";
import { AnyField, Environment, ENVIRONMENTS, infoOf, parseSection, partialView, ParseContext, problem, problemText, skipUnparsed } from "./dsl";
import { ConfigProblem, ConfigValidationError } from "./errors";
import * as fmt from "./formats";
import { closest, didYouMean } from "./closest";
import { PROJECT, PROVIDER_NAMESPACES, SCHEMA, SchemaValues } from "./schema";
import { argocdCrossSectionRules } from "./schema/argocd";
import { gitopsCrossSectionRules, platformProjectCrossSectionRules } from "./schema/gitops";
import { platformCrossSectionRules } from "./schema/platform";
import { allConfig, isConfigSecret } from "./sdk-internals";
import { SECRET_KEYS, SecretKey, Secrets, SecretSource, SecretSources, secretSources } from "./secrets";

export { ConfigValidationError, isConfigValidationError } from "./errors";
export type { Environment } from "./dsl";
export { PROJECT } from "./schema";

/** The validated configuration of one stack. */
export interface StackConfig extends SchemaValues {
    /** Pulumi project name. */
    readonly project: string;
    /** Pulumi stack name (`staging`, `production`, …). */
    readonly stack: string;
    /** AWS region from `aws:region`; undefined only in existing-cluster mode. */
    readonly awsRegion?: string;
    /** Secret keys that are set, as Pulumi secrets. */
    readonly secrets: Secrets;
    /** Where each secret the components use comes from (Pulumi secret, Secrets Manager, …), decided here once. */
    readonly secretSources: SecretSources;
    /** The cluster the stack deploys to, with what reaching it takes. */
    readonly clusterTarget: ClusterTarget;
}

/** A cluster created in `aws:region`, or an existing one reached through its secret kubeconfig. */
export type ClusterTarget = { readonly mode: "managed"; readonly region: string } | { readonly mode: "existing"; readonly kubeconfig: SecretSource };

/** Raw configuration as the Pulumi CLI hands it to a program: namespaced keys to strings. */
export type RawConfig = Readonly<Record<string, string>>;

/** The top-level keys whose value is an object, a list or a map. */
const STRUCTURED: ReadonlySet<string> = new Set(
    (Object.entries(SCHEMA) as [string, AnyField][]).filter(([, f]) => infoOf(f).shape !== undefined || infoOf(f).item !== undefined).map(([k]) => k),
);

/**
 * The CLI passes objects and lists as JSON text and scalars as plain text. Decode JSON where an
 * object or list belongs, and also where a scalar belongs but an object or list was given, so the
 * parser reports the wrong type instead of accepting the JSON text as a string.
 */
function fromCli(text: string, structured: boolean): unknown {
    if (!structured && !/^\s*[[{]/.test(text)) return text;
    try {
        return JSON.parse(text);
    } catch {
        return text; // a plain string where an object or list belongs: the parser names the type
    }
}

/**
 * Parse raw configuration. Pure apart from wrapping secrets in `pulumi.secret`, so tests call it
 * directly; `loadConfig` feeds it the CLI's configuration.
 */
export function parseConfig(raw: RawConfig, secretKeys: ReadonlySet<string>, stack: string): StackConfig {
    const envRaw = raw[`${PROJECT}:environment`];
    if (ENVIRONMENTS.includes(envRaw as Environment)) {
        const parsed = parseAs(raw, secretKeys, stack, envRaw as Environment);
        if (parsed.problems.length > 0) throw new ConfigValidationError(stack, parsed.problems);
        return parsed.config as StackConfig;
    }
    // Without a valid environment no per-environment default or rule can be chosen: report the
    // environment key and only the problems that hold in both environments, never a cascade of
    // production rules about keys the user did not set.
    const staging = new Set(parseAs(raw, secretKeys, stack, "staging").problems.map((p) => p.message));
    const problems = parseAs(raw, secretKeys, stack, "production").problems.filter((p) => staging.has(p.message));
    throw new ConfigValidationError(stack, problems);
}

/** Parse `raw` as a stack of environment `env`: the configuration, or every problem. */
function parseAs(raw: RawConfig, secretKeys: ReadonlySet<string>, stack: string, env: Environment): { config?: StackConfig; problems: readonly ConfigProblem[] } {
    const problems: ConfigProblem[] = [];
    const key = (k: string) => `${PROJECT}:${k}`;
    const ctx: ParseContext = { env, stack, problems };

    // Keys in our namespace that nothing reads are typos, and so are namespaces nothing reads
    // (`footanalytics-gitop:monitoring`); refuse them rather than ignore them.
    const known = new Set<string>([...Object.keys(SCHEMA), ...Object.keys(SECRET_KEYS)]);
    const namespaces = [PROJECT, ...PROVIDER_NAMESPACES];
    for (const full of Object.keys(raw).sort()) {
        const colon = full.indexOf(":");
        const namespace = colon < 0 ? "" : full.slice(0, colon);
        const k = full.slice(colon + 1);
        if (namespace !== PROJECT) {
            if (namespaces.includes(namespace)) continue;
            const hint = didYouMean(namespace, namespaces, (ns) => `${ns}:${ns === PROJECT ? (closest(k, known) ?? k) : k}`);
            problemText(ctx, full, `${full} is in the namespace "${namespace}", which nothing reads${hint}; expected ${PROJECT}:<key> or a provider namespace: ${PROVIDER_NAMESPACES.join(", ")}`);
            continue;
        }
        if (!known.has(k)) {
            problemText(ctx, full, `${full} is not a known key${didYouMean(k, known, (c) => `${PROJECT}:${c}`)}; expected one of: ${[...known].join(", ")}`);
        }
    }

    const values: Record<string, unknown> = {};
    const issues: { path: readonly PropertyKey[]; code?: string; params?: unknown }[] = [];
    for (const [k, field] of Object.entries(SCHEMA) as [string, AnyField][]) {
        const text = raw[key(k)];
        let value: unknown = text;
        if (text !== undefined) value = fromCli(text, STRUCTURED.has(k));
        if (text !== undefined && secretKeys.has(key(k))) {
            problemText(ctx, key(k), `${key(k)} is set as a secret; it holds no secret, set it with \`pulumi config set\` (without --secret)`);
            issues.push({ path: [k] });
            continue;
        }
        const parsed = parseSection(field, value, { env, stack, root: key(k) });
        values[k] = parsed.value;
        problems.push(...parsed.problems);
        issues.push(...parsed.issues.map((i) => ({ ...i, path: [k, ...(i.path ?? [])] })));
    }

    const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
    const misstoredSecrets: string[] = [];
    for (const k of Object.keys(SECRET_KEYS) as SecretKey[]) {
        const text = raw[key(k)];
        if (text === undefined) continue;
        misstoredSecrets.push(key(k));
        if (!secretKeys.has(key(k))) {
            problemText(ctx, key(k), `${key(k)} is stored in plain text; set it with \`pulumi config set --secret ${k} <value>\``);
            continue;
        }
        if (text.length === 0) {
            problemText(ctx, key(k), `${key(k)} is empty; expected a value set with \`pulumi config set --secret ${k} <value>\``);
            continue;
        }
        misstoredSecrets.pop();
        secrets[k] = pulumi.secret(text);
    }

    // Rules that span keys run even when other keys are wrong, on a view where reading a key that
    // failed to parse stops the check (that key's problem is already reported).
    const view = (issues.length === 0 ? values : partialView(values, issues)) as unknown as SchemaValues;
    const check = skipUnparsed;
    const region = raw["aws:region"];
    if (region !== undefined) {
        const expected = fmt.awsRegion.check(region);
        if (expected) problem(ctx, "aws:region", region, expected);
    }
    check(() => {
        if (region === undefined && view.cluster.mode !== "existing") {
            problemText(ctx, "aws:region", `aws:region is missing; expected an AWS region such as "eu-west-1" (set it with \`pulumi config set aws:region <region>\`)`);
        }
    });
    check(() => {
        if (region !== undefined || view.cluster.mode !== "existing") return;
        const secretsManagerKeys: string[] = [];
        check(() => {
            if (view.gitops.repoCredentials.source === "secretsManager") secretsManagerKeys.push("gitops.repoCredentials.source");
        });
        check(() => {
            if (view.notifications.secretsManagerSecretName !== undefined) secretsManagerKeys.push("notifications.secretsManagerSecretName");
        });
        check(() => {
            if (view.argocd.sso.clientSecretSecretsManagerName !== undefined) secretsManagerKeys.push("argocd.sso.clientSecretSecretsManagerName");
        });
        check(() => {
            if (view.gitops.imageUpdater.enabled && view.gitops.imageUpdater.writeCredentials.secretsManagerSecretName !== undefined) {
                secretsManagerKeys.push("gitops.imageUpdater.writeCredentials.secretsManagerSecretName");
            }
        });
        if (secretsManagerKeys.length > 0) {
            problemText(ctx, "aws:region", `aws:region is missing; expected the AWS region of the Secrets Manager secrets read because of ${secretsManagerKeys.map(key).join(" and ")}`);
        }
    });
    check(() => {
        if (view.cluster.mode === "existing" && secrets.kubeconfig === undefined && !problems.some((p) => p.key === key("kubeconfig"))) {
            problemText(ctx, key("kubeconfig"), `${key("kubeconfig")} is missing; expected the existing cluster's kubeconfig, set with \`pulumi config set --secret kubeconfig < kubeconfig.yaml\`, because ${key("cluster.mode")} is "existing"`);
        }
    });
    const sources = secretSources(view, secrets, (k, message) => problemText(ctx, k, message), check);
    for (const rule of CROSS_SECTION_RULES) check(() => rule(view, secrets, ctx));

    let target: ClusterTarget | undefined;
    check(() => {
        // The rules above refuse existing mode without a kubeconfig and managed mode without aws:region.
        if (view.cluster.mode === "existing") target = sources?.kubeconfig && { mode: "existing", kubeconfig: sources.kubeconfig };
        else target = region === undefined ? undefined : { mode: "managed", region };
    });
    if (problems.length > 0 || sources === undefined || target === undefined) {
        // A secret already reported as stored in plain text (or empty) is not reported as missing too.
        const misstored = new Set(misstoredSecrets);
        return { problems: problems.filter((p, i) => !misstored.has(p.key) || problems.findIndex((q) => q.key === p.key) === i) };
    }
    const config: StackConfig = deepFreeze({
        ...(values as unknown as SchemaValues),
        project: PROJECT,
        stack,
        awsRegion: region,
        secrets,
        secretSources: sources,
        clusterTarget: target,
    });
    return { config, problems };
}

/**
 * Rules that span sections or need to know which secrets are set, for example "a token or a
 * GitHub App is configured for the repository credentials". Each adds problems to `ctx`.
 */
export type CrossSectionRule = (values: SchemaValues, secrets: Secrets, ctx: ParseContext) => void;

const CROSS_SECTION_RULES: readonly CrossSectionRule[] = [
    // Repository credentials and notification services have their secrets; subscriptions name enabled services.
    gitopsCrossSectionRules,
    // The SSO client secret has one source, and one at all while the admin login is off.
    argocdCrossSectionRules,
    // Cluster services: the ingress has its controller, monitors their CRDs, autoscalers metrics, GPU nodes their device plugin.
    platformCrossSectionRules,
    // The platform AppProject is the administrators' only.
    platformProjectCrossSectionRules,
];

/** Deep-freeze a parsed configuration so no component can change it. */
function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const v of Object.values(value as object)) deepFreeze(v);
    }
    return value;
}

/** Read and validate the current stack's configuration. Throws `ConfigValidationError` listing every problem. */
export function loadConfig(): StackConfig {
    const raw = allConfig();
    const secretKeys = new Set(Object.keys(raw).filter((k) => isConfigSecret(k)));
    return parseConfig(raw, secretKeys, pulumi.getStack());
}

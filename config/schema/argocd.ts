import { bool, Field, int, list, obj, ObjectOf, ParseContext, perEnv, problem, problemText, section, str, StringFormat, TypeOf } from "../dsl";
import * as fmt from "../formats";
import type { Secrets } from "../secret-keys";
import { HA_MINIMUMS, PINNED } from "@footanalytics/facts";
import { secretsManagerName } from "./notifications";
import type { RbacConfig } from "./rbac";

/** CPU and memory of one side (requests or limits) of a container's resources. */
export interface Quantities {
    readonly cpu: string;
    readonly memory: string;
}

/** Requests and limits of one container, as the chart's `resources` values take them. */
export interface ContainerResources {
    readonly requests: Quantities;
    readonly limits: Quantities;
}

const quantities = (side: "requests" | "limits", container: string, staging: Quantities, production: Quantities) =>
    section(
        {
            cpu: str({ description: `CPU ${side} of the ${container}.`, format: fmt.cpuQuantity, default: perEnv(staging.cpu, production.cpu) }),
            memory: str({ description: `Memory ${side} of the ${container}.`, format: fmt.memoryQuantity, default: perEnv(staging.memory, production.memory) }),
        },
        { description: `Resource ${side} of the ${container}.` },
    );

/**
 * Requests and limits for CPU and memory of one container the chart renders, each defaulted per
 * environment; a request above its limit is refused.
 */
export function resources(container: string, staging: ContainerResources, production: ContainerResources = staging): Field<ContainerResources> {
    return section(
        {
            requests: quantities("requests", container, staging.requests, production.requests),
            limits: quantities("limits", container, staging.limits, production.limits),
        },
        {
            description: `CPU and memory requests and limits of the ${container}.`,
            rules(r, key, ctx) {
                if (fmt.cpuMillis(r.requests.cpu) > fmt.cpuMillis(r.limits.cpu)) {
                    problem(ctx, `${key}.requests.cpu`, r.requests.cpu, `must not exceed ${key}.limits.cpu (${r.limits.cpu})`);
                }
                if (fmt.memoryBytes(r.requests.memory) > fmt.memoryBytes(r.limits.memory)) {
                    problem(ctx, `${key}.requests.memory`, r.requests.memory, `must not exceed ${key}.limits.memory (${r.limits.memory})`);
                }
            },
        },
    );
}

/** Shorthand for a requests/limits pair: `sizes("100m", "128Mi", "500m", "256Mi")`. */
function sizes(requestCpu: string, requestMemory: string, limitCpu: string, limitMemory: string): ContainerResources {
    return { requests: { cpu: requestCpu, memory: requestMemory }, limits: { cpu: limitCpu, memory: limitMemory } };
}

/** Small helper containers (init containers, sidecars) are sized the same in both environments. */
const SMALL = sizes("10m", "32Mi", "50m", "64Mi");

/** Horizontal Pod Autoscaler settings of the API server or the repo server. */
const autoscaling = (component: string) =>
    section(
        {
            enabled: bool({ description: `Scale the ${component} with a HorizontalPodAutoscaler instead of a fixed replica count.`, default: false }),
            minReplicas: int({ description: `Minimum ${component} replicas under autoscaling.`, min: 1, max: 50, default: perEnv(1, 2) }),
            maxReplicas: int({ description: `Maximum ${component} replicas under autoscaling.`, min: 1, max: 50, default: perEnv(3, 5) }),
            targetCpuPercent: int({ description: "Average CPU utilisation the autoscaler aims for, in percent of the request.", min: 10, max: 100, default: 70 }),
        },
        {
            description: `Autoscaling of the ${component}.`,
            rules(a, key, ctx) {
                if (a.maxReplicas < a.minReplicas) problem(ctx, `${key}.maxReplicas`, a.maxReplicas, `must be at least ${key}.minReplicas (${a.minReplicas})`);
            },
        },
    );

/** An Argo CD UI extension installed by the API server's extension installer init container. */
export const extension = obj(
    {
        name: str({ description: "Extension name, unique in the list.", format: fmt.dns1123Label }),
        url: str({ description: "URL of the extension's release tarball (`EXTENSION_URL`).", format: fmt.httpsUrl }),
        checksumUrl: str({ description: "URL of the release's checksum file (`EXTENSION_CHECKSUM_URL`); required in production.", format: fmt.httpsUrl, optional: true }),
    },
    {
        description: "A UI extension.",
        rules(e, key, ctx) {
            // The installer skips verification without a checksum file (argocd-extension-installer README, EXTENSION_CHECKSUM_URL),
            // and the extension's JavaScript runs in every Argo CD user's browser session.
            if (ctx.env === "production" && e.checksumUrl === undefined) {
                problemText(ctx, `${key}.checksumUrl`, `${key}.checksumUrl is missing; expected the URL of the release's sha256 checksum file for extension "${e.name}": in production the installer must verify the tarball, whose JavaScript runs in every Argo CD session`);
            }
        },
    },
);

const SSO_MODES = ["none", "oidc", "dex"] as const;
/**
 * The IngressClass of the Argo CD ALB: `argocd-alb`, which components/argocd creates with
 * IngressClassParams limited to the argocd namespace (components/argocd/ingress-class.ts). The
 * controller's general class `alb` is internal-only (components/platform/values.ts).
 */
const INGRESS_CLASSES = ["argocd-alb"] as const;
const INGRESS_SCHEMES = ["internet-facing", "internal"] as const;

/** Polling interval ceiling when pushes cannot arrive (ingress off or internal). */
export const RECONCILIATION_WITHOUT_WEBHOOK_MAX_SECONDS = 180;

/** An ACM certificate ARN. */
const acmCertificateArn: StringFormat = {
    name: "ACM certificate ARN",
    check: (v) =>
        /^arn:aws[a-z-]*:acm:[a-z]{2}(-[a-z]+)+-\d:\d{12}:certificate\/[0-9a-f-]{36}$/.test(v)
            ? undefined
            : 'must be an ACM certificate ARN such as "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"',
};

const shape = {
    chartVersion: str({ description: "Version of the argo-cd chart from https://argoproj.github.io/argo-helm; must be the version facts/charts.ts describes (Renovate proposes updates).", format: fmt.semver, default: PINNED.argocd.version }),
    domain: str({ description: "Host name Argo CD is served on (`global.domain`); the UI lives under `/argocd`.", format: fmt.hostname }),
    imageTag: str({ description: "Argo CD image tag (`global.image.tag`); the chart's appVersion when unset.", format: fmt.imageTag, optional: true }),
    controller: section(
        {
            replicas: int({ description: "Application controller replicas (shards; the chart sets `ARGOCD_CONTROLLER_REPLICAS`).", min: 1, max: 20, default: 1 }),
            statusProcessors: int({ description: "`controller.status.processors`: Applications reconciled in parallel.", min: 1, max: 1000, default: perEnv(20, 50) }),
            operationProcessors: int({ description: "`controller.operation.processors`: sync operations run in parallel.", min: 1, max: 1000, default: perEnv(10, 25) }),
            resources: resources("application controller", sizes("250m", "512Mi", "1", "1Gi"), sizes("500m", "1Gi", "2", "2Gi")),
        },
        { description: "The application controller." },
    ),
    server: section(
        {
            replicas: int({ description: "API server replicas when autoscaling is off (also `ARGOCD_API_SERVER_REPLICAS`).", min: 1, max: 50, default: perEnv(1, 2) }),
            autoscaling: autoscaling("API server"),
            resources: resources("API server", sizes("50m", "128Mi", "500m", "256Mi"), sizes("100m", "256Mi", "1", "512Mi")),
        },
        { description: "The API server and UI." },
    ),
    repoServer: section(
        {
            replicas: int({ description: "Repo server replicas when autoscaling is off (the chart ignores it while autoscaling is on).", min: 1, max: 50, default: perEnv(1, 2) }),
            autoscaling: autoscaling("repo server"),
            parallelismLimit: int({ description: "`reposerver.parallelism.limit`: concurrent manifest generations per repo server (0 = unlimited).", min: 0, max: 1000, default: perEnv(5, 10) }),
            repoCacheExpiration: str({
                description:
                    "`reposerver.repo.cache.expiration`: how long generated manifests stay cached per commit. Argo CD's 24h suits Kustomize overlays whose output changes only with a commit; its high-availability guide suggests 1h with remote bases or unversioned Helm charts.",
                format: fmt.duration,
                default: "24h",
            }),
            resources: resources("repo server", sizes("100m", "256Mi", "1", "1Gi"), sizes("250m", "512Mi", "2", "2Gi")),
            copyutilResources: resources("repo server's copyutil init container", SMALL),
        },
        { description: "The repo server." },
    ),
    applicationSet: section(
        {
            replicas: int({ description: "ApplicationSet controller replicas.", min: 1, max: 10, default: perEnv(1, 2) }),
            resources: resources("ApplicationSet controller", sizes("50m", "64Mi", "250m", "256Mi"), sizes("100m", "128Mi", "500m", "512Mi")),
        },
        { description: "The ApplicationSet controller." },
    ),
    notifications: section(
        { resources: resources("notifications controller", sizes("50m", "64Mi", "200m", "128Mi"), sizes("100m", "128Mi", "500m", "256Mi")) },
        { description: "The notifications controller (its ConfigMap and Secret belong to components/gitops)." },
    ),
    dex: section(
        {
            resources: resources("Dex server", sizes("10m", "32Mi", "100m", "128Mi")),
            initResources: resources("Dex server's copyutil init container", SMALL),
        },
        { description: "Dex (deployed when `sso.mode` is `dex`)." },
    ),
    redis: section(
        {
            resources: resources("single Redis", sizes("100m", "128Mi", "500m", "256Mi")),
            exporterResources: resources("single Redis's metrics exporter", sizes("10m", "32Mi", "100m", "64Mi")),
        },
        { description: "The single Redis used when `redisHa.enabled` is false." },
    ),
    redisHa: section(
        {
            enabled: bool({ description: "Run Redis highly available (the `redis-ha` subchart: Redis + Sentinel StatefulSet behind HAProxy).", default: perEnv(false, true) }),
            replicas: int({ description: "Redis/Sentinel pods (hard anti-affinity: one per node).", min: 1, max: 9, default: 3 }),
            haproxyReplicas: int({ description: "HAProxy pods in front of Redis (hard anti-affinity: one per node).", min: 1, max: 9, default: 3 }),
            redisResources: resources("redis-ha Redis container", sizes("100m", "256Mi", "500m", "512Mi")),
            sentinelResources: resources("redis-ha Sentinel container", sizes("50m", "64Mi", "200m", "128Mi")),
            haproxyResources: resources("redis-ha HAProxy container", sizes("50m", "64Mi", "250m", "256Mi")),
            haproxyInitResources: resources("redis-ha HAProxy config-init init container", SMALL),
            initResources: resources("redis-ha config-init init container", SMALL),
            splitBrainResources: resources("redis-ha split-brain-fix container", SMALL),
            exporterResources: resources("redis-ha metrics exporter", sizes("10m", "32Mi", "100m", "64Mi")),
        },
        { description: "Highly available Redis." },
    ),
    commitServer: section(
        {
            enabled: bool({ description: "Run the commit server (needed only by the manifest hydrator).", default: false }),
            resources: resources("commit server", sizes("50m", "64Mi", "250m", "256Mi")),
        },
        { description: "The commit server." },
    ),
    extensions: section(
        {
            enabled: bool({ description: "Install UI extensions through the API server's extension installer init container.", default: false }),
            list: list(extension, { description: "The extensions to install.", default: [], uniqueBy: (e) => e.name, uniqueLabel: "name" }),
            resources: resources("API server's extension installer init container", sizes("10m", "64Mi", "50m", "128Mi")),
        },
        {
            description: "Argo CD UI extensions.",
            rules(e, key, ctx) {
                if (e.enabled && e.list.length === 0) problem(ctx, `${key}.list`, e.list, `is empty; expected at least one extension when ${key}.enabled is true`);
            },
        },
    ),
    webhook: bool({ description: "GitHub push webhook (secret `githubWebhookSecret`) so pushes sync within seconds; polling becomes a fallback.", default: true }),
    githubWebhook: section(
        {
            generateSecret: bool({
                description: "Generate the webhook secret (`@pulumi/random`, encrypted in the state) when the secret `githubWebhookSecret` is not set. Off: the webhook needs `githubWebhookSecret`, which production requires (Argo CD accepts unsigned pushes when no secret is set).",
                default: true,
            }),
            manage: bool({
                description: "Create the push webhook on `repository` with `@pulumi/github` (the Argo CD URL, the secret, push events), so nobody copies the secret by hand; needs a GitHub token with admin:repo_hook in `GITHUB_TOKEN` at deploy time.",
                default: false,
            }),
            repository: str({
                description: "GitHub repository (`<owner>/<name>`) whose pushes the webhook reports: the GitOps repository.",
                format: { name: "GitHub repository", check: (v) => (/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(v) ? undefined : 'must be a GitHub repository "<owner>/<name>" such as "footanalytics/gitops-config"') },
                default: "footanalytics/gitops-config",
            }),
        },
        {
            description: "The GitHub push webhook's secret and, optionally, the webhook itself.",
        },
    ),
    reconciliationTimeout: str({
        description:
            "`timeout.reconciliation` (argocd-cm): how often Git is polled; defaults to 600s when `webhook` is on and the ingress is internet-facing (pushes arrive), else 180s. At most 180s while the ingress is off or internal.",
        format: fmt.duration,
        optional: true,
    }),
    ingress: section(
        {
            enabled: bool({ description: "Create an ALB Ingress for `https://<domain>/argocd` (needs `platform.loadBalancerController`).", default: false }),
            className: str<(typeof INGRESS_CLASSES)[number]>({
                description: "IngressClass; `argocd-alb` is the class the program creates for the Argo CD ALB (served by the AWS Load Balancer Controller of `platform.loadBalancerController`; its IngressClassParams admit only the argocd namespace and set the scheme).",
                oneOf: INGRESS_CLASSES,
                default: "argocd-alb",
            }),
            scheme: str<(typeof INGRESS_SCHEMES)[number]>({
                description: "`alb.ingress.kubernetes.io/scheme`: `internet-facing` so GitHub webhooks arrive, or `internal` (VPC only; Git is then polled every 180s at most).",
                oneOf: INGRESS_SCHEMES,
                default: "internet-facing",
            }),
            inboundCidrs: list(str({ description: "IPv4 CIDR block.", format: fmt.cidr }), {
                description: "`alb.ingress.kubernetes.io/inbound-cidrs`: who may reach the ALB (office ranges, VPN, GitHub's hook ranges from https://api.github.com/meta); required when internet-facing; in production never more than a /8 in total (0.0.0.0/0, or 0.0.0.0/1 + 128.0.0.0/1).",
                default: [],
                uniqueBy: (c) => c,
                uniqueLabel: "CIDR",
            }),
            certificateArn: str({
                description: "ACM certificate of `domain` for the HTTPS listener (`alb.ingress.kubernetes.io/certificate-arn`); required when the ingress is on.",
                format: acmCertificateArn,
                optional: true,
            }),
        },
        {
            description: "ALB Ingress of the API server: HTTPS on 443 with an ACM certificate, HTTPS to the server (`server.insecure` stays false).",
            rules(i, key, ctx) {
                if (!i.enabled) return;
                if (i.certificateArn === undefined) {
                    problemText(ctx, `${key}.certificateArn`, `${key}.certificateArn is missing; expected the ACM certificate ARN of the Argo CD domain (arn:aws:acm:<region>:<account>:certificate/<id>) because ${key}.enabled is true: the ALB serves HTTPS only`);
                }
                if (i.scheme === "internet-facing" && i.inboundCidrs.length === 0) {
                    problemText(ctx, `${key}.inboundCidrs`, `${key}.inboundCidrs is empty; expected the CIDRs allowed to reach the internet-facing ALB (office ranges and GitHub's hook ranges), otherwise the controller opens it to 0.0.0.0/0`);
                }
                if (ctx.env === "production" && i.inboundCidrs.includes("0.0.0.0/0")) {
                    problem(ctx, `${key}.inboundCidrs`, i.inboundCidrs, "must not contain 0.0.0.0/0 in production; list the office ranges and GitHub's hook ranges (https://api.github.com/meta, key `hooks`) instead");
                } else if (ctx.env === "production") {
                    const why = fmt.cidrCoverageProblem(i.inboundCidrs);
                    if (why !== undefined) problem(ctx, `${key}.inboundCidrs`, i.inboundCidrs, why);
                }
            },
        },
    ),
    sso: section(
        {
            mode: str<(typeof SSO_MODES)[number]>({ description: "`none`, `oidc` (Argo CD's built-in OIDC client) or `dex` (Dex as an OIDC connector).", oneOf: SSO_MODES, default: "none" }),
            name: str({ description: "Name of the login button.", default: "FootAnalytics SSO" }),
            issuer: str({ description: "OIDC issuer URL.", format: fmt.httpsUrl, optional: true }),
            clientId: str({ description: "OIDC client id; its secret is the secret key `oidcClientSecret` or `clientSecretSecretsManagerName`.", optional: true }),
            clientSecretSecretsManagerName: str({
                description: "AWS Secrets Manager secret (JSON `{\"clientSecret\": \"…\"}`) read at deploy time instead of the `oidcClientSecret` Pulumi secret.",
                format: secretsManagerName,
                optional: true,
            }),
        },
        {
            description: "Single sign-on.",
            rules(s, key, ctx) {
                if (s.mode === "none") return;
                if (s.issuer === undefined) problemText(ctx, `${key}.issuer`, `${key}.issuer is missing; expected the OIDC issuer URL when ${key}.mode is "${s.mode}"`);
                if (s.clientId === undefined) problemText(ctx, `${key}.clientId`, `${key}.clientId is missing; expected the OIDC client id when ${key}.mode is "${s.mode}"`);
            },
        },
    ),
    execEnabled: bool({ description: "`exec.enabled` (argocd-cm): the web terminal into Application pods; an RBAC `exec` grant does nothing while it is false.", default: false }),
    adminEnabled: bool({ description: "Keep the local `admin` login (`admin.enabled`); production turns it off once SSO is configured.", default: perEnv(true, false) }),
    networkPolicy: bool({ description: "Create the chart's NetworkPolicies for every component (`global.networkPolicy.create`) and, with redis-ha, the program's own policies that admit only the Redis clients; required in production.", default: true }),
};

/** Production invariants: the chart's "High Availability" guide, and no lock-out. */
function rules(a: ObjectOf<typeof shape>, key: string, ctx: ParseContext): void {
    // facts/charts.ts describes exactly one chart version; another one needs its templates read again.
    if (a.chartVersion !== PINNED.argocd.version) {
        problem(ctx, `${key}.chartVersion`, a.chartVersion, `must be ${PINNED.argocd.version}, the version facts/charts.ts was checked against; read the new chart's templates and update charts.ts together with this key`);
    }
    const read = (path: string): unknown => path.split(".").reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], a);
    if (ctx.env === "production") {
        if (!a.redisHa.enabled) {
            problem(ctx, `${key}.redisHa.enabled`, a.redisHa.enabled, "must be true in production: a single Redis is a single point of failure for every Argo CD component");
        }
        for (const m of HA_MINIMUMS) {
            if (m.configKey.startsWith("redisHa.") && !a.redisHa.enabled) continue;
            const k = (m.autoscaled !== undefined && read(m.autoscaled.enabled) === true) ? m.autoscaled.configKey : m.configKey;
            const value = read(k) as number;
            if (value < m.min) problem(ctx, `${key}.${k}`, value, `must be at least ${m.min} in production because ${m.why}`);
        }
        if (!a.networkPolicy) {
            problem(ctx, `${key}.networkPolicy`, a.networkPolicy, "must be true in production: without it every pod of the cluster can reach Redis and the Argo CD components");
        }
        if (a.sso.mode !== "none" && a.adminEnabled) {
            problem(ctx, `${key}.adminEnabled`, a.adminEnabled, `must be false in production once SSO is configured (${key}.sso.mode is "${a.sso.mode}")`);
        }
    }
    const pushesArrive = a.webhook && a.ingress.enabled && a.ingress.scheme === "internet-facing";
    if (!pushesArrive && a.reconciliationTimeout !== undefined && fmt.durationSeconds(a.reconciliationTimeout) > RECONCILIATION_WITHOUT_WEBHOOK_MAX_SECONDS) {
        const why = !a.ingress.enabled ? `${key}.ingress.enabled is false` : a.ingress.scheme === "internal" ? `${key}.ingress.scheme is "internal"` : `${key}.webhook is false`;
        problem(ctx, `${key}.reconciliationTimeout`, a.reconciliationTimeout, `must be at most ${RECONCILIATION_WITHOUT_WEBHOOK_MAX_SECONDS}s because ${why}: no GitHub webhook reaches Argo CD, so polling is the only way changes are noticed`);
    }
    if (a.sso.mode === "none" && !a.adminEnabled) {
        problem(ctx, `${key}.adminEnabled`, a.adminEnabled, `must be true while ${key}.sso.mode is "none": otherwise nobody can sign in`);
    }
}

/**
 * Argo CD installation settings (chart, HA, resources, probes, security, ingress).
 * Owned by components/argocd; see components/argocd/values.ts for how each key maps to chart values.
 */
export const argocdSchema = section(shape, { description: "The Argo CD installation.", rules });

export type ArgoCdConfig = TypeOf<typeof argocdSchema>;

/**
 * The SSO client secret comes from exactly one place (registered in config/index.ts
 * CROSS_SECTION_RULES, since it needs the secrets and the RBAC section): with the admin login off, OIDC or Dex
 * (whose connector uses the same secret) without it would lock everyone out of Argo CD.
 * With the admin login on, components/argocd only warns.
 */
export function argocdCrossSectionRules(values: { argocd: ArgoCdConfig; rbac: RbacConfig }, secrets: Secrets, ctx: ParseContext): void {
    const key = (k: string) => `footanalytics-gitops:${k}`;
    const a = values.argocd;
    // An exec grant while the terminal is off does nothing (argocd-cm exec.enabled, Argo CD docs operator-manual/web_based_terminal.md).
    if (!a.execEnabled) {
        values.rbac.roles.forEach((r, i) =>
            r.policies.forEach((p, j) => {
                if (p.resource === "exec" && p.effect === "allow") {
                    problemText(ctx, key(`rbac.roles[${i}].policies[${j}].resource`), `${key(`rbac.roles[${i}].policies[${j}]`)} grants exec to ${r.name}, but ${key("argocd.execEnabled")} is false, so the grant does nothing; remove it or set ${key("argocd.execEnabled")} to true`);
                }
            }),
        );
    }
    // Argo CD v3.4 accepts an unsigned push when `webhook.github.secret` is empty (util/webhook/webhook.go):
    // anyone who reaches the ALB could trigger refreshes and auto-syncs.
    if (a.webhook && secrets.githubWebhookSecret === undefined && !a.githubWebhook.generateSecret) {
        if (ctx.env === "production") {
            problemText(ctx, key("githubWebhookSecret"), `${key("githubWebhookSecret")} is missing; expected the GitHub webhook secret (\`pulumi config set --secret githubWebhookSecret <secret>\`) or ${key("argocd.githubWebhook.generateSecret")} true, because ${key("argocd.webhook")} is on in production and Argo CD accepts unsigned pushes when no secret is set`);
        } else if (a.githubWebhook.manage) {
            problemText(ctx, key("githubWebhookSecret"), `${key("githubWebhookSecret")} is missing; expected it (or ${key("argocd.githubWebhook.generateSecret")} true) because ${key("argocd.githubWebhook.manage")} creates the webhook and must sign it`);
        }
    }
    if (a.githubWebhook.manage && !a.webhook) {
        problem(ctx, key("argocd.githubWebhook.manage"), a.githubWebhook.manage, `must be false while ${key("argocd.webhook")} is false: the webhook would call an endpoint Argo CD does not serve`);
    }
    if (a.sso.mode === "none") return;
    const fromStore = a.sso.clientSecretSecretsManagerName;
    if (fromStore !== undefined && secrets.oidcClientSecret !== undefined) {
        problemText(ctx, key("argocd.sso.clientSecretSecretsManagerName"), `${key("argocd.sso.clientSecretSecretsManagerName")} (${JSON.stringify(fromStore)}) and the secret ${key("oidcClientSecret")} are both set; expected exactly one source of the SSO client secret (remove one)`);
    }
    if (fromStore === undefined && secrets.oidcClientSecret === undefined && !a.adminEnabled) {
        problemText(ctx, key("oidcClientSecret"), `${key("oidcClientSecret")} is missing; expected the SSO client secret set with \`pulumi config set --secret oidcClientSecret <secret>\` (or set ${key("argocd.sso.clientSecretSecretsManagerName")}) because ${key("argocd.sso.mode")} is "${a.sso.mode}" and ${key("argocd.adminEnabled")} is false: otherwise nobody can sign in`);
    }
}
export type ExtensionConfig = TypeOf<typeof extension>;

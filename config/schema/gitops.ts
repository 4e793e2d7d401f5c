import { applicationPath, PINNED, PLATFORM_PROJECT_NAME, PRIVILEGED_CLUSTER_KINDS, PROTECTED_NAMESPACES } from "@footanalytics/facts";
import { bool, derived, int, list, obj, ParseContext, perEnv, problem, problemText, section, str, StringFormat, TypeOf } from "../dsl";
import * as fmt from "../formats";
import type { Secrets } from "../secret-keys";
import { NotificationsConfig, secretsManagerName, subscription, subscriptionKey, subscriptionProblems } from "./notifications";
import { APPLICATION_SCOPED_RESOURCES, CONTROL_CHARACTERS, PLATFORM_ADMIN_ROLE, RbacConfig, rbacPolicy, subjectName } from "./rbac";

/** Config keys are reported with the project's namespace (config/schema/index.ts PROJECT). */
const PROJECT_PREFIX = "footanalytics-gitops:";

/** A long GPG key id as Argo CD names keys in `argocd-gpg-keys-cm` and `signatureKeys`. */
const gpgKeyId: StringFormat = {
    name: "GPG key id",
    check: (v) => (/^[0-9A-F]{16}$/.test(v) ? undefined : 'must be a long GPG key id of 16 upper-case hexadecimal digits such as "4AEE18F83AFDEB23"'),
};

/** An ASCII-armoured PGP public key block. */
const armoredPublicKey: StringFormat = {
    name: "armoured GPG public key",
    check: (v) =>
        /^-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]+\n-----END PGP PUBLIC KEY BLOCK-----\n?$/.test(v)
            ? undefined
            : 'must be an ASCII-armoured public key from "-----BEGIN PGP PUBLIC KEY BLOCK-----" to "-----END PGP PUBLIC KEY BLOCK-----"',
};

/** An IANA time zone name as Argo CD sync windows take it (`timeZone`), or UTC. */
const timeZone: StringFormat = {
    name: "IANA time zone",
    check: (v) => ((v === "UTC" || Intl.supportedValuesOf("timeZone").includes(v)) ? undefined : 'must be an IANA time zone such as "Europe/London" or "UTC"'),
};

/** A Kubernetes API group (empty for the core group); `*` is refused. */
const apiGroup: StringFormat = {
    name: "API group",
    check: (v) => ((v === "" || fmt.dns1123Subdomain.check(v) === undefined) ? undefined : 'must be an API group such as "rbac.authorization.k8s.io", or "" for the core group (no "*")'),
};

/** A Kubernetes kind; `*` is refused. */
const kind: StringFormat = {
    name: "kind",
    check: (v) => (/^[A-Z][A-Za-z0-9]{0,62}$/.test(v) ? undefined : 'must be a Kubernetes kind such as "ClusterRole" (no "*")'),
};

/** The Helm project's old chart repositories, archived in November 2020 (helm/charts README). */
export const ARCHIVED_CHART_REPOSITORIES: readonly string[] = ["https://charts.helm.sh/stable", "https://charts.helm.sh/incubator", "https://kubernetes-charts.storage.googleapis.com", "https://kubernetes-charts-incubator.storage.googleapis.com"];

/** A reviewed exception to the `restricted` Pod Security level of a destination namespace. */
export const namespacePodSecurity = obj(
    {
        namespace: str({ description: "Destination namespace (one of gitops.destinationNamespaces).", format: fmt.dns1123Label }),
        level: str<"baseline" | "privileged">({ description: "Enforced Pod Security level (audit and warn stay `restricted`).", oneOf: ["baseline", "privileged"] as const }),
        reason: str({ description: "Why the namespace's workloads cannot run `restricted` (reviewed; listed in the plan)." }),
    },
    {
        description: "A namespace's Pod Security level below restricted.",
        rules(n, key, ctx) {
            if (n.reason.trim() === "") problem(ctx, `${key}.reason`, n.reason, `must say why ${n.namespace} cannot run the restricted Pod Security level`);
            if (CONTROL_CHARACTERS.test(n.reason)) problem(ctx, `${key}.reason`, n.reason, "must not contain control characters such as a line break");
        },
    },
);

/** One cluster-scoped kind the AppProject lets Applications create. */
export const groupKind = obj(
    {
        group: str({ description: "API group (`\"\"` for the core group).", format: apiGroup, default: "" }),
        kind: str({ description: "Kind.", format: kind }),
        reason: str({ description: "Why Applications need this kind; required in production for the privileged kinds (ClusterRole/Binding, admission webhooks and policies, CRDs).", optional: true }),
    },
    { description: "A group and kind." },
);

/** A GPG public key Argo CD trusts for commit signature verification. */
export const gpgKey = obj(
    {
        keyId: str({ description: "GPG key id: the 16 hexadecimal digits of the long key id, as `gpg --list-keys --keyid-format long` prints it.", format: gpgKeyId }),
        publicKey: str({ description: "ASCII-armoured public key block.", format: armoredPublicKey }),
    },
    { description: "A trusted GPG public key." },
);

/** An AppProject sync window. */
export const syncWindow = obj(
    {
        kind: str<"allow" | "deny">({ description: "`allow` or `deny` syncs while the window is active.", oneOf: ["allow", "deny"] as const }),
        schedule: str({ description: "When the window opens (five-field cron).", format: fmt.cron }),
        duration: str({ description: "How long the window stays open (`1h`, `10h30m`).", format: fmt.duration }),
        applications: list(str({ description: "Application name pattern." }), { description: "Applications the window applies to.", default: ["*"], minItems: 1 }),
        manualSync: bool({ description: "Allow manual syncs while a deny window is active.", default: false }),
        timeZone: str({ description: "Time zone of the schedule.", format: timeZone, default: "UTC" }),
    },
    {
        description: "A sync window.",
        rules(w, key, ctx) {
            if (w.applications.includes("*") && w.applications.length > 1) {
                problem(ctx, `${key}.applications`, w.applications, 'lists "*" beside other patterns; "*" alone already covers every Application');
            }
        },
    },
);

/** A role of the AppProject (`proj:footanalytics:<name>`), for CI tokens and project-scoped groups. */
export const projectRole = obj(
    {
        name: str({ description: "Role name inside the project.", format: fmt.dns1123Label }),
        description: str({ description: "What the role is for.", default: "" }),
        policies: list(rbacPolicy, { description: "Rules; objects are `footanalytics/<application pattern>`.", minItems: 1 }),
        groups: list(str({ description: "SSO group.", format: subjectName }), { description: "SSO groups that receive the role.", default: [] }),
    },
    {
        description: "An AppProject role.",
        rules(r, key, ctx) {
            if (CONTROL_CHARACTERS.test(r.description)) problem(ctx, `${key}.description`, r.description, "must not contain control characters such as a line break");
            r.policies.forEach((p, i) => {
                if (!APPLICATION_SCOPED_RESOURCES.includes(p.resource)) {
                    problem(ctx, `${key}.policies[${i}].resource`, p.resource, `is not project-scoped; a project role may grant only: ${APPLICATION_SCOPED_RESOURCES.join(", ")}`);
                } else if (!p.object.startsWith("footanalytics/")) {
                    problem(ctx, `${key}.policies[${i}].object`, p.object, 'must start with "footanalytics/": a project role only reaches its own project');
                }
            });
        },
    },
);

/**
 * A fully qualified image name without tag or digest: a registry host (with a dot or a port, or
 * `localhost`) and a path. An unqualified name (`footanalytics/api`) resolves to Docker Hub, where
 * anyone could register the name Image Updater then follows.
 */
export const qualifiedImage: StringFormat = {
    name: "fully qualified image name",
    check: (v) =>
        /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?(:\d+)?|localhost(:\d+)?)(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/.test(v)
            ? undefined
            : 'must be a fully qualified image name with its registry and without a tag, such as "ghcr.io/footanalytics/api-gateway"',
};

/** A Masterminds semver constraint as Image Updater's `semver` strategy reads it (`~1.4`, `^2`, `>=1.2 <2`); `*` alone is refused. */
export const tagConstraint: StringFormat = {
    name: "semver constraint",
    check: (v) =>
        (/^[~^<>=!]*\s*v?\d+(\.(\d+|x|\*)){0,2}(-[0-9A-Za-z.-]+)?(\s*(,|\|\|)?\s*[~^<>=!]*\s*v?\d+(\.(\d+|x|\*)){0,2}(-[0-9A-Za-z.-]+)?)*$/.test(v.trim()) && v.trim() !== "")
            ? undefined
            : 'must be a semantic version constraint such as "~1.4" or "^2" (a bounded range, never "*")',
};

/**
 * Namespaces the `platform` AppProject may deploy cluster add-ons to: a reviewed list. Never
 * `argocd` (an add-on could rewrite Argo CD), `kube-system` (the program's own charts live there) or
 * an application namespace (the `footanalytics` project's).
 */
export const PLATFORM_ADDON_NAMESPACES = ["monitoring", "logging", "cert-manager", "external-dns", "keda", "velero"] as const;

/** The `platform` AppProject for cluster add-ons that gitops-config installs (components/gitops/project.ts). */
const platformProject = section(
    {
        enabled: bool({ description: "Create the `platform` AppProject and publish the cluster's facts on the in-cluster cluster Secret.", default: true }),
        path: str({
            description: "Directory of gitops-config holding the add-ons, one per subdirectory (`<path>/*`); published on the cluster Secret for an ApplicationSet. Default `addons/<stack>`.",
            format: fmt.repoPath,
            default: derived("`addons/<stack>`", (ctx) => `addons/${ctx.stack}`),
        }),
        destinationNamespaces: list(str({ description: "Namespace.", format: fmt.dns1123Label }), {
            description: `Namespaces the add-ons may deploy to, each one of: ${PLATFORM_ADDON_NAMESPACES.join(", ")}.`,
            default: ["monitoring"],
            minItems: 1,
            uniqueBy: (n) => n,
            uniqueLabel: "namespace",
        }),
        syncWindows: list(syncWindow, {
            description: "The project's own sync windows; production defaults to the Saturday match-day freeze (deny, manual sync allowed).",
            default: perEnv<readonly TypeOf<typeof syncWindow>[]>(
                [],
                [{ kind: "deny", schedule: "0 11 * * 6", duration: "10h", applications: ["*"], manualSync: true, timeZone: "Europe/London" }],
            ),
        }),
    },
    {
        description: "The `platform` AppProject for cluster add-ons (admins only).",
        rules(p, key, ctx) {
            p.destinationNamespaces.forEach((n, i) => {
                if (!(PLATFORM_ADDON_NAMESPACES as readonly string[]).includes(n)) {
                    problem(ctx, `${key}.destinationNamespaces[${i}]`, n, `is not an add-on namespace; expected one of: ${PLATFORM_ADDON_NAMESPACES.join(", ")} (argocd, kube-system and the application namespaces stay out of the platform project)`);
                }
            });
            if (!p.path.startsWith("addons/")) problem(ctx, `${key}.path`, p.path, 'must lie under "addons/", beside the applications\' overlays/');
        },
    },
);

/** Per-application automated sync switches. */
const automated = section(
    {
        prune: bool({ description: "Delete resources that left Git.", default: true }),
        selfHeal: bool({ description: "Revert changes made outside Git.", default: true }),
    },
    { description: "Automated sync." },
);

/** Refuse a path outside the stack's own overlays. */
function requireUnderOverlays(ctx: ParseContext, key: string, path: string): void {
    const root = `overlays/${ctx.stack}/`;
    if (!path.startsWith(root)) problem(ctx, key, path, `must be under "${root}" so that the ${ctx.stack} stack deploys only its own overlays`);
}

/** One platform Application synced from the GitOps repository. */
export const application = obj(
    {
        name: str({ description: "Application name, unique in the stack.", format: fmt.dns1123Label }),
        path: str({ description: "Directory in the GitOps repository; default `overlays/<stack>/<name>`, and it must stay under `overlays/<stack>/`.", format: fmt.repoPath, optional: true }),
        namespace: str({ description: "Destination namespace; one of gitops.destinationNamespaces.", format: fmt.dns1123Label, default: "footanalytics" }),
        targetRevision: str({ description: "Revision this Application tracks instead of gitops.targetRevision.", format: fmt.gitRevision, optional: true }),
        automated,
        image: str({
            description: "Container image Image Updater follows, fully qualified with its registry and without a tag; default `ghcr.io/footanalytics/<name>`.",
            format: qualifiedImage,
            optional: true,
        }),
        imageTagConstraint: str({
            description: "Semantic version constraint of the tags Image Updater may deploy for this Application (`~1.4`, `^2`); default `gitops.imageUpdater.tagConstraint`.",
            format: tagConstraint,
            optional: true,
        }),
        notifications: list(subscription, {
            description: "Subscriptions of this Application (annotations `notifications.argoproj.io/subscribe.<trigger>.<service>`).",
            default: [],
            uniqueBy: subscriptionKey,
            uniqueLabel: "subscription",
        }),
    },
    {
        description: "A platform Application.",
        rules(a, key, ctx) {
            if (a.path !== undefined) requireUnderOverlays(ctx, `${key}.path`, a.path);
        },
    },
);

/** Where the repository credential template's secret comes from. */
const repoCredentials = section(
    {
        url: str({ description: "URL prefix the credentials apply to.", format: fmt.httpsUrl, default: "https://github.com/footanalytics" }),
        source: str<"token" | "secretsManager" | "githubApp">({
            description: "`token`: the `githubToken` secret; `secretsManager`: a GitHub token read from AWS Secrets Manager at deploy time; `githubApp`: a GitHub App (`githubAppPrivateKey` secret).",
            oneOf: ["token", "secretsManager", "githubApp"] as const,
            default: "token",
        }),
        username: str({ description: "User name sent with the token (GitHub accepts any non-empty name with a token).", default: "x-access-token" }),
        secretsManagerSecretName: str({ description: "Secrets Manager secret holding JSON `{\"token\": \"…\"}` (`secretsManager` source).", format: secretsManagerName, optional: true }),
        githubAppId: int({ description: "GitHub App id (`githubApp` source).", min: 1, optional: true }),
        githubAppInstallationId: int({ description: "GitHub App installation id (`githubApp` source).", min: 1, optional: true }),
    },
    {
        description: "The credential template for the footanalytics GitHub organisation.",
        rules(v, key, ctx) {
            const need = (field: keyof typeof v, when: string) => {
                if (v[field] === undefined) problemText(ctx, `${key}.${field}`, `${key}.${field} is missing; expected it when ${key}.source is "${when}"`);
            };
            const refuse = (field: keyof typeof v) => {
                if (v[field] !== undefined) problem(ctx, `${key}.${field}`, v[field], `is set but ${key}.source is "${v.source}"; remove it or change the source`);
            };
            if (v.source === "secretsManager") need("secretsManagerSecretName", "secretsManager");
            else refuse("secretsManagerSecretName");
            if (v.source === "githubApp") {
                need("githubAppId", "githubApp");
                need("githubAppInstallationId", "githubApp");
            } else {
                refuse("githubAppId");
                refuse("githubAppInstallationId");
            }
        },
    },
);

/** Requests and limits of the Image Updater container. */
const resources = section(
    {
        cpuRequest: str({ description: "CPU request.", format: fmt.cpuQuantity, default: "50m" }),
        memoryRequest: str({ description: "Memory request.", format: fmt.memoryQuantity, default: "128Mi" }),
        cpuLimit: str({ description: "CPU limit.", format: fmt.cpuQuantity, default: "500m" }),
        memoryLimit: str({ description: "Memory limit.", format: fmt.memoryQuantity, default: "256Mi" }),
    },
    {
        description: "Container resources.",
        rules(r, key, ctx) {
            if (fmt.cpuMillis(r.cpuRequest) > fmt.cpuMillis(r.cpuLimit)) problem(ctx, `${key}.cpuRequest`, r.cpuRequest, `must not exceed cpuLimit (${r.cpuLimit})`);
            if (fmt.memoryBytes(r.memoryRequest) > fmt.memoryBytes(r.memoryLimit)) problem(ctx, `${key}.memoryRequest`, r.memoryRequest, `must not exceed memoryLimit (${r.memoryLimit})`);
        },
    },
);

/**
 * The GitOps layer: repository, AppProject, repository credentials, Applications, Image Updater.
 * Owned by components/gitops.
 */
export const gitopsSchema = section(
    {
        repoUrl: str({ description: "The GitOps repository Argo CD syncs from.", format: fmt.gitUrl, default: "https://github.com/footanalytics/gitops-config" }),
        targetRevision: str({ description: "Revision every Application tracks unless it sets its own (staging `HEAD`, production a release branch or tag).", format: fmt.gitRevision }),
        chartRepositories: list(str({ description: "Helm repository URL.", format: fmt.httpsUrl }), {
            description: "Helm chart repositories the AppProject may source from, besides repoUrl.",
            default: [],
            uniqueBy: (u) => u,
            uniqueLabel: "URL",
        }),
        destinationNamespaces: list(str({ description: "Namespace.", format: fmt.dns1123Label }), {
            description: "Namespaces of this cluster the AppProject may deploy to.",
            default: ["footanalytics"],
            minItems: 1,
            uniqueBy: (n) => n,
            uniqueLabel: "namespace",
        }),
        namespacePodSecurity: list(namespacePodSecurity, {
            description: "Reviewed Pod Security levels below `restricted` for destination namespaces (Pulumi creates every destination namespace, `restricted` unless listed here).",
            default: [],
            uniqueBy: (n) => n.namespace,
            uniqueLabel: "namespace",
        }),
        clusterResourceWhitelist: list(groupKind, {
            description: "Cluster-scoped kinds Applications may create (never Namespace: Pulumi creates the destination namespaces).",
            default: [],
            uniqueBy: (g) => `${g.group}/${g.kind}`,
            uniqueLabel: "group/kind",
        }),
        projectRoles: list(projectRole, { description: "AppProject roles (`proj:footanalytics:<name>`).", default: [], uniqueBy: (r) => r.name, uniqueLabel: "name" }),
        syncWindows: list(syncWindow, {
            description: "AppProject sync windows; production defaults to the Saturday match-day freeze (deny, manual sync allowed).",
            default: perEnv<readonly TypeOf<typeof syncWindow>[]>(
                [],
                [{ kind: "deny", schedule: "0 11 * * 6", duration: "10h", applications: ["*"], manualSync: true, timeZone: "Europe/London" }],
            ),
        }),
        gpgKeys: list(gpgKey, {
            description: "Public GPG keys trusted for signed commits (the chart's `configs.gpg.keys`); when set, the AppProject requires commits signed by them.",
            default: [],
            uniqueBy: (k) => k.keyId,
            uniqueLabel: "keyId",
        }),
        repoCredentials,
        cloneDepth: int({
            description:
                "`depth` of the repository Secret of repoUrl: the repo server clones only this many commits (1: shallow, the commit it needs; 0: full history). Argo CD v3.4 docs/operator-manual/high_availability.md, \"Shallow Clone\".",
            min: 0,
            max: 1000,
            default: 1,
        }),
        applications: list(application, { description: "The platform Applications.", minItems: 1, uniqueBy: (a) => a.name, uniqueLabel: "name" }),
        revisionHistoryLimit: int({ description: "Deployments each Application keeps in its history (rollback depth).", min: 1, max: 100, default: perEnv(5, 20) }),
        rootApplication: section(
            {
                enabled: bool({ description: "Create the app-of-apps Application.", default: false }),
                name: str({ description: "Its name.", format: fmt.dns1123Label, default: "footanalytics-platform" }),
                path: str({
                    description: "Directory of Application manifests; default `overlays/<stack>/apps`.",
                    format: fmt.repoPath,
                    default: derived("`overlays/<stack>/apps`", (ctx) => `overlays/${ctx.stack}/apps`),
                }),
            },
            {
                description: "The seed's root application (app of apps), deployed into the argocd namespace.",
                rules(r, key, ctx) {
                    requireUnderOverlays(ctx, `${key}.path`, r.path);
                },
            },
        ),
        platformProject,
        imageUpdater: section(
            {
                enabled: bool({ description: "Install Argo CD Image Updater and its ImageUpdater resource.", default: false }),
                chartVersion: str({
                    description: "Version of the argocd-image-updater chart (Image Updater v1, CRD-based); must be the version facts/charts.ts `PINNED.imageUpdater` was checked against.",
                    format: fmt.semver,
                    default: PINNED.imageUpdater.version,
                }),
                writeBackBranch: str({ description: "Branch Image Updater commits new tags to.", format: fmt.gitRevision, default: "main" }),
                tagConstraint: str({
                    description: "Semantic version constraint of the tags Image Updater may deploy (`^1`), unless an Application sets `imageTagConstraint`; every Application needs one when Image Updater is enabled.",
                    format: tagConstraint,
                    optional: true,
                }),
                writeCredentials: section(
                    {
                        kind: str<"token" | "githubApp">({
                            description: "`token`: a GitHub token with contents:write on the GitOps repository; `githubApp`: a GitHub App installed there with contents write access.",
                            oneOf: ["token", "githubApp"] as const,
                            default: "token",
                        }),
                        secretsManagerSecretName: str({
                            description: "Secrets Manager secret read at deploy time: JSON `{\"token\": \"…\"}` (`token`) or `{\"privateKey\": \"…\"}` (`githubApp`); required when Image Updater is enabled.",
                            format: secretsManagerName,
                            optional: true,
                        }),
                        githubAppId: int({ description: "GitHub App id (`githubApp`).", min: 1, optional: true }),
                        githubAppInstallationId: int({ description: "GitHub App installation id (`githubApp`).", min: 1, optional: true }),
                    },
                    {
                        description: "Image Updater's own Git write credential (Argo CD's repository credentials are read-only).",
                        rules(c, key, ctx) {
                            for (const field of ["githubAppId", "githubAppInstallationId"] as const) {
                                if (c.kind === "githubApp" && c[field] === undefined) problemText(ctx, `${key}.${field}`, `${key}.${field} is missing; expected it when ${key}.kind is "githubApp"`);
                                if (c.kind === "token" && c[field] !== undefined) problem(ctx, `${key}.${field}`, c[field], `is set but ${key}.kind is "token"; remove it or change the kind`);
                            }
                        },
                    },
                ),
                resources,
            },
            {
                description: "Argo CD Image Updater.",
                rules(u, key, ctx) {
                    if (u.chartVersion !== PINNED.imageUpdater.version) {
                        problem(ctx, `${key}.chartVersion`, u.chartVersion, `must be ${PINNED.imageUpdater.version}, the version components/gitops/imageUpdater.ts was checked against (values keys, CRD fields); read the new chart and update PINNED in facts/charts.ts with this key`);
                    }
                    // Write-back uses git with its own credential Secret (components/gitops/imageUpdater.ts writeBackMethod).
                    if (u.enabled && u.writeCredentials.secretsManagerSecretName === undefined) {
                        problemText(
                            ctx,
                            `${key}.writeCredentials.secretsManagerSecretName`,
                            `${key}.writeCredentials.secretsManagerSecretName is missing; expected the Secrets Manager secret holding Image Updater's Git write credential (a GitHub token with contents:write, or a GitHub App key) because ${key}.enabled is true: git write-back cannot use Argo CD's read-only repository credentials`,
                        );
                    }
                },
            },
        ),
    },
    {
        description: "The GitOps repository, AppProject, credentials and platform Applications.",
        rules(v, key, ctx) {
            // "*" cannot reach sourceRepos or destinations: the URL and namespace formats refuse it.
            if (v.chartRepositories.includes(v.repoUrl)) problem(ctx, `${key}.chartRepositories`, v.chartRepositories, `repeats repoUrl (${v.repoUrl})`);
            v.chartRepositories.forEach((u, i) => {
                if (ARCHIVED_CHART_REPOSITORIES.includes(u.replace(/\/+$/, ""))) {
                    problem(ctx, `${key}.chartRepositories[${i}]`, u, "is the archived Helm stable/incubator repository (read-only since November 2020, its charts unmaintained); remove it and name the chart's current repository");
                }
            });
            v.applications.forEach((a, i) => {
                if (!v.destinationNamespaces.includes(a.namespace)) {
                    problem(ctx, `${key}.applications[${i}].namespace`, a.namespace, `is not one of ${key}.destinationNamespaces (${v.destinationNamespaces.join(", ")})`);
                }
                const path = applicationPath(a, ctx.stack);
                const other = v.applications.findIndex((b, j) => j < i && applicationPath(b, ctx.stack) === path);
                if (other >= 0) problem(ctx, `${key}.applications[${i}].path`, path, `is also the path of ${key}.applications[${other}]; two Applications would fight over the same manifests`);
            });
            // Production deploys what a release branch or tag says, never whatever was merged last
            // (the application-sync-policy policy enforces the same on the Applications).
            if (ctx.env === "production") {
                if (v.targetRevision === "HEAD") problem(ctx, `${key}.targetRevision`, v.targetRevision, "must be a release branch or tag in production, not HEAD");
                v.applications.forEach((a, i) => {
                    if (a.targetRevision === "HEAD") problem(ctx, `${key}.applications[${i}].targetRevision`, a.targetRevision, "must be a release branch or tag in production, not HEAD");
                });
            }
            // Pulumi creates the namespaces of both projects (components/gitops/namespaces.ts).
            const created = [...v.destinationNamespaces, ...(v.platformProject.enabled ? v.platformProject.destinationNamespaces : [])];
            v.namespacePodSecurity.forEach((n, i) => {
                if (!created.includes(n.namespace)) {
                    problem(ctx, `${key}.namespacePodSecurity[${i}].namespace`, n.namespace, `is not one of ${key}.destinationNamespaces${v.platformProject.enabled ? ` or ${key}.platformProject.destinationNamespaces` : ""} (${created.join(", ")})`);
                }
            });
            v.clusterResourceWhitelist.forEach((g, i) => {
                if (g.group === "" && g.kind === "Namespace") {
                    problem(ctx, `${key}.clusterResourceWhitelist[${i}]`, `${g.group}/${g.kind}`, "must not be whitelisted: Pulumi creates every destination namespace with its Pod Security labels, and an Application allowed to manage Namespaces may relabel or prune any of them, argocd included");
                } else if (ctx.env === "production" && PRIVILEGED_CLUSTER_KINDS.some((k) => k.group === g.group && k.kind === g.kind) && (g.reason ?? "").trim() === "") {
                    problemText(ctx, `${key}.clusterResourceWhitelist[${i}].reason`, `${key}.clusterResourceWhitelist[${i}].reason is missing; expected why Applications need ${g.group}/${g.kind}, a kind that grants privilege over the whole cluster, because production refuses it without a reviewed reason`);
                }
            });
            if (ctx.env === "production") {
                v.destinationNamespaces.forEach((n, i) => {
                    if (PROTECTED_NAMESPACES.includes(n)) problem(ctx, `${key}.destinationNamespaces[${i}]`, n, `must not be a destination in production: ${n} holds Argo CD's or the cluster's own objects (the root application has its own project)`);
                });
            }
            if (v.imageUpdater.enabled && v.imageUpdater.tagConstraint === undefined) {
                v.applications.forEach((a, i) => {
                    if (a.imageTagConstraint === undefined) {
                        problemText(ctx, `${key}.applications[${i}].imageTagConstraint`, `${key}.applications[${i}].imageTagConstraint is missing; expected a semantic version constraint such as "~1.4" (or ${key}.imageUpdater.tagConstraint for every Application) because ${key}.imageUpdater.enabled is true: without one Image Updater deploys any new tag, a major version or a pre-release included`);
                    }
                });
            }
            if (v.rootApplication.enabled && v.applications.some((a) => a.name === v.rootApplication.name)) {
                problem(ctx, `${key}.rootApplication.name`, v.rootApplication.name, "is also the name of a platform Application");
            }
        },
    },
);

export type GitOpsConfig = TypeOf<typeof gitopsSchema>;
export type ApplicationConfig = TypeOf<typeof application>;
export type GpgKeyConfig = TypeOf<typeof gpgKey>;
export type SyncWindowConfig = TypeOf<typeof syncWindow>;
export type ProjectRoleConfig = TypeOf<typeof projectRole>;

/**
 * Rules that need the notifications section (registered in config/index.ts CROSS_SECTION_RULES):
 * every Application subscription must name an enabled service. (That repository credentials and
 * notification services have their secrets is checked where their sources are decided: config/secrets.ts.)
 */
export function gitopsCrossSectionRules(values: { gitops: GitOpsConfig; notifications: NotificationsConfig }, _secrets: Secrets, ctx: ParseContext): void {
    const key = (k: string) => `${PROJECT_PREFIX}${k}`;
    const n = values.notifications;
    values.gitops.applications.forEach((a, i) =>
        a.notifications.forEach((s, j) => subscriptionProblems(n, key("notifications"), s, key(`gitops.applications[${i}].notifications[${j}]`), ctx)),
    );
}

/**
 * The `platform` project is the administrators': a configured RBAC role other than
 * `role:platform-admin` may read its Applications but not act on them.
 */
export function platformProjectCrossSectionRules(values: { gitops: GitOpsConfig; rbac: RbacConfig }, _secrets: Secrets, ctx: ParseContext): void {
    if (!values.gitops.platformProject.enabled) return;
    const key = (k: string) => `${PROJECT_PREFIX}${k}`;
    values.rbac.roles.forEach((r, i) => {
        if (r.name === PLATFORM_ADMIN_ROLE) return;
        r.policies.forEach((p, j) => {
            const reaches = p.object === "*" || p.object.startsWith("*/") || p.object.startsWith(`${PLATFORM_PROJECT_NAME}/`);
            if (p.effect === "allow" && reaches && APPLICATION_SCOPED_RESOURCES.includes(p.resource) && p.action !== "get") {
                problem(ctx, key(`rbac.roles[${i}].policies[${j}].object`), p.object, `lets ${r.name} ${p.action} ${p.resource} of the "${PLATFORM_PROJECT_NAME}" project, which only ${PLATFORM_ADMIN_ROLE} may change; name "footanalytics/<application>" or grant get only`);
            }
        });
    });
}

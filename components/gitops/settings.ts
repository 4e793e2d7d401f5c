/**
 * What the GitOps component and its builders read, as plain interfaces (config's `gitops`, `rbac`
 * and `notifications` sections satisfy them; index.ts passes those, and tsc checks the match there).
 * Defaults and validation live in config/; the fixed names in facts/ and the builders.
 */
import type { NotificationService, NotificationTrigger, PodSecurityLevel } from "@footanalytics/facts";
import type { ProjectRole, RbacRoles } from "../../plans/rbac";

/** One notification subscription: a trigger sent to a recipient of a service. */
export interface Subscription {
    readonly trigger: NotificationTrigger;
    readonly service: NotificationService;
    /** A Slack channel or a Teams channel key. */
    readonly recipient: string;
}

/** An AppProject sync window. */
export interface SyncWindowSettings {
    readonly kind: "allow" | "deny";
    /** Cron schedule of the window's start. */
    readonly schedule: string;
    /** How long the window lasts (`1h`). */
    readonly duration: string;
    /** Application name patterns the window applies to. */
    readonly applications: readonly string[];
    /** Whether manual syncs are allowed during a deny window. */
    readonly manualSync: boolean;
    readonly timeZone: string;
}

/** One platform Application synced from the GitOps repository. */
export interface ApplicationSettings {
    readonly name: string;
    /** Its manifests' path; `overlays/<stack>/<name>` when unset (`applicationPath`). */
    readonly path?: string;
    /** The namespace it deploys to. */
    readonly namespace: string;
    /** Its own revision instead of the repository's. */
    readonly targetRevision?: string;
    /** Automated sync: prune what left Git, revert changes made outside it. */
    readonly automated: { readonly prune: boolean; readonly selfHeal: boolean };
    /** Its image for Image Updater; `ghcr.io/footanalytics/<name>` when unset (`imageOf`). */
    readonly image?: string;
    /** Its semver constraint for Image Updater, instead of the updater's. */
    readonly imageTagConstraint?: string;
    /** Notification subscriptions (Application annotations). */
    readonly notifications: readonly Subscription[];
}

/** The GitOps repository, the AppProjects and the Applications (config's `gitops` section). */
export interface GitOpsSettings {
    /** The GitOps repository every Application syncs from. */
    readonly repoUrl: string;
    /** The revision every Application tracks unless it sets its own. */
    readonly targetRevision: string;
    /** Helm chart repositories the project may also source from. */
    readonly chartRepositories: readonly string[];
    /** The project's destination namespaces (created with Pod Security labels). */
    readonly destinationNamespaces: readonly string[];
    /** Reviewed exceptions to the `restricted` Pod Security level. */
    readonly namespacePodSecurity: readonly {
        readonly namespace: string;
        readonly level: PodSecurityLevel;
        /** Why it cannot run `restricted` (annotated on the namespace). */
        readonly reason: string;
    }[];
    /** Cluster-scoped kinds the project may manage. */
    readonly clusterResourceWhitelist: readonly { readonly group: string; readonly kind: string }[];
    /** AppProject roles; an empty description is left out. */
    readonly projectRoles: readonly (ProjectRole & { readonly description: string })[];
    /** The project's sync windows. */
    readonly syncWindows: readonly SyncWindowSettings[];
    /** GPG keys whose signatures the projects require (when any). */
    readonly gpgKeys: readonly { readonly keyId: string }[];
    /** The repository credential template's URL prefix and user name (its secret comes from `secretSources`). */
    readonly repoCredentials: { readonly url: string; readonly username: string };
    /** Shallow clone depth of the GitOps repository; 0 clones it fully. */
    readonly cloneDepth: number;
    /** The platform Applications. */
    readonly applications: readonly ApplicationSettings[];
    /** Sync history Argo CD keeps per Application. */
    readonly revisionHistoryLimit: number;
    /** The root application (app of apps). */
    readonly rootApplication: { readonly enabled: boolean; readonly name: string; readonly path: string };
    /** The cluster add-ons' project. */
    readonly platformProject: {
        readonly enabled: boolean;
        /** gitops-config directory of the add-ons. */
        readonly path: string;
        readonly destinationNamespaces: readonly string[];
        readonly syncWindows: readonly SyncWindowSettings[];
    };
    /** Argo CD Image Updater (installed when its write credential is given). */
    readonly imageUpdater: {
        /** The argocd-image-updater chart version. */
        readonly chartVersion: string;
        /** The branch it writes image updates to. */
        readonly writeBackBranch: string;
        /** Semver constraint of the Applications without their own. */
        readonly tagConstraint?: string;
        readonly resources: { readonly cpuRequest: string; readonly memoryRequest: string; readonly cpuLimit: string; readonly memoryLimit: string };
    };
}

/** Argo CD RBAC (config's `rbac` section): the roles and SSO group bindings of `policy.csv`, and `policy.default`. */
export interface RbacSettings extends RbacRoles {
    /** The role of an authenticated user no rule matches (`policy.default`). */
    readonly defaultPolicy: string;
}

/** Notification services and default subscriptions (config's `notifications` section). */
export interface NotificationsSettings {
    /** Slack (its bot token comes from `secretSources`). */
    readonly slack: { readonly enabled: boolean };
    /** Teams through Power Automate workflows: one workflow URL per channel key. */
    readonly teams: { readonly enabled: boolean; readonly channels: readonly string[] };
    /** Subscriptions of every platform Application. */
    readonly defaultSubscriptions: readonly Subscription[];
}

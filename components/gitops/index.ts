/**
 * The GitOps layer on top of Argo CD: the destination namespaces (Pod Security labels), the
 * `footanalytics` AppProject (plus the locked `default` one and the root application's), RBAC, repository
 * credentials, notifications, the platform Applications, and (optionally) Image Updater.
 *
 * One component, `footanalytics:gitops:GitOps`, over the pure builders of this directory; every
 * child is a plain Kubernetes object (ConfigMap, Secret, CustomResource) or the Image Updater
 * chart, created with the cluster's provider (inherited from the component's options) and ordered
 * after the Argo CD chart by the caller's `dependsOn` (the custom resources need its CRDs).
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { application, rootApplication } from "./applications";
import { CustomResourceManifest, Metadata } from "./common";
import { chartTransforms } from "../chart-transforms";
import { IMAGE_UPDATER_CHART, imageUpdaterGitSecret, imageUpdaterResource, imageUpdaterValues } from "./imageUpdater";
import { notificationsConfigMap, notificationsSecret, teamsUrlFrom } from "./notifications";
import { destinationNamespaces } from "./namespaces";
import { appProject, defaultAppProject, platformAppProject, rootAppProject } from "./project";
import { inClusterSecret } from "./cluster";
import { rbacConfigMap } from "./rbac";
import { gitopsRepositorySecret, repoCredsSecret } from "./repositories";
import { type Credentials, credentialOutputs, SecretReader, type SecretSource, secretOutput } from "../secrets-manager";
import type { GitOpsSettings, NotificationsSettings, RbacSettings } from "./settings";
import { type Environment, environmentLabels, programSecretAnnotations } from "@footanalytics/facts";

export { policyCsv, projectPolicyCsv } from "./rbac";

/** Arguments of the GitOps component. */
export interface GitOpsArgs {
    /** Stack name: Application paths are `overlays/<stack>/<app>`. */
    readonly stack: string;
    /** Deployment environment of the stack. */
    readonly environment: Environment;
    /** The repository, AppProjects, Applications and Image Updater (`cfg.gitops`). */
    readonly gitops: GitOpsSettings;
    /** Argo CD roles, SSO group bindings and the default role (`cfg.rbac`). */
    readonly rbac: RbacSettings;
    /** Notification services and default subscriptions (`cfg.notifications`). */
    readonly notifications: NotificationsSettings;
    /** Where the repository credentials, notification tokens and the Image Updater's write credential come from (`cfg.secretSources`). */
    readonly secretSources: GitOpsSecretSources;
    /** Namespace Argo CD runs in (`ArgoCd.namespace`); every object goes there. */
    readonly argocdNamespace: pulumi.Input<string>;
    /** Argo CD's external URL (`ArgoCd.url`), linked from every notification. */
    readonly argocdUrl: string;
    /** The program's AWS provider (`EksCluster.awsProvider`) for Secrets Manager reads; required when a Secrets Manager source is configured. */
    readonly awsProvider?: aws.Provider;
    /** The cluster facts the in-cluster cluster Secret publishes for the `platform` project's add-ons. */
    readonly clusterFacts?: ClusterFactInputs;
}

/** The secrets the GitOps layer uses, by purpose; a source is present exactly when it is needed. */
export interface GitOpsSecretSources {
    /** Argo CD's repository credential template. */
    readonly repoCredentials: Credentials<SecretSource>;
    /** Slack bot token, when Slack is on. */
    readonly slackToken?: SecretSource;
    /** Teams workflow URL per Teams channel key (empty when Teams is off). */
    readonly teamsWorkflowUrls: Readonly<Record<string, SecretSource>>;
    /** Image Updater's Git write credential; Image Updater is installed exactly when it is set. */
    readonly imageUpdaterWrite?: Credentials<SecretSource>;
}

/** {@link ClusterFacts} as the program knows them: some only at deploy time. */
export interface ClusterFactInputs {
    readonly clusterName: pulumi.Input<string>;
    readonly region: string;
    readonly vpcId: pulumi.Input<string | undefined>;
    /** Installed cluster services (chart names). */
    readonly addons: readonly string[];
    /** IAM role ARN by chart name. */
    readonly roleArns: Readonly<Record<string, pulumi.Input<string>>>;
}

/** The GitOps layer. */
export class GitOps extends pulumi.ComponentResource {
    /** The AppProject. */
    public readonly project: k8s.apiextensions.CustomResource;
    /** The platform Applications, by name. */
    public readonly applications: Readonly<Record<string, k8s.apiextensions.CustomResource>>;
    /** Names of the platform Applications. */
    public readonly applicationNames: pulumi.Output<string[]>;

    constructor(name: string, args: GitOpsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("footanalytics:gitops:GitOps", name, {}, opts);
        const child = { parent: this };
        const inArgoCd = (m: Metadata): k8s.types.input.meta.v1.ObjectMeta => ({
            name: m.name,
            namespace: args.argocdNamespace,
            labels: m.labels,
            annotations: m.annotations,
            finalizers: m.finalizers === undefined ? undefined : [...m.finalizers],
        });
        // The program's own Secrets (values from Pulumi secrets or Secrets Manager) say so to the policy pack (facts/program-secrets.ts).
        const secretInArgoCd = (m: Metadata): k8s.types.input.meta.v1.ObjectMeta => ({ ...inArgoCd(m), annotations: { ...m.annotations, ...programSecretAnnotations() } });
        // Children do not inherit the component's dependsOn: the custom resources repeat it (the chart's CRDs), plus their own.
        const inherited = dependsOnList(opts?.dependsOn);
        const custom = (role: string, m: CustomResourceManifest, after: pulumi.Resource[] = []) =>
            new k8s.apiextensions.CustomResource(
                `${name}-${role}`,
                { apiVersion: m.apiVersion, kind: m.kind, metadata: inArgoCd(m.metadata), spec: m.spec },
                { ...child, dependsOn: [...inherited, ...after] },
            );

        const reader: SecretReader = { provider: args.awsProvider, parent: this, who: `GitOps ${name}` };

        // The environment label tells the policy pack which profile judges the Applications and AppProjects (facts/labels.ts).
        const labelled = (manifest: CustomResourceManifest): CustomResourceManifest => ({
            ...manifest,
            metadata: { ...manifest.metadata, labels: { ...manifest.metadata.labels, ...environmentLabels(args.environment) } },
        });

        // --- Namespaces: every destination, with its Pod Security labels (kept on delete in production: deleting one deletes its workloads).
        const namespaces = destinationNamespaces(args.gitops, args.environment).map(
            (ns) => new k8s.core.v1.Namespace(`${name}-namespace-${ns.metadata.name}`, { metadata: { ...ns.metadata } }, { ...child, retainOnDelete: args.environment === "production" }),
        );

        // --- AppProjects: Argo CD's built-in `default`, locked; it exists as soon as argocd-server starts
        // (and comes back when deleted), so the program owns its fields with a forced server-side apply patch.
        const locked = labelled(defaultAppProject());
        new k8s.apiextensions.CustomResourcePatch(
            `${name}-default-project`,
            {
                apiVersion: locked.apiVersion,
                kind: locked.kind,
                metadata: { ...inArgoCd(locked.metadata), annotations: { "pulumi.com/patchForce": "true" } },
                spec: locked.spec,
            },
            { ...child, dependsOn: inherited },
        );
        this.project = custom("project", labelled(appProject(args.gitops)));

        // --- The platform project for cluster add-ons, and the cluster Secret that tells them this cluster's facts.
        if (args.gitops.platformProject.enabled) {
            custom("platform-project", labelled(platformAppProject(args.gitops)));
            const facts = args.clusterFacts;
            if (facts !== undefined) {
                const roles = Object.entries(facts.roleArns);
                const secret = pulumi
                    .all([pulumi.output(facts.clusterName), pulumi.output(facts.vpcId), pulumi.all(roles.map(([, arn]) => pulumi.output(arn)))])
                    .apply(([clusterName, vpcId, arns]) =>
                        inClusterSecret({
                            environment: args.environment,
                            clusterName,
                            region: facts.region,
                            vpcId: vpcId ?? "",
                            addonsPath: args.gitops.platformProject.path,
                            addons: facts.addons,
                            roleArns: Object.fromEntries(roles.map(([chart], i) => [chart, arns[i]])),
                        }),
                    );
                new k8s.core.v1.Secret(
                    `${name}-in-cluster`,
                    { metadata: secret.apply((s) => inArgoCd(s.metadata)), type: "Opaque", stringData: secret.apply((s) => ({ ...s.stringData })) },
                    child,
                );
            }
        }

        // --- RBAC
        const rbac = rbacConfigMap(args.rbac);
        new k8s.core.v1.ConfigMap(`${name}-rbac`, { metadata: inArgoCd(rbac.metadata), data: rbac.data }, child);

        // --- Repository credentials
        const repoSecret = repoCredsSecret(args.gitops.repoCredentials, credentialOutputs(args.secretSources.repoCredentials, reader));
        const repoCreds = new k8s.core.v1.Secret(`${name}-repo-creds`, { metadata: secretInArgoCd(repoSecret.metadata), type: repoSecret.type, stringData: repoSecret.stringData }, child);
        // The GitOps repository itself, for its shallow clone `depth` (credentials come from the template above).
        const repository = gitopsRepositorySecret(args.gitops);
        const repoSettings = new k8s.core.v1.Secret(`${name}-repository`, { metadata: secretInArgoCd(repository.metadata), type: repository.type, stringData: repository.stringData }, child);

        // --- Notifications
        const n = args.notifications;
        const notificationsCm = notificationsConfigMap(n, args.argocdUrl);
        new k8s.core.v1.ConfigMap(`${name}-notifications`, { metadata: inArgoCd(notificationsCm.metadata), data: notificationsCm.data }, child);
        const sources = args.secretSources;
        const tokens = {
            slackToken: sources.slackToken && secretOutput(sources.slackToken, reader),
            teamsWorkflowUrls: Object.fromEntries(Object.entries(sources.teamsWorkflowUrls).map(([c, source]) => [c, secretOutput(source, reader, teamsUrlFrom)])),
        };
        const notifSecret = notificationsSecret(n, tokens);
        new k8s.core.v1.Secret(`${name}-notifications-secret`, { metadata: secretInArgoCd(notifSecret.metadata), type: notifSecret.type, stringData: notifSecret.stringData }, child);

        // --- Applications: after the project they name and the credentials their first sync needs (no data edge).
        const appsAfter = [this.project, repoCreds, repoSettings, ...namespaces];
        const apps: Record<string, k8s.apiextensions.CustomResource> = {};
        for (const app of args.gitops.applications) apps[app.name] = custom(`app-${app.name}`, labelled(application(app, args.gitops, args.stack)), appsAfter);
        if (args.gitops.rootApplication.enabled) {
            const rootProject = custom("root-project", labelled(rootAppProject(args.gitops)));
            custom("root-app", labelled(rootApplication(args.gitops)), [rootProject, repoCreds, repoSettings]);
        }
        this.applications = apps;
        this.applicationNames = pulumi.output(args.gitops.applications.map((a) => a.name));

        // --- Image Updater: the chart (with its CRD, kept on delete), its write credential, then the
        // ImageUpdater resource (needs the CRD and names the Secret: no data edge for either).
        const updater = args.gitops.imageUpdater;
        const write = args.secretSources.imageUpdaterWrite; // config/ sets it exactly when gitops.imageUpdater.enabled
        if (write !== undefined) {
            const chart = new k8s.helm.v4.Chart(
                `${name}-image-updater`,
                {
                    chart: IMAGE_UPDATER_CHART.chart,
                    version: updater.chartVersion,
                    repositoryOpts: { repo: IMAGE_UPDATER_CHART.repo },
                    namespace: args.argocdNamespace,
                    values: imageUpdaterValues(updater),
                },
                { ...child, dependsOn: inherited, transforms: chartTransforms(args.environment) },
            );
            const gitSecret = imageUpdaterGitSecret(credentialOutputs(write, reader));
            const writeCreds = new k8s.core.v1.Secret(
                `${name}-image-updater-git-creds`,
                { metadata: secretInArgoCd(gitSecret.metadata), type: gitSecret.type, stringData: gitSecret.stringData },
                child,
            );
            custom("image-updater-config", imageUpdaterResource(args.gitops), [chart, writeCreds]);
        }

        this.registerOutputs({ project: this.project, applicationNames: this.applicationNames });
    }
}

/** The resources of a `dependsOn` option as a list. */
function dependsOnList(d: pulumi.ResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    if (d === undefined) return [];
    return Array.isArray(d) ? d : [d as pulumi.Input<pulumi.Resource>];
}

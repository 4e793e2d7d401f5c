/**
 * Argo CD, installed from the argo-cd Helm chart with `kubernetes.helm.sh/v4.Chart` so every
 * rendered object is a Pulumi resource the policy pack checks. The values come from the pure
 * `argocdValues`; this class only creates the namespace, the Secrets the chart's hooks would have
 * created, and the chart.
 */
import * as aws from "@pulumi/aws";
import * as github from "@pulumi/github";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { chartTransforms } from "../chart-transforms";
import { type Environment, programSecretAnnotations } from "@footanalytics/facts";
import { type SecretSource, secretOutput } from "../secrets-manager";
import { redisHaNetworkPolicies } from "./network-policy";
import { redisHaServiceMonitors } from "./service-monitors";
import { ARGOCD_DEFAULTS, type ArgoCdMonitoring, type ArgoCdSettings, argocdUrl, argocdValues, namespaceLabels } from "./values";
import { argocdIngressClass, argocdIngressClassParams } from "./ingress-class";
import { onSystemNodes } from "./placement";
import { WEBHOOK_SECRET_LENGTH, webhookRepository, webhookSpec } from "./webhook";

export { ARGOCD_DEFAULTS, argocdValues, CHART_CONTAINERS } from "./values";

/** Arguments of the Argo CD installation. */
export interface ArgoCdArgs {
    /** Chart version, domain, HA, resources, SSO, ingress (`cfg.argocd`). */
    readonly config: ArgoCdSettings;
    /** ServiceMonitors, application labels, alert rules (`cfg.monitoring`). */
    readonly monitoring: ArgoCdMonitoring;
    /** Which profile the stack follows. */
    readonly environment: Environment;
    /** Where the SSO client secret and the GitHub webhook secret come from, when they are used (`cfg.secretSources`). */
    readonly secretSources: { readonly oidcClientSecret?: SecretSource; readonly githubWebhookSecret?: SecretSource };
    /** GPG public keys Argo CD trusts for signed commits (`cfg.gitops.gpgKeys`). */
    readonly gpgKeys?: readonly { keyId: string; publicKey: string }[];
    /** The program's AWS provider (`EksCluster.awsProvider`); required when the SSO client secret comes from Secrets Manager. */
    readonly awsProvider?: aws.Provider;
    /** Run on the tainted `system` node group (true when the program created the cluster, `cluster.mode` managed). */
    readonly systemNodes?: boolean;
}

/** The resources of a component's `dependsOn` option, as a list its children can repeat. */
function componentDependsOn(opts: pulumi.ComponentResourceOptions | undefined): pulumi.Input<pulumi.Resource>[] {
    const d = opts?.dependsOn;
    if (d === undefined) return [];
    return Array.isArray(d) ? [...(d as pulumi.Input<pulumi.Resource>[])] : [d as pulumi.Input<pulumi.Resource>];
}

/** How to read the initial admin password, or that admin login is off. */
export function adminPasswordHint(adminEnabled: boolean, namespace: string = ARGOCD_DEFAULTS.namespace): string {
    return adminEnabled
        ? `kubectl -n ${namespace} get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d  (then change it and delete the Secret)`
        : "admin login is disabled (configs.cm admin.enabled=false); sign in with SSO";
}

/** Labels of the Secrets this component creates for Argo CD to read. */
const SECRET_LABELS = Object.freeze({ "app.kubernetes.io/part-of": "argocd", "app.kubernetes.io/managed-by": "pulumi" });

/**
 * The Argo CD installation: the `argocd` namespace, the `argocd-redis` Secret (the chart's
 * redis-secret-init hook does not run under Chart v4), the SSO client Secret, and the chart.
 */
export class ArgoCd extends pulumi.ComponentResource {
    /** The namespace Argo CD runs in (`argocd`). */
    public readonly namespace: pulumi.Output<string>;
    /** The chart; CRs that need Argo CD's CRDs depend on it. */
    public readonly chart: k8s.helm.v4.Chart;
    /** `https://<domain>/argocd`. */
    public readonly url: string;
    /** The pinned chart version. */
    public readonly chartVersion: string;
    /** How to read the initial admin password, or that admin login is off. */
    public readonly adminPasswordHint: pulumi.Output<string>;
    /** The GitHub webhook secret (a secret Output), to paste into GitHub when `argocd.githubWebhook.manage` is off; undefined without the webhook. */
    public readonly githubWebhookSecret?: pulumi.Output<string>;

    constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
        super("footanalytics:argocd:ArgoCd", name, {}, opts);
        const { config, environment, secretSources: sources } = args;
        const production = environment === "production";

        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: ARGOCD_DEFAULTS.namespace, labels: namespaceLabels(config.ingress.enabled) } },
            { parent: this, retainOnDelete: production },
        );
        this.namespace = namespace.metadata.name;

        const redisPassword = new random.RandomPassword(`${name}-redis-password`, { length: 32, special: false }, { parent: this });
        const redisSecret = new k8s.core.v1.Secret(
            `${name}-redis`,
            {
                metadata: { name: ARGOCD_DEFAULTS.redisSecretName, namespace: this.namespace, labels: { ...SECRET_LABELS }, annotations: programSecretAnnotations() },
                type: "Opaque",
                stringData: { [ARGOCD_DEFAULTS.redisSecretKey]: pulumi.secret(redisPassword.result) },
            },
            { parent: this },
        );

        // The chart reads these Secrets by name; there is no data edge, so the order is explicit.
        const beforeChart: pulumi.Resource[] = [redisSecret];
        if (config.ingress.enabled) {
            // The Argo CD ALB's own class, limited to this namespace; the Ingress the chart renders names it.
            const params = argocdIngressClassParams(config.ingress);
            const classParams = new k8s.apiextensions.CustomResource(`${name}-ingress-class-params`, { ...params, metadata: { ...params.metadata } }, { parent: this });
            const cls = argocdIngressClass(config.ingress);
            beforeChart.push(
                classParams,
                new k8s.networking.v1.IngressClass(`${name}-ingress-class`, { metadata: { ...cls.metadata }, spec: { ...cls.spec, parameters: { ...cls.spec.parameters } } }, { parent: this, dependsOn: [classParams] }),
            );
        }
        if (config.sso.mode !== "none") {
            const source = sources.oidcClientSecret;
            const clientSecret = source && secretOutput(source, { provider: args.awsProvider, parent: this, who: `ArgoCd ${name}` });
            if (clientSecret === undefined) {
                // config/ refuses this while the admin login is off; with it on (staging) SSO just does not work yet.
                pulumi.log.warn(
                    `argocd.sso.mode is "${config.sso.mode}" but neither the secret oidcClientSecret nor argocd.sso.clientSecretSecretsManagerName is set: SSO login fails until one is`,
                    this,
                );
            } else {
                beforeChart.push(
                    new k8s.core.v1.Secret(
                        `${name}-oidc-client`,
                        {
                            metadata: { name: ARGOCD_DEFAULTS.oidcSecretName, namespace: this.namespace, labels: { ...SECRET_LABELS }, annotations: programSecretAnnotations() },
                            type: "Opaque",
                            stringData: { [ARGOCD_DEFAULTS.oidcSecretKey]: clientSecret },
                        },
                        { parent: this },
                    ),
                );
            }
        }
        // The webhook secret: the stack's githubWebhookSecret, else one generated here (config/ refuses neither in production).
        let webhookSecret: pulumi.Output<string> | undefined;
        if (config.webhook && sources.githubWebhookSecret !== undefined) {
            webhookSecret = secretOutput(sources.githubWebhookSecret, { provider: args.awsProvider, parent: this, who: `ArgoCd ${name}` });
        } else if (config.webhook && config.githubWebhook.generateSecret) {
            // Secret explicitly: the real provider marks `result` secret, the mock runtime does not.
            webhookSecret = pulumi.secret(new random.RandomPassword(`${name}-github-webhook-secret`, { length: WEBHOOK_SECRET_LENGTH, special: false }, { parent: this }).result);
        } else if (config.webhook) {
            pulumi.log.warn("argocd.webhook is on without a secret (githubWebhookSecret unset, argocd.githubWebhook.generateSecret false): Argo CD accepts unsigned pushes from anyone who reaches it", this);
        }
        this.githubWebhookSecret = webhookSecret;

        const built = argocdValues({
            config,
            monitoring: args.monitoring,
            environment,
            githubWebhookSecret: webhookSecret,
            gpgKeys: args.gpgKeys,
        });
        const values = args.systemNodes === true ? onSystemNodes(built) : built;

        this.chart = new k8s.helm.v4.Chart(
            `${name}-chart`,
            {
                chart: ARGOCD_DEFAULTS.chart,
                version: config.chartVersion,
                repositoryOpts: { repo: ARGOCD_DEFAULTS.repository },
                name: ARGOCD_DEFAULTS.releaseName,
                namespace: this.namespace,
                resourcePrefix: name,
                values,
                skipCrds: false,
            },
            {
                parent: this,
                // Plus the component's own dependsOn (index.ts bootstrap order: the cluster services), which children do not inherit.
                dependsOn: [...beforeChart, ...componentDependsOn(opts)],
                // CRDs retained, objects labelled; never retainOnDelete on the Chart, which every child would inherit (chart-transforms.ts).
                transforms: chartTransforms(environment),
            },
        );

        // redis-ha's own ServiceMonitors repeat the `release` label (service-monitors.ts); these carry the configured labels once.
        if (config.redisHa.enabled && args.monitoring.serviceMonitors) {
            for (const sm of redisHaServiceMonitors(args.monitoring.serviceMonitorLabels)) {
                new k8s.apiextensions.CustomResource(
                    `${name}-${sm.metadata.name.replace(`${ARGOCD_DEFAULTS.releaseName}-`, "")}-monitor`,
                    { apiVersion: sm.apiVersion, kind: sm.kind, metadata: { ...sm.metadata, namespace: this.namespace }, spec: sm.spec },
                    // The CRD comes from the cluster services (index.ts step 2), which children do not inherit from the component.
                    { parent: this, dependsOn: componentDependsOn(opts) },
                );
            }
        }

        // Only the components that use Redis may reach redis-ha (the chart's own Redis policy renders only without it).
        if (config.redisHa.enabled && config.networkPolicy) {
            for (const np of redisHaNetworkPolicies(args.monitoring.serviceMonitors ? args.monitoring.prometheus : undefined)) {
                new k8s.networking.v1.NetworkPolicy(
                    `${name}-${np.metadata.name.replace(`${ARGOCD_DEFAULTS.releaseName}-`, "")}`,
                    { metadata: { ...np.metadata, namespace: this.namespace }, spec: np.spec },
                    { parent: this },
                );
            }
        }

        // The webhook on the GitOps repository, with the same secret; after the chart, which serves its endpoint.
        if (config.githubWebhook.manage && webhookSecret !== undefined) {
            const provider = new github.Provider(`${name}-github`, { owner: webhookRepository(config).owner }, { parent: this });
            const spec = webhookSpec(config);
            new github.RepositoryWebhook(
                `${name}-github-webhook`,
                { ...spec, configuration: { ...spec.configuration, secret: webhookSecret } },
                { parent: this, provider, dependsOn: [this.chart] },
            );
        }

        this.url = argocdUrl(config.domain);
        this.chartVersion = config.chartVersion;
        this.adminPasswordHint = pulumi.output(adminPasswordHint(config.adminEnabled));
        this.registerOutputs({ namespace: this.namespace, url: this.url, chartVersion: this.chartVersion, adminPasswordHint: this.adminPasswordHint, githubWebhookSecret: this.githubWebhookSecret });
    }
}

/**
 * The transforms every chart of the program is installed with. Chart v4 registers each rendered object
 * as a child resource and the engine applies the Chart's `transforms` to each (tools/render.ts applies
 * them offline through the same callbacks), so these are the per-object options a chart can carry:
 *
 * - `retainOnDelete` on CustomResourceDefinitions, and on nothing else. Deleting a CRD deletes every
 *   object of its kind (every Application, every TargetGroupBinding, every ServiceMonitor), so a chart
 *   upgrade that stops rendering one, a renamed resource or a `pulumi destroy` must leave it. The option
 *   is never set on a Chart itself: the engine copies a parent's `retainOnDelete` (and `protect`) to
 *   every child that sets neither (pulumi/pulumi `source_eval.go` `inheritFromParent`), and a retained
 *   Deployment or Service that an upgrade stops rendering would keep running unmanaged, while replacing
 *   a named child would fail with AlreadyExists. Objects annotated `helm.sh/resource-policy: keep` are
 *   retained by Chart v4 itself (pulumi-kubernetes helm/v4/chart.go `preregister`). The engine has
 *   already copied the Chart's options into each child when it runs these transforms, which hand them
 *   back unchanged, so the only guarantee is that no Chart (and no component above one) sets either
 *   option: a test holds every Chart of both stacks to that.
 * - the environment label (`footanalytics.io/environment`) on every object, so the policy pack judges a
 *   rendered object by the profile of its stack even when its chart offers no label value (redis-ha's
 *   workloads, the NVIDIA device plugin) and never falls back to the strictest profile by mistake;
 * - on every Secret a chart renders, the program's secret-source annotation (facts/program-secrets.ts):
 *   its values come from the chart's values, which this program sets from Pulumi secrets (the controller's
 *   webhook key, Argo CD's webhook secret) or the chart generates, never from gitops-config, so
 *   `no-plaintext-secrets` judges it as one of the program's own Secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import { type Environment, environmentLabels, programSecretAnnotations } from "@footanalytics/facts";

/** Kubernetes type token of a CustomResourceDefinition, as Chart v4 registers its CRDs. */
export const CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";

/** Marks a chart's CustomResourceDefinitions `retainOnDelete` and leaves every other kind alone. */
export const retainCrds: pulumi.ResourceTransform = (args) =>
    args.type === CRD_TYPE ? { props: args.props, opts: pulumi.mergeOptions(args.opts, { retainOnDelete: true }) } : undefined;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Adds the environment label to every Kubernetes object a chart renders, and the program's secret-source annotation to its Secrets (objects without metadata are left alone). */
export function labelEnvironment(environment: Environment): pulumi.ResourceTransform {
    return (args) => {
        if (!args.type.startsWith("kubernetes:") || !isRecord(args.props.metadata)) return undefined;
        const metadata = args.props.metadata;
        const labels = isRecord(metadata.labels) ? metadata.labels : {};
        const secret = args.type === "kubernetes:core/v1:Secret";
        const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
        return {
            props: {
                ...args.props,
                metadata: {
                    ...metadata,
                    labels: { ...labels, ...environmentLabels(environment) },
                    ...(secret ? { annotations: { ...annotations, ...programSecretAnnotations() } } : {}),
                },
            },
            opts: args.opts,
        };
    };
}

/** The transforms of every Chart the program installs. */
export function chartTransforms(environment: Environment): pulumi.ResourceTransform[] {
    return [retainCrds, labelEnvironment(environment)];
}

/**
 * Argo CD on the system nodes: the chart's `global.nodeSelector`/`global.tolerations` (every argo-cd
 * component, the Redis secret-init Job included: argo-helm argo-cd-10.1.1 values.yaml `global`, used as
 * each component's default, e.g. templates/argocd-server/deployment.yaml) and the redis-ha subchart's own
 * `nodeSelector`/`tolerations` (redis-ha 4.38.0 values.yaml, read by its StatefulSet and the HAProxy
 * Deployment). Pure; applied by the component only when the program created the cluster (and so the
 * tainted `system` node group, facts/cluster.ts SYSTEM_NODES).
 */
import { systemPlacement } from "@footanalytics/facts";
import type { ChartValues } from "./values";

/** `values` with every Argo CD pod selecting and tolerating the system nodes. */
export function onSystemNodes(values: ChartValues): ChartValues {
    const { nodeSelector, tolerations } = systemPlacement();
    const global = (values.global ?? {}) as ChartValues;
    const redisHa = (values["redis-ha"] ?? {}) as ChartValues;
    return {
        ...values,
        // The chart's default selector (`kubernetes.io/os: linux`) is kept: setting the key replaces it.
        global: { ...global, nodeSelector: { "kubernetes.io/os": "linux", ...nodeSelector }, tolerations },
        "redis-ha": { ...redisHa, nodeSelector: { ...nodeSelector }, tolerations: tolerations.map((t) => ({ ...t })) },
    };
}

/**
 * The ServiceMonitors of redis-ha's exporter and HAProxy, written by the program instead of the
 * subchart. redis-ha 4.38.0 puts its standard labels on them (templates/_helpers.tpl `labels.standard`:
 * `app`, `heritage`, `release`, `chart`) and then every configured label
 * (templates/redis-ha-servicemonitor.yaml:7-13, redis-haproxy-servicemonitor.yaml:7-13), so the usual
 * Prometheus selector label `release: kube-prometheus-stack` rendered a second `release` key: strict
 * YAML parsers refuse the document, and what a lenient one keeps depends on key order. Written here,
 * each monitor has exactly the configured labels. The selectors and ports are the subchart's own
 * (the same templates, `spec.selector` and `endpoints`), so they scrape the same Services.
 *
 * Named apart from the subchart's (`argocd-redis-ha-exporter`, `argocd-redis-ha-haproxy-metrics`, not
 * `argocd-redis-ha`, `argocd-redis-ha-haproxy`): on a stack that already runs the subchart's monitors, the
 * `pulumi up` that moves them here creates the new ones before it deletes the chart's old children, and
 * with server-side apply a create of an existing name would adopt the object that delete then removes.
 */
import { REDIS_HA_PORTS } from "./network-policy";
import { ARGOCD_DEFAULTS } from "./values";

/** A ServiceMonitor (monitoring.coreos.com/v1) as plain data. */
export interface ServiceMonitorManifest {
    readonly apiVersion: "monitoring.coreos.com/v1";
    readonly kind: "ServiceMonitor";
    readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
    readonly spec: {
        readonly endpoints: readonly { readonly targetPort: number }[];
        readonly jobLabel: string;
        readonly namespaceSelector: { readonly matchNames: readonly string[] };
        readonly selector: { readonly matchLabels: Record<string, string> };
    };
}

/** The exporter's and HAProxy's ServiceMonitors, labelled with `labels` (the Prometheus selector labels) only besides the program's own. */
export function redisHaServiceMonitors(labels: Readonly<Record<string, string>>, release: string = ARGOCD_DEFAULTS.releaseName): ServiceMonitorManifest[] {
    const namespace = ARGOCD_DEFAULTS.namespace;
    const fullname = `${release}-redis-ha`;
    const metadataLabels = { "app.kubernetes.io/part-of": "argocd", "app.kubernetes.io/managed-by": "pulumi", ...labels };
    // jobLabel names the Service label whose value Prometheus uses as the job name: the subchart's own key.
    const monitor = (name: string, jobLabel: string, port: number, selector: Record<string, string>): ServiceMonitorManifest => ({
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name, namespace, labels: { ...metadataLabels } },
        spec: {
            endpoints: [{ targetPort: port }],
            jobLabel,
            namespaceSelector: { matchNames: [namespace] },
            selector: { matchLabels: selector },
        },
    });
    return [
        monitor(`${fullname}-exporter`, fullname, REDIS_HA_PORTS.exporter, { app: "redis-ha", release, exporter: "enabled" }),
        monitor(`${fullname}-haproxy-metrics`, `${fullname}-haproxy`, REDIS_HA_PORTS.haproxyMetrics, { app: "redis-ha", release, component: "haproxy" }),
    ];
}

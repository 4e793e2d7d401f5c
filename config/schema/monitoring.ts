import { bool, list, perEnv, problem, record, section, str, StringFormat, TypeOf } from "../dsl";
import * as fmt from "../formats";

/** A Kubernetes label key (optional DNS prefix, then a name of at most 63 characters). */
export const labelKey: StringFormat = {
    name: "label key",
    check: (v) => {
        const valid = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(v) && v.length <= 317;
        return valid ? undefined : 'must be a Kubernetes label key such as "team" or "footanalytics.io/team"';
    },
};

/** A Kubernetes label value (at most 63 characters, may be empty). */
const labelValue: StringFormat = {
    name: "label value",
    check: (v) => (/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(v) ? undefined : 'must be a Kubernetes label value such as "kube-prometheus-stack"'),
};

/**
 * Metrics, ServiceMonitors and alert rules of the platform (today: Argo CD's components).
 * Read by components/argocd; ServiceMonitors and PrometheusRules need the Prometheus Operator CRDs
 * (`monitoring.coreos.com/v1`) in the cluster.
 */
export const monitoringSchema = section(
    {
        serviceMonitors: bool({
            description: "Create a ServiceMonitor for every Argo CD component (needs the Prometheus Operator CRDs in the cluster); metrics Services are always on.",
            default: perEnv(false, true),
        }),
        serviceMonitorLabels: record(str({ description: "Label value.", format: labelValue }), {
            description: "Extra labels on every ServiceMonitor and PrometheusRule, for the Prometheus `serviceMonitorSelector` / `ruleSelector` (for example `release: kube-prometheus-stack`).",
            keyFormat: labelKey,
            default: {},
        }),
        prometheus: section(
            {
                namespace: str({ description: "Namespace Prometheus runs in; only its pods may reach the metrics ports (NetworkPolicy).", format: fmt.dns1123Label, default: "monitoring" }),
                podLabels: record(str({ description: "Label value.", format: labelValue }), {
                    description: "Labels of the Prometheus pods (the Prometheus Operator sets `app.kubernetes.io/name: prometheus` on every Prometheus it runs).",
                    keyFormat: labelKey,
                    default: { "app.kubernetes.io/name": "prometheus" },
                }),
            },
            { description: "The Prometheus that scrapes the metrics ports: the only client the NetworkPolicies admit to them (the redis-ha exporter's /scrape logs in to Redis)." },
        ),
        applicationLabels: list(str({ description: "Application label key.", format: labelKey }), {
            description: "Application labels copied into the `argocd_app_labels` metric for per-team dashboards (`controller.metrics.applicationLabels`).",
            default: ["team", "tier"],
            uniqueBy: (l) => l,
            uniqueLabel: "label",
        }),
        alerts: section(
            {
                enabled: bool({ description: "Create the Argo CD alert rules (`controller.metrics.rules`, a PrometheusRule).", default: perEnv(false, true) }),
                outOfSyncFor: str({ description: "How long an Application stays OutOfSync before `ArgoCdAppOutOfSync` fires.", format: fmt.duration, default: perEnv("1h", "30m") }),
                degradedFor: str({ description: "How long an Application stays Degraded before `ArgoCdAppDegraded` fires.", format: fmt.duration, default: perEnv("15m", "5m") }),
                syncFailedFor: str({ description: "How long failed syncs keep occurring before `ArgoCdAppSyncFailed` fires.", format: fmt.duration, default: "1m" }),
            },
            { description: "Prometheus alert rules for Applications out of sync, degraded, or failing to sync." },
        ),
    },
    {
        description: "Metrics, ServiceMonitors and alert rules.",
        rules(m, key, ctx) {
            if (m.alerts.enabled && !m.serviceMonitors) {
                problem(
                    ctx,
                    `${key}.alerts.enabled`,
                    m.alerts.enabled,
                    `requires ${key}.serviceMonitors to be true: the alert rules evaluate the controller metrics that the ServiceMonitors scrape`,
                );
            }
        },
    },
);

export type MonitoringConfig = TypeOf<typeof monitoringSchema>;

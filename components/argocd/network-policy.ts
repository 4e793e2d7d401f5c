/**
 * NetworkPolicies that admit only the Argo CD components that use Redis to redis-ha.
 *
 * The chart's own Redis NetworkPolicy (argo-helm argo-cd-10.1.1 templates/redis/networkpolicy.yaml:2)
 * renders only without redis-ha, and the redis-ha subchart's policies cannot express "only these
 * clients": its HAProxy policy adds the Redis ports to every custom ingress rule
 * (redis-ha-4.38.0 templates/redis-haproxy-network-policy.yaml:57-62), so a metrics rule would open
 * Redis to every namespace. The program therefore writes both policies itself.
 *
 * Pod labels: redis-ha templates/redis-ha-statefulset.yaml:20-22 (`app: redis-ha`, `release`) and
 * redis-haproxy-deployment.yaml:35-37 (`app: redis-ha-haproxy`, `component: haproxy`); clients carry
 * the argo-cd chart's selector labels (templates/_common.tpl:65-69).
 */
import { REDIS_CLIENTS } from "@footanalytics/facts";
import { ARGOCD_DEFAULTS } from "./values";

/** Ports of the redis-ha subchart defaults (redis-ha values.yaml `redis.port`, `sentinel.port`, `exporter.port`, `haproxy.metrics.port`). */
export const REDIS_HA_PORTS = Object.freeze({ redis: 6379, sentinel: 26379, exporter: 9121, haproxyMetrics: 9101 });

/** A NetworkPolicy as plain data. */
export interface NetworkPolicyManifest {
    readonly apiVersion: "networking.k8s.io/v1";
    readonly kind: "NetworkPolicy";
    readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
    readonly spec: {
        readonly podSelector: { readonly matchLabels: Record<string, string> };
        readonly policyTypes: string[];
        readonly ingress: { from: Record<string, unknown>[]; ports: { port: number; protocol: string }[] }[];
    };
}

const tcp = (port: number) => ({ port, protocol: "TCP" });

/** Pods of the redis-ha StatefulSet and of its HAProxy Deployment. */
export function redisHaSelectors(release: string = ARGOCD_DEFAULTS.releaseName) {
    return {
        server: { app: "redis-ha", release },
        haproxy: { app: "redis-ha-haproxy", release, component: "haproxy" },
    };
}

/** Who scrapes the metrics ports: the Prometheus pods of one namespace (`monitoring.prometheus`). */
export interface Scraper {
    readonly namespace: string;
    readonly podLabels: Readonly<Record<string, string>>;
}

/**
 * The peer that may reach a metrics port: pods with the scraper's labels in the scraper's namespace
 * (one `from` element with both selectors, so both must match). `kubernetes.io/metadata.name` is the
 * label the API server sets on every namespace (Kubernetes 1.22+).
 */
export function scraperPeer(scraper: Scraper): Record<string, unknown> {
    return {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": scraper.namespace } },
        podSelector: { matchLabels: { ...scraper.podLabels } },
    };
}

/**
 * Two policies: HAProxy admits Redis traffic only from REDIS_CLIENTS; the Redis/Sentinel pods
 * admit Redis and Sentinel traffic only from HAProxy and each other. With `scraper` (metrics
 * scraped), the metrics ports (HAProxy 9101, the redis exporter 9121, whose `/scrape?target=`
 * logs in with the Redis password to any target it is given) admit only that Prometheus.
 */
export function redisHaNetworkPolicies(scraper: Scraper | undefined, release: string = ARGOCD_DEFAULTS.releaseName): NetworkPolicyManifest[] {
    const s = redisHaSelectors(release);
    const labels = { "app.kubernetes.io/part-of": "argocd", "app.kubernetes.io/managed-by": "pulumi" };
    const scrape = (port: number) => (scraper !== undefined ? [{ from: [scraperPeer(scraper)], ports: [tcp(port)] }] : []);
    const clients = REDIS_CLIENTS.map((name) => ({ podSelector: { matchLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": release } } }));
    return [
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: `${release}-redis-ha-haproxy-clients`, namespace: ARGOCD_DEFAULTS.namespace, labels },
            spec: {
                podSelector: { matchLabels: s.haproxy },
                policyTypes: ["Ingress"],
                ingress: [{ from: clients, ports: [tcp(REDIS_HA_PORTS.redis)] }, ...scrape(REDIS_HA_PORTS.haproxyMetrics)],
            },
        },
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: `${release}-redis-ha-server-peers`, namespace: ARGOCD_DEFAULTS.namespace, labels },
            spec: {
                podSelector: { matchLabels: s.server },
                policyTypes: ["Ingress"],
                ingress: [
                    { from: [{ podSelector: { matchLabels: s.haproxy } }, { podSelector: { matchLabels: s.server } }], ports: [tcp(REDIS_HA_PORTS.redis), tcp(REDIS_HA_PORTS.sentinel)] },
                    ...scrape(REDIS_HA_PORTS.exporter),
                ],
            },
        },
    ];
}

/**
 * Expectations about the argo-cd chart written out by hand from the pinned templates, shared by the
 * chart-knowledge and values specs (never derived from facts/charts.ts, which they check).
 */

/** Every container security context path of argo-cd 10.1.1 and redis-ha 4.38.0, written out from the templates. */
export const SECURITY_CONTEXT_PATHS = [
    "controller.containerSecurityContext",
    "server.containerSecurityContext",
    "server.extensions.containerSecurityContext",
    "repoServer.containerSecurityContext",
    "applicationSet.containerSecurityContext",
    "notifications.containerSecurityContext",
    "dex.containerSecurityContext",
    "redis.containerSecurityContext",
    "redis.exporter.containerSecurityContext",
    "redis-ha.containerSecurityContext",
    "redis-ha.haproxy.containerSecurityContext",
    "commitServer.containerSecurityContext",
    "redisSecretInit.containerSecurityContext",
];

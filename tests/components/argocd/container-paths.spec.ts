import * as assert from "assert/strict";
import { argocdValues, CONTAINER_PATHS, valueAt } from "../../../components/argocd/values";
import { loadStack, STACKS } from "../../helpers";

/**
 * The chart's containers, written out here rather than read from the module under test, so that
 * dropping a container from both the values and CONTAINER_PATHS fails. Source: argoproj/argo-helm
 * charts/argo-cd/values.yaml and charts/redis-ha/values.yaml (chart 10.1.1, redis-ha 4.38).
 */
const RESOURCE_PATHS = [
    "controller.resources",
    "server.resources",
    "server.extensions.resources",
    "repoServer.resources",
    "repoServer.copyutil.resources",
    "applicationSet.resources",
    "notifications.resources",
    "dex.resources",
    "dex.initImage.resources",
    "redis.resources",
    "redis.exporter.resources",
    "redis-ha.redis.resources",
    "redis-ha.sentinel.resources",
    "redis-ha.splitBrainDetection.resources",
    "redis-ha.exporter.resources",
    "redis-ha.init.resources",
    "redis-ha.haproxy.resources",
    "redis-ha.haproxy.init.resources",
    "commitServer.resources",
];

/** Probes the chart only renders when `<path>.enabled` is true. */
const PROBE_FLAGS = [
    "applicationSet.readinessProbe",
    "applicationSet.livenessProbe",
    "notifications.readinessProbe",
    "notifications.livenessProbe",
    "dex.readinessProbe",
    "dex.livenessProbe",
    "redis.readinessProbe",
    "redis.livenessProbe",
    "redis.exporter.readinessProbe",
    "redis.exporter.livenessProbe",
    "redis-ha.redis.readinessProbe",
    "redis-ha.redis.livenessProbe",
    "redis-ha.sentinel.readinessProbe",
    "redis-ha.sentinel.livenessProbe",
    "commitServer.readinessProbe",
    "commitServer.livenessProbe",
];

describe("argo-cd chart container paths", () => {
    it("lists exactly the chart's containers in CONTAINER_PATHS", () => {
        assert.deepEqual([...new Set(CONTAINER_PATHS.map((c) => c.resources))].sort(), [...RESOURCE_PATHS].sort());
    });

    for (const stack of STACKS) {
        const cfg = loadStack(stack);
        const values = argocdValues({ config: cfg.argocd, monitoring: cfg.monitoring, environment: cfg.environment, gpgKeys: cfg.gitops.gpgKeys });

        it(`sets CPU and memory requests and limits at every container path in ${stack}`, () => {
            for (const p of RESOURCE_PATHS) {
                for (const side of ["requests", "limits"]) {
                    for (const q of ["cpu", "memory"]) {
                        assert.equal(typeof valueAt(values, `${p}.${side}.${q}`), "string", `${stack}: ${p}.${side}.${q}`);
                    }
                }
            }
        });

        it(`turns on every probe the chart hides behind an enabled flag in ${stack}`, () => {
            for (const p of PROBE_FLAGS) assert.equal(valueAt(values, `${p}.enabled`), true, `${stack}: ${p}.enabled`);
        });
    }
});

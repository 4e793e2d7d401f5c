import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CHART_CONTAINERS, distinctPaths, docsTableRows, HA_MINIMUMS, PDB_SETTINGS, PINNED, REDIS_CLIENTS } from "@footanalytics/facts";
import { argocdValues, valueAt } from "../../../components/argocd/values";
import { ROOT } from "../../../tools/harness";
import { loadStack, STACKS } from "../../helpers";
import { SECURITY_CONTEXT_PATHS } from "./expected";

/**
 * The chart's containers, written out here rather than read from the module under test, so that
 * dropping a container from both the values and CHART_CONTAINERS fails. Source: argoproj/argo-helm
 * tag argo-cd-10.1.1 charts/argo-cd/templates and DandyDeveloper/charts tag redis-ha-4.38.0 templates.
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
    "redisSecretInit.resources",
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


describe("argo-cd chart knowledge (facts/charts.ts)", () => {
    it("pins argo-cd 10.1.1 (Argo CD v3.4.4), redis-ha 4.38.0 and argocd-image-updater 1.1.1 (v1.1.0)", () => {
        assert.deepEqual(
            [PINNED.argocd.version, PINNED.argocd.appVersion, PINNED.redisHa.version, PINNED.imageUpdater.version, PINNED.imageUpdater.appVersion],
            ["10.1.1", "v3.4.4", "4.38.0", "1.1.1", "v1.1.0"],
        );
    });

    it("lists exactly the chart's container resource paths", () => {
        assert.deepEqual(distinctPaths("resources").sort(), [...RESOURCE_PATHS].sort());
        assert.equal(distinctPaths("resources").length, CHART_CONTAINERS.length, "one resources path per container");
    });

    it("lists exactly the chart's container security context paths", () => {
        assert.deepEqual(distinctPaths("securityContext").sort(), [...SECURITY_CONTEXT_PATHS].sort());
    });

    it("lists exactly the probes hidden behind an enabled flag", () => {
        const flags = CHART_CONTAINERS.filter((c) => c.readiness === "flag").flatMap((c) => [`${c.probes}.readinessProbe`, `${c.probes}.livenessProbe`]);
        assert.deepEqual(flags.sort(), [...PROBE_FLAGS].sort());
    });

    it("leaves only the controller's liveness probe missing among regular containers (split-brain-fix has probes since redis-ha 4.35.4)", () => {
        const unprobed = CHART_CONTAINERS.filter((c) => !c.init && c.workload.kind !== "Job" && (c.readiness === "none" || c.liveness === "none")).map((c) => `${c.component}/${c.container}`);
        assert.deepEqual(unprobed, ["application controller/application-controller"]);
        const splitBrain = CHART_CONTAINERS.find((c) => c.container === "split-brain-fix");
        assert.deepEqual([splitBrain?.readiness, splitBrain?.liveness], ["always", "always"]);
    });

    it("states the HA minimums of the chart's High Availability guide", () => {
        assert.deepEqual(
            HA_MINIMUMS.map((m) => [m.configKey, m.value, m.min]),
            [
                ["server.replicas", "server.replicas", 2],
                ["repoServer.replicas", "repoServer.replicas", 2],
                ["applicationSet.replicas", "applicationSet.replicas", 2],
                ["redisHa.replicas", "redis-ha.replicas", 3],
                ["redisHa.haproxyReplicas", "redis-ha.haproxy.replicas", 2],
            ],
        );
        assert.deepEqual(HA_MINIMUMS.map((m) => m.autoscaled?.value).filter((v) => v !== undefined), ["server.autoscaling.minReplicas", "repoServer.autoscaling.minReplicas"]);
    });

    it("is the container table of docs/argocd.md, row for row", () => {
        const docs = fs.readFileSync(path.join(ROOT, "docs", "argocd.md"), "utf8");
        const table = docs.split("\n").filter((l) => /^\| .+ \| `[^`]+`( \(init\))? \| `[^`]+\.resources` \|/.test(l));
        assert.deepEqual(table, docsTableRows());
        assert.equal(docsTableRows()[13], "| redis-ha | `split-brain-fix` | `redis-ha.splitBrainDetection.resources` | `redis-ha.containerSecurityContext` | always | always |");
    });

    it("names the PodDisruptionBudget settings and the Redis clients", () => {
        assert.deepEqual(PDB_SETTINGS.map((p) => p.path), [
            "controller.pdb", "server.pdb", "repoServer.pdb", "applicationSet.pdb", "notifications.pdb", "dex.pdb", "redis-ha.podDisruptionBudget", "redis-ha.haproxy.podDisruptionBudget",
        ]);
        assert.deepEqual([...REDIS_CLIENTS], ["argocd-server", "argocd-repo-server", "argocd-application-controller"]);
    });

    for (const stack of STACKS) {
        const cfg = loadStack(stack);
        const values = argocdValues({ config: cfg.argocd, monitoring: cfg.monitoring, environment: cfg.environment, gpgKeys: cfg.gitops.gpgKeys });

        it(`sets CPU and memory requests and limits at every container path in ${stack}`, () => {
            assert.deepEqual(valueAt(values, "redisSecretInit"), { enabled: false, containerSecurityContext: valueAt(values, "controller.containerSecurityContext") });
            // The redis-secret-init hook Job is off (Chart v4 runs no hooks), so it needs no resources.
            for (const p of RESOURCE_PATHS.filter((path) => path !== "redisSecretInit.resources")) {
                for (const side of ["requests", "limits"]) {
                    for (const q of ["cpu", "memory"]) {
                        assert.equal(typeof valueAt(values, `${p}.${side}.${q}`), "string", `${stack}: ${p}.${side}.${q}`);
                    }
                }
            }
        });

        it(`meets Pod Security restricted at every container security context path in ${stack}`, () => {
            for (const p of SECURITY_CONTEXT_PATHS) {
                assert.equal(valueAt(values, `${p}.runAsNonRoot`), true, `${stack}: ${p}.runAsNonRoot`);
                assert.equal(valueAt(values, `${p}.allowPrivilegeEscalation`), false, `${stack}: ${p}.allowPrivilegeEscalation`);
                assert.equal(valueAt(values, `${p}.seccompProfile.type`), "RuntimeDefault", `${stack}: ${p}.seccompProfile.type`);
                assert.deepEqual(valueAt(values, `${p}.capabilities.drop`), ["ALL"], `${stack}: ${p}.capabilities.drop`);
            }
        });

        it(`turns on every probe the chart hides behind an enabled flag in ${stack}`, () => {
            for (const p of PROBE_FLAGS) assert.equal(valueAt(values, `${p}.enabled`), true, `${stack}: ${p}.enabled`);
        });
    }
});

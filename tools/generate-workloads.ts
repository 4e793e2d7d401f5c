/**
 * Generates plain Kubernetes workload manifests for benchmarks and tests of `policy:manifests`.
 *
 *   ts-node --swc tools/generate-workloads.ts <dir> [--count <n>]
 *
 * Deterministic: manifest `i` is always the same. Kinds rotate through every workload kind; every
 * `violationEvery`-th manifest breaks one rule (rotating through missing memory limit, missing liveness
 * probe and a `latest` image), so a run has a known number of violations.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { parseCli, runMain, UsageError } from "./cli";

/** Workload kinds, in rotation order. */
export const GENERATED_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob"] as const;
type GeneratedKind = (typeof GENERATED_KINDS)[number];

/** What to generate. */
export interface GenerateOptions {
    /** Number of manifests (one workload each). */
    readonly count: number;
    /** Every n-th manifest (1-based) carries one violation; 0 for none. Default 10. */
    readonly violationEvery?: number;
}

/** One generated file. */
export interface GeneratedManifest {
    readonly fileName: string;
    readonly kind: GeneratedKind;
    /** The violation it carries, if any. */
    readonly violation?: "missing-memory-limit" | "missing-liveness-probe" | "latest-tag";
    readonly object: Record<string, unknown>;
}

const VIOLATIONS = ["missing-memory-limit", "missing-liveness-probe", "latest-tag"] as const;

function container(index: number, violation: GeneratedManifest["violation"], kind: GeneratedKind): Record<string, unknown> {
    const longRunning = kind !== "Job" && kind !== "CronJob";
    const limits: Record<string, string> = violation === "missing-memory-limit" ? { cpu: "500m" } : { cpu: "500m", memory: "256Mi" };
    const probe = { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10 };
    return {
        name: "app",
        image: violation === "latest-tag" ? "ghcr.io/footanalytics/app:latest" : `ghcr.io/footanalytics/app:1.${index % 50}.0`,
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits },
        ...(longRunning ? { readinessProbe: probe } : {}),
        ...((longRunning && violation !== "missing-liveness-probe") ? { livenessProbe: probe } : {}),
    };
}

function podSpec(index: number, violation: GeneratedManifest["violation"], kind: GeneratedKind): Record<string, unknown> {
    const restartPolicy = (kind === "Job" || kind === "CronJob") ? { restartPolicy: "OnFailure" } : {};
    return { ...restartPolicy, containers: [container(index, violation, kind)] };
}

function workload(kind: GeneratedKind, index: number, violation: GeneratedManifest["violation"]): Record<string, unknown> {
    const name = `svc-${String(index).padStart(5, "0")}`;
    const labels = { app: name };
    const template = { metadata: { labels }, spec: podSpec(index, violation, kind) };
    const metadata = { name, namespace: `team-${index % 8}`, labels };
    const apiVersion = kind === "Pod" ? "v1" : (kind === "Job" || kind === "CronJob") ? "batch/v1" : "apps/v1";
    const spec: Record<string, unknown> =
        kind === "Pod"
            ? podSpec(index, violation, kind)
            : kind === "Job"
              ? { template }
              : kind === "CronJob"
                ? { schedule: "*/15 * * * *", jobTemplate: { spec: { template } } }
                : { selector: { matchLabels: labels }, template, ...(kind === "StatefulSet" ? { serviceName: name } : {}) };
    return { apiVersion, kind, metadata, spec };
}

/** The manifests, in memory (pure). */
export function generateWorkloadManifests(options: GenerateOptions): GeneratedManifest[] {
    const every = options.violationEvery ?? 10;
    return Array.from({ length: options.count }, (_, index) => {
        const kind = GENERATED_KINDS[index % GENERATED_KINDS.length];
        const broken = every > 0 && (index + 1) % every === 0;
        const planned = broken ? VIOLATIONS[Math.floor(index / every) % VIOLATIONS.length] : undefined;
        // Jobs and CronJobs need no probes, so they get a missing limit instead: one violation per broken manifest.
        const runsToCompletion = kind === "Job" || kind === "CronJob";
        const violation = (planned === "missing-liveness-probe" && runsToCompletion) ? "missing-memory-limit" : planned;
        const fileName = `${String(index).padStart(5, "0")}-${kind.toLowerCase()}.yaml`;
        const object = workload(kind, index, violation);
        return violation === undefined ? { fileName, kind, object } : { fileName, kind, violation, object };
    });
}

/** Writes the manifests to `dir` (created if needed) and returns their paths. */
export function writeWorkloadManifests(dir: string, options: GenerateOptions): string[] {
    fs.mkdirSync(dir, { recursive: true });
    return generateWorkloadManifests(options).map((manifest) => {
        const file = path.join(dir, manifest.fileName);
        fs.writeFileSync(file, YAML.stringify(manifest.object));
        return file;
    });
}

async function main(): Promise<number> {
    const usage = "ts-node --swc tools/generate-workloads.ts <dir> [--count <n>]";
    const { values, positionals } = parseCli(process.argv.slice(2), { count: { type: "string", default: "1000" } }, usage, true);
    const count = Number(values.count);
    if (positionals.length !== 1 || !Number.isInteger(count) || count < 1) {
        throw new UsageError(`usage: ${usage}`, 2);
    }
    const files = writeWorkloadManifests(positionals[0], { count });
    process.stdout.write(`wrote ${files.length} manifests to ${positionals[0]}\n`);
    return 0;
}

if (require.main === module) {
    runMain(main);
}

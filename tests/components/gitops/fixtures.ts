/**
 * Fixtures of the GitOps specs: the RBAC sections of both stacks as plain typed objects (pure
 * builder specs load neither the SDK nor the stack files; tests/components/gitops/index.spec.ts
 * checks they equal what the config loader reads from the stack files), the stack files' gitops,
 * rbac and notifications sections as the real config loader gives them (cross-section rules
 * included; loaded on first use), schema validators from `@kubernetes-models/argo-cd` and
 * `kubernetes-models`, and a sample Application for rendering notification templates.
 */
import * as path from "path";
import type { Environment } from "../../../config/dsl";
import type { GitOpsConfig, ProjectRoleConfig } from "../../../config/schema/gitops";
import type { NotificationsConfig } from "../../../config/schema/notifications";
import { DEFAULT_GROUP_BINDINGS, DEFAULT_RBAC_ROLES, RbacConfig } from "../../../config/schema/rbac";
import { ROOT } from "../../../tools/cli";
import type * as Helpers from "../../helpers";
import type { StackName } from "../../stacks";

/** The RBAC section of each committed stack: the seed's roles and bindings, and the stack's `policy.default`. */
export const RBAC: Readonly<Record<StackName, RbacConfig>> = Object.freeze({
    production: { roles: DEFAULT_RBAC_ROLES, groupBindings: DEFAULT_GROUP_BINDINGS, defaultPolicy: "" },
    staging: { roles: DEFAULT_RBAC_ROLES, groupBindings: DEFAULT_GROUP_BINDINGS, defaultPolicy: "role:readonly" },
} as Record<StackName, RbacConfig>);

/** `gitops.projectRoles` of both committed stacks. */
export const PROJECT_ROLES: readonly ProjectRoleConfig[] = [
    {
        name: "ci",
        description: "CI pipelines may read and sync the platform Applications, nothing else.",
        policies: [
            { resource: "applications", action: "get", object: "footanalytics/*", effect: "allow" },
            { resource: "applications", action: "sync", object: "footanalytics/*", effect: "allow" },
        ],
        groups: [],
    },
];

/** The test helpers (the SDK, config and the stack files), loaded by the first spec that needs them. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const helpers = (): typeof Helpers => require("../../helpers") as typeof Helpers;

/** The three sections of a stack, parsed and defaulted. */
export interface GitOpsSections {
    readonly stack: StackName;
    readonly env: Environment;
    readonly gitops: GitOpsConfig;
    readonly rbac: RbacConfig;
    readonly notifications: NotificationsConfig;
}

type RawSections = { gitops: any; rbac: any; notifications: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Turn an edit of the three raw sections into an edit of the whole stack file. */
function editSections(edit?: (v: RawSections) => void): (values: Record<string, unknown>) => void {
    return (values) => {
        const { NS } = helpers();
        const raw: RawSections = { gitops: values[`${NS}:gitops`], rbac: values[`${NS}:rbac`], notifications: values[`${NS}:notifications`] };
        edit?.(raw);
        values[`${NS}:gitops`] = raw.gitops;
        values[`${NS}:rbac`] = raw.rbac;
        values[`${NS}:notifications`] = raw.notifications;
    };
}

/** The gitops, rbac and notifications sections of a stack loaded by the real config loader, after an optional edit of the raw sections. */
export function sections(stack: StackName, edit?: (v: RawSections) => void): GitOpsSections {
    const cfg = helpers().loadStack(stack, editSections(edit));
    return { stack, env: cfg.environment, gitops: cfg.gitops, rbac: cfg.rbac, notifications: cfg.notifications };
}

/** Every problem the config loader reports after an edit of the raw sections (none when it loads). */
export function sectionProblems(stack: StackName, edit: (v: RawSections) => void): string[] {
    const result = helpers().parseStack(stack, editSections(edit));
    return Array.isArray(result) ? result : [];
}

interface Validatable {
    validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/*
 * Both model packages are ES modules exported for `import` only; Node 24 can `require` their
 * files, so they are loaded by path (the CommonJS test build cannot reach them by name).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const argo = require(path.join(ROOT, "node_modules/@kubernetes-models/argo-cd/argoproj.io/v1alpha1/index.js")) as Record<string, ModelClass>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = require(path.join(ROOT, "node_modules/kubernetes-models/v1/index.js")) as Record<string, ModelClass>;

/** Validate a manifest against Argo CD's CRD schema (AppProject, Application) or Kubernetes' (ConfigMap, Secret); throws the schema errors. */
export function validateManifest(manifest: { kind: string }): void {
    const model = (manifest.kind === "AppProject" || manifest.kind === "Application") ? argo[manifest.kind] : core[manifest.kind];
    if (model === undefined) throw new Error(`no schema for kind ${manifest.kind}`);
    new model(manifest).validate();
}

/** A sample Application as Argo CD hands it to notification templates. */
export const SAMPLE_APP = {
    metadata: { name: "api-gateway", namespace: "argocd" },
    spec: { project: "footanalytics", source: { repoURL: "https://github.com/footanalytics/gitops-config", path: "overlays/production/api-gateway", targetRevision: "release-2026.11" } },
    status: {
        sync: { status: "Synced", revision: "3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39" },
        health: { status: "Healthy" },
        operationState: { phase: "Succeeded", message: 'successfully synced (all tasks run) "quoted"' },
    },
};

/**
 * Render the documented template subset: every `{{ .a.b.c }}` is a field reference resolved in
 * `data`; anything else inside `{{ }}` is refused, so a template outside the subset fails the test.
 */
export function renderTemplate(template: string, data: Record<string, unknown>): string {
    return template.replace(/\{\{(.*?)\}\}/g, (_all, inner: string) => {
        const m = /^\s*\.([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*$/.exec(inner);
        if (!m) throw new Error(`template action {{${inner}}} is outside the documented subset (plain field references)`);
        let v: unknown = data;
        for (const part of m[1].split(".")) v = (v !== null && typeof v === "object") ? (v as Record<string, unknown>)[part] : undefined;
        if (typeof v !== "string" && typeof v !== "number") throw new Error(`template field .${m[1]} is not set in the sample data`);
        return String(v);
    });
}

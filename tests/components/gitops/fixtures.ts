/**
 * Fixtures of the GitOps specs: the stack files' gitops, rbac and notifications sections parsed
 * on their own (so these specs do not depend on other sections), schema validators from
 * `@kubernetes-models/argo-cd` and `kubernetes-models`, and a sample Application for rendering
 * notification templates.
 */
import * as path from "path";
import { Environment, parseField, ParseContext } from "../../../config/dsl";
import { gitopsSchema, GitOpsConfig } from "../../../config/schema/gitops";
import { notificationsSchema, NotificationsConfig } from "../../../config/schema/notifications";
import { rbacSchema, RbacConfig } from "../../../config/schema/rbac";
import { ROOT } from "../../../tools/harness";
import { NS, StackName, stackValues } from "../../helpers";

/** The three sections of a stack, parsed and defaulted. */
export interface GitOpsSections {
    readonly stack: StackName;
    readonly env: Environment;
    readonly gitops: GitOpsConfig;
    readonly rbac: RbacConfig;
    readonly notifications: NotificationsConfig;
}

/** Parse the gitops, rbac and notifications sections of a stack file, after an optional edit of the raw values. */
export function sections(stack: StackName, edit?: (v: { gitops: any; rbac: any; notifications: any }) => void): GitOpsSections { // eslint-disable-line @typescript-eslint/no-explicit-any
    const values = stackValues(stack);
    const raw = { gitops: values[`${NS}:gitops`], rbac: values[`${NS}:rbac`], notifications: values[`${NS}:notifications`] };
    edit?.(raw);
    const env = values[`${NS}:environment`] as Environment;
    const ctx: ParseContext = { env, stack, problems: [] };
    const gitops = parseField(gitopsSchema, raw.gitops, `${NS}:gitops`, ctx);
    const rbac = parseField(rbacSchema, raw.rbac, `${NS}:rbac`, ctx);
    const notifications = parseField(notificationsSchema, raw.notifications, `${NS}:notifications`, ctx);
    if (ctx.problems.length > 0) throw new Error(ctx.problems.map((p) => p.message).join("\n"));
    return { stack, env, gitops: gitops!, rbac: rbac!, notifications: notifications! };
}

/** The problems of the three sections after an edit (no throw). */
export function sectionProblems(stack: StackName, edit: (v: { gitops: any; rbac: any; notifications: any }) => void): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
        sections(stack, edit);
        return [];
    } catch (e) {
        return (e as Error).message.split("\n");
    }
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

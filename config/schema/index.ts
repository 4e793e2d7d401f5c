import { ENVIRONMENTS, str, TypeOf } from "../dsl";
import { argocdSchema } from "./argocd";
import { clusterSchema } from "./cluster";
import { gitopsSchema } from "./gitops";
import { monitoringSchema } from "./monitoring";
import { notificationsSchema } from "./notifications";
import { platformSchema } from "./platform";
import { rbacSchema } from "./rbac";

/** Name of the Pulumi project; every key below lives in its namespace. */
export const PROJECT = "footanalytics-gitops";

/**
 * Namespaces of other packages' configuration a stack file may hold, besides `PROJECT`: the Pulumi
 * engine's own (`pulumi:tags`, `pulumi:disable-default-providers`) and those of the provider packages
 * in package.json (their keys are theirs to check). Any other namespace is a typo nothing would read.
 */
export const PROVIDER_NAMESPACES = Object.freeze(["aws", "eks", "github", "kubernetes", "pulumi", "random"] as const);

/**
 * Every top-level key of the `footanalytics-gitops` namespace, in the order problems are reported
 * and the reference table lists them.
 */
export const SCHEMA = {
    environment: str({
        description: "Which profile the stack follows: `production` defaults are highly available and stricter.",
        oneOf: ENVIRONMENTS,
    }),
    costCentre: str({ description: "Cost centre tag on every AWS resource.", default: "platform" }),
    cluster: clusterSchema,
    platform: platformSchema,
    argocd: argocdSchema,
    monitoring: monitoringSchema,
    gitops: gitopsSchema,
    rbac: rbacSchema,
    notifications: notificationsSchema,
} as const;

export type Schema = typeof SCHEMA;
export type SchemaValues = { readonly [K in keyof Schema]: TypeOf<Schema[K]> };

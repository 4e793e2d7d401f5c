import { section, str, TypeOf } from "../dsl";
import * as fmt from "../formats";

/**
 * Argo CD installation settings (chart, HA, resources, probes, security, ingress).
 * Owned by components/argocd; see components/argocd/values.ts for how each key maps to chart values.
 */
export const argocdSchema = section(
    {
        chartVersion: str({ description: "Version of the argo-cd chart from https://argoproj.github.io/argo-helm (Renovate updates it).", format: fmt.semver }),
        domain: str({ description: "Host name Argo CD is served on (`global.domain`); the UI lives under `/argocd`.", format: fmt.hostname }),
    },
    { description: "The Argo CD installation." },
);

export type ArgoCdConfig = TypeOf<typeof argocdSchema>;

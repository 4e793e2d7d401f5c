import { list, obj, section, str, TypeOf } from "../dsl";
import * as fmt from "../formats";

/** One platform Application synced from the GitOps repository. */
export const application = obj(
    {
        name: str({ description: "Application name, unique in the stack.", format: fmt.dns1123Label }),
    },
    { description: "A platform Application." },
);

/**
 * The GitOps layer: repository, AppProject, Applications.
 * Owned by components/gitops.
 */
export const gitopsSchema = section(
    {
        repoUrl: str({ description: "The GitOps repository Argo CD syncs from.", format: fmt.gitUrl, default: "https://github.com/footanalytics/gitops-config" }),
        targetRevision: str({ description: "Revision every Application tracks unless it sets its own.", format: fmt.gitRevision }),
        applications: list(application, { description: "The platform Applications.", minItems: 1, uniqueBy: (a) => a.name, uniqueLabel: "name" }),
    },
    { description: "The GitOps repository and the platform Applications." },
);

export type GitOpsConfig = TypeOf<typeof gitopsSchema>;
export type ApplicationConfig = TypeOf<typeof application>;

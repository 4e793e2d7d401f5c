import { Finding, ResourceRule, toResourcePolicy } from "../lib/engine";
import { Subject } from "../lib/kube";
import { describeContainer, extractWorkload, workloadKindOf } from "../lib/workloads";

/** Why an image reference is not pinned, or `undefined` when it carries a digest or a tag other than `latest`. */
export function unpinnedReason(image: string): "no tag" | "latest" | undefined {
    const at = image.indexOf("@");
    if (at >= 0) {
        return at < image.length - 1 ? undefined : "no tag";
    }
    // The tag follows the last ':' after the last '/', so a registry port (`registry:5000/app`) is not a tag.
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.lastIndexOf(":");
    if (colon < 0 || colon === lastSegment.length - 1) {
        return "no tag";
    }
    return lastSegment.slice(colon + 1).toLowerCase() === "latest" ? "latest" : undefined;
}

function check(subject: Subject): readonly Finding[] {
    const workload = extractWorkload(subject);
    if (workload === undefined) {
        return [];
    }
    return workload.containers.flatMap((container) => {
        const image = container.spec.image;
        // Unknown or absent images cannot be judged here (the API server rejects a container without an image).
        if (typeof image !== "string" || image === "") {
            return [];
        }
        const reason = unpinnedReason(image);
        if (reason === undefined) {
            return [];
        }
        const problem = reason === "latest" ? "the latest tag" : "no tag, which means latest";
        const message = `${describeContainer(workload, container)} uses image "${image}" with ${problem}; pin a version tag or a digest`;
        return [{ ...workload.id, container: container.name, message }];
    });
}

/** Pure rule, also applied by `npm run policy:manifests`. */
export const disallowLatestTagRule: ResourceRule = {
    name: "disallow-latest-tag",
    description: "Container and init container images carry a tag other than latest, or a digest.",
    enforcementLevel: "mandatory",
    settingKeys: [],
    appliesTo: (type) => workloadKindOf(type) !== undefined,
    check,
};

/** CrossGuard policy. */
export const disallowLatestTag = toResourcePolicy(disallowLatestTagRule);

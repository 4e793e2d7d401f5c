import { Finding, ResourceRule, toResourcePolicy } from "../lib/engine";
import { Subject } from "../lib/kube";
import { describe, isUnknown } from "../lib/values";
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
    // Tags are case-sensitive: `Latest` is another tag than `latest`.
    return lastSegment.slice(colon + 1) === "latest" ? "latest" : undefined;
}

// The grammar of an image reference (github.com/distribution/reference, regexp.go): an optional
// registry host (and port), lower-case path components, an optional tag, an optional digest.
const DOMAIN = String.raw`[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?`;
const COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const TAG = String.raw`[\w][\w.-]{0,127}`;
const DIGEST = String.raw`[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`;
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

/** Whether `image` is an image reference at all (`{{ .Values.image }}`, `nginx latest` and `""` are not). */
export function isImageReference(image: string): boolean {
    return REFERENCE.test(image);
}

function check(subject: Subject): readonly Finding[] {
    const workload = extractWorkload(subject);
    if (workload === undefined) {
        return [];
    }
    return workload.containers.flatMap((container) => {
        const image = container.spec.image;
        // An unknown image (preview) cannot be judged yet. A missing, empty or non-string image is no
        // image reference at all, which is no pinned one either (polaris, kube-score and checkov fail it).
        if (isUnknown(image)) {
            return [];
        }
        if (typeof image !== "string" || !isImageReference(image)) {
            const what = image === undefined ? "no image" : `image ${describe(image)}`;
            return [{ ...workload.id, container: container.name, message: `${describeContainer(workload, container)} has ${what}, which is not an image reference; set an image with a version tag or a digest` }];
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
    description: "Container and init container images are image references carrying a tag other than latest (case-sensitive), or a digest.",
    enforcementLevel: "mandatory",
    settingKeys: [],
    appliesTo: (type) => workloadKindOf(type) !== undefined,
    check,
};

/** CrossGuard policy. */
export const disallowLatestTag = toResourcePolicy(disallowLatestTagRule);

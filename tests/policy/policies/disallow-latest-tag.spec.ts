import * as assert from "assert/strict";
import { disallowLatestTag, unpinnedReason } from "../../../policy/policies/disallow-latest-tag";
import { fixture, messages, podSpec, UNKNOWN_VALUE, WORKLOAD_FIXTURES } from "../helpers";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

describe("disallow-latest-tag", () => {
    for (const { kind, type, file } of WORKLOAD_FIXTURES) {
        it(`accepts a compliant ${kind}`, () => {
            assert.deepEqual(messages(disallowLatestTag, type, fixture(file)), []);
        });
    }

    it("rejects a container image with the latest tag", () => {
        const deployment = fixture("workloads/deployment.yaml");
        podSpec(deployment).containers[0].image = "ghcr.io/footanalytics/api-gateway:latest";
        assert.deepEqual(messages(disallowLatestTag, DEPLOYMENT, deployment), [
            'Deployment platform/api-gateway container "app" uses image "ghcr.io/footanalytics/api-gateway:latest" with the latest tag; pin a version tag or a digest',
        ]);
    });

    it("rejects an untagged image on a registry with a port", () => {
        const deployment = fixture("workloads/deployment.yaml");
        podSpec(deployment).containers[0].image = "registry.local:5000/api-gateway";
        assert.deepEqual(messages(disallowLatestTag, DEPLOYMENT, deployment), [
            'Deployment platform/api-gateway container "app" uses image "registry.local:5000/api-gateway" with no tag, which means latest; pin a version tag or a digest',
        ]);
    });

    it("rejects a CronJob init container with the latest tag", () => {
        const cronJob = fixture("workloads/cronjob.yaml");
        podSpec(cronJob).initContainers[0].image = "busybox:latest";
        assert.deepEqual(messages(disallowLatestTag, "kubernetes:batch/v1:CronJob", cronJob), [
            'CronJob platform/api-gateway init container "migrate" uses image "busybox:latest" with the latest tag; pin a version tag or a digest',
        ]);
    });

    it("rejects a second container with an untagged image", () => {
        const pod = fixture("workloads/pod.yaml");
        podSpec(pod).containers.push({ name: "debug", image: "busybox" });
        assert.deepEqual(messages(disallowLatestTag, "kubernetes:core/v1:Pod", pod), [
            'Pod platform/api-gateway container "debug" uses image "busybox" with no tag, which means latest; pin a version tag or a digest',
        ]);
    });

    it("accepts digests, including latest pinned by digest", () => {
        assert.equal(unpinnedReason("nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"), undefined);
        assert.equal(unpinnedReason("nginx:latest@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"), undefined);
        assert.equal(unpinnedReason("registry.local:5000/team/app:2.1"), undefined);
        assert.equal(unpinnedReason("app:"), "no tag");
        // Tags are case-sensitive: LATEST is another tag than latest.
        assert.equal(unpinnedReason("app:LATEST"), undefined);
    });

    it("skips an image unknown at preview, reporting one advisory that names the unknown fields", () => {
        const deployment = fixture("workloads/deployment.yaml");
        podSpec(deployment).containers[0].image = UNKNOWN_VALUE;
        assert.deepEqual(messages(disallowLatestTag, DEPLOYMENT, deployment), ["Deployment platform/api-gateway: not checked yet (unknown during preview): spec.template.spec.containers[0].image; disallow-latest-tag runs on them at `pulumi up`"]);
    });
});

import * as assert from "assert/strict";
import { closest, didYouMean, editDistance } from "../../config/closest";

describe("closest known name", () => {
    it("counts a swapped pair of letters as one edit", () => {
        assert.equal(editDistance("argcod", "argocd"), 1);
        assert.equal(editDistance("footanalytics-gitop", "footanalytics-gitops"), 1);
        assert.equal(editDistance("Monitoring", "monitoring"), 0);
    });

    it("names the closest candidate, the first one on a tie, and nothing when none is close", () => {
        assert.equal(closest("argcd", ["cluster", "argocd", "gitops"]), "argocd");
        assert.equal(closest("gcp", ["aws", "eks", "kubernetes", "pulumi", "random"]), undefined);
        assert.equal(closest("awz", ["aws", "eks", "kubernetes", "pulumi", "random"]), "aws");
        assert.equal(closest("version", ["kubernetesVersion", "upgradePolicy"]), "kubernetesVersion");
        assert.equal(didYouMean("stak", ["stack", "out"], (c) => `--${c}`), " (did you mean --stack?)");
        assert.equal(didYouMean("zzz", ["stack", "out"]), "");
    });
});

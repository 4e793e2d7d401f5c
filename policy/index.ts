import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// Constructing the pack starts the analyzer server: nothing may import this file (tests and tools import ./policies).
new PolicyPack("footanalytics-gitops", {
    description: "Resource limits, probes and GitOps guardrails for the FootAnalytics GitOps stack (see docs/policies.md).",
    policies,
});

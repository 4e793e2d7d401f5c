import * as assert from "assert/strict";
import { kubeconfigServer, logGroupName, planCluster, planSafety, standardTags } from "../../../components/cluster/plan";
import { loadStack as stackConfig } from "../../helpers";

describe("cluster plan", () => {
    it("tags every AWS resource with part-of, environment, cost centre, stack and manager", () => {
        assert.deepEqual(standardTags("production", "platform-production", "production"), {
            "app.kubernetes.io/part-of": "footanalytics",
            environment: "production",
            "cost-centre": "platform-production",
            "pulumi-stack": "production",
            "managed-by": "pulumi",
        });
    });

    it("plans the production cluster: private endpoint, named public CIDRs, all logs, deletion protection", () => {
        const plan = planCluster(stackConfig("production").cluster, "aws");
        assert.deepEqual({ ...plan, accessEntries: Object.keys(plan.accessEntries) }, {
            name: "footanalytics-production",
            version: "1.35",
            upgradePolicy: { supportType: "EXTENDED" },
            authenticationMode: "API",
            accessEntries: ["admin-footanalytics-platform-admin", "developer-footanalytics-developer", "preview-footanalytics-gitops-preview-production"],
            createOidcProvider: true,
            endpointPrivateAccess: true,
            endpointPublicAccess: true,
            publicAccessCidrs: ["203.0.113.0/24"],
            enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
            deletionProtection: true,
            skipDefaultNodeGroup: true,
            skipDefaultSecurityGroups: true,
            bootstrapSelfManagedAddons: false,
            corednsAddonOptions: { enabled: false },
            kubeProxyAddonOptions: { enabled: false },
            useDefaultVpcCni: true,
            nodeAssociatePublicIpAddress: false,
        });
    });

    it("passes no public CIDRs when the public endpoint is off", () => {
        const cfg = stackConfig("production").cluster;
        const plan = planCluster({ ...cfg, endpoint: { ...cfg.endpoint, publicAccess: false, publicAccessCidrs: ["203.0.113.0/24"] } }, "aws");
        assert.equal(plan.endpointPublicAccess, false);
        assert.equal("publicAccessCidrs" in plan, false);
    });

    it("protects cluster and key in production whatever deletionProtection says, and always retains the key", () => {
        assert.deepEqual(planSafety("production", { deletionProtection: false }), { protectCluster: true, retainLogs: true });
        assert.deepEqual(planSafety("staging", { deletionProtection: false }), { protectCluster: false, retainLogs: false });
        assert.deepEqual(planSafety("staging", { deletionProtection: true }), { protectCluster: true, retainLogs: false });
    });

    it("names the log group EKS writes control-plane logs to", () => {
        assert.equal(logGroupName("footanalytics-staging"), "/aws/eks/footanalytics-staging/cluster");
    });

    describe("kubeconfigServer", () => {
        const yaml = [
            "apiVersion: v1",
            "kind: Config",
            "current-context: prod",
            "clusters:",
            "  - name: dev",
            "    cluster: { server: https://dev.example.com }",
            "  - name: prod",
            "    cluster: { server: https://prod.example.com }",
            "contexts:",
            "  - name: prod",
            "    context: { cluster: prod, user: u }",
        ].join("\n");

        it("reads the server of the current context's cluster from YAML", () => {
            assert.equal(kubeconfigServer(yaml), "https://prod.example.com");
        });

        it("reads the only cluster's server from JSON without a current context", () => {
            assert.equal(kubeconfigServer(JSON.stringify({ clusters: [{ name: "a", cluster: { server: "https://a" } }] })), "https://a");
        });

        it("gives up on text that is not a kubeconfig", () => {
            assert.equal(kubeconfigServer("::: not yaml"), undefined);
            assert.equal(kubeconfigServer("just a string"), undefined);
        });
    });
});

import * as assert from "assert/strict";
import { PLATFORM_ADMIN_POLICIES, PLATFORM_ADMIN_ROLE } from "../../../config/schema/rbac";
import { policyCsv, projectPolicyCsv, rbacConfigMap } from "../../../components/gitops/rbac";
import { newRbacEvaluator } from "../../../tools/rbac-eval";
import { STACKS } from "../../stacks";
import { PROJECT_ROLES, RBAC, validateManifest } from "./fixtures";

describe("components/gitops/rbac", () => {
    it("writes the seed's roles and group bindings to policy.csv", () => {
        const rbac = RBAC.production;
        assert.equal(
            policyCsv(rbac),
            [
                "# role:platform-admin",
                ...["footanalytics", "platform"].flatMap((project) => [
                    ...["get", "create", "update", "update/*", "delete", "delete/*", "sync", "override", "action/*"].map((a) => `p, role:platform-admin, applications, ${a}, ${project}/*, allow`),
                    `p, role:platform-admin, applicationsets, get, ${project}/*, allow`,
                    `p, role:platform-admin, logs, get, ${project}/*, allow`,
                ]),
                ...["projects", "clusters", "repositories", "accounts", "certificates", "gpgkeys"].map((r) => `p, role:platform-admin, ${r}, get, *, allow`),
                "# role:developer",
                "p, role:developer, applications, get, footanalytics/*, allow",
                "p, role:developer, applications, sync, footanalytics/*, allow",
                "p, role:developer, logs, get, footanalytics/*, allow",
                "# SSO groups",
                "g, footanalytics:admin, role:platform-admin",
                "g, footanalytics:developer, role:developer",
                "",
            ].join("\n"),
        );
    });

    for (const stack of STACKS) {
        it(`gives the SSO admin group the seed's platform-admin role in ${stack}, and no rule amends a built-in role`, () => {
            const rbac = RBAC[stack];
            assert.deepEqual(rbac.roles.find((r) => r.name === PLATFORM_ADMIN_ROLE)?.policies, PLATFORM_ADMIN_POLICIES);
            assert.deepEqual(rbac.groupBindings.find((b) => b.group === "footanalytics:admin")?.role, PLATFORM_ADMIN_ROLE);
            assert.doesNotMatch(policyCsv(rbac), /^[pg], role:(admin|readonly),/m);
            assert.doesNotMatch(policyCsv(rbac), /, role:admin$/m);
        });
    }

    it("denies by default in production and lets signed-in users read in staging", () => {
        assert.equal(rbacConfigMap(RBAC.production).data["policy.default"], "");
        assert.equal(rbacConfigMap(RBAC.staging).data["policy.default"], "role:readonly");
    });

    for (const stack of STACKS) {
        it(`builds an argocd-rbac-cm that Kubernetes accepts, labelled part of Argo CD, with the groups scope (${stack})`, () => {
            const cm = rbacConfigMap(RBAC[stack]);
            validateManifest(cm);
            assert.equal(cm.metadata.name, "argocd-rbac-cm");
            assert.equal(cm.metadata.labels?.["app.kubernetes.io/part-of"], "argocd");
            assert.equal(cm.data.scopes, "[groups]");
        });
    }

    it("writes AppProject role policies under the proj:<project>:<role> subject", () => {
        assert.equal(
            projectPolicyCsv(PROJECT_ROLES),
            "p, proj:footanalytics:ci, applications, get, footanalytics/*, allow\np, proj:footanalytics:ci, applications, sync, footanalytics/*, allow\n",
        );
    });

    describe("policy.csv cannot gain a line through a configuration value", () => {
        // config/ refuses every such value (tests/config/gitops.spec.ts, "policy.csv cannot gain a line"); the builder writes one line per rule.
        it("keeps one line per rule and binding for every valid configuration of the seed", () => {
            for (const stack of STACKS) {
                const lines = policyCsv(RBAC[stack]).trimEnd().split("\n");
                const rules = RBAC[stack].roles.reduce((n, r) => n + r.policies.length + 1, 0) + 1 + RBAC[stack].groupBindings.length;
                assert.equal(lines.length, rules);
            }
        });
    });

    describe("can-i matrix of the generated policy", () => {
        const app = "footanalytics/api-gateway";
        // [subject, action, resource, object, production answer, staging answer]
        const matrix: [string, string, string, string, boolean, boolean][] = [
            ["footanalytics:developer", "get", "applications", app, true, true],
            ["footanalytics:developer", "sync", "applications", app, true, true],
            ["footanalytics:developer", "get", "logs", app, true, true],
            ["footanalytics:developer", "delete", "applications", app, false, false],
            ["footanalytics:developer", "create", "applications", app, false, false],
            ["footanalytics:developer", "update", "applications", app, false, false],
            ["footanalytics:developer", "sync", "applications", "default/guestbook", false, false],
            ["footanalytics:developer", "create", "exec", app, false, false],
            // The SSO admin group (role:platform-admin): operates every Application of the footanalytics project, reads everything else...
            ["footanalytics:admin", "get", "applications", app, true, true],
            // ...and nothing in Argo CD's built-in default project, nor in another project (the root application's included).
            ["footanalytics:admin", "create", "applications", "default/x", false, false],
            ["footanalytics:admin", "sync", "applications", "default/guestbook", false, false],
            ["footanalytics:admin", "update", "applications", "default/guestbook", false, false],
            ["footanalytics:admin", "create", "applications", "footanalytics-root/x", false, false],
            ["footanalytics:admin", "create", "applicationsets", "default/x", false, false],
            ["footanalytics:admin", "sync", "applications", "footanalytics-root/footanalytics-platform", false, false],
            // ...but the cluster add-ons' project, which only administrators may operate.
            ["footanalytics:admin", "sync", "applications", "platform/kube-prometheus-stack", true, true],
            ["footanalytics:developer", "sync", "applications", "platform/kube-prometheus-stack", false, false],
            ["footanalytics:admin", "create", "applications", app, true, true],
            ["footanalytics:admin", "update", "applications", app, true, true],
            ["footanalytics:admin", "delete", "applications", app, true, true],
            ["footanalytics:admin", "override", "applications", app, true, true],
            ["footanalytics:admin", "action/apps/Deployment/restart", "applications", app, true, true],
            ["footanalytics:admin", "delete//Pod/footanalytics/api-gateway-7d9", "applications", app, true, true],
            ["footanalytics:admin", "update/apps/Deployment/footanalytics/api-gateway", "applications", app, true, true],
            ["footanalytics:admin", "get", "logs", app, true, true],
            ["footanalytics:admin", "get", "applicationsets", "footanalytics/platform", true, true],
            ["footanalytics:admin", "get", "projects", "footanalytics", true, true],
            ["footanalytics:admin", "get", "clusters", "https://kubernetes.default.svc", true, true],
            ["footanalytics:admin", "get", "repositories", "https://github.com/footanalytics/gitops-config", true, true],
            ["footanalytics:admin", "get", "accounts", "admin", true, true],
            ["footanalytics:admin", "get", "certificates", "*", true, true],
            ["footanalytics:admin", "get", "gpgkeys", "*", true, true],
            // ...and changes nothing Pulumi owns, and has no terminal (exec.enabled is false).
            ["footanalytics:admin", "create", "exec", app, false, false],
            ["footanalytics:admin", "create", "projects", "rogue", false, false],
            ["footanalytics:admin", "update", "projects", "footanalytics", false, false],
            ["footanalytics:admin", "delete", "projects", "footanalytics", false, false],
            ["footanalytics:admin", "create", "clusters", "https://kubernetes.default.svc", false, false],
            ["footanalytics:admin", "delete", "clusters", "https://kubernetes.default.svc", false, false],
            ["footanalytics:admin", "create", "repositories", "https://github.com/footanalytics/gitops-config", false, false],
            ["footanalytics:admin", "delete", "repositories", "https://github.com/footanalytics/gitops-config", false, false],
            ["footanalytics:admin", "update", "accounts", "admin", false, false],
            ["footanalytics:admin", "create", "certificates", "*", false, false],
            ["footanalytics:admin", "delete", "gpgkeys", "*", false, false],
            ["footanalytics:admin", "create", "applicationsets", "footanalytics/platform", false, false],
            ["footanalytics:admin", "delete", "applicationsets", "footanalytics/platform", false, false],
            ["footanalytics:admin", "invoke", "extensions", "metrics", false, false],
            // The local admin account keeps the built-in role:admin for break-glass (when argocd.adminEnabled lets it sign in).
            ["admin", "create", "projects", "rogue", true, true],
            ["admin", "create", "exec", app, true, true],
            // Unknown groups get policy.default: nothing in production, read-only in staging.
            ["someone:else", "get", "applications", app, false, true],
            ["someone:else", "sync", "applications", app, false, false],
            ["someone:else", "delete", "applications", app, false, false],
            ["proj:footanalytics:ci", "sync", "applications", app, true, true],
            ["proj:footanalytics:ci", "delete", "applications", app, false, false],
            ["proj:footanalytics:ci", "create", "applications", "default/x", false, false],
        ];
        for (const stack of STACKS) {
            for (const [subject, action, resource, object, production, staging] of matrix) {
                const expected = stack === "production" ? production : staging;
                it(`${stack}: ${subject} ${expected ? "may" : "may not"} ${action} ${resource} ${object}`, async () => {
                    const e = await newRbacEvaluator(policyCsv(RBAC[stack]) + projectPolicyCsv(PROJECT_ROLES), RBAC[stack].defaultPolicy);
                    assert.equal(await e.can({ subject, action, resource, object }), expected);
                });
            }
        }

        it("lets a deny rule win over an allow", async () => {
            const [admin, developer] = RBAC.production.roles;
            const deny = { resource: "applications", action: "sync", object: "footanalytics/ml-pipeline", effect: "deny" } as const;
            const rbac = { ...RBAC.production, roles: [admin, { ...developer, policies: [...developer.policies, deny] }] };
            const e = await newRbacEvaluator(policyCsv(rbac), rbac.defaultPolicy);
            assert.equal(await e.can({ subject: "footanalytics:developer", action: "sync", resource: "applications", object: "footanalytics/ml-pipeline" }), false);
            assert.equal(await e.can({ subject: "footanalytics:developer", action: "sync", resource: "applications", object: "footanalytics/api-gateway" }), true);
        });
    });
});

import * as assert from "assert/strict";
import { rbacActionProblem } from "../../config/schema/rbac";
import { expectInvalid, loadStack, NS } from "../helpers";
import { sectionProblems, sections } from "../components/gitops/fixtures";

const G = `${NS}:gitops`;
const R = `${NS}:rbac`;
const N = `${NS}:notifications`;

describe("config: gitops, rbac and notifications", () => {
    it("refuses an unknown RBAC action, listing the allowed ones", async () => {
        const problems = await expectInvalid("production", (v) => (v[R].roles[1].policies[1].action = "deploy"));
        assert.deepEqual(problems, [
            `${R}.roles[1].policies[1].action ("deploy") is not an Argo CD RBAC action; expected one of: get, create, update, delete, sync, override, action/<group>/<kind>/<name>, invoke, *`,
        ]);
    });

    it("refuses an action that the resource does not have", async () => {
        const problems = await expectInvalid("staging", (v) => (v[R].roles[0].policies[23].action = "sync"));
        assert.deepEqual(problems, [`${R}.roles[0].policies[23].action ("sync") is not valid for resource "clusters"; allowed: get, create, update, delete, *`]);
    });

    it("refuses a grant of the admin role that reaches Argo CD's built-in default project (\"*/*\" and other patterns)", async () => {
        const problems = await expectInvalid("production", (v) => {
            v[R].roles[0].policies[1].object = "*/*";
            v[R].roles[0].policies[2].object = "d*/*";
            v[R].roles[0].policies[3].object = "*";
            v[R].roles[0].policies[4] = { resource: "applications", action: "delete", object: "*/*", effect: "deny" };
        });
        const why = 'reaches Argo CD\'s built-in "default" project (any source, any destination unless locked); name the projects the role needs, such as "footanalytics/*"';
        assert.deepEqual(problems, [
            `${R}.roles[0].policies[1].object ("*/*") ${why}`,
            `${R}.roles[0].policies[2].object ("d*/*") ${why}`,
            `${R}.roles[0].policies[3].object ("*") ${why}`,
        ]);
    });

    it("refuses a newline, a comma and a quote in every string that reaches policy.csv or an AppProject role", async () => {
        const problems = await expectInvalid("production", (v) => {
            v[R].groupBindings[1].group = "dev\ng, dev, role:admin";
            v[R].roles[1].policies[0].object = "footanalytics/*, allow\np";
            v[R].roles[1].policies[1].action = 'sync"';
            v[G].projectRoles[0].groups = ["ci\ng, ci, role:admin", "role:admin", "proj:footanalytics:ci"];
            v[G].projectRoles[0].description = "reads\nsyncs";
        });
        const group = 'must be an SSO group such as "footanalytics:developer" (no control characters, commas, quotes, white space, and no "role:" or "proj:" prefix)';
        assert.deepEqual(problems, [
            `${G}.projectRoles[0].groups[0] ("ci\\ng, ci, role:admin") ${group}`,
            `${G}.projectRoles[0].groups[1] ("role:admin") ${group}`,
            `${G}.projectRoles[0].groups[2] ("proj:footanalytics:ci") ${group}`,
            `${G}.projectRoles[0].description ("reads\\nsyncs") must not contain control characters such as a line break`,
            `${R}.roles[1].policies[0].object ("footanalytics/*, allow\\np") must be a non-empty token without control characters, commas, quotes or white space (glob patterns such as "footanalytics/*" are fine)`,
            `${R}.roles[1].policies[1].action ("sync\\"") is not an Argo CD RBAC action; expected one of: get, create, update, delete, sync, override, action/<group>/<kind>/<name>, invoke, *`,
            `${R}.groupBindings[1].group ("dev\\ng, dev, role:admin") ${group}`,
        ]);
    });

    it("refuses Namespace in the cluster whitelist, privileged kinds without a reason in production, and argocd or kube-system as production destinations", async () => {
        const problems = await expectInvalid("production", (v) => {
            v[G].destinationNamespaces = ["footanalytics", "argocd", "kube-system"];
            v[G].clusterResourceWhitelist = [
                { group: "", kind: "Namespace", reason: "apps create their namespaces" },
                { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
                { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration", reason: "" },
                { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition", reason: "the ml-pipeline operator owns its CRDs" },
                { group: "storage.k8s.io", kind: "StorageClass" },
            ];
        });
        assert.deepEqual(problems, [
            `${G}.clusterResourceWhitelist[0] ("/Namespace") must not be whitelisted: Pulumi creates every destination namespace with its Pod Security labels, and an Application allowed to manage Namespaces may relabel or prune any of them, argocd included`,
            `${G}.clusterResourceWhitelist[1].reason is missing; expected why Applications need rbac.authorization.k8s.io/ClusterRoleBinding, a kind that grants privilege over the whole cluster, because production refuses it without a reviewed reason`,
            `${G}.clusterResourceWhitelist[2].reason is missing; expected why Applications need admissionregistration.k8s.io/ValidatingWebhookConfiguration, a kind that grants privilege over the whole cluster, because production refuses it without a reviewed reason`,
            `${G}.destinationNamespaces[1] ("argocd") must not be a destination in production: argocd holds Argo CD's or the cluster's own objects (the root application has its own project)`,
            `${G}.destinationNamespaces[2] ("kube-system") must not be a destination in production: kube-system holds Argo CD's or the cluster's own objects (the root application has its own project)`,
        ]);
        const staging = await expectInvalid("staging", (v) => (v[G].clusterResourceWhitelist = [{ group: "", kind: "Namespace" }, { group: "rbac.authorization.k8s.io", kind: "ClusterRole" }]));
        assert.equal(staging.length, 1);
    });

    it("refuses a Pod Security exception without a reason or for a namespace that is not a destination", async () => {
        const reason = await expectInvalid("production", (v) => (v[G].namespacePodSecurity = [{ namespace: "footanalytics", level: "baseline", reason: " " }]));
        assert.deepEqual(reason, [`${G}.namespacePodSecurity[0].reason (" ") must say why footanalytics cannot run the restricted Pod Security level`]);
        const other = await expectInvalid("production", (v) => (v[G].namespacePodSecurity = [{ namespace: "logging", level: "privileged", reason: "node agent" }]));
        assert.deepEqual(other, [`${G}.namespacePodSecurity[0].namespace ("logging") is not one of ${G}.destinationNamespaces or ${G}.platformProject.destinationNamespaces (footanalytics, monitoring)`]);
    });

    describe("policy.csv cannot gain a line through a configuration value", () => {
        const injections = ["footanalytics:dev\ng, footanalytics:developer, role:admin", "footanalytics:dev, role:admin", 'footanalytics:dev", role:admin, "x', "footanalytics:dev\rp, role:x"];
        for (const value of injections) {
            it(`config refuses the group ${JSON.stringify(value)} in a global binding and in a project role`, () => {
                assert.throws(
                    () => sections("staging", (v) => (v.rbac.groupBindings = [{ group: value, role: "role:developer" }])),
                    (e: Error) => e.message.includes(`footanalytics-gitops:rbac.groupBindings[0].group (${JSON.stringify(value)}) must be an SSO group`),
                );
                assert.throws(
                    () => sections("staging", (v) => (v.gitops.projectRoles = [{ name: "ci", policies: [{ resource: "applications", action: "get", object: "footanalytics/*" }], groups: [value] }])),
                    (e: Error) => e.message.includes(`footanalytics-gitops:gitops.projectRoles[0].groups[0] (${JSON.stringify(value)}) must be an SSO group`),
                );
            });
            it(`config refuses ${JSON.stringify(value)} as a policy object and as an action`, () => {
                assert.throws(
                    () => sections("staging", (v) => (v.rbac.roles = [{ name: "role:developer", policies: [{ resource: "applications", action: "get", object: `footanalytics/${value}` }] }])),
                    (e: Error) => e.message.includes("footanalytics-gitops:rbac.roles[0].policies[0].object") && e.message.includes("without control characters, commas, quotes or white space"),
                );
                assert.throws(
                    () => sections("staging", (v) => (v.rbac.roles = [{ name: "role:developer", policies: [{ resource: "applications", action: `action/${value}`, object: "footanalytics/*" }] }])),
                    (e: Error) => e.message.includes("footanalytics-gitops:rbac.roles[0].policies[0].action") && e.message.includes("is not an Argo CD RBAC action"),
                );
            });
        }

    });

    it("refuses a production webhook without a secret, and a managed webhook without one or with the webhook off", async () => {
        const A = `${NS}:argocd`;
        const production = await expectInvalid("production", (v) => (v[A].githubWebhook = { generateSecret: false }));
        assert.deepEqual(production, [
            `${NS}:githubWebhookSecret is missing; expected the GitHub webhook secret (\`pulumi config set --secret githubWebhookSecret <secret>\`) or ${A}.githubWebhook.generateSecret true, because ${A}.webhook is on in production and Argo CD accepts unsigned pushes when no secret is set`,
        ]);
        const managed = await expectInvalid("staging", (v) => (v[A].githubWebhook = { generateSecret: false, manage: true }));
        assert.deepEqual(managed, [`${NS}:githubWebhookSecret is missing; expected it (or ${A}.githubWebhook.generateSecret true) because ${A}.githubWebhook.manage creates the webhook and must sign it`]);
        const off = await expectInvalid("staging", (v) => {
            v[A].webhook = false;
            v[A].githubWebhook = { manage: true };
        });
        assert.deepEqual(off, [`${A}.githubWebhook.manage (true) must be false while ${A}.webhook is false: the webhook would call an endpoint Argo CD does not serve`]);
        loadStack("production", (v) => {
            v[A].githubWebhook = { generateSecret: false };
            v[`${NS}:githubWebhookSecret`] = { secure: "v1:hook" };
        });
    });

    it("refuses Teams without a channel, a Teams subscription to an unknown channel, and Teams URLs missing from both sources", async () => {
        const problems = await expectInvalid("production", (v) => {
            delete v[N].secretsManagerSecretName;
            v[N].teams.channels = [];
            v[N].defaultSubscriptions[3].recipient = "Platform Alerts";
        });
        assert.deepEqual(problems, [
            `${N}.defaultSubscriptions[3].recipient ("Platform Alerts") must be a short key for a Teams channel such as "platform-alerts" (lowercase letters, digits and "-")`,
            `${N}.teams.channels ([]) is empty; expected at least one channel (a Power Automate workflow) when teams.enabled is true`,
            `${NS}:slackToken is missing; expected the Slack bot token set with \`pulumi config set --secret slackToken <xoxb-token>\` because ${N}.slack.enabled is true (or set ${N}.secretsManagerSecretName)`,
            `${NS}:teamsWorkflowUrls is missing; expected the Teams Workflows URLs as JSON {"<channel>": "https://…"} set with \`pulumi config set --secret teamsWorkflowUrls '<json>'\` because ${N}.teams.enabled is true (or set ${N}.secretsManagerSecretName)`,
        ]);
        const unknown = await expectInvalid("production", (v) => (v[N].defaultSubscriptions[4].recipient = "ml-alerts"));
        assert.deepEqual(unknown, [`${N}.defaultSubscriptions[4].recipient ("ml-alerts") is not one of ${N}.teams.channels (platform-alerts)`]);
    });

    it("refuses an unknown RBAC resource, listing Argo CD's resources", async () => {
        const problems = await expectInvalid("staging", (v) => (v[R].roles[1].policies[0].resource = "application"));
        assert.deepEqual(problems, [
            `${R}.roles[1].policies[0].resource ("application") must be one of: applications, applicationsets, clusters, projects, repositories, accounts, certificates, gpgkeys, logs, exec, extensions`,
        ]);
    });

    it("refuses a default policy in production", async () => {
        const problems = await expectInvalid("production", (v) => (v[R].defaultPolicy = "role:readonly"));
        assert.deepEqual(problems, [`${R}.defaultPolicy ("role:readonly") must be empty in production so that users without a group binding get nothing (deny by default)`]);
    });

    it("refuses a staging default policy that names no role", async () => {
        const problems = await expectInvalid("staging", (v) => (v[R].defaultPolicy = "role:viewer"));
        assert.deepEqual(problems, [`${R}.defaultPolicy ("role:viewer") is not a defined role; expected "" or one of: role:platform-admin, role:developer, role:admin, role:readonly`]);
    });

    it("refuses a group bound to an undefined role", async () => {
        const problems = await expectInvalid("production", (v) => (v[R].groupBindings[1].role = "role:dev"));
        assert.deepEqual(problems, [`${R}.groupBindings[1].role ("role:dev") is not a defined role; expected one of: role:platform-admin, role:developer, role:admin, role:readonly`]);
    });

    it("refuses rules that amend the built-in role:admin, which grant nothing new and restrict nothing", async () => {
        const problems = await expectInvalid("production", (v) => (v[R].roles[0].name = "role:admin"));
        assert.deepEqual(problems, [
            `${R}.roles[0].name ("role:admin") is a built-in Argo CD role (assets/builtin-policy.csv): rules added to it grant nothing new and restrict nothing; define a role of your own such as "role:platform-admin"`,
            `${R}.groupBindings[0].role ("role:platform-admin") is not a defined role; expected one of: role:admin, role:developer, role:readonly`,
        ]);
    });

    it("refuses an SSO group bound to the built-in break-glass role:admin", async () => {
        const problems = await expectInvalid("staging", (v) => (v[R].groupBindings[0].role = "role:admin"));
        assert.deepEqual(problems, [
            `${R}.groupBindings[0].role ("role:admin") is the built-in break-glass role of the local admin account (every grant, including accounts, certificates, GPG keys and exec); bind SSO groups to a role of ${R}.roles such as "role:platform-admin"`,
        ]);
    });

    it("refuses an exec grant while the web terminal is off, and accepts it once argocd.execEnabled is true", async () => {
        const grantExec = (v: Record<string, any>) => v[R].roles[0].policies.push({ resource: "exec", action: "create", object: "footanalytics/*" }); // eslint-disable-line @typescript-eslint/no-explicit-any
        const problems = await expectInvalid("production", grantExec);
        assert.deepEqual(problems, [
            `${R}.roles[0].policies[28] grants exec to role:platform-admin, but ${NS}:argocd.execEnabled is false, so the grant does nothing; remove it or set ${NS}:argocd.execEnabled to true`,
        ]);
        const cfg = loadStack("production", (v) => {
            grantExec(v);
            v[`${NS}:argocd`].execEnabled = true;
        });
        assert.equal(cfg.argocd.execEnabled, true);
        assert.deepEqual(cfg.rbac.roles[0].policies[28], { resource: "exec", action: "create", object: "footanalytics/*", effect: "allow" });
    });

    it("refuses an Application path outside overlays/<stack>", async () => {
        const problems = await expectInvalid("staging", (v) => (v[G].applications[0].path = "overlays/production/api-gateway"));
        assert.deepEqual(problems, [`${G}.applications[0].path ("overlays/production/api-gateway") must be under "overlays/staging/" so that the staging stack deploys only its own overlays`]);
    });

    it("refuses duplicate Application names", async () => {
        const problems = await expectInvalid("production", (v) => (v[G].applications[3] = { name: "api-gateway" }));
        assert.deepEqual(problems, [`${G}.applications[3] repeats name "api-gateway" of ${G}.applications[0]; each must be unique`]);
    });

    it("refuses a sync window with a bad cron schedule", async () => {
        const problems = await expectInvalid("production", (v) => (v[G].syncWindows[0].schedule = "0 25 * * 6"));
        assert.deepEqual(problems, [`${G}.syncWindows[0].schedule ("0 25 * * 6") must be a cron schedule; its hour field "25" is not valid (0-23, *, lists, ranges, steps)`]);
    });

    it("refuses a sync window in an unknown time zone", async () => {
        const problems = await expectInvalid("production", (v) => (v[G].syncWindows[0].timeZone = "Europe/Londres"));
        assert.deepEqual(problems, [`${G}.syncWindows[0].timeZone ("Europe/Londres") must be an IANA time zone such as "Europe/London" or "UTC"`]);
    });

    it("refuses an Application namespace the project may not deploy to", async () => {
        const problems = await expectInvalid("staging", (v) => (v[G].applications[1].namespace = "kube-system"));
        assert.deepEqual(problems, [`${G}.applications[1].namespace ("kube-system") is not one of ${G}.destinationNamespaces (footanalytics)`]);
    });

    it("refuses the archived Helm stable repository as a chart repository", async () => {
        const problems = await expectInvalid("production", (v) => (v[G].chartRepositories = ["https://charts.bitnami.com/bitnami", "https://charts.helm.sh/stable/"]));
        assert.deepEqual(problems, [
            `${G}.chartRepositories[1] ("https://charts.helm.sh/stable/") is the archived Helm stable/incubator repository (read-only since November 2020, its charts unmaintained); remove it and name the chart's current repository`,
        ]);
    });

    for (const stack of ["staging", "production"] as const) {
        it(`lets the ${stack} AppProject source only from the GitOps repository`, () => {
            assert.deepEqual(sections(stack).gitops.chartRepositories, []);
        });
    }

    it('refuses "*" as a chart repository', async () => {
        const problems = await expectInvalid("staging", (v) => (v[G].chartRepositories = ["*"]));
        assert.deepEqual(problems, [`${G}.chartRepositories[0] ("*") must be an https URL such as "https://argoproj.github.io/argo-helm"`]);
    });

    it("refuses a project role that reaches beyond its project", async () => {
        const problems = await expectInvalid("production", (v) => v[G].projectRoles[0].policies.push({ resource: "clusters", action: "get" }));
        assert.deepEqual(problems, [`${G}.projectRoles[0].policies[2].resource ("clusters") is not project-scoped; a project role may grant only: applications, applicationsets, logs, exec`]);
    });

    it("refuses token credentials without the githubToken secret", async () => {
        const problems = await expectInvalid("production", (v) => (v[G].repoCredentials = { source: "token" }));
        assert.deepEqual(problems, [
            `${NS}:githubToken is missing; expected a GitHub token set with \`pulumi config set --secret githubToken <token>\` because ${G}.repoCredentials.source is "token" (or use "secretsManager" or "githubApp")`,
        ]);
    });

    it("refuses GitHub App credentials without ids or private key", async () => {
        const problems = await expectInvalid("staging", (v) => (v[G].repoCredentials = { source: "githubApp" }));
        assert.deepEqual(problems, [
            `${G}.repoCredentials.githubAppId is missing; expected it when ${G}.repoCredentials.source is "githubApp"`,
            `${G}.repoCredentials.githubAppInstallationId is missing; expected it when ${G}.repoCredentials.source is "githubApp"`,
        ]);
        const withIds = await expectInvalid("staging", (v) => (v[G].repoCredentials = { source: "githubApp", githubAppId: 1, githubAppInstallationId: 2 }));
        assert.deepEqual(withIds, [
            `${NS}:githubAppPrivateKey is missing; expected the GitHub App's PEM private key set with \`pulumi config set --secret githubAppPrivateKey < key.pem\` because ${G}.repoCredentials.source is "githubApp"`,
        ]);
    });

    it("refuses Slack without a token when no Secrets Manager secret is named", async () => {
        const problems = await expectInvalid("staging", (v) => delete v[N].secretsManagerSecretName);
        assert.deepEqual(problems, [
            `${NS}:slackToken is missing; expected the Slack bot token set with \`pulumi config set --secret slackToken <xoxb-token>\` because ${N}.slack.enabled is true (or set ${N}.secretsManagerSecretName)`,
        ]);
    });

    it("refuses a subscription to a service that is off", async () => {
        const problems = await expectInvalid("staging", (v) => (v[G].applications[0].notifications = [{ trigger: "on-sync-failed", service: "teams", recipient: "platform-alerts" }]));
        assert.deepEqual(problems, [`${G}.applications[0].notifications[0].service ("teams") is not enabled; set ${N}.teams.enabled to true or remove the subscription`]);
    });

    it("refuses a Slack subscription to a channel that is not configured", async () => {
        const problems = await expectInvalid("production", (v) => (v[N].defaultSubscriptions[0].recipient = "general"));
        assert.deepEqual(problems, [`${N}.defaultSubscriptions[0].recipient ("general") is not one of ${N}.slack.channels (footanalytics-deployments, footanalytics-oncall, footanalytics-ml)`]);
    });

    it("refuses an unknown trigger, listing the defined ones", async () => {
        const problems = await expectInvalid("production", (v) => (v[N].defaultSubscriptions[0].trigger = "on-sync-succeeded"));
        assert.deepEqual(problems, [`${N}.defaultSubscriptions[0].trigger ("on-sync-succeeded") must be one of: on-deployed, on-sync-failed, on-health-degraded`]);
    });

    it("reports every problem of the three sections at once", async () => {
        const problems = await expectInvalid("production", (v) => {
            v[G].applications[0].path = "apps/api-gateway";
            v[R].roles[0].policies[0].action = "destroy";
            v[N].slack.channels = [];
        });
        assert.deepEqual(problems, [
            `${G}.applications[0].path ("apps/api-gateway") must be under "overlays/production/" so that the production stack deploys only its own overlays`,
            `${R}.roles[0].policies[0].action ("destroy") is not an Argo CD RBAC action; expected one of: get, create, update, delete, sync, override, action/<group>/<kind>/<name>, invoke, *`,
            `${N}.slack.channels ([]) is empty; expected at least one channel when slack.enabled is true`,
        ]);
    });

    describe("RBAC actions Argo CD accepts", () => {
        const valid: [string, string][] = [
            ["applications", "action/apps/Deployment/restart"],
            ["applications", "action//Pod/maintenance-off"],
            ["applications", "update/*/Pod/*/*"],
            ["applications", "delete/*"],
            ["applications", "override"],
            ["extensions", "invoke"],
            ["exec", "create"],
            ["clusters", "*"],
        ];
        for (const [resource, action] of valid) {
            it(`accepts ${action} on ${resource}`, () => assert.equal(rbacActionProblem(resource as "applications", action), undefined));
        }
        it("refuses sub-resource actions outside applications", () => {
            assert.equal(rbacActionProblem("clusters", "update/*"), "is a sub-resource action, which Argo CD accepts only as action/…, update/… or delete/… on applications");
        });
        it('refuses a bare "action"', () => {
            assert.equal(rbacActionProblem("applications", "action"), "is not an Argo CD RBAC action; expected one of: get, create, update, delete, sync, override, action/<group>/<kind>/<name>, invoke, *");
        });
    });

    it("refuses a malformed GPG key id and key block", () => {
        assert.deepEqual(
            sectionProblems("production", (v) => (v.gitops.gpgKeys = [{ keyId: "4aee18f8", publicKey: "ssh-rsa AAAA" }])),
            [
                `${G}.gpgKeys[0].keyId ("4aee18f8") must be a long GPG key id of 16 upper-case hexadecimal digits such as "4AEE18F83AFDEB23"`,
                `${G}.gpgKeys[0].publicKey ("ssh-rsa AAAA") must be an ASCII-armoured public key from "-----BEGIN PGP PUBLIC KEY BLOCK-----" to "-----END PGP PUBLIC KEY BLOCK-----"`,
            ],
        );
    });

    it("refuses a sync window with a bad duration", () => {
        assert.deepEqual(sectionProblems("production", (v) => (v.gitops.syncWindows[0].duration = "10 hours")), [
            `${G}.syncWindows[0].duration ("10 hours") must be a duration such as "5s", "3m" or "1h30m"`,
        ]);
    });

    it("refuses two Applications on the same path", () => {
        assert.deepEqual(sectionProblems("staging", (v) => (v.gitops.applications[1].path = "overlays/staging/api-gateway")), [
            `${G}.applications[1].path ("overlays/staging/api-gateway") is also the path of ${G}.applications[0]; two Applications would fight over the same manifests`,
        ]);
    });

    it("refuses Secrets Manager credentials without a secret name", () => {
        assert.deepEqual(sectionProblems("staging", (v) => delete v.gitops.repoCredentials.secretsManagerSecretName), [
            `${G}.repoCredentials.secretsManagerSecretName is missing; expected it when ${G}.repoCredentials.source is "secretsManager"`,
        ]);
    });

    it("defaults to the seed's roles and bindings and an empty default policy", () => {
        const { rbac } = sections("production", (v) => (v.rbac = undefined));
        const allow = (resource: string, action: string, object = "*") => ({ resource, action, object, effect: "allow" });
        assert.deepEqual(rbac, {
            roles: [
                {
                    name: "role:platform-admin",
                    policies: [
                        ...["footanalytics", "platform"].flatMap((project) => [
                            ...["get", "create", "update", "update/*", "delete", "delete/*", "sync", "override", "action/*"].map((a) => allow("applications", a, `${project}/*`)),
                            allow("applicationsets", "get", `${project}/*`),
                            allow("logs", "get", `${project}/*`),
                        ]),
                        ...["projects", "clusters", "repositories", "accounts", "certificates", "gpgkeys"].map((r) => allow(r, "get")),
                    ],
                },
                {
                    name: "role:developer",
                    policies: [allow("applications", "get", "footanalytics/*"), allow("applications", "sync", "footanalytics/*"), allow("logs", "get", "footanalytics/*")],
                },
            ],
            groupBindings: [
                { group: "footanalytics:admin", role: "role:platform-admin" },
                { group: "footanalytics:developer", role: "role:developer" },
            ],
            defaultPolicy: "",
        });
    });

    describe("the platform project", () => {
        it("defaults to the add-ons of the stack's addons/ directory, monitoring only, with the production freeze", () => {
            const staging = loadStack("staging").gitops.platformProject;
            const production = loadStack("production").gitops.platformProject;
            assert.deepEqual([staging.enabled, staging.path, staging.destinationNamespaces, staging.syncWindows], [true, "addons/staging", ["monitoring"], []]);
            assert.deepEqual([production.path, production.syncWindows.map((w) => [w.kind, w.schedule, w.duration])], ["addons/production", [["deny", "0 11 * * 6", "10h"]]]);
        });

        it("refuses a destination outside the add-on namespaces and a path outside addons/", async () => {
            const problems = await expectInvalid("production", (v) => {
                v[G].platformProject = { destinationNamespaces: ["monitoring", "argocd", "footanalytics"], path: "overlays/production/addons" };
            });
            assert.deepEqual(problems, [
                `${G}.platformProject.destinationNamespaces[1] ("argocd") is not an add-on namespace; expected one of: monitoring, logging, cert-manager, external-dns, keda, velero (argocd, kube-system and the application namespaces stay out of the platform project)`,
                `${G}.platformProject.destinationNamespaces[2] ("footanalytics") is not an add-on namespace; expected one of: monitoring, logging, cert-manager, external-dns, keda, velero (argocd, kube-system and the application namespaces stay out of the platform project)`,
                `${G}.platformProject.path ("overlays/production/addons") must lie under "addons/", beside the applications' overlays/`,
            ]);
        });

        it("refuses an RBAC role other than role:platform-admin that may act on the platform project, and allows it to read", async () => {
            const problems = await expectInvalid("staging", (v) => {
                v[R].roles[1].policies.push({ resource: "applications", action: "sync", object: "platform/*" }, { resource: "applications", action: "get", object: "platform/*" });
            });
            assert.deepEqual(problems, [
                `${R}.roles[1].policies[3].object ("platform/*") lets role:developer sync applications of the "platform" project, which only role:platform-admin may change; name "footanalytics/<application>" or grant get only`,
            ]);
        });
    });
});

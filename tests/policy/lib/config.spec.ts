import * as assert from "assert/strict";
import { configSchemaFor, isExempt, PackConfigError, parsePackConfig, parsePolicySettings } from "../../../policy/lib/config";
import { declaredEnvironment, ENVIRONMENT_LABEL, resolveEnvironment } from "../../../policy/lib/environment";
import { effectiveLevel } from "../../../policy/lib/engine";
import { applicationSyncPolicyRule } from "../../../policy/policies/application-sync-policy";
import { requireProbesRule } from "../../../policy/policies/require-probes";
import { configurablePolicies as rules } from "../../../policy/policies";

const EXEMPTION = { kind: "StatefulSet", namespace: "argocd", name: "argocd-redis-ha-server", container: "split-brain-fix", reason: "no probe setting upstream" };

describe("pack configuration", () => {
    it("parses sections, levels and `all`, with requireCpuLimits defaulting to true", () => {
        const config = parsePackConfig({ all: "advisory", "require-probes": { enforcementLevel: "mandatory", exemptions: [EXEMPTION] }, "disallow-latest-tag": "disabled" }, rules);
        assert.equal(config.all, "advisory");
        assert.equal(config.sections.get("require-probes")?.enforcementLevel, "mandatory");
        assert.deepEqual(config.sections.get("require-probes")?.settings.exemptions, [{ policy: "require-probes", ...EXEMPTION }]);
        assert.equal(config.sections.get("require-probes")?.settings.requireCpuLimits, true);
        assert.equal(config.sections.get("disallow-latest-tag")?.enforcementLevel, "disabled");
    });

    it("lists every problem at once: unknown policy, bad level, missing reason, wrong policy, bad setting", () => {
        const raw = {
            "require-probe": "mandatory",
            "require-probes": { enforcementLevel: "strict", exemptions: [{ policy: "disallow-latest-tag", kind: "Pod", namespace: "x", name: "y" }] },
            "require-requests-limits": { requireCpuLimits: "no" },
        };
        let problems: readonly string[] = [];
        try {
            parsePackConfig(raw, rules);
        } catch (err) {
            assert.ok(err instanceof PackConfigError);
            problems = err.problems;
        }
        assert.deepEqual(problems, [
            '"require-probe" is not a policy of this pack; policies: require-requests-limits, require-probes, disallow-latest-tag, appproject-least-privilege, application-sync-policy, eks-version-support, no-plaintext-secrets, pod-security, pod-security-admission, high-availability',
            'require-probes.enforcementLevel ("strict") must be one of: advisory, mandatory, remediate, disabled',
            "require-probes.exemptions[0].reason is required: say why upstream leaves no choice",
            'require-probes.exemptions[0].policy ("disallow-latest-tag") must be "require-probes", the section it is written in',
            'require-requests-limits.requireCpuLimits ("no") must be true or false',
        ]);
    });

    it("refuses settings a policy does not have", () => {
        assert.deepEqual(parsePolicySettings("require-probes", [], { requireCpuLimits: false }).problems, [
            "require-probes.requireCpuLimits is not a setting of this policy; allowed: exemptions",
        ]);
    });

    it("names each wrong field of an exemption once, and keeps the exemptions and settings that are valid", () => {
        const valid = { kind: "Pod", namespace: "a", name: "b", reason: "no probe setting upstream" };
        const parsed = parsePolicySettings("require-probes", ["environment"], {
            environment: "prod",
            exemptions: [{ kind: 5, namespace: "a", name: " ", reason: "x", colour: "red" }, "x", valid],
        });
        assert.deepEqual(parsed.problems, [
            'require-probes.environment ("prod") must be one of: staging, production',
            "require-probes.exemptions[0].colour is not a known field; allowed: policy, kind, namespace, name, container, reason",
            "require-probes.exemptions[0].kind (5) must be a string",
            "require-probes.exemptions[0].name is required",
            'require-probes.exemptions[1] ("x") must be an object with kind, namespace, name and reason',
        ]);
        assert.deepEqual(parsed.settings, { requireCpuLimits: true, exemptions: [{ policy: "require-probes", ...valid }] });
        assert.deepEqual(parsePolicySettings("require-probes", [], { exemptions: {} }).problems, ["require-probes.exemptions ({}) must be a list of {policy, kind, namespace, name, reason}"]);
    });

    it("gives the Pulumi CLI a JSON Schema of each section generated from the same definitions", () => {
        const schema = configSchemaFor({ name: "require-probes", settingKeys: ["requireCpuLimits"] });
        assert.deepEqual(Object.keys(schema.properties), ["requireCpuLimits", "exemptions"]);
        const item = (schema.properties.exemptions as { items: { properties: Record<string, { const?: string }>; required: string[]; additionalProperties: boolean } }).items;
        assert.equal(item.properties.policy.const, "require-probes");
        assert.deepEqual(item.required, ["kind", "namespace", "name", "reason"]);
        assert.equal(item.additionalProperties, false);
    });

    it("matches exemptions on policy, kind, namespace (default when unset), name and optional container", () => {
        const exemptions = [{ policy: "require-probes", ...EXEMPTION }];
        const target = { kind: "StatefulSet", namespace: "argocd", name: "argocd-redis-ha-server" };
        assert.ok(isExempt(exemptions, "require-probes", { ...target, container: "split-brain-fix" }));
        assert.ok(!isExempt(exemptions, "require-probes", { ...target, container: "redis" }));
        assert.ok(!isExempt(exemptions, "disallow-latest-tag", { ...target, container: "split-brain-fix" }));
        const inDefault = [{ policy: "require-probes", kind: "Pod", namespace: "default", name: "debug", reason: "r" }];
        assert.ok(isExempt(inDefault, "require-probes", { kind: "Pod", name: "debug", container: "x" }));
        assert.ok(!isExempt(inDefault, "require-probes", { kind: "Pod", namespace: "argocd", name: "debug", container: "x" }));
    });

    describe("an exemption for one object silences no other object", () => {
        const exemptions = [{ policy: "require-probes", ...EXEMPTION }];
        const exempted = { kind: "StatefulSet", namespace: "argocd", name: "argocd-redis-ha-server", container: "split-brain-fix" };
        const cases: readonly [string, Partial<typeof exempted>][] = [
            ["the same name in another namespace", { namespace: "monitoring" }],
            ["the same name of another kind", { kind: "Deployment" }],
            ["another name in the same namespace", { name: "argocd-redis-ha-haproxy" }],
            ["another container of the same object", { container: "redis" }],
        ];
        for (const [what, change] of cases) {
            it(`not ${what}`, () => {
                assert.ok(isExempt(exemptions, "require-probes", exempted));
                assert.ok(!isExempt(exemptions, "require-probes", { ...exempted, ...change }));
            });
        }

        it("not an object without a namespace unless the exemption names `default`", () => {
            assert.ok(!isExempt(exemptions, "require-probes", { kind: "StatefulSet", name: "argocd-redis-ha-server", container: "split-brain-fix" }));
        });

        it("not a finding on the object itself (no container) when the exemption names a container", () => {
            assert.ok(!isExempt(exemptions, "require-probes", { kind: "StatefulSet", namespace: "argocd", name: "argocd-redis-ha-server" }));
        });

        it("but every container of the object when the exemption names none", () => {
            const whole = [{ policy: "require-probes", kind: "StatefulSet", namespace: "argocd", name: "argocd-redis-ha-server", reason: "r" }];
            assert.ok(isExempt(whole, "require-probes", { ...exempted, container: "redis" }));
            assert.ok(isExempt(whole, "require-probes", { kind: "StatefulSet", namespace: "argocd", name: "argocd-redis-ha-server" }));
            assert.ok(!isExempt(whole, "require-probes", { ...exempted, namespace: "monitoring" }));
        });
    });
});

describe("environment and levels", () => {
    it("reads the environment label from a Kubernetes object and from a Helm chart's common labels", () => {
        assert.equal(declaredEnvironment({ metadata: { labels: { [ENVIRONMENT_LABEL]: "staging" } } }), "staging");
        assert.equal(declaredEnvironment({ values: { global: { additionalLabels: { [ENVIRONMENT_LABEL]: "production" } } } }), "production");
        assert.equal(declaredEnvironment({ values: { additionalLabels: { [ENVIRONMENT_LABEL]: "staging" } } }), "staging");
        assert.equal(declaredEnvironment({ values: { commonLabels: { [ENVIRONMENT_LABEL]: "staging" } } }), "staging");
        assert.equal(declaredEnvironment({ values: { podLabels: { [ENVIRONMENT_LABEL]: "staging" } } }), undefined);
        assert.equal(declaredEnvironment({ metadata: { labels: { app: "x" } } }), undefined);
    });

    it("takes the declared label first, then the pack config, then the stack tag, then production; never the stack name", () => {
        const defaults = { requireCpuLimits: true, exemptions: [] };
        const staging = { metadata: { labels: { [ENVIRONMENT_LABEL]: "staging" } } };
        const none = { metadata: { name: "x" } };
        assert.equal(resolveEnvironment(staging, { ...defaults, environment: "production" }, new Map([["environment", "production"]])), "staging");
        assert.equal(resolveEnvironment(none, { ...defaults, environment: "staging" }, new Map([["environment", "production"]])), "staging");
        assert.equal(resolveEnvironment(none, defaults, new Map([["environment", "staging"]])), "staging");
        assert.equal(resolveEnvironment(none, defaults, new Map()), "production");
        // An unknown label value fails closed to the strict profile.
        assert.equal(resolveEnvironment({ metadata: { labels: { [ENVIRONMENT_LABEL]: "qa" } } }, { ...defaults, environment: "staging" }, new Map()), "production");
    });

    it("computes effective levels: disabled wins, staging lowers application-sync-policy, remediate counts as mandatory", () => {
        const config = parsePackConfig({ "require-probes": "remediate", "application-sync-policy": "mandatory" }, rules);
        assert.equal(effectiveLevel(requireProbesRule, config, "production"), "mandatory");
        assert.equal(effectiveLevel(applicationSyncPolicyRule, config, "staging"), "advisory");
        assert.equal(effectiveLevel(applicationSyncPolicyRule, config, "production"), "mandatory");
        assert.equal(effectiveLevel(applicationSyncPolicyRule, parsePackConfig({ all: "disabled" }, rules), "staging"), "disabled");
    });
});

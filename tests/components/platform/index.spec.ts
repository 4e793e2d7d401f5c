import * as assert from "assert/strict";
import { clusterAutoscalerPolicy, externalSecretsPolicy, loadBalancerControllerPolicy, podIdentityTrustPolicy } from "../../../components/platform/iam";
import { ProgramRun } from "../../../tools/harness";
import { loadStack, NS, only, ofType, runStack, STACKS, StackName } from "../../helpers";

const CHART = "kubernetes:helm.sh/v4:Chart";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("PlatformServices component (offline runs of both stacks)", () => {
    const runs = new Map<StackName, ProgramRun>();
    before(async () => {
        for (const stack of STACKS) runs.set(stack, await runStack(stack));
    });
    const run = (stack: StackName) => runs.get(stack)!;

    for (const stack of STACKS) {
        describe(stack, () => {
            it("installs each service as a pinned chart in kube-system under the program's Kubernetes provider", () => {
                const charts = ofType(run(stack), CHART).filter((c) => c.name.startsWith("platform-"));
                const expected: [string, string, string][] = [
                    ["aws-load-balancer-controller", "3.5.0", "https://aws.github.io/eks-charts"],
                    ["metrics-server", "3.13.1", "https://kubernetes-sigs.github.io/metrics-server"],
                    ["cluster-autoscaler", "9.59.0", "https://kubernetes.github.io/autoscaler"],
                    ["external-secrets", "2.9.0", "https://charts.external-secrets.io"],
                    ...(stack === "production"
                        ? ([
                              ["nvidia-device-plugin", "0.20.0", "https://nvidia.github.io/k8s-device-plugin"],
                              ["prometheus-operator-crds", "31.0.1", "https://prometheus-community.github.io/helm-charts"],
                          ] as [string, string, string][])
                        : []),
                ];
                assert.deepEqual(
                    charts.map((c) => [c.inputs.chart, c.inputs.version, (c.inputs.repositoryOpts as Values).repo]).sort(),
                    expected.sort(),
                );
                const provider = only(run(stack), "pulumi:providers:kubernetes");
                for (const c of charts) {
                    assert.equal(c.inputs.namespace, "kube-system", c.name);
                    assert.ok(c.options.provider?.startsWith(provider.urn), `${c.name} uses the program's Kubernetes provider`);
                }
            });

            it("gives the controller its own role through EKS Pod Identity, and starts the chart only after a wait for the association to take effect", () => {
                const role = only(run(stack), "aws:iam/role:Role", "platform-lbc-role");
                assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy as string), podIdentityTrustPolicy());
                const policy = only(run(stack), "aws:iam/policy:Policy", "platform-lbc-policy");
                assert.deepEqual(JSON.parse(policy.inputs.policy as string), loadBalancerControllerPolicy("aws"));
                const association = only(run(stack), "aws:eks/podIdentityAssociation:PodIdentityAssociation", "platform-lbc");
                assert.deepEqual(
                    [association.inputs.clusterName, association.inputs.namespace, association.inputs.serviceAccount],
                    [`footanalytics-${stack}`, "kube-system", "aws-load-balancer-controller"],
                );
                const chart = only(run(stack), CHART, "platform-aws-load-balancer-controller");
                const attachment = only(run(stack), "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "platform-lbc-policy");
                const wait = only(run(stack), "time:index/sleep:Sleep", "platform-lbc-pod-identity-wait");
                assert.deepEqual(wait.inputs, { createDuration: "30s", triggers: { associationId: "a-0123456789abcdefg" } });
                assert.ok(wait.options.dependsOn.includes(association.urn), "the wait starts once the association exists");
                assert.ok(wait.options.dependsOn.includes(attachment.urn), "the wait starts once the role has its permissions");
                assert.ok(chart.options.dependsOn.includes(wait.urn), "the pods start after the association has had time to take effect");
                assert.equal(chart.options.dependsOn.includes(association.urn), false, "never straight after the association: its pods would get no credentials");
                const values = chart.inputs.values as Values;
                assert.deepEqual([values.clusterName, values.region, values.serviceAccount.name], [`footanalytics-${stack}`, "eu-west-1", "aws-load-balancer-controller"]);
                assert.equal(typeof values.vpcId, "string");
            });

            it("gives the Cluster Autoscaler and the External Secrets Operator their own Pod Identity roles, in place before their charts", () => {
                // The offline run is made as the stack's deploy role (tools/harness.ts), so the account is that role's.
                const accountId = /^arn:aws:iam::(\d{12}):/.exec(loadStack(stack).cluster.deployRoleArn ?? "")?.[1] ?? "123456789012";
                const scope = { partition: "aws", region: "eu-west-1", accountId, clusterName: `footanalytics-${stack}` };
                const cases = [
                    ["cluster-autoscaler", "cluster-autoscaler", clusterAutoscalerPolicy(scope)],
                    ["external-secrets", "external-secrets", externalSecretsPolicy(scope, [`footanalytics/${stack}/apps/*`], undefined)],
                ] as const;
                for (const [role, serviceAccount, policy] of cases) {
                    assert.deepEqual(JSON.parse(only(run(stack), "aws:iam/role:Role", `platform-${role}-role`).inputs.assumeRolePolicy as string), podIdentityTrustPolicy());
                    const grant = only(run(stack), "aws:iam/rolePolicy:RolePolicy", `platform-${role}-policy`);
                    assert.deepEqual(JSON.parse(grant.inputs.policy as string), policy);
                    const association = only(run(stack), "aws:eks/podIdentityAssociation:PodIdentityAssociation", `platform-${role}`);
                    assert.deepEqual([association.inputs.clusterName, association.inputs.namespace, association.inputs.serviceAccount], [`footanalytics-${stack}`, "kube-system", serviceAccount]);
                    const chart = only(run(stack), CHART, `platform-${role}`);
                    // Through a wait for the association to take effect (components/pod-identity.ts).
                    const wait = only(run(stack), "time:index/sleep:Sleep", `platform-${role}-pod-identity-wait`);
                    assert.ok(wait.options.dependsOn.includes(association.urn) && wait.options.dependsOn.includes(grant.urn), `${role}: the wait follows the association and its grant`);
                    assert.ok(chart.options.dependsOn.includes(wait.urn), `${role}: the pods find their identity when they start`);
                }
            });

            it("creates the ClusterSecretStore for the application namespaces after the operator's chart and its CRDs", () => {
                const store = only(run(stack), "kubernetes:external-secrets.io/v1:ClusterSecretStore", "platform-cluster-secret-store");
                assert.deepEqual(store.inputs.spec, { provider: { aws: { service: "SecretsManager", region: "eu-west-1" } }, conditions: [{ namespaces: ["footanalytics"] }] });
                assert.deepEqual(store.options.dependsOn, [only(run(stack), CHART, "platform-external-secrets").urn]);
            });
        });
    }

    it("keeps the Prometheus Operator CRDs chart out of staging, where ServiceMonitors are off, and adds it when they are on", async () => {
        const on = await runStack("staging", (v) => {
            v[`${NS}:monitoring`].serviceMonitors = true;
            v[`${NS}:platform`].prometheusOperatorCrds.mode = "install";
        });
        assert.ok(only(on, CHART, "platform-prometheus-operator-crds"));
        assert.ok(only(on, CHART, "argocd-chart").options.dependsOn.includes(only(on, CHART, "platform-prometheus-operator-crds").urn), "the argo-cd chart renders its monitors once the CRDs exist");
    });
});

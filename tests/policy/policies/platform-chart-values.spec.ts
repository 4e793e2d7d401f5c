import * as assert from "assert/strict";
import { environmentLabels } from "../../../policy/lib/environment";
import { platformChartValues } from "../../../policy/policies/platform-chart-values";
import { messages, UNKNOWN_VALUE } from "../helpers";

const CHART_V4 = "kubernetes:helm.sh/v4:Chart";
const RESOURCES = { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const PROBE = { httpGet: { path: "/healthz", port: 61779 } };

function lbc(edit: (v: Record<string, unknown>) => void = () => undefined): Record<string, unknown> {
    const values: Record<string, unknown> = {
        replicaCount: 2,
        resources: RESOURCES,
        livenessProbe: PROBE,
        readinessProbe: PROBE,
        podDisruptionBudget: { maxUnavailable: 1 },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }],
    };
    edit(values);
    return { chart: "aws-load-balancer-controller", name: "aws-load-balancer-controller", namespace: "kube-system", values };
}

/** The policy's findings for a chart labelled with the environment through its own common-labels key, as components/platform does. */
function check(props: Record<string, unknown>, environment: "staging" | "production"): string[] {
    if (props.values === UNKNOWN_VALUE) return messages(platformChartValues, CHART_V4, props, { name: "platform-aws-load-balancer-controller" });
    const labelKey = props.chart === "metrics-server" ? "commonLabels" : "additionalLabels";
    const labelled = { ...props, values: { ...(props.values as Record<string, unknown>), [labelKey]: environmentLabels(environment) } };
    return messages(platformChartValues, CHART_V4, labelled, { name: "platform-aws-load-balancer-controller" });
}

describe("platform-chart-values", () => {
    it("accepts compliant AWS Load Balancer Controller values in production", () => {
        assert.deepEqual(check(lbc(), "production"), []);
    });

    it("rejects a controller without a memory limit, naming the rendered Deployment and container", () => {
        const props = lbc((v) => (v.resources = { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "200m" } }));
        assert.deepEqual(check(props, "staging"), [
            "Deployment kube-system/aws-load-balancer-controller (chart aws-load-balancer-controller), container aws-load-balancer-controller: values resources is missing limits.memory",
        ]);
    });

    it("rejects a probe left to the chart's default", () => {
        const props = lbc((v) => delete v.readinessProbe);
        assert.deepEqual(check(props, "staging"), [
            "Deployment kube-system/aws-load-balancer-controller (chart aws-load-balancer-controller), container aws-load-balancer-controller: values readinessProbe is not set; state the probe explicitly",
        ]);
    });

    it("requires two replicas, a budget and a zone spread in production only", () => {
        const props = lbc((v) => {
            v.replicaCount = 1;
            v.podDisruptionBudget = {};
            v.topologySpreadConstraints = [];
        });
        assert.deepEqual(check(props, "staging"), []);
        assert.deepEqual(check(props, "production"), [
            "Deployment kube-system/aws-load-balancer-controller (chart aws-load-balancer-controller), container aws-load-balancer-controller: values replicaCount (1) must be at least 2 in production",
            "Deployment kube-system/aws-load-balancer-controller (chart aws-load-balancer-controller), container aws-load-balancer-controller: values podDisruptionBudget must set minAvailable or maxUnavailable in production",
            "Deployment kube-system/aws-load-balancer-controller (chart aws-load-balancer-controller), container aws-load-balancer-controller: values topologySpreadConstraints must spread the pods over zones in production",
        ]);
    });

    it("reads metrics-server's budget as enabled plus a bound", () => {
        const values = { replicas: 2, resources: RESOURCES, livenessProbe: PROBE, readinessProbe: PROBE, podDisruptionBudget: { enabled: false, maxUnavailable: 1 }, topologySpreadConstraints: [{}] };
        assert.deepEqual(check({ chart: "metrics-server", name: "metrics-server", namespace: "kube-system", values }, "production"), [
            "Deployment kube-system/metrics-server (chart metrics-server), container metrics-server: values podDisruptionBudget must be enabled with minAvailable or maxUnavailable in production",
        ]);
    });

    it("reports the device plugin's missing probe setting, which only an exemption can clear", () => {
        const props = { chart: "nvidia-device-plugin", name: "nvidia-device-plugin", namespace: "kube-system", values: { resources: RESOURCES } };
        assert.deepEqual(check(props, "production"), [
            "DaemonSet kube-system/nvidia-device-plugin (chart nvidia-device-plugin), container nvidia-device-plugin-ctr: the chart renders no liveness or readiness probe and offers no setting for one; exempt it in policy/pack-config.json with the upstream reason",
        ]);
    });

    it("ignores other charts and unknown values", () => {
        assert.deepEqual(check({ chart: "argo-cd", values: {} }, "production"), []);
        assert.deepEqual(check({ chart: "metrics-server", values: UNKNOWN_VALUE }, "production"), []);
    });
});

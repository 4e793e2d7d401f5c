import * as assert from "assert/strict";
import { StackConfig } from "../../config";
import { isConfigValidationError } from "../../config/errors";
import { parseConfig } from "../../config";
import { readStackFile, resolveConfig, runProgram, stackFile } from "../../tools/harness";
import { editedValues, expectInvalid, isSecret, NS, parseStack, refusedStack, STACKS, StackName, unwrap } from "../helpers";

const parse = parseStack;

const problemsOf = refusedStack;

/** The problem messages of raw CLI configuration (keys as the CLI names them), or [] when it loads. */
function problemsOfRaw(raw: Record<string, string>, secretKeys: readonly string[], stack: string): string[] {
    try {
        parseConfig(raw, new Set(secretKeys), stack);
        return [];
    } catch (err) {
        if (isConfigValidationError(err)) return err.problems.map((p) => p.message);
        throw err;
    }
}

describe("configuration loading", () => {
    for (const stack of STACKS) {
        it(`loads the committed ${stack} stack file`, () => {
            const cfg = parse(stack);
            assert.ok(!Array.isArray(cfg), `problems: ${Array.isArray(cfg) ? cfg.join("; ") : ""}`);
            assert.equal(cfg.environment, stack);
            assert.equal(cfg.stack, stack);
            assert.equal(cfg.project, "footanalytics-gitops");
            assert.equal(cfg.awsRegion, "eu-west-1");
            assert.ok(Object.isFrozen(cfg) && Object.isFrozen(cfg.cluster) && Object.isFrozen(cfg.cluster.nodeGroups));
        });
    }

    it("applies environment defaults when optional keys are left out", () => {
        const strip = (v: Record<string, any>) => { // eslint-disable-line @typescript-eslint/no-explicit-any
            const c = v[`${NS}:cluster`];
            delete c.name;
            delete c.vpc.natGateways;
            delete c.logTypes;
            delete c.logRetentionDays;
            delete c.deletionProtection;
            delete v[`${NS}:costCentre`];
        };
        const staging = parse("staging", strip) as StackConfig;
        const production = parse("production", strip) as StackConfig;
        assert.equal(staging.cluster.name, "footanalytics-staging");
        assert.equal(production.cluster.name, "footanalytics-production");
        assert.equal(staging.cluster.vpc.natGateways, "single");
        assert.equal(production.cluster.vpc.natGateways, "one-per-az");
        assert.deepEqual(staging.cluster.logTypes, []);
        assert.deepEqual(production.cluster.logTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        assert.equal(staging.cluster.logRetentionDays, 30);
        assert.equal(production.cluster.logRetentionDays, 365);
        assert.equal(staging.cluster.deletionProtection, false);
        assert.equal(production.cluster.deletionProtection, true);
        assert.equal(staging.costCentre, "platform");
    });

    it("hands secrets over as Pulumi secrets, never as strings", async () => {
        const cfg = parse("staging", (v) => {
            v[`${NS}:githubToken`] = { secure: "AAABAKx1" };
        }) as StackConfig;
        const token = cfg.secrets.githubToken!;
        assert.equal(typeof token, "object");
        assert.equal(await isSecret(token), true);
        assert.equal(await unwrap(token), "redacted-footanalytics-gitops-githubToken");
    });

    it("refuses a secret key stored in plain text", () => {
        assert.deepEqual(
            problemsOf("staging", (v) => {
                v[`${NS}:slackToken`] = "fake-slack-token";
            }),
            [`${NS}:slackToken is stored in plain text; set it with \`pulumi config set --secret slackToken <value>\``],
        );
    });

    it("refuses an empty secret, naming the key and how to set it", () => {
        const { config, secretKeys } = resolveConfig({ stack: "staging", configOverrides: { [`${NS}:slackToken`]: { secure: "v1:slack" } } });
        const problems = problemsOfRaw({ ...config, [`${NS}:slackToken`]: "" }, secretKeys, "staging");
        assert.deepEqual(problems, [`${NS}:slackToken is empty; expected a value set with \`pulumi config set --secret slackToken <value>\``]);
    });

    it("reports a needed secret stored in plain text once, not also as missing", () => {
        assert.deepEqual(
            problemsOf("staging", (v) => {
                v[`${NS}:gitops`].repoCredentials = { source: "token" };
                v[`${NS}:githubToken`] = "fake-github-token";
            }),
            [`${NS}:githubToken is stored in plain text; set it with \`pulumi config set --secret githubToken <value>\``],
        );
    });

    for (const [label, edit, expected] of [
        ["missing", (v: Record<string, unknown>) => delete v[`${NS}:environment`], `${NS}:environment is missing; expected one of: staging, production (Which profile the stack follows: \`production\` defaults are highly available and stricter)`],
        ["misspelt", (v: Record<string, unknown>) => (v[`${NS}:environment`] = "prod"), `${NS}:environment ("prod") must be one of: staging, production`],
    ] as const) {
        it(`reports a ${label} environment as one problem, without the production rules it would otherwise trigger`, () => {
            // The staging stack file breaks several production rules (one API server, a single NAT gateway, ...).
            assert.deepEqual(problemsOf("staging", edit), [expected]);
        });
    }

    it("keeps the problems that hold in every environment next to an invalid environment", () => {
        assert.deepEqual(
            problemsOf("staging", (v) => {
                v[`${NS}:environment`] = "qa";
                v[`${NS}:cluster`].vpc.cidr = "10.20.0.1/16";
            }),
            [`${NS}:environment ("qa") must be one of: staging, production`, `${NS}:cluster.vpc.cidr ("10.20.0.1/16") has host bits set beyond /16; must be an IPv4 CIDR block such as "10.0.0.0/16"`],
        );
    });

    it("says to quote a version that YAML read as a number", () => {
        const problems = problemsOf("staging", (v) => {
            v[`${NS}:cluster`].kubernetesVersion = 1.3;
        });
        assert.equal(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], /^footanalytics-gitops:cluster\.kubernetesVersion \(1\.3\) is a number; expected an? .*: quote the value in the stack file, because YAML reads it unquoted as a number, dropping trailing zeros \(1\.30 becomes 1\.3\)$/);
    });

    it("refuses a structured key stored as a secret, without failing the rules that read it", () => {
        // Rules that read the cluster section used to throw a TypeError here instead of reporting.
        assert.deepEqual(
            problemsOf("staging", (v) => {
                v[`${NS}:cluster`] = { secure: "v1:cluster" };
            }),
            [`${NS}:cluster is set as a secret; it holds no secret, set it with \`pulumi config set\` (without --secret)`],
        );
    });

    it("refuses an unknown top-level key, listing the known ones", () => {
        const [message] = problemsOf("staging", (v) => {
            v[`${NS}:argcd`] = { chartVersion: "10.1.1" };
        });
        assert.match(message, /^footanalytics-gitops:argcd is not a known key \(did you mean footanalytics-gitops:argocd\?\); expected one of: environment, costCentre, cluster, platform, argocd, .*githubToken, .*kubeconfig$/);
    });

    it("refuses a misspelt project namespace, naming the key it most likely meant", () => {
        // The namespace typo used to be ignored: production silently lost its monitoring labels.
        const problems = problemsOf("production", (v) => {
            v["footanalytics-gitop:monitoring"] = v[`${NS}:monitoring`];
            delete v[`${NS}:monitoring`];
        });
        assert.deepEqual(problems, [
            `footanalytics-gitop:monitoring is in the namespace "footanalytics-gitop", which nothing reads (did you mean footanalytics-gitops:monitoring?); expected ${NS}:<key> or a provider namespace: aws, eks, github, kubernetes, pulumi, random`,
        ]);
    });

    it("refuses a namespace nothing reads, and keeps provider namespaces", () => {
        assert.deepEqual(
            problemsOf("staging", (v) => {
                v["gcp:project"] = "footanalytics";
                v["awz:profile"] = "prod";
            }),
            [
                `awz:profile is in the namespace "awz", which nothing reads (did you mean aws:profile?); expected ${NS}:<key> or a provider namespace: aws, eks, github, kubernetes, pulumi, random`,
                `gcp:project is in the namespace "gcp", which nothing reads; expected ${NS}:<key> or a provider namespace: aws, eks, github, kubernetes, pulumi, random`,
            ],
        );
        const cfg = parse("staging", (v) => {
            v["aws:profile"] = "footanalytics-staging";
            v["pulumi:tags"] = { team: "platform" };
            v["kubernetes:enableServerSideApply"] = true;
        });
        assert.ok(!Array.isArray(cfg), Array.isArray(cfg) ? cfg.join("\n") : "");
    });

    it("names the closest known key for a misspelt nested key", () => {
        assert.deepEqual(
            problemsOf("staging", (v) => {
                v[`${NS}:cluster`].kubernetesVersoin = "1.33";
            }),
            [`${NS}:cluster.kubernetesVersoin is not a known key (did you mean kubernetesVersion?); expected one of: mode, name, kubernetesVersion, upgradePolicy, vpc, endpoint, adminRoleArns, developerRoleArns, deployRoleArn, previewRoleArns, developerAccess, developerNamespaces, kmsKeyArn, logTypes, logRetentionDays, deletionProtection, nodeGroups, addons`],
        );
    });

    it("reports every problem at once", () => {
        const problems = problemsOf("production", (v) => {
            v[`${NS}:environment`] = "prod";
            v[`${NS}:cluster`].kubernetesVersion = "1.33.1";
            v[`${NS}:cluster`].vpc.cidr = "10.0.0.1/16";
            v[`${NS}:cluster`].nodeGroups[1].maxSize = 0;
            delete v["aws:region"];
        });
        assert.deepEqual(problems, [
            `${NS}:environment ("prod") must be one of: staging, production`,
            `${NS}:cluster.kubernetesVersion ("1.33.1") must be a Kubernetes minor version EKS offers, written without a "v" (one of 1.35, 1.34, 1.33, 1.32, 1.31, 1.30, 1.29, 1.28; the dated table is facts/eks-versions.ts)`,
            `${NS}:cluster.vpc.cidr ("10.0.0.1/16") has host bits set beyond /16; must be an IPv4 CIDR block such as "10.0.0.0/16"`,
            `${NS}:cluster.nodeGroups[1].maxSize (0) must be at least 1`,
            `aws:region is missing; expected an AWS region such as "eu-west-1" (set it with \`pulumi config set aws:region <region>\`)`,
        ]);
    });

    it("still checks cross-field rules next to a field that failed to parse", () => {
        const problems = problemsOf("production", (v) => {
            v[`${NS}:argocd`].controller = { replicas: 0 };
            v[`${NS}:argocd`].server = { replicas: 1 };
            v[`${NS}:cluster`].nodeGroups[1].instanceTypes = ["not an instance type"];
            v[`${NS}:cluster`].endpoint.publicAccessCidrs = ["0.0.0.0/0"];
        });
        assert.deepEqual(problems, [
            `${NS}:cluster.endpoint.publicAccessCidrs (["0.0.0.0/0"]) must not contain 0.0.0.0/0 in production; list the office and CI CIDRs instead`,
            `${NS}:cluster.nodeGroups[1].instanceTypes[0] ("not an instance type") must be an EC2 instance type such as "m7i.large"`,
            `${NS}:argocd.controller.replicas (0) must be at least 1`,
            `${NS}:argocd.server.replicas (1) must be at least 2 in production because the API server runs highly available`,
        ]);
    });

    it("reports a missing secret next to an unrelated invalid key", () => {
        const problems = problemsOf("staging", (v) => {
            v[`${NS}:gitops`].repoCredentials = { source: "token" };
            v[`${NS}:cluster`].kubernetesVersion = "1.2";
        });
        assert.ok(problems.some((p) => p.startsWith(`${NS}:githubToken is missing`)), problems.join("\n"));
        assert.ok(problems.some((p) => p.startsWith(`${NS}:cluster.kubernetesVersion ("1.2")`)), problems.join("\n"));
    });

    // Fifteen and more distinct invalid configurations, each run through the real program: the
    // message names the key and nothing is registered (expectInvalid asserts both).
    const invalid: [string, StackName, (v: Record<string, any>) => void, string][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
        ["a missing environment", "staging", (v) => delete v[`${NS}:environment`], `${NS}:environment is missing; expected one of: staging, production`],
        ["an unknown environment", "staging", (v) => (v[`${NS}:environment`] = "qa"), `${NS}:environment ("qa") must be one of: staging, production`],
        ["an invalid AWS region", "staging", (v) => (v["aws:region"] = "europe"), `aws:region ("europe") must be an AWS region such as "eu-west-1"`],
        ["a cluster that is a string", "staging", (v) => (v[`${NS}:cluster`] = "big"), `${NS}:cluster ("big") is a string; expected an object`],
        ["a misspelt cluster key", "staging", (v) => (v[`${NS}:cluster`].kubernetesVersoin = "1.33"), `${NS}:cluster.kubernetesVersoin is not a known key`],
        ["an unsupported Kubernetes version", "staging", (v) => (v[`${NS}:cluster`].kubernetesVersion = "1.20"), `${NS}:cluster.kubernetesVersion ("1.20") must be a Kubernetes minor version EKS offers`],
        ["a Kubernetes version EKS never had", "staging", (v) => (v[`${NS}:cluster`].kubernetesVersion = "1.99"), `${NS}:cluster.kubernetesVersion ("1.99") must be a Kubernetes minor version EKS offers, written without a "v"`],
        ["a Kubernetes version written with a v", "production", (v) => (v[`${NS}:cluster`].kubernetesVersion = "v1.35"), `${NS}:cluster.kubernetesVersion ("v1.35") must be a Kubernetes minor version EKS offers, written without a "v"`],
        ["an unknown upgrade policy", "staging", (v) => (v[`${NS}:cluster`].upgradePolicy = "LTS"), `${NS}:cluster.upgradePolicy ("LTS") must be one of: STANDARD, EXTENDED`],
        ["the ingress without the AWS Load Balancer Controller", "staging", (v) => (v[`${NS}:platform`].loadBalancerController.enabled = false), `${NS}:platform.loadBalancerController.enabled is false but ${NS}:argocd.ingress.enabled is true`],
        ["ServiceMonitors without Prometheus Operator CRDs", "production", (v) => (v[`${NS}:platform`].prometheusOperatorCrds.mode = "off"), `${NS}:platform.prometheusOperatorCrds.mode is "off" but ${NS}:monitoring.serviceMonitors is true`],
        ["autoscaling without metrics-server", "production", (v) => (v[`${NS}:platform`].metricsServer.enabled = false), `${NS}:platform.metricsServer.enabled is false but ${NS}:argocd.repoServer.autoscaling.enabled is true`],
        ["an NVIDIA node group without the device plugin", "production", (v) => (v[`${NS}:platform`].nvidiaDevicePlugin.enabled = false), `${NS}:platform.nvidiaDevicePlugin.enabled is false but node group(s) ml-gpu run an NVIDIA AMI`],
        ["a production ingress open to 0.0.0.0/0", "production", (v) => (v[`${NS}:argocd`].ingress.inboundCidrs = ["0.0.0.0/0"]), `${NS}:argocd.ingress.inboundCidrs (["0.0.0.0/0"]) must not contain 0.0.0.0/0 in production`],
        ["a production ingress open to the whole internet in two halves", "production", (v) => (v[`${NS}:argocd`].ingress.inboundCidrs = ["0.0.0.0/1", "128.0.0.0/1"]), `${NS}:argocd.ingress.inboundCidrs (["0.0.0.0/1","128.0.0.0/1"]) covers 4,294,967,296 addresses (as much as a /0), more than a /8`],
        ["an internet-facing ingress without a certificate", "staging", (v) => delete v[`${NS}:argocd`].ingress.certificateArn, `${NS}:argocd.ingress.certificateArn is missing`],
        ["slow polling behind an internal ingress", "staging", (v) => Object.assign(v[`${NS}:argocd`], { reconciliationTimeout: "10m", ingress: { ...v[`${NS}:argocd`].ingress, scheme: "internal" } }), `${NS}:argocd.reconciliationTimeout ("10m") must be at most 180s`],
        ["a cluster name that is not DNS-1123", "staging", (v) => (v[`${NS}:cluster`].name = "FootAnalytics_Staging"), `${NS}:cluster.name ("FootAnalytics_Staging") must be a DNS-1123 label`],
        ["a VPC CIDR that is not a CIDR", "staging", (v) => (v[`${NS}:cluster`].vpc.cidr = "10.20.0.0"), `${NS}:cluster.vpc.cidr ("10.20.0.0") must be an IPv4 CIDR block`],
        ["an unknown NAT gateway mode", "staging", (v) => (v[`${NS}:cluster`].vpc.natGateways = "two"), `${NS}:cluster.vpc.natGateways ("two") must be one of: single, one-per-az`],
        ["a public endpoint CIDR that is invalid", "staging", (v) => (v[`${NS}:cluster`].endpoint.publicAccessCidrs = ["203.0.113.0/33"]), `${NS}:cluster.endpoint.publicAccessCidrs[0] ("203.0.113.0/33") must be an IPv4 CIDR block`],
        ["a node group with min > desired", "staging", (v) => (v[`${NS}:cluster`].nodeGroups[1].minSize = 5), `${NS}:cluster.nodeGroups[1].desiredSize (2) must lie between ${NS}:cluster.nodeGroups[1].minSize (5) and ${NS}:cluster.nodeGroups[1].maxSize (6)`],
        ["a node group size that is not an integer", "staging", (v) => (v[`${NS}:cluster`].nodeGroups[0].desiredSize = 2.5), `${NS}:cluster.nodeGroups[0].desiredSize (2.5) is a number; expected an integer`],
        ["duplicate node group names", "staging", (v) => (v[`${NS}:cluster`].nodeGroups[1].name = "system"), `${NS}:cluster.nodeGroups[1] repeats name "system" of ${NS}:cluster.nodeGroups[0]; each must be unique`],
        ["an unknown capacity type", "staging", (v) => (v[`${NS}:cluster`].nodeGroups[1].capacityType = "spot"), `${NS}:cluster.nodeGroups[1].capacityType ("spot") must be one of: ON_DEMAND, SPOT`],
        ["an add-on version without eksbuild", "staging", (v) => (v[`${NS}:cluster`].addons.coredns = "1.12.4"), `${NS}:cluster.addons.coredns ("1.12.4") must be an EKS add-on version`],
        ["an admin role that is not a role ARN", "staging", (v) => (v[`${NS}:cluster`].adminRoleArns = ["platform-admin"]), `${NS}:cluster.adminRoleArns[0] ("platform-admin") must be an IAM role ARN`],
        ["a chart version with a leading v", "staging", (v) => (v[`${NS}:argocd`].chartVersion = "v10.1.1"), `${NS}:argocd.chartVersion ("v10.1.1") must be a semantic version`],
        ["a GitOps repository URL with credentials", "staging", (v) => (v[`${NS}:gitops`].repoUrl = "https://bot:fake1@github.com/footanalytics/gitops-config"), `${NS}:gitops.repoUrl ("https://bot:fake1@github.com/footanalytics/gitops-config") must not carry credentials in the URL`],
        ["a GitOps repository that is not a Git URL", "staging", (v) => (v[`${NS}:gitops`].repoUrl = "github.com/footanalytics/gitops-config"), `${NS}:gitops.repoUrl ("github.com/footanalytics/gitops-config") must be a Git URL`],
        ["duplicate application names", "staging", (v) => (v[`${NS}:gitops`].applications[1].name = "api-gateway"), `${NS}:gitops.applications[1] repeats name "api-gateway" of ${NS}:gitops.applications[0]; each must be unique`],
        ["an application name that is not DNS-1123", "staging", (v) => (v[`${NS}:gitops`].applications[0].name = "API Gateway"), `${NS}:gitops.applications[0].name ("API Gateway") must be a DNS-1123 label`],
        ["a production public endpoint open to the internet", "production", (v) => (v[`${NS}:cluster`].endpoint.publicAccessCidrs = ["0.0.0.0/0"]), `${NS}:cluster.endpoint.publicAccessCidrs (["0.0.0.0/0"]) must not contain 0.0.0.0/0 in production`],
        ["a production system node group below three nodes", "production", (v) => (v[`${NS}:cluster`].nodeGroups[0].minSize = 2), `${NS}:cluster.nodeGroups[0].minSize (2) must be at least 3 in production`],
        ["Secrets Manager sources on an existing cluster without aws:region", "staging", (v) => {
            v[`${NS}:cluster`] = { mode: "existing" };
            v[`${NS}:kubeconfig`] = { secure: "v1:kubeconfig" };
            delete v["aws:region"];
        }, `aws:region is missing; expected the AWS region of the Secrets Manager secrets read because of ${NS}:gitops.repoCredentials.source and ${NS}:notifications.secretsManagerSecretName and ${NS}:gitops.imageUpdater.writeCredentials.secretsManagerSecretName`],
        ["a production stack tracking HEAD", "production", (v) => (v[`${NS}:gitops`].targetRevision = "HEAD"), `${NS}:gitops.targetRevision ("HEAD") must be a release branch or tag in production, not HEAD`],
        ["a production Application tracking HEAD", "production", (v) => (v[`${NS}:gitops`].applications[2].targetRevision = "HEAD"), `${NS}:gitops.applications[2].targetRevision ("HEAD") must be a release branch or tag in production, not HEAD`],
        ["a secret key given in plain text", "production", (v) => (v[`${NS}:githubWebhookSecret`] = "hunter2"), `${NS}:githubWebhookSecret is stored in plain text`],
    ];
    for (const [what, stack, edit, expected] of invalid) {
        it(`refuses ${what} (${stack}) naming the key, and registers nothing`, async () => {
            const problems = await expectInvalid(stack, edit);
            assert.ok(
                problems.some((p) => p.startsWith(expected)),
                `expected a problem starting with:\n  ${expected}\ngot:\n  ${problems.join("\n  ")}`,
            );
        });
    }
});

/** Every node of a stack file's config tree: its key path as messages name it, and its value. */
function leaves(values: Record<string, unknown>): { key: string; path: (string | number)[]; value: unknown }[] {
    const out: { key: string; path: (string | number)[]; value: unknown }[] = [];
    const walk = (v: unknown, key: string, p: (string | number)[]) => {
        out.push({ key, path: p, value: v });
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${key}[${i}]`, [...p, i]));
        else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${key}.${k}`, [...p, k]);
    };
    for (const [k, v] of Object.entries(values)) walk(v, k, [k]);
    return out;
}

/**
 * A value of another type than `v`. Top-level scalars reach the program as text whatever their YAML
 * type (the CLI stringifies them), so a top-level string is replaced by a list.
 */
function wrongType(v: unknown, topLevel: boolean): unknown {
    if (typeof v === "string" && topLevel) return ["a", "list"];
    if (typeof v === "number") return "7";
    if (typeof v === "boolean") return "yes";
    if (typeof v === "string") return 7;
    if (Array.isArray(v)) return { item: 1 };
    return ["a", "list"];
}

describe("wrong-typed values in the production stack file", () => {
    const file = readStackFile(stackFile("production"));
    const nodes = leaves(file).filter((n) => n.path.length > 0);

    it("covers every key of Pulumi.production.yaml", () => {
        assert.ok(nodes.length > 60, `only ${nodes.length} keys found`);
    });

    it("refuses each one naming its key, with nothing registered", async () => {
        const missed: string[] = [];
        for (const node of nodes) {
            const key = node.key.includes(":") ? node.key : `${NS}:${node.key}`;
            const overrides = editedValues("production", (v) => {
                if (node.path.length === 1) {
                    v[node.path[0] as string] = wrongType(node.value, true);
                    return;
                }
                let parent = v[node.path[0] as string];
                for (const p of node.path.slice(1, -1)) parent = parent[p];
                parent[node.path[node.path.length - 1]] = wrongType(node.value, false);
            });
            try {
                await runProgram({ stack: "production", configOverrides: overrides });
                missed.push(`${key}: accepted`);
            } catch (err) {
                if (!isConfigValidationError(err)) throw err;
                assert.equal((err as { registeredResources?: number }).registeredResources, 0);
                if (!err.problems.some((p) => p.key === key)) missed.push(`${key}: ${err.problems.map((p) => p.message).join(" / ")}`);
            }
        }
        assert.deepEqual(missed, []);
    });
});

import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ACMClient, DescribeCertificateCommand } from "@aws-sdk/client-acm";
import { DescribeAvailabilityZonesCommand, DescribeInstanceTypeOfferingsCommand, DescribeInstanceTypesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeAddonVersionsCommand, EKSClient } from "@aws-sdk/client-eks";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import type { StackConfig } from "../../config";
import { exampleValueWarnings } from "../../tools/plan-checks";
import { ROOT } from "../../tools/harness";
import { UsageError } from "../../tools/cli";
import {
    certificateCovers,
    CheckResult,
    cidrContains,
    exitCodeOf,
    formatReport,
    PreflightEnvironment,
    principalOfCaller,
    quotaClass,
    runPreflight,
    secretsManagerReads,
} from "../../tools/preflight";
import { parseStack, StackName, stackValues } from "../helpers";

const ACCOUNT = "345678901234";
const CERT_ID = "3f1c2a4e-8b7d-4e21-9a55-0c6d2e7f9b10";
const OFFICE = "81.2.69.0/24";
const HERE = "81.2.69.17";
// Shaped like no real credential, so secret scanners leave it alone; the tests assert it is never printed.
const SECRET_VALUE = "preflight-never-prints-this-value";

/** A stack's values with every example value replaced by a real-looking one (what an operator commits). */
function realValues(stack: StackName): Record<string, unknown> {
    const text = JSON.stringify(stackValues(stack))
        .replaceAll("210987654321", ACCOUNT)
        .replaceAll("123456789012", ACCOUNT)
        .replaceAll("00000000-0000-0000-0000-000000000000", CERT_ID)
        .replaceAll("203.0.113.0/24", OFFICE)
        .replaceAll("198.51.100.16/28", "81.2.70.16/28");
    return JSON.parse(text) as Record<string, unknown>;
}

function realConfig(stack: StackName): StackConfig {
    const values = realValues(stack);
    const cfg = parseStack(stack, (v) => {
        for (const k of Object.keys(v)) v[k] = values[k];
    });
    if (Array.isArray(cfg)) throw new Error(cfg.join("\n"));
    return cfg;
}

function awsError(name: string): Error {
    return Object.assign(new Error(`mock ${name}`), { name, $metadata: {} });
}

const VCPUS: Record<string, number> = { "m7i.large": 2, "m6i.large": 2, "m7i.xlarge": 4, "m6i.xlarge": 4, "m5.xlarge": 4, "m7i.2xlarge": 8, "m6i.2xlarge": 8, "g5.xlarge": 4 };
const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const ADDON_VERSIONS: Record<string, string[]> = {
    "vpc-cni": ["v1.22.5-eksbuild.1", "v1.22.4-eksbuild.3"],
    coredns: ["v1.14.2-eksbuild.4"],
    "kube-proxy": ["v1.35.3-eksbuild.2"],
    "eks-pod-identity-agent": ["v1.3.10-eksbuild.3"],
    "aws-ebs-csi-driver": ["v1.66.0-eksbuild.1"],
};

const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const quotas = mockClient(ServiceQuotasClient);
const acm = mockClient(ACMClient);
const secrets = mockClient(SecretsManagerClient);
const eks = mockClient(EKSClient);
const iam = mockClient(IAMClient);
const MOCKS = [sts, ec2, quotas, acm, secrets, eks, iam];

/** Answers of an account where the stack is ready; tests change one answer. */
function readyAccount(cfg: StackConfig, role = (cfg.cluster.deployRoleArn ?? "").split("/").pop()): void {
    for (const m of MOCKS) m.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/operator`, UserId: "AROAEXAMPLE:operator" });
    ec2.on(DescribeInstanceTypesCommand).callsFake((input: { InstanceTypes: string[] }) => ({ InstanceTypes: input.InstanceTypes.map((t) => ({ InstanceType: t, VCpuInfo: { DefaultVCpus: VCPUS[t] } })) }));
    ec2.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [...ZONES].reverse().map((z) => ({ ZoneName: z, State: "available" })) });
    ec2.on(DescribeInstanceTypeOfferingsCommand).callsFake((input: { Filters: { Name: string; Values: string[] }[] }) => ({
        InstanceTypeOfferings: input.Filters[0].Values.flatMap((t) => input.Filters[1].Values.map((z) => ({ InstanceType: t, Location: z, LocationType: "availability-zone" }))),
    }));
    quotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 256 } });
    iam.on(GetRoleCommand).callsFake((input: { RoleName: string }) => ({ Role: { RoleName: input.RoleName, Arn: `arn:aws:iam::${ACCOUNT}:role/${input.RoleName}` } }));
    const domain = cfg.argocd.domain;
    acm.on(DescribeCertificateCommand).resolves({ Certificate: { CertificateArn: cfg.argocd.ingress.certificateArn, DomainName: domain, SubjectAlternativeNames: [domain], Status: "ISSUED", NotAfter: new Date("2027-06-01T00:00:00Z") } });
    for (const [name, need] of secretsManagerReads(cfg)) {
        secrets.on(GetSecretValueCommand, { SecretId: name }).resolves({ Name: name, SecretString: JSON.stringify(Object.fromEntries([...need.keys].map((k) => [k, SECRET_VALUE]))) });
    }
    eks.on(DescribeAddonVersionsCommand).callsFake((input: { addonName: string; kubernetesVersion: string }) => ({
        addons: [{ addonName: input.addonName, addonVersions: (ADDON_VERSIONS[input.addonName] ?? []).map((v, i) => ({ addonVersion: v, compatibilities: [{ clusterVersion: input.kubernetesVersion, defaultVersion: i === 0 }] })) }],
    }));
}

function environment(over: Partial<PreflightEnvironment> = {}): PreflightEnvironment {
    const credentials = { accessKeyId: "AKIAPREFLIGHTTEST", secretAccessKey: "not-a-secret" };
    const opts = { region: "eu-west-1", credentials };
    return {
        clients: { sts: new STSClient(opts), ec2: new EC2Client(opts), quotas: new ServiceQuotasClient(opts), acm: new ACMClient(opts), secrets: new SecretsManagerClient(opts), eks: new EKSClient(opts), iam: new IAMClient(opts) },
        awsCliVersion: async () => "aws-cli/2.27.10 Python/3.13.3 Linux/6.8 exe/x86_64.debian.12\n",
        publicIp: async () => `${HERE}\n`,
        now: new Date("2026-12-06T12:00:00Z"),
        ...over,
    };
}

async function run(stack: StackName, arrange: (cfg: StackConfig) => void = () => undefined, over: Partial<PreflightEnvironment> = {}, values?: Record<string, unknown>) {
    const cfg = realConfig(stack);
    readyAccount(cfg);
    arrange(cfg);
    return runPreflight(cfg, environment(over), values ?? realValues(stack));
}

function only(results: readonly CheckResult[], check: string, contains = ""): CheckResult {
    const found = results.filter((r) => r.check === check && r.detail.includes(contains));
    assert.equal(found.length, 1, `expected one ${check} result containing ${JSON.stringify(contains)}, got ${JSON.stringify(found, null, 2)}`);
    return found[0];
}

describe("tools/preflight", () => {
    after(() => {
        for (const m of MOCKS) m.restore();
    });

    describe("helpers", () => {
        it("classifies instance types by their EC2 vCPU quota", () => {
            assert.deepEqual(["m7i.xlarge", "c7gn.large", "r6i.large", "t3.micro", "im4gn.large", "g5.xlarge", "vt1.3xlarge", "p4d.24xlarge", "inf2.xlarge", "x2idn.16xlarge"].map(quotaClass), ["standard", "standard", "standard", "standard", "standard", "gvt", "gvt", "p", undefined, undefined]);
        });
        it("tests IPv4 addresses against CIDR blocks", () => {
            assert.equal(cidrContains("81.2.69.0/24", "81.2.69.255"), true);
            assert.equal(cidrContains("81.2.69.0/24", "81.2.70.0"), false);
            assert.equal(cidrContains("0.0.0.0/0", "8.8.8.8"), true);
            assert.equal(cidrContains("81.2.69.17/32", "81.2.69.17"), true);
            assert.equal(cidrContains("81.2.69.0/24", "not-an-ip"), false);
        });
        it("matches certificate names, a wildcard covering exactly one label", () => {
            assert.equal(certificateCovers("*.footanalytics.io", "argocd.footanalytics.io"), true);
            assert.equal(certificateCovers("*.footanalytics.io", "argocd.staging.footanalytics.io"), false);
            assert.equal(certificateCovers("ArgoCD.footanalytics.io", "argocd.footanalytics.io"), true);
            assert.equal(certificateCovers("footanalytics.io", "argocd.footanalytics.io"), false);
        });
        it("turns an assumed-role caller into its role ARN and leaves users alone", () => {
            assert.equal(principalOfCaller(`arn:aws:sts::${ACCOUNT}:assumed-role/deploy/gha-123`), `arn:aws:iam::${ACCOUNT}:role/deploy`);
            assert.equal(principalOfCaller(`arn:aws:iam::${ACCOUNT}:user/alice`), `arn:aws:iam::${ACCOUNT}:user/alice`);
        });
        it("lists every Secrets Manager secret each stack reads with its JSON keys, the Image Updater's included", () => {
            const shape = (stack: StackName) => Object.fromEntries([...secretsManagerReads(realConfig(stack))].map(([n, e]) => [n, [...e.keys].sort()]));
            assert.deepEqual(shape("staging"), {
                "footanalytics/staging/argocd-repo-creds": ["token"],
                "footanalytics/staging/argocd-notifications": ["slack-token"],
                "footanalytics/staging/argocd-image-updater-git": ["token"],
            });
            assert.deepEqual(shape("production"), {
                "footanalytics/production/argocd-repo-creds": ["token"],
                "footanalytics/production/argocd-notifications": ["slack-token", "teams-workflows-url-platform-alerts"],
                "footanalytics/production/argocd-oidc": ["clientSecret"],
            });
        });
        it("is matched by docs/operations.md 3.1, which names every Secrets Manager secret of both committed stacks with its keys", () => {
            const text = fs.readFileSync(path.join(ROOT, "docs/operations.md"), "utf8");
            const walk = text.slice(text.indexOf("### 3.1"), text.indexOf("### 3.2"));
            for (const stack of ["staging", "production"] as const) {
                for (const [name, need] of secretsManagerReads(realConfig(stack))) {
                    const cell = `\`${name}\` (${[...need.keys].sort().map((k) => `\`${k}\``).join(", ")})`;
                    assert.ok(walk.includes(cell), `docs/operations.md 3.1 lacks ${cell}`);
                }
            }
        });
        it("exits 2 when no AWS item could be checked (over 1), 1 on anything not ready, else 0", () => {
            const r = (state: CheckResult["state"], aws: boolean): CheckResult => ({ check: "x", detail: "d", state, aws });
            assert.equal(exitCodeOf([r("ready", true), r("cannot check", true)]), 0);
            assert.equal(exitCodeOf([r("cannot check", true), r("ready", false)]), 2);
            assert.equal(exitCodeOf([r("cannot check", true), r("not ready", false)]), 2);
            assert.equal(exitCodeOf([r("ready", true), r("not ready", false)]), 1);
            assert.equal(exitCodeOf([r("ready", true)]), 0);
        });
    });

    for (const stack of ["staging", "production"] as const) {
        it(`finds ${stack} ready on an account that has everything, every item ready, exit 0`, async () => {
            assert.deepEqual(exampleValueWarnings(realValues(stack)), []);
            const report = await run(stack);
            assert.deepEqual(report.results.filter((r) => r.state !== "ready"), []);
            assert.equal(report.exitCode, 0);
            assert.equal(report.caller, `arn:aws:sts::${ACCOUNT}:assumed-role/footanalytics-gitops-deploy-${stack}/operator`);
            assert.equal(only(report.results, "identity").detail, `arn:aws:sts::${ACCOUNT}:assumed-role/footanalytics-gitops-deploy-${stack}/operator is cluster.deployRoleArn: it creates the cluster and holds EKS's creator admin entry, and CI deploys with it afterwards`);
            assert.deepEqual([...new Set(report.results.map((r) => r.check))], ["identity", "role", "quota", "instance types", "add-on", "certificate", "secret", "endpoint", "aws CLI", "example values"]);
            assert.match(formatReport(report), /ready for the first `pulumi up`$/);
        });
    }

    describe("roles", () => {
        it("checks every role the stack names, the deploy and preview roles included", async () => {
            const report = await run("production");
            assert.deepEqual(report.results.filter((r) => r.check === "role").map((r) => r.detail), [
                `cluster.deployRoleArn arn:aws:iam::${ACCOUNT}:role/footanalytics-gitops-deploy-production exists`,
                `cluster.previewRoleArns[0] arn:aws:iam::${ACCOUNT}:role/footanalytics-gitops-preview-production exists`,
                `cluster.adminRoleArns[0] arn:aws:iam::${ACCOUNT}:role/footanalytics-platform-admin exists`,
                `cluster.developerRoleArns[0] arn:aws:iam::${ACCOUNT}:role/footanalytics-developer exists`,
            ]);
        });
        it("is not ready for a missing preview role, which EKS would refuse an access entry", async () => {
            const report = await run("staging", () => iam.on(GetRoleCommand, { RoleName: "footanalytics-gitops-preview-staging" }).rejects(awsError("NoSuchEntityException")));
            const r = only(report.results, "role", "previewRoleArns");
            assert.equal(r.state, "not ready");
            assert.equal(r.detail, `cluster.previewRoleArns[0] arn:aws:iam::${ACCOUNT}:role/footanalytics-gitops-preview-staging does not exist: EKS refuses an access entry for it`);
        });
        it("is not ready when the role exists under another path than the ARN says", async () => {
            const report = await run("staging", () => iam.on(GetRoleCommand, { RoleName: "footanalytics-developer" }).resolves({ Role: { Arn: `arn:aws:iam::${ACCOUNT}:role/teams/footanalytics-developer` } as never }));
            assert.equal(only(report.results, "role", "developerRoleArns").fix, `set cluster.developerRoleArns[0] to arn:aws:iam::${ACCOUNT}:role/teams/footanalytics-developer`);
        });
        it("cannot check a role of another account, or without iam:GetRole", async () => {
            const cfg = realConfig("staging");
            readyAccount(cfg);
            iam.on(GetRoleCommand).rejects(awsError("AccessDenied"));
            const other = "arn:aws:iam::456789012345:role/footanalytics-platform-admin";
            const report = await runPreflight({ ...cfg, cluster: { ...cfg.cluster, adminRoleArns: [other] } }, environment(), realValues("staging"));
            assert.equal(only(report.results, "role", "adminRoleArns").detail, `cluster.adminRoleArns[0] ${other} is in account 456789012345, not ${ACCOUNT}: preflight reads this account's roles only`);
            assert.equal(only(report.results, "role", "deployRoleArn").detail, `cluster.deployRoleArn arn:aws:iam::${ACCOUNT}:role/footanalytics-gitops-deploy-staging: no permission for iam:GetRole (AccessDenied)`);
        });
    });

    describe("quotas", () => {
        it("adds up production's vCPUs per quota: 44 Standard and 4 G/VT at desired size", async () => {
            const report = await run("production");
            assert.equal(
                only(report.results, "quota", "L-1216C47A").detail,
                "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances (L-1216C47A): quota 256 vCPU; node groups need 44 at desired size, 120 at maximum (system: 3-6 × 4 vCPU; workloads: 4-12 × 8 vCPU)",
            );
            assert.equal(only(report.results, "quota", "L-DB2E81BA").detail, "Running On-Demand G and VT instances (L-DB2E81BA): quota 256 vCPU; node groups need 4 at desired size, 16 at maximum (ml-gpu: 1-4 × 4 vCPU)");
        });
        it("adds up staging's 8 Spot vCPUs apart from its on-demand system group", async () => {
            const report = await run("staging");
            assert.equal(only(report.results, "quota", "L-34B43A08").detail, "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests (L-34B43A08): quota 256 vCPU; node groups need 8 at desired size, 24 at maximum (workloads: 2-6 × 4 vCPU)");
            assert.equal(only(report.results, "quota", "L-1216C47A").detail, "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances (L-1216C47A): quota 256 vCPU; node groups need 4 at desired size, 8 at maximum (system: 2-4 × 2 vCPU)");
        });
        it("is not ready when a new account's G/VT quota is 0, with the increase command", async () => {
            const report = await run("production", () => quotas.on(GetServiceQuotaCommand, { QuotaCode: "L-DB2E81BA" }).resolves({ Quota: { Value: 0 } }));
            const r = only(report.results, "quota", "L-DB2E81BA");
            assert.equal(r.state, "not ready");
            assert.equal(r.fix, "aws service-quotas request-service-quota-increase --region eu-west-1 --service-code ec2 --quota-code L-DB2E81BA --desired-value 16 (other instances in the account count against it too)");
            assert.equal(report.exitCode, 1);
            assert.match(formatReport(report), /not ready$/);
        });
        it("is ready but names the increase when the quota covers the desired size only", async () => {
            const report = await run("production", () => quotas.on(GetServiceQuotaCommand, { QuotaCode: "L-1216C47A" }).resolves({ Quota: { Value: 64 } }));
            const r = only(report.results, "quota", "L-1216C47A");
            assert.equal(r.state, "ready");
            assert.match(r.detail, /; scaling to the maximum needs an increase: aws service-quotas request-service-quota-increase --region eu-west-1 --service-code ec2 --quota-code L-1216C47A --desired-value 120$/);
        });
        it("reads the AWS default when the account never changed the quota", async () => {
            const report = await run("production", () => {
                quotas.on(GetServiceQuotaCommand, { QuotaCode: "L-DB2E81BA" }).rejects(awsError("NoSuchResourceException"));
                quotas.on(GetAWSDefaultServiceQuotaCommand, { QuotaCode: "L-DB2E81BA" }).resolves({ Quota: { Value: 0 } });
            });
            assert.equal(only(report.results, "quota", "L-DB2E81BA").state, "not ready");
        });
        it("cannot check a quota without servicequotas permission, and goes on", async () => {
            const report = await run("production", () => quotas.on(GetServiceQuotaCommand).rejects(awsError("AccessDeniedException")));
            const r = only(report.results, "quota", "L-DB2E81BA");
            assert.equal(r.state, "cannot check");
            assert.equal(r.detail, "Running On-Demand G and VT instances (L-DB2E81BA): no permission for servicequotas:GetServiceQuota (AccessDeniedException)");
            assert.equal(report.exitCode, 0);
        });
        it("cannot check quotas when the instance types cannot be described", async () => {
            const report = await run("staging", () => ec2.on(DescribeInstanceTypesCommand).rejects(awsError("RequestLimitExceeded")));
            const r = only(report.results, "quota");
            assert.equal(r.state, "cannot check");
            assert.equal(r.detail, "vCPUs of m7i.large, m6i.large, m7i.xlarge, m6i.xlarge, m5.xlarge: throttled by AWS (RequestLimitExceeded) after the SDK's retries; run preflight again in a minute");
        });
    });

    describe("instance types", () => {
        it("takes the first three default zones in name order and is not ready when g5.xlarge is missing from one", async () => {
            const report = await run("production", () =>
                ec2.on(DescribeInstanceTypeOfferingsCommand).callsFake((input: { Filters: { Values: string[] }[] }) => ({
                    InstanceTypeOfferings: input.Filters[0].Values.flatMap((t) => input.Filters[1].Values.filter((z) => !(t === "g5.xlarge" && z === "eu-west-1c")).map((z) => ({ InstanceType: t, Location: z }))),
                })),
            );
            const r = only(report.results, "instance types", "ml-gpu");
            assert.equal(r.state, "not ready");
            assert.equal(r.detail, "node group ml-gpu: g5.xlarge in eu-west-1a, eu-west-1b, eu-west-1c: not offered: g5.xlarge in eu-west-1c");
            assert.equal(r.fix, "replace the type(s) in cluster.nodeGroups[2].instanceTypes with ones offered in every zone (aws ec2 describe-instance-type-offerings --region eu-west-1 --location-type availability-zone)");
            assert.equal(only(report.results, "instance types", "node group system").state, "ready");
        });
        it("is not ready when the region has fewer default zones than cluster.vpc.availabilityZones", async () => {
            const report = await run("production", () => ec2.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [{ ZoneName: "eu-west-1a" }, { ZoneName: "eu-west-1b" }] }));
            assert.equal(only(report.results, "instance types", "available zone").detail, "eu-west-1 has 2 available zone(s) without opt-in; cluster.vpc.availabilityZones is 3");
        });
        it("cannot check offerings without ec2 permission", async () => {
            const report = await run("staging", () => ec2.on(DescribeInstanceTypeOfferingsCommand).rejects(awsError("UnauthorizedOperation")));
            const r = only(report.results, "instance types");
            assert.equal(r.state, "cannot check");
            assert.match(r.detail, /no permission for ec2:DescribeAvailabilityZones\/DescribeSubnets\/DescribeInstanceTypeOfferings \(UnauthorizedOperation\)$/);
        });
    });

    describe("certificate", () => {
        it("is not ready while the certificate awaits DNS validation", async () => {
            const report = await run("staging", (cfg) => acm.on(DescribeCertificateCommand).resolves({ Certificate: { DomainName: cfg.argocd.domain, Status: "PENDING_VALIDATION" } }));
            const r = only(report.results, "certificate");
            assert.equal(r.state, "not ready");
            assert.equal(r.detail, `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/${CERT_ID}: its status is PENDING_VALIDATION, not ISSUED`);
        });
        it("accepts a wildcard for the domain and refuses one a level too high", async () => {
            const ready = await run("production", () => acm.on(DescribeCertificateCommand).resolves({ Certificate: { DomainName: "*.footanalytics.io", Status: "ISSUED" } }));
            assert.equal(only(ready.results, "certificate").state, "ready");
            const notReady = await run("staging", () => acm.on(DescribeCertificateCommand).resolves({ Certificate: { DomainName: "*.footanalytics.io", Status: "ISSUED" } }));
            assert.match(only(notReady.results, "certificate").detail, /its names \(\*\.footanalytics\.io\) do not cover argocd\.staging\.footanalytics\.io$/);
        });
        it("is not ready for an expired or missing certificate", async () => {
            const expired = await run("production", (cfg) => acm.on(DescribeCertificateCommand).resolves({ Certificate: { DomainName: cfg.argocd.domain, Status: "ISSUED", NotAfter: new Date("2026-11-30T00:00:00Z") } }));
            assert.match(only(expired.results, "certificate").detail, /: it expired on 2026-11-30$/);
            const missing = await run("production", () => acm.on(DescribeCertificateCommand).rejects(awsError("ResourceNotFoundException")));
            const r = only(missing.results, "certificate");
            assert.equal(r.detail, `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/${CERT_ID} does not exist in this account and region`);
            assert.equal(r.fix, "request one and set argocd.ingress.certificateArn: aws acm request-certificate --region eu-west-1 --domain-name argocd.footanalytics.io --validation-method DNS");
        });
        it("cannot check without acm:DescribeCertificate", async () => {
            const report = await run("production", () => acm.on(DescribeCertificateCommand).rejects(awsError("AccessDeniedException")));
            assert.equal(only(report.results, "certificate").state, "cannot check");
        });
    });

    describe("secrets", () => {
        it("is not ready when the Image Updater secret does not exist, with the create command", async () => {
            const name = "footanalytics/staging/argocd-image-updater-git";
            const report = await run("staging", () => secrets.on(GetSecretValueCommand, { SecretId: name }).rejects(awsError("ResourceNotFoundException")));
            const r = only(report.results, "secret", name);
            assert.equal(r.state, "not ready");
            assert.equal(r.detail, `${name} (gitops.imageUpdater.writeCredentials) with JSON key(s) token: does not exist`);
            assert.equal(r.fix, `aws secretsmanager create-secret --region eu-west-1 --name ${name} --secret-string file://secret.json (holding {"token": "…"})`);
        });
        it("names the missing JSON key and never prints a secret value", async () => {
            const name = "footanalytics/production/argocd-notifications";
            const report = await run("production", () => secrets.on(GetSecretValueCommand, { SecretId: name }).resolves({ SecretString: JSON.stringify({ "slack-token": SECRET_VALUE }) }));
            const r = only(report.results, "secret", name);
            assert.equal(r.state, "not ready");
            assert.equal(r.detail, `${name} (notifications.secretsManagerSecretName) with JSON key(s) slack-token, teams-workflows-url-platform-alerts: no non-empty string "teams-workflows-url-platform-alerts"`);
            const printed = formatReport(report) + JSON.stringify(report);
            assert.equal(printed.includes(SECRET_VALUE), false);
        });
        it("is not ready for a secret that is not a JSON object", async () => {
            const name = "footanalytics/production/argocd-oidc";
            const report = await run("production", () => secrets.on(GetSecretValueCommand, { SecretId: name }).resolves({ SecretString: SECRET_VALUE }));
            assert.equal(only(report.results, "secret", name).detail, `${name} (argocd.sso.clientSecretSecretsManagerName) with JSON key(s) clientSecret: the value is not a JSON object`);
            assert.equal(formatReport(report).includes(SECRET_VALUE), false);
        });
        it("cannot check a secret when throttled or not allowed, and checks the others", async () => {
            const report = await run("staging", () => {
                secrets.on(GetSecretValueCommand, { SecretId: "footanalytics/staging/argocd-repo-creds" }).rejects(awsError("ThrottlingException"));
                secrets.on(GetSecretValueCommand, { SecretId: "footanalytics/staging/argocd-notifications" }).rejects(awsError("AccessDeniedException"));
            });
            assert.equal(only(report.results, "secret", "repo-creds").detail, "footanalytics/staging/argocd-repo-creds (gitops.repoCredentials) with JSON key(s) token: throttled by AWS (ThrottlingException) after the SDK's retries; run preflight again in a minute");
            assert.equal(only(report.results, "secret", "argocd-notifications").detail, "footanalytics/staging/argocd-notifications (notifications.secretsManagerSecretName) with JSON key(s) slack-token: no permission for secretsmanager:GetSecretValue (AccessDeniedException)");
            assert.equal(only(report.results, "secret", "image-updater").state, "ready");
            assert.equal(report.exitCode, 0);
        });
    });

    describe("add-ons", () => {
        it("is not ready for a version EKS does not offer for the Kubernetes version, naming the offered ones", async () => {
            const report = await run("production", () =>
                eks.on(DescribeAddonVersionsCommand, { addonName: "coredns" }).resolves({ addons: [{ addonName: "coredns", addonVersions: [{ addonVersion: "v1.14.3-eksbuild.1", compatibilities: [{ clusterVersion: "1.35", defaultVersion: true }] }] }] }),
            );
            const r = only(report.results, "add-on", "coredns");
            assert.equal(r.state, "not ready");
            assert.equal(r.detail, "coredns v1.14.2-eksbuild.4 for Kubernetes 1.35: not offered (newest: v1.14.3-eksbuild.1; default v1.14.3-eksbuild.1)");
            assert.equal(r.fix, "set cluster.addons.coredns to an offered version (aws eks describe-addon-versions --region eu-west-1 --kubernetes-version 1.35 --addon-name coredns)");
        });
        it("follows nextToken pages", async () => {
            const report = await run("staging", () =>
                eks
                    .on(DescribeAddonVersionsCommand, { addonName: "vpc-cni" })
                    .callsFake((input: { nextToken?: string }) =>
                        input.nextToken === undefined
                            ? { addons: [{ addonVersions: [{ addonVersion: "v1.22.5-eksbuild.1" }] }], nextToken: "page-2" }
                            : { addons: [{ addonVersions: [{ addonVersion: "v1.22.4-eksbuild.3" }] }] },
                    ),
            );
            assert.equal(only(report.results, "add-on", "vpc-cni").state, "ready");
        });
        it("cannot check when EKS throttles", async () => {
            const report = await run("staging", () => eks.on(DescribeAddonVersionsCommand, { addonName: "kube-proxy" }).rejects(awsError("TooManyRequestsException")));
            assert.equal(only(report.results, "add-on", "kube-proxy").state, "cannot check");
        });
    });

    describe("identity, endpoint, CLI and example values", () => {
        it("is not ready when the first up would run as an admin instead of the deploy role (pulumi-eks#2373)", async () => {
            const cfg = realConfig("production");
            readyAccount(cfg, "footanalytics-platform-admin");
            const report = await runPreflight(cfg, environment(), realValues("production"));
            const r = only(report.results, "identity");
            const admin = `arn:aws:iam::${ACCOUNT}:role/footanalytics-platform-admin`;
            const deploy = `arn:aws:iam::${ACCOUNT}:role/footanalytics-gitops-deploy-production`;
            assert.equal(r.state, "not ready");
            assert.equal(
                r.detail,
                `the first up would run as arn:aws:sts::${ACCOUNT}:assumed-role/footanalytics-platform-admin/operator: this update runs as ${admin}, not cluster.deployRoleArn (${deploy}): if it creates the cluster, EKS gives ${admin} the creator's admin access entry and ${deploy} none, so CI's next up fails Unauthorized; ${admin} is in cluster.adminRoleArns, so the program's access entry for it would fail with ResourceInUseException (pulumi-eks#2373); run the first up as the deploy role`,
            );
            assert.equal(r.fix, `run the first up as ${deploy} (from deploy.yml, or with credentials of that role), then run preflight again as it (docs/operations.md §3)`);
            assert.equal(report.exitCode, 1);
        });
        it("is not ready without cluster.deployRoleArn, naming the key to set", async () => {
            const cfg = realConfig("staging");
            readyAccount(cfg, "someone");
            const report = await runPreflight({ ...cfg, cluster: { ...cfg.cluster, deployRoleArn: undefined } }, environment(), realValues("staging"));
            assert.equal(only(report.results, "identity").fix, "set cluster.deployRoleArn to the role deploy.yml assumes and run the first up as it (aws sts get-caller-identity --region eu-west-1 shows who you are) (docs/operations.md §3)");
        });
        it("is not ready when this machine is outside the public endpoint's CIDRs", async () => {
            const report = await run("production", () => undefined, { publicIp: async () => "192.0.2.44" });
            const r = only(report.results, "endpoint");
            assert.equal(r.state, "not ready");
            assert.equal(r.fix, "run from an allowed network, or add 192.0.2.44/32 to cluster.endpoint.publicAccessCidrs");
        });
        it("cannot check the endpoint when the public IP cannot be learned", async () => {
            const report = await run("production", () => undefined, { publicIp: () => Promise.reject(Object.assign(new Error("getaddrinfo"), { code: "ENOTFOUND" })) });
            assert.equal(only(report.results, "endpoint").detail, "this machine's public IP: cannot reach AWS (ENOTFOUND)");
        });
        it("is not ready without the aws CLI, which the kubeconfig runs", async () => {
            const report = await run("staging", () => undefined, { awsCliVersion: async () => undefined });
            assert.equal(only(report.results, "aws CLI").state, "not ready");
            assert.equal(report.exitCode, 1);
        });
        it("lists every example value left in the committed stack file", async () => {
            const report = await run("staging", () => undefined, {}, stackValues("staging"));
            const keys = report.results.filter((r) => r.check === "example values").map((r) => `${r.state}: ${r.detail}`);
            assert.ok(keys.includes("not ready: footanalytics-gitops:cluster.endpoint.publicAccessCidrs[0] holds an example value (documentation IP range (RFC 5737) 203.0.113.0/24)"), keys.join("\n"));
            assert.equal(report.exitCode, 1);
        });
    });

    it("checks only the certificate, the secrets and the local items of a stack on an existing cluster", async () => {
        const values = realValues("staging");
        const cfg = parseStack("staging", (v) => {
            for (const k of Object.keys(v)) v[k] = values[k];
            v["footanalytics-gitops:cluster"] = { mode: "existing", name: "legacy-cluster" };
            v["footanalytics-gitops:kubeconfig"] = { secure: "AAABAKubeconfigCiphertext" };
        });
        if (Array.isArray(cfg)) throw new Error(cfg.join("\n"));
        readyAccount(cfg, "anyone");
        const report = await runPreflight(cfg, environment(), values);
        assert.deepEqual([...new Set(report.results.map((r) => r.check))], ["certificate", "secret", "aws CLI", "example values"]);
        assert.equal(report.exitCode, 0);
        assert.equal(ec2.calls().length + quotas.calls().length + eks.calls().length + iam.calls().length, 0);
    });

    describe("credentials", () => {
        it("stops with one line and nothing checked when there are no credentials", async () => {
            const cfg = realConfig("production");
            readyAccount(cfg);
            sts.on(GetCallerIdentityCommand).rejects(awsError("CredentialsProviderError"));
            await assert.rejects(runPreflight(cfg, environment(), realValues("production")), (err: unknown) => {
                assert.ok(err instanceof UsageError);
                assert.equal(err.message, "preflight: no AWS credentials for stack production (eu-west-1): set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; nothing was checked");
                return true;
            });
        });
        it("reports expired credentials as one cannot-check item, asks AWS nothing else, exit 2", async () => {
            const cfg = realConfig("staging");
            readyAccount(cfg);
            sts.on(GetCallerIdentityCommand).rejects(awsError("ExpiredToken"));
            const report = await runPreflight(cfg, environment(), realValues("staging"));
            assert.equal(report.exitCode, 2);
            assert.deepEqual(report.results.map((r) => `${r.state}: ${r.check}`), ["cannot check: identity", "ready: aws CLI", "ready: example values"]);
            assert.equal(report.results[0].detail, "the caller: the AWS credentials were refused (ExpiredToken); no other AWS check was run");
            assert.equal(ec2.calls().length + quotas.calls().length + secrets.calls().length + eks.calls().length + acm.calls().length + iam.calls().length, 0);
            assert.match(formatReport(report), /the account could not be checked$/);
        });
        it("`npm run preflight -- --stack production` without credentials exits 2 with one line and no stack trace", function () {
            this.timeout(20_000);
            const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: "/nonexistent", AWS_CONFIG_FILE: "/nonexistent/config", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials", AWS_EC2_METADATA_DISABLED: "true" };
            const child = spawnSync(process.execPath, ["--require", path.join(ROOT, "tools/register.js"), path.join(ROOT, "tools/preflight.ts"), "--stack", "production"], { cwd: ROOT, encoding: "utf8", env });
            assert.equal(child.stdout, "");
            assert.equal(child.stderr, "preflight: no AWS credentials for stack production (eu-west-1): set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; nothing was checked\n");
            assert.equal(child.status, 2);
        });
        it("refuses a missing --stack as a usage error", function () {
            this.timeout(20_000);
            const child = spawnSync(process.execPath, ["--require", path.join(ROOT, "tools/register.js"), path.join(ROOT, "tools/preflight.ts")], { cwd: ROOT, encoding: "utf8" });
            assert.equal(child.stderr, "--stack is required\nusage: npm run preflight -- --stack <name> [--config-file <path>]\n");
            assert.equal(child.status, 2);
        });
    });
});

/**
 * `npm run preflight -- --stack <name> [--config-file <path>]`: read-only checks of a real AWS
 * account before the first `pulumi up` of a stack, with the operator's AWS credentials.
 *
 * It reads the stack's validated configuration (config/, the program's own loader) and asks AWS,
 * through the AWS SDK for JavaScript v3, only `Describe*`/`Get*`/`List*` questions:
 * - identity: who runs the first `up` (STS), against `cluster.deployRoleArn`;
 * - roles: every IAM role the stack names (deploy, preview, admin, developer) exists, since EKS
 *   refuses an access entry for a principal that does not;
 * - quotas: EC2 vCPU quotas (Service Quotas) against the node groups' desired and maximum sizes;
 * - instance types: each node group's types offered in each availability zone the cluster uses;
 * - certificate: the Argo CD ingress's ACM certificate issued, unexpired, covering `argocd.domain`;
 * - secrets: every Secrets Manager secret the stack reads exists with its JSON keys (values are
 *   read to check the keys, never printed, logged or kept);
 * - add-ons: each pinned add-on version offered for the Kubernetes version (`DescribeAddonVersions`);
 * and, without AWS: the `aws` CLI on PATH (the kubeconfig runs `aws eks get-token`), this machine's
 * public IP inside `cluster.endpoint.publicAccessCidrs`, and example values left in the stack file.
 *
 * Every item is `ready`, `not ready` (with the fix) or `cannot check` (with the reason: no
 * permission, throttled, network). Exit 0 ready, 1 not ready, 2 when the account could not be
 * checked at all (no, expired or refused credentials), or a usage or configuration error.
 */
// First: answers --help/-h before the imports below load the SDKs (tools/help-first.ts).
import "./help-first";
import { execFile } from "child_process";
import { ACMClient, DescribeCertificateCommand } from "@aws-sdk/client-acm";
import { DescribeAvailabilityZonesCommand, DescribeInstanceTypeOfferingsCommand, DescribeInstanceTypesCommand, DescribeSubnetsCommand, EC2Client, _InstanceType } from "@aws-sdk/client-ec2";
import { DescribeAddonVersionsCommand, EKSClient } from "@aws-sdk/client-eks";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { parseConfig, StackConfig } from "../config";
import type { SecretSource } from "../config/secrets";
import { deployPrincipalWarning, sameRole } from "../plans/access";
import { planAddons } from "../plans/addons";
import { checkedStackFile, EXIT, parseCli, runMain, UsageError } from "./cli";
import { readStackFile, resolveConfig } from "./harness";
import { exampleValueWarnings } from "./plan-checks";
import { TOOLS } from "./usage";

const USAGE = TOOLS.preflight.usage;

/** The state of one checked item. */
export type CheckState = "ready" | "not ready" | "cannot check";

/** One line of the checklist. */
export interface CheckResult {
    /** The check it belongs to (`quota`, `secret`, …). */
    readonly check: string;
    /** What was checked, with the numbers or names that matter. */
    readonly detail: string;
    readonly state: CheckState;
    /** What to do when not ready, or what would let it be checked. */
    readonly fix?: string;
    /** Whether the item asked AWS (exit 2 when every such item could not be checked). */
    readonly aws: boolean;
}

/** The AWS clients of a run; tests hand in clients whose `send` is mocked (aws-sdk-client-mock). */
export interface PreflightClients {
    readonly sts: STSClient;
    readonly ec2: EC2Client;
    readonly quotas: ServiceQuotasClient;
    readonly acm: ACMClient;
    readonly secrets: SecretsManagerClient;
    readonly eks: EKSClient;
    readonly iam: IAMClient;
}

/** What a run reads besides AWS. */
export interface PreflightEnvironment {
    readonly clients: PreflightClients;
    /** The output of `aws --version`, or undefined when there is no `aws` on PATH. */
    readonly awsCliVersion: () => Promise<string | undefined>;
    /** This machine's public IPv4 address, as the EKS public endpoint sees it. */
    readonly publicIp: () => Promise<string>;
    /** Now, for certificate expiry. */
    readonly now: Date;
}

/** The result of a run. */
export interface PreflightReport {
    readonly stack: string;
    readonly region: string;
    /** The caller's ARN, when STS answered. */
    readonly caller?: string;
    readonly account?: string;
    readonly results: readonly CheckResult[];
    readonly exitCode: number;
}

/** EC2 vCPU quotas (Service Quotas, service code `ec2`) by instance class and capacity type. */
export const EC2_VCPU_QUOTAS = Object.freeze({
    standard: Object.freeze({ ON_DEMAND: { code: "L-1216C47A", name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" }, SPOT: { code: "L-34B43A08", name: "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests" } }),
    gvt: Object.freeze({ ON_DEMAND: { code: "L-DB2E81BA", name: "Running On-Demand G and VT instances" }, SPOT: { code: "L-3819A6DF", name: "All G and VT Spot Instance Requests" } }),
    p: Object.freeze({ ON_DEMAND: { code: "L-417A185B", name: "Running On-Demand P instances" }, SPOT: { code: "L-7212CCBC", name: "All P Spot Instance Requests" } }),
});
export type QuotaClass = keyof typeof EC2_VCPU_QUOTAS;

/** The vCPU quota class of an instance type (`m7i.xlarge` standard, `g5.xlarge` gvt), or undefined for families without one here. */
export function quotaClass(instanceType: string): QuotaClass | undefined {
    const series = /^([a-z]+?)\d/.exec(instanceType)?.[1];
    if (series === undefined) return undefined;
    if (["a", "c", "d", "h", "i", "im", "is", "m", "r", "t", "z"].includes(series)) return "standard";
    if (series === "g" || series === "vt") return "gvt";
    if (series === "p") return "p";
    return undefined;
}

function ipv4(address: string): number | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    return octets.reduce((n, o) => n * 256 + o, 0);
}

/** Whether an IPv4 address lies inside an IPv4 CIDR block. */
export function cidrContains(cidr: string, address: string): boolean {
    const [base, bits] = cidr.split("/");
    const b = ipv4(base);
    const a = ipv4(address);
    const n = Number(bits ?? "32");
    if (a === undefined || b === undefined || !Number.isInteger(n) || n < 0 || n > 32) return false;
    const size = 2 ** (32 - n);
    return Math.floor(a / size) === Math.floor(b / size);
}

/** Whether a certificate name (`argocd.example.com`, `*.example.com`) covers a host name. */
export function certificateCovers(name: string, host: string): boolean {
    const n = name.toLowerCase();
    const h = host.toLowerCase();
    if (n === h) return true;
    if (!n.startsWith("*.")) return false;
    const dot = h.indexOf(".");
    return dot > 0 && h.slice(dot + 1) === n.slice(2);
}

/** The role ARN behind a caller ARN: `assumed-role/<role>/<session>` becomes `role/<role>` (paths are not in STS ARNs). */
export function principalOfCaller(callerArn: string): string {
    const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
    return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}

const THROTTLED = new Set(["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException"]);
const DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException", "AuthorizationError"]);
const REFUSED_CREDENTIALS = new Set(["ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidSignatureException"]);

function errorName(err: unknown): string {
    return err instanceof Error ? err.name : "Error";
}

/** Why an AWS call could not answer, for a `cannot check` line: never the request or a value. */
export function cannotCheckReason(err: unknown, action: string): string {
    const name = errorName(err);
    if (DENIED.has(name)) return `no permission for ${action} (${name})`;
    if (THROTTLED.has(name)) return `throttled by AWS (${name}) after the SDK's retries; run preflight again in a minute`;
    if (REFUSED_CREDENTIALS.has(name)) return `the AWS credentials were refused (${name})`;
    if (name === "CredentialsProviderError") return "no AWS credentials";
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && /^(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN)$/.test(code)) return `cannot reach AWS (${code})`;
    return `${action} failed (${name})`;
}

/** Every Secrets Manager secret a stack reads, with the JSON keys it needs and the config keys that name it. */
export function secretsManagerReads(cfg: StackConfig): Map<string, { keys: Set<string>; usedBy: Set<string> }> {
    const reads = new Map<string, { keys: Set<string>; usedBy: Set<string> }>();
    const add = (source: SecretSource | undefined, usedBy: string) => {
        if (source?.from !== "secretsManager") return;
        const entry = reads.get(source.secretName) ?? { keys: new Set<string>(), usedBy: new Set<string>() };
        entry.keys.add(source.jsonKey);
        entry.usedBy.add(usedBy);
        reads.set(source.secretName, entry);
    };
    const s = cfg.secretSources;
    add(s.repoCredentials.kind === "token" ? s.repoCredentials.token : s.repoCredentials.privateKey, "gitops.repoCredentials");
    add(s.slackToken, "notifications.secretsManagerSecretName");
    for (const source of Object.values(s.teamsWorkflowUrls)) add(source, "notifications.secretsManagerSecretName");
    add(s.oidcClientSecret, "argocd.sso.clientSecretSecretsManagerName");
    add(s.githubWebhookSecret, "githubWebhookSecret");
    if (s.imageUpdaterWrite) add(s.imageUpdaterWrite.kind === "token" ? s.imageUpdaterWrite.token : s.imageUpdaterWrite.privateKey, "gitops.imageUpdater.writeCredentials");
    add(s.kubeconfig, "kubeconfig");
    return reads;
}

/** The availability zones the cluster's subnets use: the first N available default zones (as the program picks them), or the existing subnets' zones. */
async function clusterZones(cfg: StackConfig, ec2: EC2Client): Promise<{ zones: string[]; short?: string }> {
    const vpc = cfg.cluster.vpc;
    if (vpc.mode === "existing") {
        const out = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [...vpc.privateSubnetIds] }));
        return { zones: [...new Set((out.Subnets ?? []).map((s) => s.AvailabilityZone ?? ""))].filter(Boolean).sort() };
    }
    // The same filter as components/cluster (getAvailabilityZones: available, no opt-in); the provider sorts the names.
    const out = await ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: "state", Values: ["available"] }, { Name: "opt-in-status", Values: ["opt-in-not-required"] }] }));
    const names = (out.AvailabilityZones ?? []).map((z) => z.ZoneName ?? "").filter(Boolean).sort();
    const zones = names.slice(0, vpc.availabilityZones);
    return zones.length < vpc.availabilityZones ? { zones, short: `${cfg.awsRegion} has ${names.length} available zone(s) without opt-in; cluster.vpc.availabilityZones is ${vpc.availabilityZones}` } : { zones };
}

type Check = (cfg: StackConfig, env: PreflightEnvironment, stackValues: Record<string, unknown>, account: string) => Promise<CheckResult[]>;

/**
 * Identity: who runs the first `up`. EKS makes that principal a cluster admin outside the program's
 * access entries (pulumi-eks 4.3.0 sets bootstrapClusterCreatorAdminPermissions), so it must be
 * `cluster.deployRoleArn`, the role CI deploys with, which gets no entry of the program's.
 */
function identityResult(cfg: StackConfig, callerArn: string): CheckResult {
    const principal = principalOfCaller(callerArn);
    const deploy = cfg.cluster.deployRoleArn;
    if (deploy !== undefined && sameRole(deploy, principal)) {
        return { check: "identity", aws: true, state: "ready", detail: `${callerArn} is cluster.deployRoleArn: it creates the cluster and holds EKS's creator admin entry, and CI deploys with it afterwards` };
    }
    const warning = deployPrincipalWarning(cfg.cluster, principal) ?? "";
    const fix =
        deploy !== undefined
            ? `run the first up as ${deploy} (from deploy.yml, or with credentials of that role), then run preflight again as it`
            : `set cluster.deployRoleArn to the role deploy.yml assumes and run the first up as it (aws sts get-caller-identity --region ${cfg.awsRegion} shows who you are)`;
    return { check: "identity", aws: true, state: "not ready", detail: `the first up would run as ${callerArn}: ${warning.replace(/ \(docs\/operations\.md §3\)$/, "")}`, fix: `${fix} (docs/operations.md §3)` };
}

/** Roles: every IAM role the stack names exists in this account (EKS refuses an access entry for a missing principal). */
const rolesCheck: Check = async (cfg, { clients }, _values, account) => {
    const c = cfg.cluster;
    const named: [string, string][] = [
        ...(c.deployRoleArn !== undefined ? [["cluster.deployRoleArn", c.deployRoleArn] as [string, string]] : []),
        ...c.previewRoleArns.map((a, i): [string, string] => [`cluster.previewRoleArns[${i}]`, a]),
        ...c.adminRoleArns.map((a, i): [string, string] => [`cluster.adminRoleArns[${i}]`, a]),
        ...c.developerRoleArns.map((a, i): [string, string] => [`cluster.developerRoleArns[${i}]`, a]),
    ];
    return Promise.all(
        named.map(async ([key, arn]): Promise<CheckResult> => {
            const roleAccount = arn.split(":")[4];
            if (roleAccount !== account) {
                return { check: "role", aws: false, state: "cannot check", detail: `${key} ${arn} is in account ${roleAccount}, not ${account}: preflight reads this account's roles only`, fix: `check it from account ${roleAccount}: aws iam get-role --region ${cfg.awsRegion} --role-name ${arn.split("/").pop()}` };
            }
            const roleName = arn.split("/").pop() ?? arn;
            try {
                const role = (await clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
                if (role?.Arn !== undefined && role.Arn !== arn) {
                    return { check: "role", aws: true, state: "not ready", detail: `${key} ${arn}: the role ${roleName} exists as ${role.Arn}`, fix: `set ${key} to ${role.Arn}` };
                }
                return { check: "role", aws: true, state: "ready", detail: `${key} ${arn} exists` };
            } catch (err) {
                if (errorName(err) === "NoSuchEntityException" || errorName(err) === "NoSuchEntity") {
                    return { check: "role", aws: true, state: "not ready", detail: `${key} ${arn} does not exist: EKS refuses an access entry for it`, fix: `create the role (docs/operations.md §1.3) or correct ${key}` };
                }
                return { check: "role", aws: true, state: "cannot check", detail: `${key} ${arn}: ${cannotCheckReason(err, "iam:GetRole")}`, fix: "allow iam:GetRole" };
            }
        }),
    );
};

/** Quotas: the vCPUs the node groups need at desired and maximum size against each EC2 vCPU quota. */
const quotaCheck: Check = async (cfg, { clients }) => {
    const groups = cfg.cluster.nodeGroups;
    const types = [...new Set(groups.flatMap((g) => g.instanceTypes))];
    let vcpus: Map<string, number>;
    try {
        const out = await clients.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: types as _InstanceType[] }));
        vcpus = new Map((out.InstanceTypes ?? []).map((t) => [t.InstanceType ?? "", t.VCpuInfo?.DefaultVCpus ?? 0]));
    } catch (err) {
        return [{ check: "quota", aws: true, state: "cannot check", detail: `vCPUs of ${types.join(", ")}: ${cannotCheckReason(err, "ec2:DescribeInstanceTypes")}`, fix: "allow ec2:DescribeInstanceTypes, or check the instance types' vCPUs by hand" }];
    }
    const results: CheckResult[] = [];
    const needs = new Map<string, { quota: { code: string; name: string }; desired: number; max: number; groups: string[] }>();
    for (const g of groups) {
        const classes = new Set(g.instanceTypes.map(quotaClass));
        const cls = g.instanceTypes.map(quotaClass)[0];
        if (cls === undefined || classes.size > 1) {
            results.push({ check: "quota", aws: false, state: "cannot check", detail: `node group ${g.name} (${g.instanceTypes.join(", ")}): preflight knows the Standard, G/VT and P vCPU quotas only`, fix: "compare the group's vCPUs with its EC2 quota in the Service Quotas console" });
            continue;
        }
        // The largest listed type, so any type EKS picks fits.
        const perNode = Math.max(...g.instanceTypes.map((t) => vcpus.get(t) ?? 0));
        const quota = EC2_VCPU_QUOTAS[cls][g.capacityType as "ON_DEMAND" | "SPOT"];
        const need = needs.get(quota.code) ?? { quota, desired: 0, max: 0, groups: [] };
        need.desired += perNode * g.desiredSize;
        need.max += perNode * g.maxSize;
        need.groups.push(`${g.name}: ${g.desiredSize}-${g.maxSize} × ${perNode} vCPU`);
        needs.set(quota.code, need);
    }
    for (const [code, need] of needs) {
        let value: number | undefined;
        try {
            try {
                value = (await clients.quotas.send(new GetServiceQuotaCommand({ ServiceCode: "ec2", QuotaCode: code }))).Quota?.Value;
            } catch (err) {
                // An account that never changed a quota has only the AWS default.
                if (errorName(err) !== "NoSuchResourceException") throw err;
                value = (await clients.quotas.send(new GetAWSDefaultServiceQuotaCommand({ ServiceCode: "ec2", QuotaCode: code }))).Quota?.Value;
            }
        } catch (err) {
            results.push({ check: "quota", aws: true, state: "cannot check", detail: `${need.quota.name} (${code}): ${cannotCheckReason(err, "servicequotas:GetServiceQuota")}`, fix: "allow servicequotas:GetServiceQuota and servicequotas:GetAWSDefaultServiceQuota" });
            continue;
        }
        const quota = value ?? 0;
        const what = `${need.quota.name} (${code}): quota ${quota} vCPU; node groups need ${need.desired} at desired size, ${need.max} at maximum (${need.groups.join("; ")})`;
        const increase = (to: number) => `aws service-quotas request-service-quota-increase --region ${cfg.awsRegion} --service-code ec2 --quota-code ${code} --desired-value ${to}`;
        if (quota < need.desired) {
            results.push({ check: "quota", aws: true, state: "not ready", detail: what, fix: `${increase(need.max)} (other instances in the account count against it too)` });
        } else {
            results.push({ check: "quota", aws: true, state: "ready", detail: quota < need.max ? `${what}; scaling to the maximum needs an increase: ${increase(need.max)}` : what });
        }
    }
    return results;
};

/** Instance types: every node group's types offered in every zone of the cluster's subnets. */
const offeringsCheck: Check = async (cfg, { clients }) => {
    const types = [...new Set(cfg.cluster.nodeGroups.flatMap((g) => g.instanceTypes))];
    let zones: { zones: string[]; short?: string };
    const offered = new Set<string>();
    try {
        zones = await clusterZones(cfg, clients.ec2);
        let token: string | undefined;
        do {
            const out = await clients.ec2.send(
                new DescribeInstanceTypeOfferingsCommand({ LocationType: "availability-zone", Filters: [{ Name: "instance-type", Values: types }, { Name: "location", Values: zones.zones }], NextToken: token }),
            );
            for (const o of out.InstanceTypeOfferings ?? []) offered.add(`${o.InstanceType}@${o.Location}`);
            token = out.NextToken;
        } while (token);
    } catch (err) {
        return [{ check: "instance types", aws: true, state: "cannot check", detail: `offerings in ${cfg.awsRegion}: ${cannotCheckReason(err, "ec2:DescribeAvailabilityZones/DescribeSubnets/DescribeInstanceTypeOfferings")}`, fix: "allow ec2:DescribeAvailabilityZones, ec2:DescribeSubnets and ec2:DescribeInstanceTypeOfferings" }];
    }
    const results: CheckResult[] = [];
    if (zones.short !== undefined) results.push({ check: "instance types", aws: true, state: "not ready", detail: zones.short, fix: "lower cluster.vpc.availabilityZones or choose another aws:region" });
    cfg.cluster.nodeGroups.forEach((g, i) => {
        const missing = g.instanceTypes.flatMap((t) => zones.zones.filter((z) => !offered.has(`${t}@${z}`)).map((z) => `${t} in ${z}`));
        const detail = `node group ${g.name}: ${g.instanceTypes.join(", ")} in ${zones.zones.join(", ")}`;
        if (missing.length === 0) results.push({ check: "instance types", aws: true, state: "ready", detail: `${detail}: all offered` });
        else results.push({ check: "instance types", aws: true, state: "not ready", detail: `${detail}: not offered: ${missing.join(", ")}`, fix: `replace the type(s) in cluster.nodeGroups[${i}].instanceTypes with ones offered in every zone (aws ec2 describe-instance-type-offerings --region ${cfg.awsRegion} --location-type availability-zone)` });
    });
    return results;
};

/** Certificate: the Argo CD ingress's ACM certificate is issued, in the stack's region, unexpired, and covers the domain. */
const certificateCheck: Check = async (cfg, { clients, now }) => {
    const ingress = cfg.argocd.ingress;
    if (!ingress.enabled || ingress.certificateArn === undefined) return [];
    const arn = ingress.certificateArn;
    const domain = cfg.argocd.domain;
    const certRegion = arn.split(":")[3];
    if (certRegion !== cfg.awsRegion) {
        return [{ check: "certificate", aws: false, state: "not ready", detail: `${arn} is in ${certRegion}; the ALB needs a certificate in ${cfg.awsRegion}`, fix: `request one in ${cfg.awsRegion}: aws acm request-certificate --region ${cfg.awsRegion} --domain-name ${domain} --validation-method DNS` }];
    }
    let cert;
    try {
        cert = (await clients.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate;
    } catch (err) {
        if (errorName(err) === "ResourceNotFoundException") {
            return [{ check: "certificate", aws: true, state: "not ready", detail: `${arn} does not exist in this account and region`, fix: `request one and set argocd.ingress.certificateArn: aws acm request-certificate --region ${cfg.awsRegion} --domain-name ${domain} --validation-method DNS` }];
        }
        return [{ check: "certificate", aws: true, state: "cannot check", detail: `${arn}: ${cannotCheckReason(err, "acm:DescribeCertificate")}`, fix: "allow acm:DescribeCertificate" }];
    }
    const names = [cert?.DomainName, ...(cert?.SubjectAlternativeNames ?? [])].filter((n): n is string => typeof n === "string");
    const problems: string[] = [];
    if (cert?.Status !== "ISSUED") problems.push(`its status is ${cert?.Status ?? "unknown"}, not ISSUED`);
    if (!names.some((n) => certificateCovers(n, domain))) problems.push(`its names (${[...new Set(names)].join(", ")}) do not cover ${domain}`);
    if (cert?.NotAfter !== undefined && cert.NotAfter.getTime() <= now.getTime()) problems.push(`it expired on ${cert.NotAfter.toISOString().slice(0, 10)}`);
    if (problems.length === 0) return [{ check: "certificate", aws: true, state: "ready", detail: `${arn} is issued and covers ${domain}` }];
    return [{ check: "certificate", aws: true, state: "not ready", detail: `${arn}: ${problems.join("; ")}`, fix: `finish DNS validation (aws acm describe-certificate --region ${cfg.awsRegion} --certificate-arn ${arn}) or request a certificate for ${domain} and set argocd.ingress.certificateArn` }];
};

/** A secret's text as JSON, or undefined; the text itself is never kept or shown. */
function parseJson(text: string | undefined): unknown {
    try {
        return text === undefined ? undefined : JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** Secrets: every Secrets Manager secret the stack reads exists and holds its JSON keys. Values are never printed. */
const secretsCheck: Check = async (cfg, { clients }) => {
    const results: CheckResult[] = [];
    for (const [name, need] of secretsManagerReads(cfg)) {
        const keys = [...need.keys].sort();
        const shape = `{${keys.map((k) => `"${k}": "…"`).join(", ")}}`;
        const detail = `${name} (${[...need.usedBy].join(", ")}) with JSON key(s) ${keys.join(", ")}`;
        let doc: unknown;
        try {
            doc = parseJson((await clients.secrets.send(new GetSecretValueCommand({ SecretId: name }))).SecretString);
        } catch (err) {
            if (errorName(err) === "ResourceNotFoundException") {
                results.push({ check: "secret", aws: true, state: "not ready", detail: `${detail}: does not exist`, fix: `aws secretsmanager create-secret --region ${cfg.awsRegion} --name ${name} --secret-string file://secret.json (holding ${shape})` });
            } else {
                results.push({ check: "secret", aws: true, state: "cannot check", detail: `${detail}: ${cannotCheckReason(err, "secretsmanager:GetSecretValue")}`, fix: "allow secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its key)" });
            }
            continue;
        }
        const fix = `aws secretsmanager put-secret-value --region ${cfg.awsRegion} --secret-id ${name} --secret-string file://secret.json (holding ${shape})`;
        if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
            results.push({ check: "secret", aws: true, state: "not ready", detail: `${detail}: the value is not a JSON object`, fix });
            continue;
        }
        const missing = keys.filter((k) => {
            const v = (doc as Record<string, unknown>)[k];
            return typeof v !== "string" || v === "";
        });
        if (missing.length === 0) results.push({ check: "secret", aws: true, state: "ready", detail: `${detail}: present` });
        else results.push({ check: "secret", aws: true, state: "not ready", detail: `${detail}: no non-empty string ${missing.map((k) => `"${k}"`).join(", ")}`, fix });
    }
    return results;
};

/** Add-ons: every pinned version is offered for the cluster's Kubernetes version. */
const addonsCheck: Check = async (cfg, { clients }) => {
    const version = cfg.cluster.kubernetesVersion;
    return Promise.all(
        planAddons(cfg.cluster.addons).map(async (a): Promise<CheckResult> => {
            const offered: string[] = [];
            let defaultVersion: string | undefined;
            try {
                let token: string | undefined;
                do {
                    const out = await clients.eks.send(new DescribeAddonVersionsCommand({ addonName: a.addonName, kubernetesVersion: version, nextToken: token }));
                    for (const addon of out.addons ?? []) {
                        for (const v of addon.addonVersions ?? []) {
                            if (v.addonVersion === undefined) continue;
                            offered.push(v.addonVersion);
                            if (v.compatibilities?.some((c) => c.clusterVersion === version && c.defaultVersion === true)) defaultVersion = v.addonVersion;
                        }
                    }
                    token = out.nextToken;
                } while (token);
            } catch (err) {
                return { check: "add-on", aws: true, state: "cannot check", detail: `${a.addonName} ${a.addonVersion}: ${cannotCheckReason(err, "eks:DescribeAddonVersions")}`, fix: "allow eks:DescribeAddonVersions" };
            }
            const detail = `${a.addonName} ${a.addonVersion} for Kubernetes ${version}`;
            if (offered.includes(a.addonVersion)) return { check: "add-on", aws: true, state: "ready", detail: `${detail}: offered` };
            const newest = offered.slice(0, 3).join(", ");
            return {
                check: "add-on",
                aws: true,
                state: "not ready",
                detail: `${detail}: not offered (${offered.length === 0 ? "no version at all" : `newest: ${newest}${defaultVersion ? `; default ${defaultVersion}` : ""}`})`,
                fix: `set cluster.addons.${a.key} to an offered version (aws eks describe-addon-versions --region ${cfg.awsRegion} --kubernetes-version ${version} --addon-name ${a.addonName})`,
            };
        }),
    );
};

/** The `aws` CLI: the kubeconfig the program builds runs `aws eks get-token` wherever Pulumi runs. */
const awsCliCheck: Check = async (_cfg, { awsCliVersion }) => {
    const version = await awsCliVersion();
    if (version === undefined) {
        return [{ check: "aws CLI", aws: false, state: "not ready", detail: "no `aws` on PATH: the Kubernetes provider's kubeconfig runs `aws eks get-token`", fix: "install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) wherever Pulumi runs" }];
    }
    return [{ check: "aws CLI", aws: false, state: "ready", detail: `${version.trim().split(/\s+/)[0]} on PATH (the kubeconfig runs \`aws eks get-token\`)` }];
};

/** Endpoint: this machine reaches the public endpoint only from inside `cluster.endpoint.publicAccessCidrs`. */
const endpointCheck: Check = async (cfg, { publicIp }) => {
    const endpoint = cfg.cluster.endpoint;
    if (!endpoint.publicAccess) {
        return [{ check: "endpoint", aws: false, state: "cannot check", detail: "the API server endpoint is private: Pulumi must run inside the VPC (or a peered network)", fix: "run Pulumi on a runner in the VPC with an inbound 443 rule on the cluster security group" }];
    }
    let ip: string;
    try {
        ip = (await publicIp()).trim();
    } catch (err) {
        return [{ check: "endpoint", aws: false, state: "cannot check", detail: `this machine's public IP: ${cannotCheckReason(err, "https://checkip.amazonaws.com")}`, fix: "compare `curl https://checkip.amazonaws.com` with cluster.endpoint.publicAccessCidrs" }];
    }
    const cidrs = endpoint.publicAccessCidrs;
    if (ipv4(ip) === undefined) {
        return [{ check: "endpoint", aws: false, state: "cannot check", detail: `this machine's public IP is not an IPv4 address (${JSON.stringify(ip.slice(0, 64))})`, fix: "compare `curl https://checkip.amazonaws.com` with cluster.endpoint.publicAccessCidrs" }];
    }
    const inside = cidrs.find((c) => cidrContains(c, ip));
    if (inside !== undefined) return [{ check: "endpoint", aws: false, state: "ready", detail: `this machine (${ip}) is inside ${inside} of cluster.endpoint.publicAccessCidrs` }];
    return [{
        check: "endpoint",
        aws: false,
        state: "not ready",
        detail: `this machine (${ip}) is outside cluster.endpoint.publicAccessCidrs (${cidrs.join(", ")}): the first up would wait on the API server until it times out`,
        fix: `run from an allowed network, or add ${ip}/32 to cluster.endpoint.publicAccessCidrs`,
    }];
};

/** Example values: documentation IP ranges, example account ids and zero ids left in the stack file. */
const exampleValuesCheck: Check = async (_cfg, _env, stackValues) => {
    const warnings = exampleValueWarnings(stackValues);
    if (warnings.length === 0) return [{ check: "example values", aws: false, state: "ready", detail: "no example value left in the stack file" }];
    return warnings.map((w) => {
        const [key, rest] = w.split(" holds an example value ");
        return { check: "example values", aws: false, state: "not ready" as const, detail: `${key} holds an example value ${rest.replace(/; replace it.*$/, "")}`, fix: `replace ${key} with the real value` };
    });
};

/** Checks that need the cluster to be created by this stack (managed mode). */
const MANAGED_CHECKS: readonly Check[] = [rolesCheck, quotaCheck, offeringsCheck, addonsCheck];
/** Checks of every stack. */
const COMMON_CHECKS: readonly Check[] = [certificateCheck, secretsCheck];
const LOCAL_CHECKS: readonly Check[] = [awsCliCheck, exampleValuesCheck];

/** Exit code of a checklist: 2 when no AWS item could be checked (it wins), 1 when anything is not ready, else 0. */
export function exitCodeOf(results: readonly CheckResult[]): number {
    const remote = results.filter((r) => r.aws);
    if (remote.length > 0 && remote.every((r) => r.state === "cannot check")) return EXIT.usage;
    return results.some((r) => r.state === "not ready") ? EXIT.findings : EXIT.clean;
}

/** Run every check of a stack's configuration. The caller's identity first: without it nothing else is asked. */
export async function runPreflight(cfg: StackConfig, env: PreflightEnvironment, stackValues: Record<string, unknown>): Promise<PreflightReport> {
    const region = cfg.awsRegion ?? "";
    let identity: { arn: string; account: string };
    try {
        const out = await env.clients.sts.send(new GetCallerIdentityCommand({}));
        identity = { arn: out.Arn ?? "", account: out.Account ?? "" };
    } catch (err) {
        if (errorName(err) === "CredentialsProviderError") {
            throw new UsageError(`preflight: no AWS credentials for stack ${cfg.stack} (${region}): set AWS_PROFILE, run \`aws sso login\`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; nothing was checked`);
        }
        // Refused or expired credentials, or no STS: nothing else in the account can be asked either.
        const reason = cannotCheckReason(err, "sts:GetCallerIdentity");
        const local = (await Promise.all(LOCAL_CHECKS.map((c) => c(cfg, env, stackValues, "")))).flat();
        const results: CheckResult[] = [{ check: "identity", aws: true, state: "cannot check", detail: `the caller: ${reason}; no other AWS check was run`, fix: "refresh the credentials (aws sso login, or new keys) and run preflight again" }, ...local];
        return { stack: cfg.stack, region, results, exitCode: exitCodeOf(results) };
    }
    const managed = cfg.clusterTarget.mode === "managed";
    const checks = [...(managed ? MANAGED_CHECKS : []), ...COMMON_CHECKS, ...(managed ? [endpointCheck] : []), ...LOCAL_CHECKS];
    const rest = (await Promise.all(checks.map((c) => c(cfg, env, stackValues, identity.account)))).flat();
    const results = [...(managed ? [identityResult(cfg, identity.arn)] : []), ...rest];
    return { stack: cfg.stack, region, caller: identity.arn, account: identity.account, results, exitCode: exitCodeOf(results) };
}

const LABEL: Record<CheckState, string> = { ready: "ready", "not ready": "NOT READY", "cannot check": "cannot check" };

/** The checklist as printed. */
export function formatReport(report: PreflightReport): string {
    const who = report.caller !== undefined ? ` as ${report.caller}` : "";
    const lines = [`Preflight of stack ${report.stack} in ${report.region}${who}:`];
    for (const r of report.results) {
        lines.push(`  ${LABEL[r.state].padEnd(12)}  ${r.check}: ${r.detail}`);
        if (r.fix !== undefined && r.state !== "ready") lines.push(`  ${"".padEnd(12)}  fix: ${r.fix}`);
    }
    const count = (s: CheckState) => report.results.filter((r) => r.state === s).length;
    const verdict = report.exitCode === EXIT.clean ? "ready for the first `pulumi up`" : report.exitCode === EXIT.findings ? "not ready" : "the account could not be checked";
    lines.push(`${count("ready")} ready, ${count("not ready")} not ready, ${count("cannot check")} cannot check: ${verdict}`);
    return lines.join("\n");
}

/** The real environment: SDK clients with the default credential chain, `aws --version`, checkip.amazonaws.com. */
function realEnvironment(region: string): PreflightEnvironment {
    // Standard retry mode (3 attempts with backoff) covers short throttling; what remains is reported.
    const opts = { region, maxAttempts: 3 };
    return {
        clients: { sts: new STSClient(opts), ec2: new EC2Client(opts), quotas: new ServiceQuotasClient(opts), acm: new ACMClient(opts), secrets: new SecretsManagerClient(opts), eks: new EKSClient(opts), iam: new IAMClient(opts) },
        awsCliVersion: () =>
            new Promise((resolve) => {
                execFile("aws", ["--version"], { timeout: 10_000 }, (err, stdout, stderr) => resolve(err ? undefined : `${stdout}${stderr}`));
            }),
        publicIp: async () => {
            const res = await fetch("https://checkip.amazonaws.com", { signal: AbortSignal.timeout(10_000) });
            if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { name: `HTTP${res.status}` });
            return res.text();
        },
        now: new Date(),
    };
}

/** Parse arguments, load the stack's configuration, and run the checks against the real account. */
export async function preflight(argv: readonly string[], makeEnvironment: (region: string) => PreflightEnvironment = realEnvironment): Promise<PreflightReport> {
    const { values } = parseCli(argv, { stack: { type: "string" }, "config-file": { type: "string" } }, USAGE);
    const configFile = checkedStackFile(values.stack, values["config-file"], USAGE);
    const stack = values.stack as string;
    const { config, secretKeys } = resolveConfig({ stack, configFile });
    const cfg = parseConfig(config, new Set(secretKeys), stack);
    if (cfg.awsRegion === undefined) throw new UsageError(`preflight checks an AWS account; stack ${stack} sets no aws:region (set it with \`pulumi config set aws:region <region>\`)`);
    return runPreflight(cfg, makeEnvironment(cfg.awsRegion), readStackFile(configFile));
}

if (require.main === module) {
    runMain(async () => {
        const report = await preflight(process.argv.slice(2));
        process.stdout.write(`${formatReport(report)}\n`);
        return report.exitCode;
    });
}

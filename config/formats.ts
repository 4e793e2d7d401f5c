/**
 * String formats shared by the configuration schema. Each returns undefined for a valid value,
 * or the end of a sentence saying what is expected.
 */
import { EKS_VERSIONS } from "@footanalytics/facts";
import { StringFormat } from "./dsl";

function regexFormat(name: string, re: RegExp, expected: string): StringFormat {
    return { name, pattern: re, check: (v) => (re.test(v) ? undefined : expected) };
}

/** RFC 1123 label: what Kubernetes accepts for names of namespaces, services and most objects. */
export const dns1123Label = regexFormat(
    "DNS-1123 label",
    /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "must be a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit",
);

/** RFC 1123 subdomain (dots allowed), at most 253 characters. */
export const dns1123Subdomain = regexFormat(
    "DNS-1123 subdomain",
    /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
);

/** A fully qualified host name such as `argocd.footanalytics.io`. */
export const hostname = regexFormat(
    "host name",
    /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a fully qualified host name such as "argocd.footanalytics.io"',
);

/** An IPv4 CIDR block with a valid prefix and no host bits beyond the prefix. */
export const cidr: StringFormat = {
    name: "IPv4 CIDR",
    check(v) {
        const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
        const expected = 'must be an IPv4 CIDR block such as "10.0.0.0/16"';
        if (!m) return expected;
        const octets = m.slice(1, 5).map(Number);
        const prefix = Number(m[5]);
        if (octets.some((o) => o > 255) || prefix > 32) return expected;
        const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
        const hostBits = prefix === 0 ? address : (address << prefix) >>> 0;
        if (hostBits !== 0) return `has host bits set beyond /${prefix}; ${expected}`;
        return undefined;
    },
};

/** Addresses in a /8: the most a production allow-list may cover (config/ refuses more, whatever the split). */
export const MAX_PRODUCTION_ADDRESSES = 2 ** 24;

/**
 * How many IPv4 addresses a set of valid CIDR blocks covers, overlaps counted once. Checks on an
 * allow-list use this rather than looking for `0.0.0.0/0`, which `0.0.0.0/1` + `128.0.0.0/1` avoids.
 */
export function cidrAddressCount(cidrs: readonly string[]): number {
    const ranges = cidrs
        .filter((c) => cidr.check(c) === undefined)
        .map((c) => {
            const [ip, prefix] = c.split("/");
            const start = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
            return [start, start + 2 ** (32 - Number(prefix))] as const;
        })
        .sort((a, b) => a[0] - b[0]);
    let total = 0;
    let end = -1;
    for (const [from, to] of ranges) {
        if (to <= end) continue;
        total += to - Math.max(from, end);
        end = to;
    }
    return total;
}

/** The production coverage problem of an allow-list, or undefined when it covers at most a /8. */
export function cidrCoverageProblem(cidrs: readonly string[]): string | undefined {
    const count = cidrAddressCount(cidrs);
    if (count <= MAX_PRODUCTION_ADDRESSES) return undefined;
    const prefix = 32 - Math.log2(count);
    const size = Number.isInteger(prefix) ? ` (as much as a /${prefix})` : "";
    return `covers ${count.toLocaleString("en-GB")} addresses${size}, more than a /8 (${MAX_PRODUCTION_ADDRESSES.toLocaleString("en-GB")}) in production; list the office, VPN and CI ranges instead`;
}

/** A Git repository URL Argo CD can clone: https (no credentials inside) or ssh (`git@host:org/repo.git` or `ssh://`). */
export const gitUrl: StringFormat = {
    name: "Git URL",
    check(v) {
        const expected = 'must be a Git URL: https://host/org/repo or git@host:org/repo.git or ssh://git@host/org/repo';
        const https = /^https:\/\/([a-z0-9.-]+)(:\d+)?(\/[\w.~-]+)+\/?$/i.exec(v);
        if (https) return undefined;
        if (/^https?:\/\/[^/]*@/.test(v)) return "must not carry credentials in the URL; set them as secrets instead";
        if (/^git@[a-z0-9.-]+:[\w.~-]+(\/[\w.~-]+)*$/i.test(v)) return undefined;
        if (/^ssh:\/\/([\w.-]+@)?[a-z0-9.-]+(:\d+)?(\/[\w.~-]+)+$/i.test(v)) return undefined;
        return expected;
    },
};

/** An https URL (chart repositories, webhooks shown in docs). */
export const httpsUrl = regexFormat(
    "https URL",
    /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[\w.~%+-]*)*\/?$/i,
    'must be an https URL such as "https://argoproj.github.io/argo-helm"',
);

/** A Kubernetes minor version as EKS takes it: `1.33`. */
export const kubernetesVersion: StringFormat = {
    name: "Kubernetes version",
    values: EKS_VERSIONS,
    check: (v) =>
        EKS_VERSIONS.includes(v)
            ? undefined
            : `must be a Kubernetes minor version EKS offers, written without a "v" (one of ${EKS_VERSIONS.join(", ")}; the dated table is facts/eks-versions.ts)`,
};

/** A semantic version without a leading v: chart versions. */
export const semver = regexFormat(
    "semantic version",
    /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/,
    'must be a semantic version such as "10.1.1" (no leading "v")',
);

/** An EKS add-on version: `v1.19.2-eksbuild.1`. */
export const eksAddonVersion = regexFormat(
    "EKS add-on version",
    /^v\d+\.\d+\.\d+-eksbuild\.\d+$/,
    'must be an EKS add-on version such as "v1.19.2-eksbuild.1"',
);

/** A container image tag (OCI grammar); `latest` is refused because it is not reproducible. */
export const imageTag: StringFormat = {
    name: "image tag",
    check(v) {
        if (!/^[\w][\w.-]{0,127}$/.test(v)) return 'must be an image tag such as "v3.4.2"';
        if (v === "latest") return 'must pin a version; "latest" is not reproducible';
        return undefined;
    },
};

/** An IAM role ARN. */
export const iamRoleArn = regexFormat(
    "IAM role ARN",
    /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    'must be an IAM role ARN such as "arn:aws:iam::123456789012:role/platform-admin"',
);

/** A KMS key ARN. */
export const kmsKeyArn = regexFormat(
    "KMS key ARN",
    /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/,
    'must be a KMS key ARN such as "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
);

/** An existing VPC id. */
export const vpcId = regexFormat("VPC id", /^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id such as "vpc-0a1b2c3d4e5f67890"');

/** An existing subnet id. */
export const subnetId = regexFormat("subnet id", /^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id such as "subnet-0a1b2c3d4e5f67890"');

/** An existing EC2 security group id. */
export const securityGroupId = regexFormat("security group id", /^sg-[0-9a-f]{8,17}$/, 'must be a security group id such as "sg-0a1b2c3d4e5f67890"');

/** A Go duration as Argo CD and Kubernetes accept it: `5s`, `3m`, `1h30m`. */
export const duration = regexFormat(
    "duration",
    /^(\d+(ms|s|m|h))+$/,
    'must be a duration such as "5s", "3m" or "1h30m"',
);

/** Convert a duration accepted by `duration` to seconds. */
export function durationSeconds(v: string): number {
    const factor: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
    let total = 0;
    for (const m of v.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(m[1]) * factor[m[2]];
    return total;
}

/** A Kubernetes CPU quantity: `250m`, `1`, `1.5`. */
export const cpuQuantity = regexFormat(
    "CPU quantity",
    /^(\d+m|\d+(\.\d{1,3})?)$/,
    'must be a CPU quantity such as "250m" or "1"',
);

/** A Kubernetes memory quantity: `256Mi`, `1Gi`. */
export const memoryQuantity = regexFormat(
    "memory quantity",
    /^\d+(Ki|Mi|Gi|Ti|k|M|G|T)?$/,
    'must be a memory quantity such as "256Mi" or "1Gi"',
);

/** Parse a CPU quantity accepted by `cpuQuantity` to millicores. */
export function cpuMillis(v: string): number {
    return v.endsWith("m") ? Number(v.slice(0, -1)) : Math.round(Number(v) * 1000);
}

/** Parse a memory quantity accepted by `memoryQuantity` to bytes. */
export function memoryBytes(v: string): number {
    const m = /^(\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(v);
    if (!m) return NaN;
    const unit: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
    return Number(m[1]) * unit[m[2] ?? ""];
}

/** An AWS region such as `eu-west-1`. */
export const awsRegion = regexFormat("AWS region", /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'must be an AWS region such as "eu-west-1"');

/** An EC2 instance type such as `m7i.large`. */
export const instanceType = regexFormat("EC2 instance type", /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type such as "m7i.large"');

/** A Git revision Argo CD tracks: a branch, tag, `HEAD` or a commit SHA. */
export const gitRevision = regexFormat(
    "Git revision",
    /^(?!\/)(?!.*\.\.)(?!.*\/\/)[\w./-]{1,255}(?<!\/)(?<!\.lock)$/,
    'must be a Git branch, tag, commit SHA or "HEAD"',
);

/** A relative path inside the GitOps repository. */
export const repoPath = regexFormat(
    "repository path",
    /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[\w.-]+(\/[\w.-]+)*$/,
    'must be a relative path inside the repository such as "overlays/staging/api-gateway" (no leading "/", no "..")',
);

const CRON_FIELDS: readonly { name: string; min: number; max: number; names?: readonly string[] }[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
    { name: "day of week", min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

function cronValue(token: string, f: (typeof CRON_FIELDS)[number]): number | undefined {
    if (/^\d+$/.test(token)) return Number(token);
    const i = f.names?.indexOf(token.toLowerCase()) ?? -1;
    if (i < 0) return undefined;
    return f.name === "month" ? i + 1 : i;
}

/**
 * A standard five-field cron schedule, the form Argo CD sync windows take
 * (https://argo-cd.readthedocs.io/en/stable/user-guide/sync_windows/).
 */
export const cron: StringFormat = {
    name: "cron schedule",
    check(v) {
        const fields = v.trim().split(/\s+/);
        if (fields.length !== 5) return `must be a cron schedule of five fields (minute hour day-of-month month day-of-week), such as "0 12 * * 6"; it has ${fields.length}`;
        for (let i = 0; i < 5; i++) {
            const f = CRON_FIELDS[i];
            for (const part of fields[i].split(",")) {
                const m = /^(\*|([^-/]+)(-([^-/]+))?)(\/(\d+))?$/.exec(part);
                const bad = `must be a cron schedule; its ${f.name} field "${fields[i]}" is not valid (${f.min}-${f.max}, *, lists, ranges, steps)`;
                if (!m) return bad;
                if (m[6] !== undefined && Number(m[6]) < 1) return bad;
                if (m[1] === "*") continue;
                const lo = cronValue(m[2], f);
                const hi = m[4] === undefined ? lo : cronValue(m[4], f);
                if (lo === undefined || hi === undefined || lo < f.min || hi > f.max || lo > hi) return bad;
            }
        }
        return undefined;
    },
};


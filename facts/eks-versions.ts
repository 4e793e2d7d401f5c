/**
 * The Kubernetes minor versions Amazon EKS offers and when their standard and extended support end:
 * the one dated table of the repository. The configuration accepts only these versions, the
 * `eks-version-support` policy and `npm run plan` warn once a stack's version is past its standard
 * support. Pure; lives in the policy pack so the pack stays self-contained.
 *
 * Source: the Amazon EKS User Guide, "Understand the Kubernetes version lifecycle on EKS", section
 * "Amazon EKS Kubernetes release calendar" (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html);
 * standard support lasts 14 months from the EKS release, extended support 12 more. Add a row when EKS
 * releases a new minor version (dates from the same page).
 */

/** Support window of one EKS Kubernetes minor version (dates are ISO `YYYY-MM-DD`, UTC). */
export interface EksVersionSupport {
    /** Last day of standard support; the version then enters (paid) extended support, or is upgraded. */
    readonly standardSupportEnd: string;
    /** Last day of extended support; EKS then upgrades the control plane automatically. */
    readonly extendedSupportEnd: string;
}

/** The table, newest first. Checked on 2026-12-02. */
export const EKS_VERSION_SUPPORT: Readonly<Record<string, EksVersionSupport>> = Object.freeze({
    "1.35": { standardSupportEnd: "2027-03-27", extendedSupportEnd: "2028-03-27" },
    "1.34": { standardSupportEnd: "2026-12-02", extendedSupportEnd: "2027-12-02" },
    "1.33": { standardSupportEnd: "2026-07-29", extendedSupportEnd: "2027-07-29" },
    "1.32": { standardSupportEnd: "2026-03-23", extendedSupportEnd: "2027-03-23" },
    "1.31": { standardSupportEnd: "2025-11-26", extendedSupportEnd: "2026-11-26" },
    "1.30": { standardSupportEnd: "2025-07-23", extendedSupportEnd: "2026-07-23" },
    "1.29": { standardSupportEnd: "2025-03-23", extendedSupportEnd: "2026-03-23" },
    "1.28": { standardSupportEnd: "2024-11-26", extendedSupportEnd: "2025-11-26" },
});

/** The versions of the table, newest first. */
export const EKS_VERSIONS: readonly string[] = Object.freeze(Object.keys(EKS_VERSION_SUPPORT));

/** Where a version stands on a given day. */
export type SupportStatus = "standard" | "extended" | "ended" | "unknown";

/** The ISO date (`YYYY-MM-DD`, UTC) of a moment. */
export function isoDay(now: Date): string {
    return now.toISOString().slice(0, 10);
}

/** Standard support until its last day included, then extended support, then ended; `unknown` outside the table. */
export function supportStatus(version: string, today: string): SupportStatus {
    const row = EKS_VERSION_SUPPORT[version];
    if (row === undefined) return "unknown";
    if (today <= row.standardSupportEnd) return "standard";
    if (today <= row.extendedSupportEnd) return "extended";
    return "ended";
}

/**
 * The advisory for a version on a day, or undefined while it is in standard support. Names the
 * version, the date that passed, and the fix.
 */
export function supportWarning(version: string, today: string): string | undefined {
    const row = EKS_VERSION_SUPPORT[version];
    const newest = EKS_VERSIONS[0];
    const status = supportStatus(version, today);
    switch (status) {
        case "standard":
            return undefined;
        case "extended":
            return `Kubernetes ${version} left EKS standard support on ${row.standardSupportEnd} (extended support, billed per cluster hour, ends ${row.extendedSupportEnd}); upgrade cluster.kubernetesVersion (newest in the table: ${newest})`;
        case "ended":
            return `Kubernetes ${version} left EKS extended support on ${row.extendedSupportEnd}: EKS upgrades such clusters automatically; upgrade cluster.kubernetesVersion (newest in the table: ${newest})`;
        case "unknown":
            return `Kubernetes ${version} is not in the EKS support table (facts/eks-versions.ts); its support dates cannot be checked`;
        default: {
            const never: never = status;
            return String(never);
        }
    }
}

import { at, isRecord, knownName, PlainRecord } from "./values";

/**
 * What a rule sees: one Pulumi resource (CrossGuard or the offline harness) or one plain manifest.
 */
export interface Subject {
    /** Pulumi type token, e.g. `kubernetes:apps/v1:Deployment`; manifests get the same form from `apiVersion`/`kind`. */
    readonly type: string;
    /** Pulumi resource name (the fallback when `metadata.name` is auto-named or unknown). */
    readonly name: string;
    /** Plain inputs, {@link UNKNOWN} where not known yet. */
    readonly props: PlainRecord;
}

/** Parts of a Kubernetes type token `kubernetes:<group>/<version>:<Kind>` (core group spelled `core`). */
export interface KubeType {
    readonly group: string;
    readonly version: string;
    readonly kind: string;
}

const parsedTypes = new Map<string, KubeType | undefined>();
/** Distinct type tokens remembered; a pack sees a few dozen, a manifest corpus rarely more. */
const PARSED_TYPES_LIMIT = 4096;

/** Parses `kubernetes:apps/v1:Deployment`; `undefined` for other providers and malformed tokens. Memoised: every rule asks for every object. */
export function parseKubeType(type: string): KubeType | undefined {
    if (parsedTypes.has(type)) {
        return parsedTypes.get(type);
    }
    const parts = type.split(":");
    let parsed: KubeType | undefined;
    if (parts.length === 3 && parts[0] === "kubernetes") {
        const [group, version] = parts[1].includes("/") ? parts[1].split("/", 2) : ["core", parts[1]];
        parsed = Object.freeze({ group, version, kind: parts[2] });
    }
    if (parsedTypes.size < PARSED_TYPES_LIMIT) {
        parsedTypes.set(type, parsed);
    }
    return parsed;
}

/** The Pulumi type token of a manifest (`apiVersion: v1` maps to the `core` group, as Pulumi names it). */
export function manifestType(apiVersion: string, kind: string): string {
    const groupVersion = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
    return `kubernetes:${groupVersion}:${kind}`;
}

/** How findings name a Kubernetes object. */
export interface ObjectIdentity {
    readonly kind: string;
    readonly namespace?: string;
    readonly name: string;
}

/** `metadata.name` when known, else the Pulumi resource name; `metadata.namespace` when known. */
export function identityOf(subject: Subject, kind: string): ObjectIdentity {
    const name = knownName(at(subject.props, ["metadata", "name"])) ?? subject.name;
    const namespace = knownName(at(subject.props, ["metadata", "namespace"]));
    return (namespace === undefined || namespace === "") ? { kind, name } : { kind, namespace, name };
}

/** `Deployment argocd/argocd-server`, or `Deployment web` without a namespace. */
export function describeObject(id: ObjectIdentity): string {
    return id.namespace === undefined ? `${id.kind} ${id.name}` : `${id.kind} ${id.namespace}/${id.name}`;
}

/** True when the type token is the given kind of the given API group (any version). */
export function isKubeKind(type: string, group: string, kind: string): boolean {
    const parsed = parseKubeType(type);
    return parsed !== undefined && parsed.group === group && parsed.kind === kind;
}

/** Name of an object that has no `metadata.name` and no `metadata.generateName`. */
export const UNNAMED = "(unnamed)";

/**
 * How a manifest is named in findings and matched by exemptions: `metadata.name`; for an object the
 * API server names from `metadata.generateName`, that prefix followed by `*` (`backup-*`), so an
 * exemption must spell that form to cover it; else {@link UNNAMED}.
 */
export function manifestName(object: PlainRecord): string {
    // A number is a name too: YAML reads `name: 1234` as a number, kubectl sends it as the name "1234".
    const name = knownName(at(object, ["metadata", "name"]));
    if (name !== undefined && name !== "") {
        return name;
    }
    const generateName = knownName(at(object, ["metadata", "generateName"]));
    return (generateName !== undefined && generateName !== "") ? `${generateName}*` : UNNAMED;
}

/** Builds a {@link Subject} from a parsed manifest; `undefined` when it has no string `apiVersion`/`kind`. */
export function subjectFromManifest(object: unknown): Subject | undefined {
    if (!isRecord(object) || typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
        return undefined;
    }
    // identityOf falls back to this name when metadata.name is absent (a generateName object).
    return { type: manifestType(object.apiVersion, object.kind), name: manifestName(object), props: object };
}

import { list, obj, section, str, StringFormat, TypeOf } from "../dsl";
import * as fmt from "../formats";

/** A long GPG key id as Argo CD names keys in `argocd-gpg-keys-cm` and `signatureKeys`. */
const gpgKeyId: StringFormat = {
    name: "GPG key id",
    check: (v) => (/^[0-9A-F]{16}$/.test(v) ? undefined : 'must be a long GPG key id of 16 upper-case hexadecimal digits such as "4AEE18F83AFDEB23"'),
};

/** An ASCII-armoured PGP public key block. */
const armoredPublicKey: StringFormat = {
    name: "armoured GPG public key",
    check: (v) =>
        /^-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]+\n-----END PGP PUBLIC KEY BLOCK-----\n?$/.test(v)
            ? undefined
            : 'must be an ASCII-armoured public key from "-----BEGIN PGP PUBLIC KEY BLOCK-----" to "-----END PGP PUBLIC KEY BLOCK-----"',
};

/** One platform Application synced from the GitOps repository. */
export const application = obj(
    {
        name: str({ description: "Application name, unique in the stack.", format: fmt.dns1123Label }),
    },
    { description: "A platform Application." },
);

/** A GPG public key Argo CD trusts for commit signature verification. */
export const gpgKey = obj(
    {
        keyId: str({ description: "GPG key id: the 16 hexadecimal digits of the long key id, as `gpg --list-keys --keyid-format long` prints it.", format: gpgKeyId }),
        publicKey: str({ description: "ASCII-armoured public key block.", format: armoredPublicKey }),
    },
    { description: "A trusted GPG public key." },
);

/**
 * The GitOps layer: repository, AppProject, Applications.
 * Owned by components/gitops.
 */
export const gitopsSchema = section(
    {
        repoUrl: str({ description: "The GitOps repository Argo CD syncs from.", format: fmt.gitUrl, default: "https://github.com/footanalytics/gitops-config" }),
        targetRevision: str({ description: "Revision every Application tracks unless it sets its own.", format: fmt.gitRevision }),
        applications: list(application, { description: "The platform Applications.", minItems: 1, uniqueBy: (a) => a.name, uniqueLabel: "name" }),
        gpgKeys: list(gpgKey, {
            description: "Public GPG keys trusted for signed commits (the chart's `configs.gpg.keys`); when set, the AppProject requires commits signed by them.",
            default: [],
            uniqueBy: (k) => k.keyId,
            uniqueLabel: "keyId",
        }),
    },
    { description: "The GitOps repository and the platform Applications." },
);

export type GitOpsConfig = TypeOf<typeof gitopsSchema>;
export type ApplicationConfig = TypeOf<typeof application>;
export type GpgKeyConfig = TypeOf<typeof gpgKey>;

/**
 * Secrets as Outputs: the sources config/ decided (a Pulumi secret, one of its JSON fields, or a
 * key of a JSON secret in AWS Secrets Manager read at deploy time), mapped without re-checks.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Where one secret value comes from, as the components read it (config/ decides it and its
 * `SecretSource` satisfies this; components map a source straight to an Output, no re-checks).
 */
export type SecretSource =
    /** A Pulumi secret of the stack; `key` names it in errors. */
    | { readonly from: "pulumi"; readonly key: string; readonly value: pulumi.Output<string> }
    /** One field of a Pulumi secret holding a JSON object; `key` names the secret in errors. */
    | { readonly from: "pulumiJson"; readonly key: string; readonly field: string; readonly value: pulumi.Output<string> }
    /** One key of a JSON secret in AWS Secrets Manager, read at deploy time through the program's AWS provider. */
    | { readonly from: "secretsManager"; readonly secretName: string; readonly jsonKey: string };

/** Git credentials: a token, or a GitHub App (its ids and private key). `T` is how a secret is held. */
export type Credentials<T> =
    | { readonly kind: "token"; readonly token: T }
    | { readonly kind: "githubApp"; readonly appId: number; readonly installationId: number; readonly privateKey: T };

/** What a component needs to read Secrets Manager: the program's AWS provider, a parent, and its name for errors. */
export interface SecretReader {
    readonly provider?: aws.Provider;
    readonly parent: pulumi.Resource;
    readonly who: string;
}

/**
 * The Output of a secret source, always marked secret. `jsonField` reads the field of a Pulumi
 * secret holding JSON (each user knows its format; Teams URLs must be https).
 */
export function secretOutput(source: SecretSource, reader: SecretReader, jsonField: (json: string, field: string) => string = (json, field) => jsonField0(json, source, field)): pulumi.Output<string> {
    switch (source.from) {
        case "pulumi":
            return pulumi.secret(source.value);
        case "pulumiJson":
            return pulumi.secret(source.value.apply((json) => jsonField(json, source.field)));
        case "secretsManager":
            return secretsManagerField(source.secretName, source.jsonKey, reader.provider, reader.parent, reader.who);
        default: {
            const never: never = source;
            return never;
        }
    }
}

/** A field of a Pulumi secret holding a JSON object, with an error naming the secret and field, never a value. */
function jsonField0(json: string, source: SecretSource, field: string): string {
    const name = source.from === "secretsManager" ? source.secretName : source.key;
    let doc: unknown;
    try {
        doc = JSON.parse(json);
    } catch {
        throw new Error(`the ${name} secret is not JSON; expected an object with the key "${field}"`);
    }
    const value = (doc !== null && typeof doc === "object") ? (doc as Record<string, unknown>)[field] : undefined;
    if (typeof value !== "string" || value === "") throw new Error(`the ${name} secret has no non-empty string "${field}"`);
    return value;
}

/** Credentials whose secret is a source, as credentials whose secret is an Output. */
export function credentialOutputs(c: Credentials<SecretSource>, reader: SecretReader): Credentials<pulumi.Output<string>> {
    switch (c.kind) {
        case "token":
            return { kind: "token", token: secretOutput(c.token, reader) };
        case "githubApp":
            return { kind: "githubApp", appId: c.appId, installationId: c.installationId, privateKey: secretOutput(c.privateKey, reader) };
        default: {
            const never: never = c;
            return never;
        }
    }
}

/** One field of a JSON Secrets Manager secret, with an error naming the secret and key. */
export function jsonField(text: string, secretName: string, key: string): string {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch {
        throw new Error(`Secrets Manager secret "${secretName}" is not JSON; expected an object with the key "${key}"`);
    }
    const value = (doc !== null && typeof doc === "object") ? (doc as Record<string, unknown>)[key] : undefined;
    if (typeof value !== "string" || value === "") throw new Error(`Secrets Manager secret "${secretName}" has no non-empty string "${key}"`);
    return value;
}

/**
 * The `key` field of the JSON secret `secretName`, read at deploy time (never in a preview) through the
 * program's AWS provider (default providers are disabled) and kept secret. config/ refuses a Secrets Manager source without
 * `aws:region`, so a missing provider only means the component was misused.
 */
export function secretsManagerField(secretName: string, key: string, provider: aws.Provider | undefined, parent: pulumi.Resource, who: string): pulumi.Output<string> {
    if (provider === undefined) throw new pulumi.ResourceError(`${who}: an AWS provider is required to read Secrets Manager secrets`, parent);
    // A preview never reads a secret value: the preview role has no secretsmanager:GetSecretValue
    // (docs/operations.md 1.3), and the value would only show as [secret] anyway. Unknown here, the
    // Secret objects preview as "changes unknown until update".
    if (pulumi.runtime.isDryRun()) return pulumi.secret(pulumi.output(pulumi.unknown as unknown as string));
    return pulumi.secret(
        aws.secretsmanager.getSecretVersionOutput({ secretId: secretName }, { provider, parent }).secretString.apply((text) => jsonField(text, secretName, key)),
    );
}

/**
 * Reading secrets from AWS Secrets Manager at deploy time, shared by the components that take a
 * token or client secret from there instead of from a Pulumi secret.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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
 * The `key` field of the JSON secret `secretName`, read through the program's AWS provider (default
 * providers are disabled) and kept secret. config/ refuses a Secrets Manager source without
 * `aws:region`, so a missing provider only means the component was misused.
 */
export function secretsManagerField(secretName: string, key: string, provider: aws.Provider | undefined, parent: pulumi.Resource, who: string): pulumi.Output<string> {
    if (provider === undefined) throw new pulumi.ResourceError(`${who}: an AWS provider is required to read Secrets Manager secrets`, parent);
    return pulumi.secret(
        aws.secretsmanager.getSecretVersionOutput({ secretId: secretName }, { provider, parent }).secretString.apply((text) => jsonField(text, secretName, key)),
    );
}

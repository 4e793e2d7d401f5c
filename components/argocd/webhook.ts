/**
 * The GitHub push webhook, signed by construction: its secret is the `githubWebhookSecret` Pulumi
 * secret or one the program generates, and with `argocd.githubWebhook.manage` the program creates the
 * webhook on the GitOps repository itself, so the secret is never copied by hand.
 * Endpoint: Argo CD serves `/api/webhook` under the server's root path (docs/operator-manual/webhook.md).
 */
import { type ArgoCdSettings, argocdUrl } from "./values";

/** Length of a generated webhook secret (letters and digits: 48 characters, about 285 bits). */
export const WEBHOOK_SECRET_LENGTH = 48;

/** The webhook's owner and repository name from `<owner>/<name>`. */
export function webhookRepository(config: Pick<ArgoCdSettings, "githubWebhook">): { readonly owner: string; readonly name: string } {
    const [owner, name] = config.githubWebhook.repository.split("/");
    return { owner, name };
}

/** The arguments of the `github.RepositoryWebhook` (without the secret, which the component adds as an Output). */
export function webhookSpec(config: Pick<ArgoCdSettings, "domain" | "githubWebhook">) {
    return {
        repository: webhookRepository(config).name,
        active: true,
        events: ["push"],
        configuration: { url: `${argocdUrl(config.domain)}/api/webhook`, contentType: "json", insecureSsl: false },
    };
}

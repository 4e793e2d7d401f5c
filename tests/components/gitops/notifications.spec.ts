import * as assert from "assert/strict";
import * as YAML from "yaml";
import { NOTIFICATION_TRIGGERS } from "../../../config/schema/notifications";
import { notificationsConfigMap, notificationsSecret } from "../../../components/gitops/notifications";
import { STACKS } from "../../helpers";
import { renderTemplate, SAMPLE_APP, sections, validateManifest } from "./fixtures";

const URL = "https://argocd.footanalytics.io/argocd";
const parse = (text: string) => YAML.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("components/gitops/notifications", () => {
    for (const stack of STACKS) {
        it(`builds an argocd-notifications-cm that Kubernetes accepts (${stack})`, () => {
            const cm = notificationsConfigMap(sections(stack).notifications, URL);
            validateManifest(cm);
            assert.equal(cm.metadata.name, "argocd-notifications-cm");
        });

        it(`sends every trigger to templates that exist (${stack})`, () => {
            const data = notificationsConfigMap(sections(stack).notifications, URL).data;
            const triggers = Object.keys(data).filter((k) => k.startsWith("trigger."));
            assert.deepEqual(triggers, NOTIFICATION_TRIGGERS.map((t) => `trigger.${t}`));
            for (const t of triggers) {
                for (const condition of parse(data[t]) as { send: string[] }[]) {
                    for (const template of condition.send) assert.ok(`template.${template}` in data, `${t} sends ${template}, which is not defined`);
                }
            }
        });

        it(`renders every Slack and Teams body to valid JSON with a sample application (${stack})`, () => {
            const data = notificationsConfigMap(sections(stack).notifications, URL).data;
            const context = { app: SAMPLE_APP, context: { argocdUrl: URL } };
            const templates = Object.keys(data).filter((k) => k.startsWith("template."));
            assert.deepEqual(templates, ["template.app-deployed", "template.app-sync-failed", "template.app-health-degraded"]);
            for (const key of templates) {
                const t = parse(data[key]);
                const attachments = JSON.parse(renderTemplate(t.slack.attachments, context)) as { title_link: string }[];
                assert.equal(attachments[0].title_link, `${URL}/applications/api-gateway`);
                const card = JSON.parse(renderTemplate(t.webhook.teams.body, context)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
                assert.equal(card["@type"], "MessageCard");
                assert.equal(card.potentialAction[0].targets[0].uri, `${URL}/applications/api-gateway`);
                assert.equal(t.webhook.teams.method, "POST");
                assert.match(renderTemplate(t.message, context), /api-gateway/);
            }
        });
    }

    it("sends on-deployed once per synced revision", () => {
        const data = notificationsConfigMap(sections("production").notifications, URL).data;
        assert.deepEqual(parse(data["trigger.on-deployed"]), [
            {
                description: "The Application synced and is healthy; sent once per revision.",
                oncePer: "app.status.sync.revision",
                send: ["app-deployed"],
                when: "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'",
            },
        ]);
    });

    it("configures Slack and the Teams webhook with token references, and the Argo CD URL as context (production)", () => {
        const data = notificationsConfigMap(sections("production").notifications, URL).data;
        assert.deepEqual(parse(data["service.slack"]), { token: "$slack-token" });
        assert.deepEqual(parse(data["service.webhook.teams"]), { url: "$teams-webhook-url", headers: [{ name: "Content-Type", value: "application/json" }] });
        assert.deepEqual(parse(data.context), { argocdUrl: URL });
    });

    it("writes the default subscriptions for the platform Applications only (production)", () => {
        const data = notificationsConfigMap(sections("production").notifications, URL).data;
        const selector = "app.kubernetes.io/part-of=footanalytics";
        assert.deepEqual(parse(data.subscriptions), [
            { recipients: ["slack:footanalytics-deployments"], triggers: ["on-deployed"], selector },
            { recipients: ["slack:footanalytics-oncall"], triggers: ["on-sync-failed"], selector },
            { recipients: ["slack:footanalytics-oncall"], triggers: ["on-health-degraded"], selector },
            { recipients: ["teams"], triggers: ["on-sync-failed"], selector },
            { recipients: ["teams"], triggers: ["on-health-degraded"], selector },
        ]);
    });

    it("defines no Teams service in staging, where Teams is off", () => {
        assert.equal("service.webhook.teams" in notificationsConfigMap(sections("staging").notifications, URL).data, false);
    });

    it("puts only the enabled services' tokens in argocd-notifications-secret", () => {
        const tokens = { slackToken: "fake-slack-token-1", teamsWebhookUrl: "https://teams-webhook.example.invalid/x" };
        const production = notificationsSecret(sections("production").notifications, tokens);
        validateManifest(production);
        assert.deepEqual(production.stringData, { "slack-token": "fake-slack-token-1", "teams-webhook-url": "https://teams-webhook.example.invalid/x" });
        assert.deepEqual(notificationsSecret(sections("staging").notifications, tokens).stringData, { "slack-token": "fake-slack-token-1" });
    });

    it("refuses a template outside the documented subset when rendering", () => {
        assert.throws(() => renderTemplate('{{if eq .app.status.sync.status "Synced"}}x{{end}}', { app: SAMPLE_APP }), /outside the documented subset/);
    });
});

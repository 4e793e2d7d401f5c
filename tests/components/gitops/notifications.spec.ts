import * as assert from "assert/strict";
import * as YAML from "yaml";
import { NOTIFICATION_TRIGGERS } from "@footanalytics/facts";
import { notificationsConfigMap, notificationsSecret, teamsUrlFrom } from "../../../components/gitops/notifications";
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

        it(`renders every Slack attachment and Teams Adaptive Card to valid JSON with a sample application (${stack})`, () => {
            const data = notificationsConfigMap(sections(stack).notifications, URL).data;
            const context = { app: SAMPLE_APP, context: { argocdUrl: URL } };
            const templates = Object.keys(data).filter((k) => k.startsWith("template."));
            assert.deepEqual(templates, ["template.app-deployed", "template.app-sync-failed", "template.app-health-degraded"]);
            for (const key of templates) {
                const t = parse(data[key]);
                const attachments = JSON.parse(renderTemplate(t.slack.attachments, context)) as { title_link: string }[];
                assert.equal(attachments[0].title_link, `${URL}/applications/api-gateway`);
                assert.equal(t.webhook, undefined, "no legacy Teams webhook body");
                assert.deepEqual(Object.keys(t["teams-workflows"]), ["adaptiveCard"]);
                const card = JSON.parse(renderTemplate(t["teams-workflows"].adaptiveCard, context)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
                assert.equal(card.type, "AdaptiveCard");
                assert.equal(card.version, "1.4");
                assert.equal(card.body[0].text.endsWith(": api-gateway"), true);
                assert.deepEqual(card.body[1].facts[0], { title: "Application", value: "api-gateway" });
                assert.deepEqual(card.actions, [{ type: "Action.OpenUrl", title: "Open in Argo CD", url: `${URL}/applications/api-gateway` }]);
                assert.match(renderTemplate(t.message, context), /api-gateway/);
            }
        });
    }

    it("sends every trigger once per revision the operation synced, as the v3.4.7 catalog does (not per commit to the shared repository)", () => {
        const data = notificationsConfigMap(sections("production").notifications, URL).data;
        // argo-cd v3.4.7 notifications_catalog/triggers/on-deployed.yaml, on-sync-failed.yaml, on-health-degraded.yaml.
        assert.deepEqual(parse(data["trigger.on-deployed"]), [
            {
                description: "The Application synced and is healthy; sent once per synced revision.",
                oncePer: "app.status.operationState?.syncResult?.revision",
                send: ["app-deployed"],
                when:
                    "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy' and " +
                    "(!time.Parse(app.status.health.lastTransitionTime).Add(1 * time.Minute).Before(time.Parse(app.status.operationState.finishedAt)) or " +
                    "time.Parse(app.status.health.lastTransitionTime).Before(time.Parse(app.status.operationState.startedAt)))",
            },
        ]);
        assert.deepEqual(parse(data["trigger.on-sync-failed"]), [
            {
                description: "A sync of the Application failed; sent once per synced revision.",
                oncePer: "app.status.operationState?.syncResult?.revision",
                send: ["app-sync-failed"],
                when: "app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']",
            },
        ]);
        assert.deepEqual(parse(data["trigger.on-health-degraded"]), [
            {
                description: "The Application's health is Degraded; sent once per synced revision.",
                oncePer: "app.status.operationState?.syncResult?.revision",
                send: ["app-health-degraded"],
                when: "app.status.health.status == 'Degraded'",
            },
        ]);
    });

    it("configures Slack and Teams Workflows with secret references, and the Argo CD URL as context (production)", () => {
        const data = notificationsConfigMap(sections("production").notifications, URL).data;
        assert.deepEqual(parse(data["service.slack"]), { token: "$slack-token" });
        assert.deepEqual(parse(data["service.teams-workflows"]), { recipientUrls: { "platform-alerts": "$teams-workflows-url-platform-alerts" } });
        assert.equal("service.webhook.teams" in data, false, "Office 365 connectors were retired on 2026-03-31");
        assert.deepEqual(parse(data.context), { argocdUrl: URL });
    });

    it("writes the default subscriptions for the platform Applications only (production)", () => {
        const data = notificationsConfigMap(sections("production").notifications, URL).data;
        const selector = "app.kubernetes.io/part-of=footanalytics";
        assert.deepEqual(parse(data.subscriptions), [
            { recipients: ["slack:footanalytics-deployments"], triggers: ["on-deployed"], selector },
            { recipients: ["slack:footanalytics-oncall"], triggers: ["on-sync-failed"], selector },
            { recipients: ["slack:footanalytics-oncall"], triggers: ["on-health-degraded"], selector },
            { recipients: ["teams-workflows:platform-alerts"], triggers: ["on-sync-failed"], selector },
            { recipients: ["teams-workflows:platform-alerts"], triggers: ["on-health-degraded"], selector },
        ]);
    });

    it("defines no Teams service in staging, where Teams is off", () => {
        assert.equal("service.teams-workflows" in notificationsConfigMap(sections("staging").notifications, URL).data, false);
    });

    it("puts only the enabled services' tokens in argocd-notifications-secret", () => {
        const tokens = { slackToken: "fake-slack-token-1", teamsWorkflowUrls: { "platform-alerts": "https://teams-workflows.example.invalid/x", unused: "https://x.invalid" } };
        const production = notificationsSecret(sections("production").notifications, tokens);
        validateManifest(production);
        assert.deepEqual(production.stringData, { "slack-token": "fake-slack-token-1", "teams-workflows-url-platform-alerts": "https://teams-workflows.example.invalid/x" });
        assert.deepEqual(notificationsSecret(sections("staging").notifications, tokens).stringData, { "slack-token": "fake-slack-token-1" });
    });

    it("reads a channel's workflow URL from the teamsWorkflowUrls secret, naming the channel when it is missing", () => {
        assert.equal(teamsUrlFrom('{"platform-alerts": "https://flow.example.invalid/a"}', "platform-alerts"), "https://flow.example.invalid/a");
        assert.throws(() => teamsUrlFrom('{"other": "https://flow.example.invalid/a"}', "platform-alerts"), { message: 'the teamsWorkflowUrls secret has no https URL for the Teams channel "platform-alerts"' });
        assert.throws(() => teamsUrlFrom("https://flow.example.invalid/a", "platform-alerts"), /is not JSON/);
    });

    it("refuses a template outside the documented subset when rendering", () => {
        assert.throws(() => renderTemplate('{{if eq .app.status.sync.status "Synced"}}x{{end}}', { app: SAMPLE_APP }), /outside the documented subset/);
    });
});

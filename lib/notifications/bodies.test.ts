import { describe, expect, it } from "vitest";
import { EVENT_TYPES, type NotificationEvent } from "./events";
import { jsonBody, renderBody, slackBody } from "./bodies";
import { SAMPLE_EVENTS } from "./sample-events";

/** Like sim/demo-credentials' canary (lib/ tests may not import the simulators): a value the assertions search for. */
const CREDENTIAL_CANARY = "PKCANARY-webhooks-41d7";

const context = { deliveryId: "d-1", publicUrl: "https://pullkeeper.example.com/pk" };

describe("JSON body", () => {
  it("is versioned and carries the event, a link into Pullkeeper and the data", () => {
    const body = JSON.parse(jsonBody(SAMPLE_EVENTS["run.failed"], context)) as Record<string, unknown>;
    expect(body).toMatchObject({
      version: 1,
      id: "d-1",
      event: "run.failed",
      occurredAt: "2026-12-07T02:00:00.000Z",
      links: { pullkeeperUrl: "https://pullkeeper.example.com/pk/audit/op-1" },
      data: { operationId: "op-1", status: "partially_failed", counts: { failed: 2 } },
    });
    expect(body.title).toBe("Run copy_pull_secrets partially failed on prod-eu");
  });

  it("sends no link when no public URL is configured", () => {
    const body = JSON.parse(jsonBody(SAMPLE_EVENTS["pod.pull_failing"], { deliveryId: "d", publicUrl: null })) as { links: unknown };
    expect(body.links).toEqual({ pullkeeperUrl: null });
  });
});

describe("Slack body", () => {
  it("has a fallback text and blocks with a button to Pullkeeper", () => {
    const body = JSON.parse(slackBody(SAMPLE_EVENTS["drift.unfixed"], context)) as { text: string; blocks: Array<{ type: string; elements?: Array<{ url?: string }> }> };
    expect(body.text).toContain("Rule icr-everywhere could not fix drift in prod-eu/payments");
    expect(body.blocks.map((block) => block.type)).toEqual(["header", "section", "context", "actions"]);
    expect(body.blocks[3]!.elements![0]!.url).toBe("https://pullkeeper.example.com/pk/clusters/prod-eu/namespaces/payments");
  });

  it("escapes Slack's control characters so a name cannot inject a mention or link", () => {
    const event: NotificationEvent = { ...SAMPLE_EVENTS["drift.unfixed"], data: { ...SAMPLE_EVENTS["drift.unfixed"].data, reason: "<!channel> & <http://x|y>" } };
    const body = JSON.parse(slackBody(event, context)) as { text: string };
    expect(body.text).toContain("&lt;!channel&gt; &amp; &lt;http://x|y&gt;");
    expect(body.text).not.toContain("<!channel>");
  });
});

describe("every event type", () => {
  it.each(EVENT_TYPES)("%s has a JSON and a Slack body", (type) => {
    const event = SAMPLE_EVENTS[type];
    for (const format of ["json", "slack"] as const) {
      const body = JSON.parse(renderBody(format, event, context)) as Record<string, unknown>;
      expect(format === "json" ? body.event : body.text).toBeTruthy();
    }
  });
});

describe("credentials", () => {
  it("never reach a body, even when a producer puts one into an event", () => {
    const token = `eyJhbGciOiJIUzI1NiJ9.legacy-${CREDENTIAL_CANARY}.c2lnbmF0dXJl`;
    const dockerConfig = Buffer.from(JSON.stringify({ auths: { "de.icr.io": { auth: token } } })).toString("base64");
    const careless = {
      ...SAMPLE_EVENTS["registry.credential_rejected"],
      data: { ...SAMPLE_EVENTS["registry.credential_rejected"].data, password: token, extra: { apiKey: token, dockerconfigjson: dockerConfig, note: dockerConfig } },
    } as unknown as NotificationEvent;
    for (const format of ["json", "slack"] as const) {
      const body = renderBody(format, careless, context);
      expect(body).not.toContain(CREDENTIAL_CANARY);
      expect(body).not.toContain(dockerConfig);
    }
  });
});

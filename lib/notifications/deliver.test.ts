import { describe, expect, it } from "vitest";
import { OutboundRefusedError } from "@/lib/net/errors";
import type { GuardedFetch } from "@/lib/net/guarded-fetch";
import { deliverWebhook, type DeliveryDeps } from "./deliver";
import type { AttemptRecord, ClaimedDelivery, WebhookStore } from "./store";
import { SAMPLE_EVENTS } from "./sample-events";
import { verifySignature } from "./signature";

const NOW = new Date("2026-12-07T02:00:00.000Z");

function fakeStore(claimed: Partial<ClaimedDelivery> | null) {
  const attempts: AttemptRecord[] = [];
  const delivery: ClaimedDelivery | null = claimed && {
    id: "d-1",
    attempts: 0,
    event: SAMPLE_EVENTS["run.failed"],
    target: { id: "t-1", url: "https://alerts.example.com/hook", format: "json", secret: "whsec_unit", enabled: true },
    ...claimed,
  };
  const store = { claim: async () => delivery, recordAttempt: async (_id: string, attempt: AttemptRecord) => void attempts.push(attempt) } as unknown as WebhookStore;
  return { store, attempts };
}

function deps(store: WebhookStore, fetch: GuardedFetch): DeliveryDeps {
  return { store, fetch, publicUrl: null, timeoutMs: 1_000, retry: { maxAttempts: 8, baseDelayMs: 30_000, jitter: 0 }, now: () => NOW };
}

const answering = (status: number) => (async () => new Response(null, { status })) as GuardedFetch;

describe("deliverWebhook", () => {
  it("posts the signed body once and records it delivered", async () => {
    const { store, attempts } = fakeStore({});
    const requests: Array<{ url: string; init: RequestInit }> = [];
    const fetch: GuardedFetch = async (url, init) => {
      requests.push({ url: String(url), init: init! });
      return new Response("ok", { status: 200 });
    };
    expect(await deliverWebhook(deps(store, fetch), "d-1")).toMatchObject({ attempted: true, status: "delivered", statusCode: 200, retryAt: null });
    expect(requests).toHaveLength(1);
    const { init } = requests[0]!;
    const headers = init.headers as Record<string, string>;
    expect(init.redirect).toBe("manual");
    expect(headers["x-pullkeeper-event"]).toBe("run.failed");
    expect(headers["x-pullkeeper-delivery"]).toBe("d-1");
    expect(verifySignature(headers["x-pullkeeper-signature"]!, init.body as string, "whsec_unit", NOW.getTime() / 1000)).toEqual({ ok: true });
    expect(attempts).toEqual([{ status: "delivered", attempts: 1, statusCode: 200, error: null, nextAttemptAt: null, at: NOW }]);
  });

  it("schedules a retry after a 500 with the backoff of that attempt", async () => {
    const { store, attempts } = fakeStore({ attempts: 2 });
    const result = await deliverWebhook(deps(store, answering(500)), "d-1");
    expect(result).toMatchObject({ attempted: true, status: "pending", statusCode: 500, retryAt: new Date(NOW.getTime() + 120_000) });
    expect(attempts[0]).toMatchObject({ attempts: 3, error: "HTTP 500 from the target." });
  });

  it("gives up after the last attempt", async () => {
    const { store, attempts } = fakeStore({ attempts: 7 });
    expect(await deliverWebhook(deps(store, answering(503)), "d-1")).toMatchObject({ status: "giving_up", retryAt: null });
    expect(attempts[0]?.error).toMatch(/Gave up after 8 attempts/);
  });

  it("retries a target that does not answer in time, and says so without quoting the URL", async () => {
    const { store, attempts } = fakeStore({ target: { id: "t", url: "https://hooks.slack.com/services/T0/B0/SECRETPATH", format: "slack", secret: "s", enabled: true } });
    const hanging: GuardedFetch = (_url, init) => new Promise((_resolve, reject) => init!.signal!.addEventListener("abort", () => reject(init!.signal!.reason)));
    expect(await deliverWebhook(deps(store, hanging), "d-1")).toMatchObject({ status: "pending", statusCode: null });
    expect(attempts[0]?.error).toBe("The target did not answer within 1 s.");
  });

  it("fails at once when the outbound policy refuses the address, and for a redirect", async () => {
    const refused = fakeStore({});
    const refusing: GuardedFetch = async () => Promise.reject(new TypeError("fetch failed", { cause: new OutboundRefusedError("10.0.0.5", 443, "PULLKEEPER_WEBHOOK_ALLOWED_HOSTS") }));
    expect(await deliverWebhook(deps(refused.store, refusing), "d-1")).toMatchObject({ status: "failed", statusCode: null });
    expect(refused.attempts[0]?.error).toMatch(/does not connect to 10\.0\.0\.5:443.*PULLKEEPER_WEBHOOK_ALLOWED_HOSTS/);
    const redirected = fakeStore({});
    expect(await deliverWebhook(deps(redirected.store, answering(301)), "d-1")).toMatchObject({ status: "failed", statusCode: 301 });
  });

  it("sends nothing to a disabled target, except a test", async () => {
    let sent = 0;
    const counting: GuardedFetch = async () => (sent++, new Response(null, { status: 204 }));
    const disabled = { id: "t", url: "https://a.example.com/", format: "json" as const, secret: "s", enabled: false };
    const off = fakeStore({ target: disabled });
    expect(await deliverWebhook(deps(off.store, counting), "d-1")).toMatchObject({ status: "failed" });
    expect(sent).toBe(0);
    const test = fakeStore({ target: disabled, event: SAMPLE_EVENTS["webhook.test"] });
    expect(await deliverWebhook(deps(test.store, counting), "d-1")).toMatchObject({ status: "delivered" });
    expect(sent).toBe(1);
  });

  it("does nothing when the delivery is not due or another sender holds it", async () => {
    const { store, attempts } = fakeStore(null);
    let sent = 0;
    expect(await deliverWebhook(deps(store, async () => (sent++, new Response())), "d-1")).toEqual({ attempted: false });
    expect(sent + attempts.length).toBe(0);
  });
});

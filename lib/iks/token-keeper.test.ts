import { afterEach, describe, expect, it } from "vitest";
import { createIamTokenKeeper, type IamTokenKeeper } from "./token-keeper";

/** A scripted IAM: each token request is recorded and answered from the queue. */
function fakeIam(answers: Array<{ status: number; body: Record<string, unknown> }>) {
  const requests: Array<{ form: Record<string, string>; authorization: string | null }> = [];
  const fetchFn = (async (_url: string | URL | Request, init?: RequestInit) => {
    requests.push({ form: Object.fromEntries(new URLSearchParams(String(init?.body))), authorization: new Headers(init?.headers).get("authorization") });
    const next = answers.shift() ?? { status: 503, body: {} };
    return new Response(JSON.stringify(next.body), { status: next.status, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch;
  return { requests, fetchFn };
}

const KEY = "secret-api-key-value-0123456789";
const token = (n: number) => ({ status: 200, body: { access_token: `a.${Buffer.from(JSON.stringify({ n })).toString("base64url")}.s`, refresh_token: `refresh-${n}`, expires_in: 100, token_type: "Bearer" } });

let keeper: IamTokenKeeper | undefined;
afterEach(() => keeper?.stop());

describe("IAM token keeper", () => {
  it("exchanges the key as the CLI's client, then renews with the refresh token once 80 % of the lifetime passed", async () => {
    let now = 1_000_000;
    const iam = fakeIam([token(1), token(2)]);
    keeper = createIamTokenKeeper({ iamUrl: "https://iam.example/", apiKey: KEY, fetch: iam.fetchFn, now: () => now });
    const first = await keeper.accessToken();
    expect(iam.requests[0]).toEqual({ form: { grant_type: "urn:ibm:params:oauth:grant-type:apikey", apikey: KEY, response_type: "cloud_iam" }, authorization: `Basic ${Buffer.from("bx:bx").toString("base64")}` });
    now += 79_000;
    expect(await keeper.accessToken()).toBe(first);
    now += 2_000;
    // Due (80 %) but still well before expiry: the caller gets the current token, renewal runs beside it.
    expect(await keeper.accessToken()).toBe(first);
    await new Promise((r) => setTimeout(r, 10));
    const second = await keeper.accessToken();
    expect(second).not.toBe(first);
    expect(iam.requests[1]!.form).toEqual({ grant_type: "refresh_token", refresh_token: "refresh-1", response_type: "cloud_iam" });
    expect(keeper.status()).toMatchObject({ state: "fresh", refreshes: 2, consecutiveFailures: 0 });
  });

  it("falls back to the key when IAM refuses the refresh token", async () => {
    let now = 0;
    const iam = fakeIam([token(1), { status: 400, body: { errorCode: "BXNIM0407E", errorMessage: "expired" } }, token(2)]);
    keeper = createIamTokenKeeper({ iamUrl: "https://iam.example", apiKey: KEY, fetch: iam.fetchFn, now: () => now });
    await keeper.accessToken();
    now += 90_000;
    await keeper.accessToken();
    expect(iam.requests.map((r) => r.form.grant_type)).toEqual(["urn:ibm:params:oauth:grant-type:apikey", "refresh_token", "urn:ibm:params:oauth:grant-type:apikey"]);
    expect(keeper.status().state).toBe("fresh");
  });

  it("keeps serving a valid token while IAM fails, backs off, and never puts a credential in its status or errors", async () => {
    let now = 0;
    const iam = fakeIam([token(1), { status: 503, body: {} }]);
    keeper = createIamTokenKeeper({ iamUrl: "https://iam.example", apiKey: KEY, fetch: iam.fetchFn, now: () => now, initialBackoffMs: 30_000 });
    const first = await keeper.accessToken();
    now += 81_000;
    // Renewal is due and fails in the background; the token is still valid, so it is still handed out.
    expect(await keeper.accessToken()).toBe(first);
    await new Promise((r) => setTimeout(r, 10));
    expect(keeper.status()).toMatchObject({ state: "stale", consecutiveFailures: 1, lastError: "IAM answered 503; it is retried." });
    now += 9_500;
    const retryAt = keeper.status().nextAttemptAt!.getTime();
    expect(retryAt - now).toBeGreaterThan(0);
    // Past the margin and still backing off: callers get the last failure; IAM is not asked again.
    await expect(keeper.accessToken()).rejects.toMatchObject({ kind: "unavailable" });
    expect(iam.requests).toHaveLength(2);
    const seen = JSON.stringify(keeper.status());
    for (const secret of [KEY, first, "refresh-1"]) expect(seen).not.toContain(secret);
  });
});

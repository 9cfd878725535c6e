import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIamClient } from "@/lib/iam";
import { DEMO_ACCOUNT, DEMO_CLUSTER_SERVICE_IDS, DEMO_OPERATOR, DEMO_RESTRICTED_USER } from "@/sim/demo-credentials";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";

/** The simulator's wire contract, checked with plain HTTP as the SDK would see it (ibm-cloud.md §1-3, §7). */

let sim: IbmCloudSim;

beforeAll(async () => {
  sim = await startIbmCloudSim();
});

afterAll(async () => {
  await sim.close();
});

async function token(apikey: string, grant = "urn:ibm:params:oauth:grant-type:apikey") {
  const res = await fetch(`${sim.url}/identity/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({ grant_type: grant, apikey, response_type: "cloud_iam" }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function api(method: string, pathAndQuery: string, bearer: string | undefined, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${sim.url}${pathAndQuery}`, {
    method,
    headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), ...(body ? { "Content-Type": "application/json" } : {}), ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

function claims(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
}

describe("POST /identity/token", () => {
  it("issues a JWT with the claims the SDK and the adapter read", async () => {
    const { status, body } = await token(DEMO_CLUSTER_SERVICE_IDS.modern.apiKey);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, refresh_token: "not_supported", scope: "ibm openid" });
    const c = claims(body.access_token as string);
    expect(c.exp - c.iat).toBe(3600);
    expect(body.expiration).toBe(c.exp);
    expect(c).toMatchObject({ sub_type: "ServiceId", account: { bss: DEMO_ACCOUNT.id }, name: DEMO_CLUSTER_SERVICE_IDS.modern.name });
    expect(c.iam_id).toMatch(/^iam-ServiceId-/);
    expect(c.sub).toBe(c.iam_id.slice(4));
  });

  it("answers an unknown key with 400 BXNIM0415E in the legacy body", async () => {
    const { status, body } = await token(DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey);
    expect(status).toBe(400);
    expect(body).toMatchObject({ errorCode: "BXNIM0415E", errorMessage: "Provided API key could not be found.", context: { requestType: "incoming.Identity_Token", url: sim.url } });
  });

  it("answers a wrong grant type or a missing key with 400", async () => {
    expect((await token(DEMO_OPERATOR.apiKey, "password")).status).toBe(400);
    expect((await token("")).body).toMatchObject({ errorCode: "BXNIM0103E" });
  });
});

describe("IAM API authentication", () => {
  it("401 BXNIM0308E without a header, 401 for a forged or foreign token", async () => {
    const none = await api("GET", `/v1/serviceids?account_id=${DEMO_ACCOUNT.id}`, undefined);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ errorCode: "BXNIM0308E", errorMessage: "No authorization header found", context: { requestType: "incoming.ServiceId_List" } });
    expect((await api("GET", `/v1/serviceids?account_id=${DEMO_ACCOUNT.id}`, "a.b.c")).status).toBe(401);
    const other = await startIbmCloudSim();
    try {
      const res = await fetch(`${other.url}/identity/token`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "urn:ibm:params:oauth:grant-type:apikey", apikey: DEMO_OPERATOR.apiKey }) });
      const foreign = ((await res.json()) as { access_token: string }).access_token;
      expect((await api("GET", `/v1/serviceids?account_id=${DEMO_ACCOUNT.id}`, foreign)).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it("an expired token is refused with 401 BXNIM0407E", async () => {
    let now = Date.parse("2025-01-01T00:00:00Z");
    const clocked = await startIbmCloudSim({ now: () => new Date(now), tokenTtlSeconds: 60 });
    try {
      const { access_token: jwt } = (await (await fetch(`${clocked.url}/identity/token`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "urn:ibm:params:oauth:grant-type:apikey", apikey: DEMO_OPERATOR.apiKey }) })).json()) as { access_token: string };
      now += 61_000;
      const res = await fetch(`${clocked.url}/v1/serviceids?account_id=${DEMO_ACCOUNT.id}`, { headers: { Authorization: `Bearer ${jwt}` } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { errorCode: string }).errorCode).toBe("BXNIM0407E");
    } finally {
      await clocked.close();
    }
  });
});

describe("Identity and policy stores", () => {
  let bearer: string;
  beforeAll(async () => {
    bearer = (await token(DEMO_OPERATOR.apiKey)).body.access_token as string;
  });

  it("paginates service IDs with a next URL carrying pagetoken, keeping the name filter", async () => {
    for (let i = 0; i < 5; i += 1) {
      const created = await api("POST", "/v1/serviceids", bearer, { account_id: DEMO_ACCOUNT.id, name: "paged-id", description: `n${i}` });
      expect(created.status).toBe(201);
      expect(created.headers.get("etag")).toBe(created.body.entity_tag);
      expect(created.body.entity_tag).toMatch(/^1-[0-9a-f]{32}$/);
      expect(created.body.crn).toBe(`crn:v1:bluemix:public:iam-identity::a/${DEMO_ACCOUNT.id}::serviceid:${created.body.id}`);
      expect(created.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d\+0000$/);
    }
    const seen: string[] = [];
    let next: string | undefined = `/v1/serviceids?account_id=${DEMO_ACCOUNT.id}&name=paged-id&pagesize=2`;
    let pages = 0;
    while (next) {
      const page = await api("GET", next, bearer);
      expect(page.status).toBe(200);
      seen.push(...page.body.serviceids.map((s: { description: string }) => s.description));
      next = page.body.next ? new URL(page.body.next).pathname + new URL(page.body.next).search : undefined;
      if (next) expect(next).toMatch(/^\/v1\/serviceids\?pagetoken=/);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(["n0", "n1", "n2", "n3", "n4"]);
    expect((await api("GET", "/v1/serviceids/", bearer)).status).toBe(400);
    expect((await api("GET", `/v1/serviceids?account_id=${DEMO_ACCOUNT.id}&pagesize=101`, bearer)).status).toBe(400);
  });

  it("accepts a service ID's id as iam_id, returns the key value only on create, and maps a value back to its owner", async () => {
    const sid = (await api("POST", "/v1/serviceids/", bearer, { account_id: DEMO_ACCOUNT.id, name: "key-owner" })).body;
    const created = await api("POST", "/v1/apikeys", bearer, { name: "k", iam_id: sid.id, account_id: DEMO_ACCOUNT.id, store_value: false });
    expect(created.status).toBe(201);
    expect(created.body.iam_id).toBe(sid.iam_id);
    expect(created.body.apikey).toHaveLength(44);
    const read = await api("GET", `/v1/apikeys/${created.body.id}`, bearer);
    expect(read.body).not.toHaveProperty("apikey");
    expect(read.headers.get("etag")).toBe(created.body.entity_tag);
    const details = await api("GET", "/v1/apikeys/details", bearer, undefined, { "IAM-ApiKey": created.body.apikey });
    expect(details.body).toMatchObject({ id: created.body.id, iam_id: sid.iam_id, account_id: DEMO_ACCOUNT.id });
    expect(details.body).not.toHaveProperty("apikey");
    const list = await api("GET", `/v1/apikeys?account_id=${DEMO_ACCOUNT.id}&iam_id=${sid.iam_id}`, bearer);
    expect(list.body.apikeys.map((k: { id: string }) => k.id)).toEqual([created.body.id]);

    expect((await api("DELETE", `/v1/serviceids/${sid.id}`, bearer)).status).toBe(204);
    expect((await token(created.body.apikey)).status).toBe(400);
    expect((await api("GET", `/v1/apikeys/${created.body.id}`, bearer)).status).toBe(404);
  });

  it("403 for a caller without the role, with the identity error shape", async () => {
    const viewer = (await token(DEMO_RESTRICTED_USER.apiKey)).body.access_token as string;
    const res = await api("POST", "/v1/serviceids", viewer, { account_id: DEMO_ACCOUNT.id, name: "nope" });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errors: [{ code: "forbidden", message_code: "BXNIM0513E" }], status_code: 403 });
    expect((await api("GET", `/v1/serviceids?account_id=${DEMO_ACCOUNT.id}`, viewer)).status).toBe(200);
  });

  it("validates policies, filters lists, and 404s deleted ones", async () => {
    const bad = await api("POST", "/v1/policies", bearer, { type: "access", subjects: [{ attributes: [{ name: "iam_id", value: "x" }] }], roles: [{ role_id: "crn:v1:bluemix:public:iam::::serviceRole:Reader" }], resources: [{ attributes: [{ name: "serviceName", value: "container-registry" }] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe("invalid_body");
    const noAccount = await api("GET", "/v1/policies", bearer);
    expect(noAccount.status).toBe(400);
    const sid = (await api("POST", "/v1/serviceids", bearer, { account_id: DEMO_ACCOUNT.id, name: "policy-target" })).body;
    const created = await api("POST", "/v1/policies", bearer, {
      type: "access",
      subjects: [{ attributes: [{ name: "iam_id", value: sid.iam_id }] }],
      roles: [{ role_id: "crn:v1:bluemix:public:container-registry::::serviceRole:Reader" }],
      resources: [{ attributes: [{ name: "accountId", value: DEMO_ACCOUNT.id }, { name: "serviceName", value: "container-registry" }, { name: "region", value: "us-south" }] }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: "active", href: `${sim.url}/v1/policies/${created.body.id}`, roles: [{ display_name: "Reader" }] });
    expect(created.body.resources[0].attributes[0].operator).toBe("stringEquals");
    const listed = await api("GET", `/v1/policies?account_id=${DEMO_ACCOUNT.id}&iam_id=${sid.iam_id}&type=access`, bearer);
    expect(listed.body.policies.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
    expect((await api("DELETE", `/v1/policies/${created.body.id}`, bearer)).status).toBe(204);
    expect((await api("GET", `/v1/policies/${created.body.id}`, bearer)).status).toBe(404);
  });
});

describe("control API, stats and persistence", () => {
  it("protects /_sim with the control token and validates faults", async () => {
    expect((await fetch(`${sim.url}/_sim/faults`, { method: "POST", body: "{}" })).status).toBe(401);
    const bad = await fetch(`${sim.url}/_sim/faults`, { method: "POST", headers: { Authorization: `Bearer ${sim.controlToken}`, "Content-Type": "application/json" }, body: JSON.stringify({ errorRate: 2 }) });
    expect(bad.status).toBe(400);
    const ok = await fetch(`${sim.url}/_sim/faults`, { method: "POST", headers: { "X-Sim-Control-Token": sim.controlToken, "Content-Type": "application/json" }, body: JSON.stringify({ failNext: 1, errorStatus: 500, pathPrefix: "/v1/policies" }) });
    expect(ok.status).toBe(200);
    const failed = await api("GET", `/v1/policies?account_id=${DEMO_ACCOUNT.id}`, "irrelevant");
    expect(failed.status).toBe(500);
    const stats = (await (await fetch(`${sim.url}/_sim/stats`, { headers: { Authorization: `Bearer ${sim.controlToken}` } })).json()) as { injected: { errors: number }; byRoute: Record<string, number> };
    expect(stats.injected.errors).toBeGreaterThanOrEqual(1);
    expect(stats.byRoute["GET /v1/policies"]).toBeGreaterThanOrEqual(1);
  });

  it("keeps what was created across a restart with a state file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pk-ibm-sim-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startIbmCloudSim({ stateFile });
      const made = await createIamClient({ apiKey: DEMO_OPERATOR.apiKey, iamUrl: first.url }).findOrCreateServiceId({ name: "persisted-id", description: "p" });
      await first.close();
      const second = await startIbmCloudSim({ stateFile });
      try {
        const again = await createIamClient({ apiKey: DEMO_OPERATOR.apiKey, iamUrl: second.url }).findOrCreateServiceId({ name: "persisted-id", description: "p" });
        expect(again).toEqual({ serviceId: made.serviceId, created: false });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("starts empty when seed is false", async () => {
    const empty = await startIbmCloudSim({ seed: false });
    try {
      expect((await fetch(`${empty.url}/identity/token`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "urn:ibm:params:oauth:grant-type:apikey", apikey: DEMO_OPERATOR.apiKey }) })).status).toBe(400);
    } finally {
      await empty.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIamClient, type IamPort } from "@/lib/iam";
import { DEMO_ACCOUNT, DEMO_CLUSTER_SERVICE_IDS, DEMO_OPERATOR } from "@/sim/demo-credentials";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";

let sim: IbmCloudSim;
let operator: IamPort;

function client(apiKey: string): IamPort {
  return createIamClient({ apiKey, iamUrl: sim.url, timeoutMs: 5_000, retry: { baseDelayMs: 10, maxDelayMs: 100, maxRetries: 1 } });
}

beforeAll(async () => {
  sim = await startIbmCloudSim();
  operator = client(DEMO_OPERATOR.apiKey);
});

afterAll(async () => {
  await sim.close();
});

describe("identifyApiKey: whose key is in a pull secret (GET /v1/apikeys/details)", () => {
  it("names the service ID that owns a cluster's key, without returning the key", async () => {
    const lookup = await operator.identifyApiKey(DEMO_CLUSTER_SERVICE_IDS.regional.apiKey);
    expect(lookup.status).toBe("found");
    if (lookup.status !== "found") return;
    expect(lookup.identity).toMatchObject({
      accountId: DEMO_ACCOUNT.id,
      locked: false,
      disabled: false,
      owner: { kind: "service_id", name: DEMO_CLUSTER_SERVICE_IDS.regional.name },
    });
    expect(lookup.identity.keyId).toMatch(/^ApiKey-/);
    expect(lookup.identity.iamId).toBe(`iam-${(lookup.identity.owner as { serviceId: string }).serviceId}`);
    expect(JSON.stringify(lookup)).not.toContain(DEMO_CLUSTER_SERVICE_IDS.regional.apiKey);
  });

  it("tells a key IAM no longer knows (the revoked one) from a key it does", async () => {
    expect(await operator.identifyApiKey(DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey)).toEqual({ status: "unknown" });
  });

  it("identifies a user's own key as a user key", async () => {
    const lookup = await operator.identifyApiKey(DEMO_OPERATOR.apiKey);
    expect(lookup).toMatchObject({ status: "found", identity: { iamId: DEMO_OPERATOR.iamId, owner: { kind: "user" } } });
  });

  it("reports a key the configured identity may not see as not visible, and a later disable as disabled", async () => {
    const { serviceId } = await operator.findOrCreateServiceId({ name: "lookup-no-access", description: "no iam-identity access" });
    const created = await operator.createApiKey({ serviceIamId: serviceId.iamId, name: "lookup-no-access-key", description: "test" });
    const unprivileged = client(created.apiKey);
    // A service ID with no iam-identity role may not read another identity's key.
    expect(await unprivileged.identifyApiKey(DEMO_CLUSTER_SERVICE_IDS.modern.apiKey)).toEqual({ status: "not_visible" });

    const response = await fetch(`${sim.url}/v1/apikeys/${created.id}/disable`, { method: "POST", headers: { Authorization: `Bearer ${await bearer()}` } });
    expect(response.status).toBe(204);
    const lookup = await operator.identifyApiKey(created.apiKey);
    expect(lookup).toMatchObject({ status: "found", identity: { disabled: true, locked: false, owner: { kind: "service_id", name: "lookup-no-access" } } });
    // A disabled key gets no IAM token.
    await expect(client(created.apiKey).whoAmI()).rejects.toMatchObject({ kind: "unauthorized" });
  });

  it("shows a locked key as locked; IAM refuses to delete it until it is unlocked", async () => {
    const { serviceId } = await operator.findOrCreateServiceId({ name: "lookup-locked", description: "locked key" });
    const created = await operator.createApiKey({ serviceIamId: serviceId.iamId, name: "lookup-locked-key", description: "test" });
    const lock = (method: string) => fetch(`${sim.url}/v1/apikeys/${created.id}/lock`, { method, headers: { Authorization: `Bearer ${token}` } });
    const token = await bearer();
    expect((await lock("POST")).status).toBe(204);
    expect(await operator.identifyApiKey(created.apiKey)).toMatchObject({ status: "found", identity: { locked: true } });
    await expect(operator.deleteApiKey(created.id)).rejects.toMatchObject({ kind: "conflict" });
    expect((await lock("DELETE")).status).toBe(204);
    await operator.deleteApiKey(created.id);
    expect(await operator.identifyApiKey(created.apiKey)).toEqual({ status: "unknown" });
  });
});

async function bearer(): Promise<string> {
  const response = await fetch(`${sim.url}/identity/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "urn:ibm:params:oauth:grant-type:apikey", apikey: DEMO_OPERATOR.apiKey }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

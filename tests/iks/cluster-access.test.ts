import https from "node:https";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createIamTokenKeeper, createKubernetesServiceClient, type IamTokenKeeper } from "@/lib/iks";
import { createKubeGateway, type KubeRequestEvent } from "@/lib/kube";
import { DEMO_CLUSTER_ACCESS_SERVICE_ID, DEMO_CLUSTER_SERVICE_IDS, DEMO_OPERATOR, DEMO_RESTRICTED_USER, DEMO_TEAM_SERVICE_IDS } from "@/sim/demo-credentials";
import { startDemoFleet, type DemoFleet } from "@/sim/fleet";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";

/**
 * Discovering the demo account's clusters through the Kubernetes Service API and reaching
 * them with IAM tokens kept fresh, against the IBM Cloud simulator and sim/kube over real
 * HTTP. IAM tokens live 3 s here (60 s in the demo's fast mode, 20-60 min in reality) so that
 * several lifetimes pass in one test.
 */

const TOKEN_TTL_SECONDS = 3;
let ibm: IbmCloudSim;
let fleet: DemoFleet;
const keepers: IamTokenKeeper[] = [];

beforeAll(async () => {
  ibm = await startIbmCloudSim({ tokenTtlSeconds: TOKEN_TTL_SECONDS });
  fleet = await startDemoFleet({ largeNamespaceCount: 20, iamIssuerUrl: ibm.iamIssuerUrl });
  ibm.setClusters(fleet.ibmClusters());
});

afterAll(async () => {
  await fleet?.close();
  await ibm?.close();
});

afterEach(() => {
  for (const k of keepers.splice(0)) k.stop();
  ibm.setFaults({});
});

function keeper(apiKey: string, extra: { initialBackoffMs?: number; maxBackoffMs?: number } = {}): IamTokenKeeper {
  const k = createIamTokenKeeper({ iamUrl: ibm.url, apiKey, initialBackoffMs: extra.initialBackoffMs ?? 100, maxBackoffMs: extra.maxBackoffMs ?? 500 });
  keepers.push(k);
  return k;
}

function client(tokens: IamTokenKeeper) {
  return createKubernetesServiceClient({ apiUrl: `${ibm.url}/global`, tagsUrl: ibm.url, tokens });
}

function sim(name: string) {
  const s = fleet.sims.find((x) => x.name === name);
  if (!s) throw new Error(`no cluster ${name}`);
  return s;
}

/** One raw GET against a cluster, as any client would send it. */
function rawGet(name: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const s = sim(name);
  return new Promise((resolve, reject) => {
    const req = https.request(`${s.url}/api/v1/namespaces?limit=1`, { ca: s.caPem ?? undefined, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on("error", reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("IAM token endpoint", () => {
  const form = (fields: Record<string, string>, client = true) =>
    fetch(`${ibm.url}/identity/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...(client ? { Authorization: `Basic ${Buffer.from("bx:bx").toString("base64")}` } : {}) },
      body: new URLSearchParams(fields),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it("gives a service ID's key a refresh token for the CLI client, and renews with it", async () => {
    const plain = await form({ grant_type: "urn:ibm:params:oauth:grant-type:apikey", apikey: DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey }, false);
    expect(plain.body.refresh_token).toBe("not_supported");
    const first = await form({ grant_type: "urn:ibm:params:oauth:grant-type:apikey", apikey: DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey });
    expect(first.body).toMatchObject({ token_type: "Bearer", expires_in: TOKEN_TTL_SECONDS, refresh_token: expect.stringMatching(/^[\w-]{20,}$/), refresh_token_expiration: expect.any(Number) });
    const renewed = await form({ grant_type: "refresh_token", refresh_token: first.body.refresh_token as string });
    expect(renewed.status).toBe(200);
    expect(renewed.body.access_token).not.toBe(first.body.access_token);
    const unknown = await form({ grant_type: "refresh_token", refresh_token: "not-a-refresh-token" });
    expect(unknown).toMatchObject({ status: 400, body: { errorCode: "BXNIM0407E" } });
  });

  it("publishes the keys that verify its tokens (OIDC discovery, JWKS)", async () => {
    const discovery = (await (await fetch(`${ibm.iamIssuerUrl}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer: ibm.iamIssuerUrl, jwks_uri: `${ibm.iamIssuerUrl}/keys` });
    const jwks = (await (await fetch(discovery.jwks_uri as string)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: "RSA", alg: "RS256", use: "sig", kid: expect.any(String) })]);
  });
});

describe("discovery", () => {
  it("lists the demo account's clusters with region, version, resource group and tags", async () => {
    const k = keeper(DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey);
    const clusters = await client(k).listClusters();
    expect(clusters.map((c) => c.name)).toEqual(["large", "legacy", "modern", "regional"]);
    const legacy = clusters.find((c) => c.name === "legacy")!;
    expect(legacy).toMatchObject({ region: "us-south", location: "dal10", kubeVersion: "1.27.16", type: "kubernetes", provider: "classic", state: "normal", resourceGroupName: "default", publicEndpoint: sim("legacy").url, privateEndpoint: null });
    expect(legacy.tags).toEqual(["env:prod", "generation:2018", "team:platform"]);
    expect(clusters.find((c) => c.name === "modern")).toMatchObject({ region: "us-east", kubeVersion: "1.31.4", provider: "vpc-gen2", resourceGroupName: "prod", tags: ["env:prod", "team:a"] });
  });

  it("narrows the list to one resource group with X-Auth-Resource-Group", async () => {
    const k = keeper(DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey);
    const all = await client(k).listClusters();
    const prod = all.find((c) => c.name === "regional")!.resourceGroupId;
    const inProd = await client(k).listClusters({ resourceGroupId: prod });
    expect(inProd.map((c) => c.name)).toEqual(["modern", "regional"]);
  });

  it("shows no cluster to a key without any Kubernetes Service role (IBM answers an empty list)", async () => {
    const k = keeper(DEMO_TEAM_SERVICE_IDS.payments.apiKey);
    expect(await client(k).listClusters()).toEqual([]);
  });

  it("gets the cluster's server and CA from the kubeconfig ZIP, which authenticates with IAM (oidc)", async () => {
    const k = keeper(DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey);
    const access = await client(k).getClusterAccess("modern");
    expect(access).toEqual({ clusterId: expect.stringMatching(/^c[0-9a-f]{19}$/), clusterName: "modern", server: sim("modern").url, caPem: sim("modern").caPem, authentication: "oidc" });
  });

  it("tells a key that may list but has no service role what to grant", async () => {
    const k = keeper(DEMO_RESTRICTED_USER.apiKey);
    expect((await client(k).listClusters()).length).toBe(4);
    await expect(client(k).getClusterAccess("legacy")).rejects.toMatchObject({ kind: "forbidden", operation: "get_kubeconfig", message: expect.stringContaining("Reader, Writer or Manager service access role") });
  });

  it("says when a cluster is unknown or has no private endpoint", async () => {
    const k = keeper(DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey);
    await expect(client(k).getClusterAccess("deleted-cluster")).rejects.toMatchObject({ kind: "not_found", message: expect.stringContaining("could not be found") });
    await expect(client(k).getClusterAccess("modern", { endpoint: "private" })).rejects.toMatchObject({ kind: "invalid", message: expect.stringContaining("no private service endpoint") });
  });
});

describe("IAM tokens at the cluster", () => {
  it("is Forbidden until the Kubernetes Service has synced the key's role into RBAC, then allowed", async () => {
    const k = keeper(DEMO_OPERATOR.apiKey);
    const token = await k.accessToken();
    const before = await rawGet("regional", token);
    expect(before.status).toBe(403);
    expect(before.body).toMatchObject({ kind: "Status", reason: "Forbidden", message: expect.stringContaining('User "IAM#platform-admin@example.com" cannot list resource "namespaces"') });
    await client(k).getClusterAccess("regional");
    expect((await rawGet("regional", token)).status).toBe(200);
  });

  it("refuses an expired IAM token with 401 Unauthorized, as an API server does", async () => {
    const k = keeper(DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey);
    await client(k).getClusterAccess("legacy");
    const token = await k.accessToken();
    expect((await rawGet("legacy", token)).status).toBe(200);
    await sleep(TOKEN_TTL_SECONDS * 1000 + 300);
    const after = await rawGet("legacy", token);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Unauthorized", code: 401, message: "Unauthorized" });
  });

  it("refuses a token signed by another IAM", async () => {
    const other = await startIbmCloudSim({ tokenTtlSeconds: 60 });
    try {
      const k = createIamTokenKeeper({ iamUrl: other.url, apiKey: DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey });
      keepers.push(k);
      expect((await rawGet("legacy", await k.accessToken())).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it("keeps a cluster reachable across many token lifetimes without a 401 reaching the caller", async () => {
    const k = keeper(DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey);
    await k.start();
    const access = await client(k).getClusterAccess("modern");
    const events: KubeRequestEvent[] = [];
    const gateway = createKubeGateway({
      kubeconfigPaths: [],
      tokenClusters: [{ name: "ibm-modern", server: access.server, caPem: access.caPem, token: () => k.accessToken() }],
      onRequest: (e) => events.push(e),
    });
    try {
      const started = Date.now();
      let reads = 0;
      // Four lifetimes of reading, as a scan loop would.
      while (Date.now() - started < TOKEN_TTL_SECONDS * 4 * 1000) {
        const inventory = await gateway.readPullSecretInventory("ibm-modern");
        expect(inventory.namespaces.length).toBeGreaterThan(0);
        reads += 1;
        await sleep(150);
      }
      expect(reads).toBeGreaterThan(10);
      // Not one request was refused or retried: every attempt the transport made got a 200.
      expect(events.length).toBeGreaterThan(reads);
      expect(events.filter((e) => e.code !== "200")).toEqual([]);
      expect(k.status()).toMatchObject({ state: "fresh", consecutiveFailures: 0 });
      expect(k.status().refreshes).toBeGreaterThanOrEqual(4);
    } finally {
      gateway.close();
    }
  });
});

describe("bad keys and an unreachable IAM", () => {
  it("fails a revoked key with a clear message and no secret in it", async () => {
    const k = keeper(DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey);
    const error = await k.start().then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ kind: "unauthorized", operation: "iam_token", ibmCode: "BXNIM0415E", message: expect.stringContaining("IAM does not accept this API key") });
    expect(JSON.stringify({ message: (error as Error).message, status: k.status() })).not.toContain(DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey);
    expect(k.status()).toMatchObject({ state: "failed", consecutiveFailures: 1 });
    await expect(client(k).listClusters()).rejects.toMatchObject({ kind: "unauthorized" });
  });

  it("goes stale while IAM is unreachable and recovers by itself when it answers again", async () => {
    const k = keeper(DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey, { initialBackoffMs: 100, maxBackoffMs: 400 });
    await k.start();
    const first = await k.accessToken();
    ibm.setFaults({ errorRate: 1, errorStatus: 503, pathPrefix: "/identity/token" });
    // Past the renewal point (80 %) and past expiry: renewals fail, the keeper says so.
    await sleep(TOKEN_TTL_SECONDS * 1000 + 300);
    expect(k.status()).toMatchObject({ state: "stale", lastError: expect.stringContaining("IAM answered 503") });
    expect(k.status().consecutiveFailures).toBeGreaterThan(1);
    await expect(k.accessToken()).rejects.toMatchObject({ kind: "unavailable" });
    ibm.setFaults({});
    await sleep(600);
    expect(k.status()).toMatchObject({ state: "fresh", consecutiveFailures: 0, lastError: null });
    const next = await k.accessToken();
    expect(next).not.toBe(first);
    await client(k).getClusterAccess("large");
    expect((await rawGet("large", next)).status).toBe(200);
  });
});

import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addIbmClusters, connectAccount, discoverClusters, evaluateJoinRules, type AccountPorts } from "@/lib/clusters/accounts";
import { createIamClient } from "@/lib/iam";
import { createIamTokenKeeper, createKubernetesServiceClient, type TokenKeeperStatus } from "@/lib/iks";
import type { KubeRequestEvent } from "@/lib/kube";
import { CREDENTIAL_CANARY, DEMO_CLUSTER_ACCESS_SERVICE_ID, DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { startClusterConnectionsHarness, type ClusterConnectionsHarness } from "../support/cluster-connections-harness";
import { PROVIDERS } from "../support/databases";

/**
 * Connecting the demo IBM Cloud account, discovering its clusters and scanning them through the live
 * gateway, on the simulators and both databases. IAM tokens live 3 s here so that many lifetimes pass
 * in one test; a kubeconfig file edit is picked up by the same gateway without a restart.
 */

const TOKEN_TTL_SECONDS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(PROVIDERS)("cluster connections on the simulators (%s)", (provider) => {
  let ibm: IbmCloudSim;
  let harness: ClusterConnectionsHarness;
  let ports: AccountPorts;
  const events: KubeRequestEvent[] = [];
  const renewals: TokenKeeperStatus[] = [];

  beforeAll(async () => {
    ibm = await startIbmCloudSim({ tokenTtlSeconds: TOKEN_TTL_SECONDS });
    harness = await startClusterConnectionsHarness(provider, {
      fleet: { largeNamespaceCount: 5, iamIssuerUrl: ibm.iamIssuerUrl },
      onRequest: (e) => events.push(e),
      createKeeper: (apiKey, onChange) => createIamTokenKeeper({ iamUrl: ibm.url, apiKey, initialBackoffMs: 100, maxBackoffMs: 500, onChange: (s) => (renewals.push(s), onChange(s)) }),
    });
    const { fleet, store, connections, gateway } = harness;
    ibm.setClusters(fleet.ibmClusters());
    ports = {
      store,
      connections,
      identifyKey: (apiKey) => createIamClient({ apiKey, iamUrl: ibm.url, retry: { maxRetries: 0 } }).identifyApiKey(apiKey),
      kubernetesService: (tokens) => createKubernetesServiceClient({ apiUrl: `${ibm.url}/global`, tagsUrl: ibm.url, tokens }),
      reservedNames: () => gateway.listAllClusters().filter((c) => c.sourceFile !== null).map((c) => c.name),
    };
  });

  afterAll(async () => {
    await harness?.close();
    await ibm?.close();
  });

  it("refuses a revoked or mistyped key with a clear message and stores nothing", async () => {
    for (const key of [DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey, `not-a-key-${CREDENTIAL_CANARY}`]) {
      const failure = (await connectAccount(ports, { displayName: "Wrong", apiKey: key }, "admin@example.com").catch((e: unknown) => e)) as Error;
      expect(failure).toMatchObject({ source: "clusters", kind: "invalid", message: expect.stringMatching(/IAM does not (accept|know) this API key.*Nothing was stored/) });
      expect(failure.message).not.toContain(CREDENTIAL_CANARY);
    }
    expect(await harness.store.listAccounts()).toEqual([]);
  });

  it("connects the demo account, showing whose key it is, and discovers the demo fleet's clusters", async () => {
    const account = await connectAccount(ports, { displayName: "Demo account", apiKey: DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey }, "admin@example.com");
    // The owner's name shows only where the key may read its own service ID; its id always does.
    expect(account).toMatchObject({ ownerKind: "service_id", ownerIamId: expect.stringMatching(/^iam-ServiceId-/), apiKeyName: expect.any(String), ibmAccountId: expect.any(String) });
    const found = await discoverClusters(ports, account.id);
    expect(found.map((c) => c.name).sort()).toEqual(harness.fleet.ibmClusters().map((c) => c.name).sort());
    expect(found.every((c) => c.addedAs === null && c.region && c.kubeVersion && c.state && c.resourceGroupName)).toBe(true);
  });

  it("adds clusters (renamed when a kubeconfig context has the name) and scans them through the live gateway", async () => {
    const [account] = await harness.store.listAccounts();
    const found = await discoverClusters(ports, account!.id);
    const modern = found.find((c) => c.name === "modern")!;
    const outcomes = await addIbmClusters(ports, account!.id, [{ iksClusterId: modern.id, endpoint: "public" }], "admin@example.com");
    expect(outcomes).toEqual([{ iksClusterId: modern.id, name: `modern-${modern.region}`, ok: true }]);
    const name = outcomes[0]!.name;
    expect(harness.gateway.listClusters().map((c) => c.name)).toContain(name);
    const inventory = await harness.gateway.readPullSecretInventory(name);
    expect(inventory.namespaces.length).toBeGreaterThan(0);
    expect((await discoverClusters(ports, account!.id)).find((c) => c.id === modern.id)?.addedAs).toBe(name);
    // Adding it again is refused with the reason, and nothing else changes.
    const again = await addIbmClusters(ports, account!.id, [{ iksClusterId: modern.id, endpoint: "public", name: "modern-twice" }], "second@example.com");
    expect(again).toEqual([expect.objectContaining({ ok: false, error: expect.stringMatching(/already connected as "modern-/) })]);
  });

  it("never fails a scan on an expired token across many token lifetimes, and counts the renewals", async () => {
    const name = (await harness.store.listClusters()).find((c) => c.source === "ibm")!.name;
    const before = renewals.length;
    const firstEvent = events.length;
    const started = Date.now();
    let scans = 0;
    while (Date.now() - started < TOKEN_TTL_SECONDS * 5 * 1000) {
      expect((await harness.gateway.readPullSecretInventory(name)).namespaces.length).toBeGreaterThan(0);
      scans += 1;
      await sleep(400);
    }
    const ours = events.slice(firstEvent).filter((e) => e.cluster === name);
    expect(ours.filter((e) => e.code === "401")).toEqual([]);
    const refreshes = renewals.length - before;
    expect(refreshes).toBeGreaterThanOrEqual(4);
    const stored = (await harness.store.getCluster(name))!;
    expect(stored.lastRefreshAt).not.toBeNull();
    expect(stored.lastError).toBeNull();
    console.info(`[refresh] ${provider}: ${scans} scans over ${((Date.now() - started) / 1000).toFixed(1)} s, ${refreshes} token refreshes (TTL ${TOKEN_TTL_SECONDS} s, ${(refreshes / ((Date.now() - started) / 3_600_000)).toFixed(0)} per cluster per hour), 0 requests refused for an expired token`);
  });

  it("goes stale while IAM is unreachable and is fresh again without anyone acting", async () => {
    const [account] = await harness.store.listAccounts();
    ibm.setFaults({ errorRate: 1, errorStatus: 503, pathPrefix: "/identity/token" });
    await expect.poll(() => harness.connections.keeperStatus(account!.id)?.state, { timeout: 10_000, interval: 100 }).toBe("stale");
    const name = (await harness.store.listClusters()).find((c) => c.source === "ibm")!.name;
    await expect.poll(async () => (await harness.store.getCluster(name))?.lastError ?? "", { timeout: 5_000, interval: 100 }).toMatch(/IAM could not renew the token/);
    ibm.setFaults({});
    await expect.poll(() => harness.connections.keeperStatus(account!.id)?.state, { timeout: 10_000, interval: 100 }).toBe("fresh");
    await expect.poll(async () => (await harness.store.getCluster(name))?.lastError, { timeout: 5_000, interval: 100 }).toBeNull();
    expect((await harness.gateway.readPullSecretInventory(name)).namespaces.length).toBeGreaterThan(0);
  });

  it("adds the clusters a join rule takes, once", async () => {
    const [account] = await harness.store.listAccounts();
    const legacy = (await discoverClusters(ports, account!.id)).find((c) => c.name === "legacy")!;
    await harness.store.addJoinRule({ accountId: account!.id, resourceGroup: legacy.resourceGroupName, tag: legacy.tags[0] ?? null, endpoint: "public" }, "admin@example.com");
    const first = await evaluateJoinRules(ports, account!.id);
    expect(first[0]!.added.map((o) => o.ok)).not.toContain(false);
    expect(first[0]!.added.map((o) => o.iksClusterId)).toContain(legacy.id);
    expect((await evaluateJoinRules(ports, account!.id))[0]!.added).toEqual([]);
    const joined = (await harness.store.listClusters()).find((c) => c.iksClusterId === legacy.id)!;
    expect(joined.joinedBy).toMatch(/^rule:/);
  });

  it("shows stored clusters as the API server names the IAM token (1.27's v1beta1 too), never the internal token-source user", async () => {
    const stored = (await harness.store.listClusters()).filter((c) => c.source === "ibm");
    const versions = new Set<string>();
    for (const c of stored) {
      expect(harness.gateway.listAllClusters().find((g) => g.name === c.name)?.auth).toBe("token-source");
      const probe = await harness.gateway.probe(c.name);
      expect(probe, c.name).toMatchObject({ status: "reachable", identity: { username: expect.stringMatching(/^IAM#/), source: "self-subject-review" } });
      expect(JSON.stringify(probe)).not.toContain("token-source");
      versions.add(probe.serverVersion!.split(".")[1]!);
    }
    expect(versions).toContain("27");
  });

  it("leaves a disabled cluster out of the list but reachable by name, and drops a removed one", async () => {
    const name = (await harness.store.listClusters()).find((c) => c.source === "ibm")!.name;
    await harness.store.updateCluster(name, { disabled: true }, "admin@example.com");
    await harness.connections.sync();
    expect(harness.gateway.listClusters().map((c) => c.name)).not.toContain(name);
    expect(harness.gateway.listAllClusters().find((c) => c.name === name)?.disabled).toBe(true);
    expect((await harness.gateway.probe(name)).status).toBe("reachable");
    await harness.store.removeCluster(name);
    await harness.connections.sync();
    expect(harness.gateway.listAllClusters().map((c) => c.name)).not.toContain(name);
    await expect(Promise.resolve().then(() => harness.gateway.readPullSecretInventory(name))).rejects.toMatchObject({ kind: "not_found" });
  });

  it("picks up a kubeconfig file edit without a restart", async () => {
    const file = path.join(harness.kubeconfigDir, "config");
    const before = harness.gateway.listClusters().filter((c) => c.sourceFile).map((c) => c.name);
    expect(before).toContain("legacy");
    const edited = fs.readFileSync(file, "utf8").replace(/- name: "?legacy"?\n {2}context:/, "- name: legacy-renamed\n  context:");
    expect(edited).toContain("legacy-renamed");
    fs.writeFileSync(file, edited);
    await expect.poll(() => harness.gateway.listClusters().map((c) => c.name), { timeout: 5_000, interval: 100 }).toContain("legacy-renamed");
    expect((await harness.gateway.probe("legacy-renamed")).status).toBe("reachable");
  });
});

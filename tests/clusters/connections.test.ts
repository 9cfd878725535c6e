import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addIbmClusters, connectAccount, discoverClusters, evaluateJoinRules, type AccountPorts } from "@/lib/clusters/accounts";
import { createClusterConnections, type ClusterConnections } from "@/lib/clusters/connections";
import { createClusterStore, type ClusterStore } from "@/lib/clusters/store";
import type { DatabaseConnection } from "@/lib/db/client";
import { createIamClient } from "@/lib/iam";
import { createIamTokenKeeper, createKubernetesServiceClient, type TokenKeeperStatus } from "@/lib/iks";
import { createKubeGateway, type KubeGatewayExtras, type KubeRequestEvent } from "@/lib/kube";
import type { KubeGateway } from "@/lib/kube/port";
import { createCredentialCipher } from "@/lib/sealing/credential-cipher";
import { CREDENTIAL_CANARY, DEMO_CLUSTER_ACCESS_SERVICE_ID, DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import { startDemoFleet, type DemoFleet } from "@/sim/fleet";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { createMigratedDatabase, PROVIDERS, type ScratchDatabase } from "../support/databases";

/**
 * Connecting the demo IBM Cloud account, discovering its clusters and scanning them through the live
 * gateway, on the simulators and both databases. IAM tokens live 3 s here so that many lifetimes pass
 * in one test; a kubeconfig file edit is picked up by the same gateway without a restart.
 */

const TOKEN_TTL_SECONDS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(PROVIDERS)("cluster connections on the simulators (%s)", (provider) => {
  let ibm: IbmCloudSim;
  let fleet: DemoFleet;
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  let store: ClusterStore;
  let gateway: KubeGateway & KubeGatewayExtras;
  let connections: ClusterConnections;
  let ports: AccountPorts;
  let kubeconfigDir: string;
  const events: KubeRequestEvent[] = [];
  const renewals: TokenKeeperStatus[] = [];

  beforeAll(async () => {
    ibm = await startIbmCloudSim({ tokenTtlSeconds: TOKEN_TTL_SECONDS });
    fleet = await startDemoFleet({ largeNamespaceCount: 5, iamIssuerUrl: ibm.iamIssuerUrl });
    ibm.setClusters(fleet.ibmClusters());
    ({ scratch, connection } = await createMigratedDatabase(provider));
    store = createClusterStore(connection.prisma, createCredentialCipher(Buffer.alloc(32, 7)));
    kubeconfigDir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-kubeconfigs-"));
    fs.writeFileSync(path.join(kubeconfigDir, "config"), fleet.kubeconfig.replace(/current-context: .*/, ""));
    gateway = createKubeGateway({
      kubeconfigPaths: () => fs.readdirSync(kubeconfigDir).map((f) => path.join(kubeconfigDir, f)),
      watchKubeconfigs: { pollMs: 250, debounceMs: 50 },
      onRequest: (e) => events.push(e),
    });
    connections = createClusterConnections({
      store,
      gateway,
      createKeeper: (apiKey, onChange) => createIamTokenKeeper({ iamUrl: ibm.url, apiKey, initialBackoffMs: 100, maxBackoffMs: 500, onChange: (s) => (renewals.push(s), onChange(s)) }),
    });
    ports = {
      store,
      connections,
      identifyKey: (apiKey) => createIamClient({ apiKey, iamUrl: ibm.url, retry: { maxRetries: 0 } }).identifyApiKey(apiKey),
      kubernetesService: (tokens) => createKubernetesServiceClient({ apiUrl: `${ibm.url}/global`, tagsUrl: ibm.url, tokens }),
      reservedNames: () => gateway.listAllClusters().filter((c) => c.sourceFile !== null).map((c) => c.name),
    };
  });

  afterAll(async () => {
    connections?.stop();
    gateway?.close();
    await connection?.close();
    await scratch?.drop();
    await fleet?.close();
    await ibm?.close();
  });

  it("refuses a revoked or mistyped key with a clear message and stores nothing", async () => {
    for (const key of [DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey, `not-a-key-${CREDENTIAL_CANARY}`]) {
      const failure = (await connectAccount(ports, { displayName: "Wrong", apiKey: key }, "admin@example.com").catch((e: unknown) => e)) as Error;
      expect(failure).toMatchObject({ source: "clusters", kind: "invalid", message: expect.stringMatching(/IAM does not (accept|know) this API key.*Nothing was stored/) });
      expect(failure.message).not.toContain(CREDENTIAL_CANARY);
    }
    expect(await store.listAccounts()).toEqual([]);
  });

  it("connects the demo account, showing whose key it is, and discovers the demo fleet's clusters", async () => {
    const account = await connectAccount(ports, { displayName: "Demo account", apiKey: DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey }, "admin@example.com");
    // The owner's name shows only where the key may read its own service ID; its id always does.
    expect(account).toMatchObject({ ownerKind: "service_id", ownerIamId: expect.stringMatching(/^iam-ServiceId-/), apiKeyName: expect.any(String), ibmAccountId: expect.any(String) });
    const found = await discoverClusters(ports, account.id);
    expect(found.map((c) => c.name).sort()).toEqual(fleet.ibmClusters().map((c) => c.name).sort());
    expect(found.every((c) => c.addedAs === null && c.region && c.kubeVersion && c.state && c.resourceGroupName)).toBe(true);
  });

  it("adds clusters (renamed when a kubeconfig context has the name) and scans them through the live gateway", async () => {
    const [account] = await store.listAccounts();
    const found = await discoverClusters(ports, account!.id);
    const modern = found.find((c) => c.name === "modern")!;
    const outcomes = await addIbmClusters(ports, account!.id, [{ iksClusterId: modern.id, endpoint: "public" }], "admin@example.com");
    expect(outcomes).toEqual([{ iksClusterId: modern.id, name: `modern-${modern.region}`, ok: true }]);
    const name = outcomes[0]!.name;
    expect(gateway.listClusters().map((c) => c.name)).toContain(name);
    const inventory = await gateway.readPullSecretInventory(name);
    expect(inventory.namespaces.length).toBeGreaterThan(0);
    expect((await discoverClusters(ports, account!.id)).find((c) => c.id === modern.id)?.addedAs).toBe(name);
    // Adding it again is refused with the reason, and nothing else changes.
    const again = await addIbmClusters(ports, account!.id, [{ iksClusterId: modern.id, endpoint: "public", name: "modern-twice" }], "second@example.com");
    expect(again).toEqual([expect.objectContaining({ ok: false, error: expect.stringMatching(/already connected as "modern-/) })]);
  });

  it("never fails a scan on an expired token across many token lifetimes, and counts the renewals", async () => {
    const name = (await store.listClusters()).find((c) => c.source === "ibm")!.name;
    const before = renewals.length;
    const firstEvent = events.length;
    const started = Date.now();
    let scans = 0;
    while (Date.now() - started < TOKEN_TTL_SECONDS * 5 * 1000) {
      expect((await gateway.readPullSecretInventory(name)).namespaces.length).toBeGreaterThan(0);
      scans += 1;
      await sleep(400);
    }
    const ours = events.slice(firstEvent).filter((e) => e.cluster === name);
    expect(ours.filter((e) => e.code === "401")).toEqual([]);
    const refreshes = renewals.length - before;
    expect(refreshes).toBeGreaterThanOrEqual(4);
    const stored = (await store.getCluster(name))!;
    expect(stored.lastRefreshAt).not.toBeNull();
    expect(stored.lastError).toBeNull();
    console.info(`[refresh] ${provider}: ${scans} scans over ${((Date.now() - started) / 1000).toFixed(1)} s, ${refreshes} token refreshes (TTL ${TOKEN_TTL_SECONDS} s, ${(refreshes / ((Date.now() - started) / 3_600_000)).toFixed(0)} per cluster per hour), 0 requests refused for an expired token`);
  });

  it("goes stale while IAM is unreachable and is fresh again without anyone acting", async () => {
    const [account] = await store.listAccounts();
    ibm.setFaults({ errorRate: 1, errorStatus: 503, pathPrefix: "/identity/token" });
    await expect.poll(() => connections.keeperStatus(account!.id)?.state, { timeout: 10_000, interval: 100 }).toBe("stale");
    const name = (await store.listClusters()).find((c) => c.source === "ibm")!.name;
    await expect.poll(async () => (await store.getCluster(name))?.lastError ?? "", { timeout: 5_000, interval: 100 }).toMatch(/IAM could not renew the token/);
    ibm.setFaults({});
    await expect.poll(() => connections.keeperStatus(account!.id)?.state, { timeout: 10_000, interval: 100 }).toBe("fresh");
    await expect.poll(async () => (await store.getCluster(name))?.lastError, { timeout: 5_000, interval: 100 }).toBeNull();
    expect((await gateway.readPullSecretInventory(name)).namespaces.length).toBeGreaterThan(0);
  });

  it("adds the clusters a join rule takes, once", async () => {
    const [account] = await store.listAccounts();
    const legacy = (await discoverClusters(ports, account!.id)).find((c) => c.name === "legacy")!;
    await store.addJoinRule({ accountId: account!.id, resourceGroup: legacy.resourceGroupName, tag: legacy.tags[0] ?? null, endpoint: "public" }, "admin@example.com");
    const first = await evaluateJoinRules(ports, account!.id);
    expect(first[0]!.added.map((o) => o.ok)).not.toContain(false);
    expect(first[0]!.added.map((o) => o.iksClusterId)).toContain(legacy.id);
    expect((await evaluateJoinRules(ports, account!.id))[0]!.added).toEqual([]);
    const joined = (await store.listClusters()).find((c) => c.iksClusterId === legacy.id)!;
    expect(joined.joinedBy).toMatch(/^rule:/);
  });

  it("shows stored clusters as the API server names the IAM token (1.27's v1beta1 too), never the internal token-source user", async () => {
    const stored = (await store.listClusters()).filter((c) => c.source === "ibm");
    const versions = new Set<string>();
    for (const c of stored) {
      expect(gateway.listAllClusters().find((g) => g.name === c.name)?.auth).toBe("token-source");
      const probe = await gateway.probe(c.name);
      expect(probe, c.name).toMatchObject({ status: "reachable", identity: { username: expect.stringMatching(/^IAM#/), source: "self-subject-review" } });
      expect(JSON.stringify(probe)).not.toContain("token-source");
      versions.add(probe.serverVersion!.split(".")[1]!);
    }
    expect(versions).toContain("27");
  });

  it("leaves a disabled cluster out of the list but reachable by name, and drops a removed one", async () => {
    const name = (await store.listClusters()).find((c) => c.source === "ibm")!.name;
    await store.updateCluster(name, { disabled: true }, "admin@example.com");
    await connections.sync();
    expect(gateway.listClusters().map((c) => c.name)).not.toContain(name);
    expect(gateway.listAllClusters().find((c) => c.name === name)?.disabled).toBe(true);
    expect((await gateway.probe(name)).status).toBe("reachable");
    await store.removeCluster(name);
    await connections.sync();
    expect(gateway.listAllClusters().map((c) => c.name)).not.toContain(name);
    await expect(Promise.resolve().then(() => gateway.readPullSecretInventory(name))).rejects.toMatchObject({ kind: "not_found" });
  });

  it("picks up a kubeconfig file edit without a restart", async () => {
    const file = path.join(kubeconfigDir, "config");
    const before = gateway.listClusters().filter((c) => c.sourceFile).map((c) => c.name);
    expect(before).toContain("legacy");
    const edited = fs.readFileSync(file, "utf8").replace(/- name: "?legacy"?\n {2}context:/, "- name: legacy-renamed\n  context:");
    expect(edited).toContain("legacy-renamed");
    fs.writeFileSync(file, edited);
    await expect.poll(() => gateway.listClusters().map((c) => c.name), { timeout: 5_000, interval: 100 }).toContain("legacy-renamed");
    expect((await gateway.probe("legacy-renamed")).status).toBe("reachable");
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaAuditStore } from "@/lib/audit/prisma-audit-store";
import type { AuditStore } from "@/lib/audit/port";
import { listAdminClusters, removeIbmCluster, setClusterDisabled, testClusterConnection, updateClusterDetails, type ClusterAdminPorts } from "@/lib/clusters/admin";
import { createClusterConnections, type ClusterConnections } from "@/lib/clusters/connections";
import { createClusterStore, type ClusterStore } from "@/lib/clusters/store";
import type { DatabaseConnection } from "@/lib/db/client";
import type { IamTokenKeeper } from "@/lib/iks";
import { createKubeGateway, type KubeGatewayExtras } from "@/lib/kube";
import type { KubeGateway } from "@/lib/kube/port";
import { createCredentialCipher } from "@/lib/sealing/credential-cipher";
import { startKubeSim, type KubeSim } from "@/sim/kube";
import { smallClusterObjects } from "../kube/support";
import { createMigratedDatabase, PROVIDERS, type ScratchDatabase } from "../support/databases";

/**
 * The admin clusters page's operations over the real store, audit log and gateway, on SQLite and PostgreSQL:
 * one Kubernetes simulator is reached three ways at once (a kubeconfig context, an "IBM Cloud" cluster whose
 * account token is the simulator's viewer token, and a registered cluster with a service-account-like token).
 * Every refused change leaves the store, the gateway and the audit log as they were.
 */

const ADMIN = { email: "clusters-admin@example.com", role: "admin" };
const OTHER_ADMIN = { email: "other-admin@example.com", role: "admin" };
const API_KEY = "ibm-api-key-canary-0123456789";

/** The account's token keeper, handing out the simulator's viewer token the way lib/iks hands out IAM's. */
function fixedKeeper(token: string): IamTokenKeeper {
  const status = { state: "fresh" as const, expiresAt: new Date(Date.now() + 20 * 60_000), lastRefreshedAt: new Date(), refreshes: 1, consecutiveFailures: 0, lastError: null, nextAttemptAt: null };
  return { start: async () => {}, stop: () => {}, status: () => status, accessToken: async () => token, refreshToken: async () => "refresh" } as unknown as IamTokenKeeper;
}

describe.each(PROVIDERS)("admin clusters page operations (%s)", (provider) => {
  let sim: KubeSim;
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  let store: ClusterStore;
  let audit: AuditStore;
  let gateway: KubeGateway & KubeGatewayExtras;
  let connections: ClusterConnections;
  let ports: ClusterAdminPorts;
  let dir: string;

  beforeAll(async () => {
    sim = await startKubeSim({ name: "sim", objects: smallClusterObjects() });
    ({ scratch, connection } = await createMigratedDatabase(provider));
    store = createClusterStore(connection.prisma, createCredentialCipher(Buffer.alloc(32, 9)));
    audit = createPrismaAuditStore(connection.prisma, connection.provider);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-admin-clusters-"));
    fs.writeFileSync(path.join(dir, "config"), sim.kubeconfig({ user: "admin", contextName: "kc-admin" }));
    gateway = createKubeGateway({ kubeconfigPaths: [path.join(dir, "config")] });
    connections = createClusterConnections({ store, gateway, createKeeper: () => fixedKeeper(sim.tokens.viewer!) });
    const account = await store.addAccount(
      { displayName: "Demo account", apiKey: API_KEY, apiKeyId: "ApiKey-1", apiKeyName: "pullkeeper", ownerIamId: "iam-ServiceId-1", ownerKind: "service_id", ownerName: "pullkeeper", ibmAccountId: "acc-1", keyCreatedAt: null },
      ADMIN.email,
    );
    await store.saveIbmCluster({ name: "iks-eu", accountId: account.id, iksClusterId: "c1", iksRegion: "eu-de", iksResourceGroup: "default", iksTags: [], endpoint: "public", server: sim.url, caPem: sim.caPem }, ADMIN.email);
    await store.saveRegisteredCluster({ name: "registered-ok", server: sim.url, caPem: sim.caPem, token: sim.tokens.viewer! }, ADMIN.email);
    await store.saveRegisteredCluster({ name: "registered-revoked", server: sim.url, caPem: sim.caPem, token: "revoked-token-canary" }, ADMIN.email);
    await connections.sync();
    ports = { store, audit, gateway, sync: () => connections.sync() };
  });

  afterAll(async () => {
    connections?.stop();
    gateway?.close();
    await connection?.close();
    await scratch?.drop();
    await sim?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const rows = () => listAdminClusters(ports, () => null);
  const row = async (name: string) => (await rows()).find((r) => r.name === name);
  const auditedText = async () => {
    const { items } = await audit.listOperations({ kind: "clusters_changed" }, { limit: 100 });
    return JSON.stringify(await Promise.all(items.map((i) => audit.getOperation(i.id))));
  };
  const refused = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { kind: string; message: string });

  it("lists every cluster whatever its source, with how it authenticates and never a credential", async () => {
    const listed = await rows();
    expect(listed.map((r) => [r.name, r.source, r.connected, r.version])).toEqual([
      ["iks-eu", "ibm", true, 1],
      ["kc-admin", "kubeconfig", true, 0],
      ["registered-ok", "registered", true, 1],
      ["registered-revoked", "registered", true, 1],
    ]);
    expect(await row("kc-admin")).toMatchObject({ authentication: 'Kubeconfig user "sim-admin" with a bearer token', origin: `Context of ${path.join(dir, "config")}`, removal: null, removalNote: expect.stringMatching(/edit.*file.*Disable it/) });
    expect(await row("iks-eu")).toMatchObject({ authentication: expect.stringMatching(/^IBM Cloud IAM token of account "Demo account"/), origin: expect.stringContaining("eu-de"), removal: "ibm" });
    expect(await row("registered-ok")).toMatchObject({ authentication: expect.stringMatching(/pullkeeper service account/), removal: "registered" });
    const text = JSON.stringify(listed);
    for (const secret of [API_KEY, sim.tokens.viewer!, sim.tokens.admin!, "revoked-token-canary"]) expect(text).not.toContain(secret);
  });

  it("tests a connection with a real request: version, latency and identity, or what failed and why", async () => {
    const ok = await testClusterConnection(ports, ADMIN, "iks-eu");
    expect(ok).toMatchObject({ status: "reachable", serverVersion: "v1.30.4", latencyMs: expect.any(Number) });
    // The simulator has no SelfSubjectReview: a kubeconfig context shows its user instead, a token source nothing made up.
    expect(ok.identity).toBeNull();
    expect(await testClusterConnection(ports, ADMIN, "kc-admin")).toMatchObject({ status: "reachable", identity: "sim-admin" });
    const bad = await testClusterConnection(ports, ADMIN, "registered-revoked");
    expect(bad).toMatchObject({ status: "unauthorized", message: expect.stringMatching(/rejected our credentials \(401/) });
    expect(bad.message).not.toContain("revoked-token-canary");
    expect(await refused(testClusterConnection(ports, ADMIN, "no-such-cluster"))).toMatchObject({ kind: "not_found" });
    const text = await auditedText();
    expect(text).toContain("cluster.connection_tested");
    expect(text).not.toContain("revoked-token-canary");
    expect(text).not.toContain(sim.tokens.viewer!);
  });

  it("edits a kubeconfig context's display name and labels with compare-and-set; a stale version or unknown cluster changes nothing", async () => {
    const saved = await updateClusterDetails(ports, ADMIN, { name: "kc-admin", displayName: "Prod EU", labels: { env: "prod", region: "eu-de" }, expectedVersion: 0 });
    expect(saved).toMatchObject({ source: "kubeconfig", displayName: "Prod EU", labels: { env: "prod", region: "eu-de" }, version: 1 });
    expect(await row("kc-admin")).toMatchObject({ source: "kubeconfig", connected: true, labels: { env: "prod", region: "eu-de" }, version: 1 });

    // A second admin still holding version 0 (or 1 after the first saved again) is refused, naming what to do.
    const stale = await refused(updateClusterDetails(ports, OTHER_ADMIN, { name: "kc-admin", displayName: "Mine", labels: { env: "dev" }, expectedVersion: 0 }));
    expect(stale).toMatchObject({ kind: "conflict", message: expect.stringMatching(/reload/i) });
    expect(await row("kc-admin")).toMatchObject({ displayName: "Prod EU", labels: { env: "prod", region: "eu-de" }, version: 1 });

    const unknown = await refused(updateClusterDetails(ports, ADMIN, { name: "ghost", displayName: "", labels: { a: "b" }, expectedVersion: 0 }));
    expect(unknown).toMatchObject({ kind: "not_found", message: expect.stringContaining('"ghost"') });
    expect(await store.getCluster("ghost")).toBeNull();

    const operations = (await audit.listOperations({ kind: "clusters_changed", cluster: "kc-admin" }, { limit: 10 })).items;
    const updates = (await Promise.all(operations.map((o) => audit.getOperation(o.id)))).filter((o) => o?.steps[0]?.action === "cluster.updated");
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ actor: ADMIN.email, status: "succeeded", cluster: "kc-admin", steps: [{ detail: { before: { labels: {} }, after: { labels: { env: "prod", region: "eu-de" } } } }] });
  });

  it("disables and enables a cluster without a restart: it leaves the scanned clusters and comes back", async () => {
    const version = (await row("registered-ok"))!.version;
    await setClusterDisabled(ports, ADMIN, { name: "registered-ok", disabled: true, expectedVersion: version });
    expect(gateway.listClusters().map((c) => c.name)).not.toContain("registered-ok");
    expect(gateway.listAllClusters().find((c) => c.name === "registered-ok")?.disabled).toBe(true);
    expect(await row("registered-ok")).toMatchObject({ disabled: true, version: version + 1 });
    // Still reachable by name: a disabled cluster's connection can be tested.
    expect(await testClusterConnection(ports, ADMIN, "registered-ok")).toMatchObject({ status: "reachable" });

    expect(await refused(setClusterDisabled(ports, ADMIN, { name: "registered-ok", disabled: false, expectedVersion: version }))).toMatchObject({ kind: "conflict" });
    expect(gateway.listClusters().map((c) => c.name)).not.toContain("registered-ok");
    await setClusterDisabled(ports, ADMIN, { name: "registered-ok", disabled: false, expectedVersion: version + 1 });
    expect(gateway.listClusters().map((c) => c.name)).toContain("registered-ok");
    const text = await auditedText();
    expect(text).toContain("cluster.disabled");
    expect(text).toContain("cluster.enabled");
  });

  it("removes an IBM Cloud cluster, and refuses kubeconfig contexts and registered clusters with the reason", async () => {
    const kc = await refused(removeIbmCluster(ports, ADMIN, { name: "kc-admin", expectedVersion: 1 }));
    expect(kc).toMatchObject({ kind: "invalid", message: expect.stringMatching(/kubeconfig file.*never writes.*Disable it/) });
    const registered = await refused(removeIbmCluster(ports, ADMIN, { name: "registered-ok", expectedVersion: 3 }));
    expect(registered).toMatchObject({ kind: "invalid", message: expect.stringMatching(/registered cluster.*service account, role, binding and token Secret/) });
    const stale = await refused(removeIbmCluster(ports, ADMIN, { name: "iks-eu", expectedVersion: 99 }));
    expect(stale).toMatchObject({ kind: "conflict" });
    expect(gateway.listClusters().map((c) => c.name)).toEqual(expect.arrayContaining(["iks-eu", "kc-admin", "registered-ok"]));

    expect(await removeIbmCluster(ports, ADMIN, { name: "iks-eu", expectedVersion: 1 })).toEqual({ joinedByRule: false });
    expect(await store.getCluster("iks-eu")).toBeNull();
    expect(gateway.listAllClusters().map((c) => c.name)).not.toContain("iks-eu");
    expect(await refused(removeIbmCluster(ports, ADMIN, { name: "iks-eu", expectedVersion: 1 }))).toMatchObject({ kind: "not_found" });
    const text = await auditedText();
    expect(text).toContain("cluster.removed");
    expect(text).not.toContain(API_KEY);
  });
});

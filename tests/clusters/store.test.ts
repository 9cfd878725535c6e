import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createClusterStore, type ClusterStore, type NewCloudAccount } from "@/lib/clusters/store";
import { createCredentialCipher } from "@/lib/sealing/credential-cipher";
import { CREDENTIAL_CANARY } from "@/sim/demo-credentials";
import { PROVIDERS, useMigratedDatabase } from "../support/databases";

/**
 * The cluster connections store on both databases: credentials sealed at rest (no byte of an API key or
 * token in a row or the SQLite file), racing admins (one row, one clear refusal), version checks on edits,
 * and re-sealing under a new PULLKEEPER_ENCRYPTION_KEY.
 */

const API_KEY = `apikey-${CREDENTIAL_CANARY}-0123456789`;
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.sa-token-${CREDENTIAL_CANARY}.signature`;

const account = (over: Partial<NewCloudAccount> = {}): NewCloudAccount => ({
  displayName: "Production account", apiKey: API_KEY, apiKeyId: "ApiKey-prod-1", apiKeyName: "pullkeeper-discovery",
  ownerIamId: "iam-ServiceId-1234", ownerKind: "service_id", ownerName: "pullkeeper", ibmAccountId: "acct-1", keyCreatedAt: "2026-01-01T00:00:00.000Z", ...over,
});

const ibmCluster = (accountId: string, name: string, iksClusterId = `id-${name}`) => ({
  name, accountId, iksClusterId, iksRegion: "eu-de", iksResourceGroup: "default", iksTags: ["env:prod"], endpoint: "public" as const, server: `https://${name}.example.com:30000`, caPem: null,
});

describe.each(PROVIDERS)("cluster connections store (%s)", (provider) => {
  const db = useMigratedDatabase(provider);
  let store: ClusterStore;
  const key = randomBytes(32);

  beforeAll(async () => {
    store = createClusterStore(db.connection.prisma, createCredentialCipher(key));
  });

  it("keeps an account's key and a registered cluster's token sealed at rest, and opens them for the gateway", async () => {
    const added = await store.addAccount(account(), "admin@example.com");
    expect(added).toMatchObject({ displayName: "Production account", ownerIamId: "iam-ServiceId-1234", ownerKind: "service_id", createdBy: "admin@example.com" });
    expect(JSON.stringify(added)).not.toContain(CREDENTIAL_CANARY);
    const registered = await store.saveRegisteredCluster({ name: "edge-1", server: "https://edge-1.example.com:6443", caPem: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n", token: TOKEN, labels: { env: "prod" } }, "admin@example.com");
    expect(registered).toMatchObject({ source: "registered", hasToken: true, labels: { env: "prod" } });
    expect(JSON.stringify(registered)).not.toContain(CREDENTIAL_CANARY);

    const rows = JSON.stringify([await db.connection.prisma.cloudAccount.findMany(), await db.connection.prisma.storedCluster.findMany()]);
    expect(rows).not.toContain(CREDENTIAL_CANARY);
    expect(rows).toContain("pk1.");
    if (db.scratch.file) {
      await db.connection.prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
      for (const file of [db.scratch.file, `${db.scratch.file}-wal`]) if (fs.existsSync(file)) expect(fs.readFileSync(file).includes(CREDENTIAL_CANARY)).toBe(false);
    }
    expect(await store.openAccountApiKey(added.id)).toBe(API_KEY);
    expect(await store.openClusterToken("edge-1")).toBe(TOKEN);

    // A sealed value moved to another row does not open there.
    const other = await store.addAccount(account({ displayName: "Copy", apiKeyId: "ApiKey-prod-2" }), "admin@example.com");
    const sealed = (await db.connection.prisma.cloudAccount.findUniqueOrThrow({ where: { id: added.id } })).sealedApiKey;
    await db.connection.prisma.cloudAccount.update({ where: { id: other.id }, data: { sealedApiKey: sealed } });
    await expect(store.openAccountApiKey(other.id)).rejects.toThrow(/could not be opened/);
    await store.removeAccount(other.id);
  });

  it("refuses the same key twice with a clear message and adds nothing", async () => {
    await expect(store.addAccount(account({ displayName: "Another name" }), "second@example.com")).rejects.toThrow(/already connected as "Production account"/);
    expect((await store.listAccounts()).map((a) => a.displayName)).toEqual(["Production account"]);
  });

  it("lets one of two admins adding the same cluster at once win; the other is told who added it and nothing is half-created", async () => {
    const [acct] = await store.listAccounts();
    const results = await Promise.allSettled([
      store.saveIbmCluster(ibmCluster(acct!.id, "prod-eu"), "first@example.com"),
      store.saveIbmCluster(ibmCluster(acct!.id, "prod-eu"), "second@example.com"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(String(refused.reason.message)).toMatch(/already exists \(added by (first|second)@example\.com/);
    expect(refused.reason).toMatchObject({ source: "clusters", kind: "conflict" });
    // The same IBM cluster under another name is the same cluster.
    await expect(store.saveIbmCluster(ibmCluster(acct!.id, "prod-eu-again", "id-prod-eu"), "third@example.com")).rejects.toThrow(/already connected as "prod-eu"/);
    expect((await store.listClusters()).filter((c) => c.source === "ibm").map((c) => c.name)).toEqual(["prod-eu"]);
  });

  it("edits labels and display names with a version check, and gives a kubeconfig context a row on its first edit", async () => {
    const current = (await store.getCluster("prod-eu"))!;
    const edited = await store.updateCluster("prod-eu", { labels: { env: "prod", region: "eu-de" }, displayName: "Production EU" }, "first@example.com", current.version);
    expect(edited).toMatchObject({ labels: { env: "prod", region: "eu-de" }, displayName: "Production EU", version: current.version + 1 });
    await expect(store.updateCluster("prod-eu", { disabled: true }, "second@example.com", current.version)).rejects.toThrow(/Someone changed the cluster "prod-eu"/);
    expect((await store.getCluster("prod-eu"))!.disabled).toBe(false);
    const overlay = await store.updateCluster("kind-dev", { disabled: true }, "first@example.com");
    expect(overlay).toMatchObject({ source: "kubeconfig", disabled: true, server: null, hasToken: false });
  });

  it("records connection outcomes, and removing an account forgets its clusters and join rules", async () => {
    const [acct] = await store.listAccounts();
    const rule = await store.addJoinRule({ accountId: acct!.id, resourceGroup: "prod", tag: null, endpoint: "private" }, "admin@example.com");
    await expect(store.addJoinRule({ accountId: acct!.id, resourceGroup: null, tag: null, endpoint: "public" }, "admin@example.com")).rejects.toThrow(/needs a resource group, a tag/);
    const at = new Date("2026-12-07T10:00:00Z");
    await store.recordConnection("prod-eu", { lastRefreshAt: at, credentialExpiresAt: new Date(at.getTime() + 60_000), lastError: null });
    expect(await store.getCluster("prod-eu")).toMatchObject({ lastRefreshAt: at.toISOString(), lastError: null });
    await store.recordConnection("gone", { lastError: "x" });
    expect(await store.listJoinRules(acct!.id)).toEqual([expect.objectContaining({ id: rule.id, resourceGroup: "prod", endpoint: "private" })]);
    const removed = await store.removeAccount(acct!.id);
    expect(removed?.clusters).toEqual(["prod-eu"]);
    expect(await store.getCluster("prod-eu")).toBeNull();
    expect(await store.listJoinRules()).toEqual([]);
    expect(await store.getCluster("edge-1")).not.toBeNull();
  });

  it("re-seals every stored credential under a new encryption key, which alone then opens them", async () => {
    const acct = await store.addAccount(account({ displayName: "Rotated", apiKeyId: "ApiKey-rot" }), "admin@example.com");
    const newKey = randomBytes(32);
    const rotated = createClusterStore(db.connection.prisma, createCredentialCipher(newKey, [key]));
    expect(await rotated.resealAll()).toEqual({ resealed: 2, alreadyCurrent: 0 });
    expect(await rotated.resealAll()).toEqual({ resealed: 0, alreadyCurrent: 2 });
    const onlyNew = createClusterStore(db.connection.prisma, createCredentialCipher(newKey));
    expect(await onlyNew.openAccountApiKey(acct.id)).toBe(API_KEY);
    expect(await onlyNew.openClusterToken("edge-1")).toBe(TOKEN);
    await expect(store.openClusterToken("edge-1")).rejects.toThrow(/not configured \(PULLKEEPER_ENCRYPTION_KEY\)/);
  });
});

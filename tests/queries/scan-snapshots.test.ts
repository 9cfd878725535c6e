/**
 * A cluster's last scan kept across a restart (lib/queries/scan-snapshots.ts), over the demo fleet's simulator and
 * the composition root: the first server saves its scan; a second server on the same database (a restart) shows it at
 * once, marked restored, without scanning in its first seconds; a plan starts a scan and waits for it (held back here). The
 * saved bytes hold no credential. The table itself is checked on both databases.
 */
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeGateway } from "@/lib/kube/port";
import type { SavedScan } from "@/lib/queries/scan-snapshots";
import { startAppEnvironment, type AppEnvironment } from "../support/app-environment";
import { PROVIDERS, useMigratedDatabase } from "../support/databases";
import { dockerConfig, namespaceWith, until } from "../support/sim-workloads";

const CLUSTER = "regional";
const CANARY = "PKCANARY-scan-snapshot-7c2e";
const ROOT_SLOT = Symbol.for("pullkeeper.server-root");

let app: AppEnvironment;
let saved: SavedScan;

/** A new composition root, as a restarted server builds it: nothing in memory, the same database. */
async function restartedRoot() {
  (globalThis as { [ROOT_SLOT]?: unknown })[ROOT_SLOT] = undefined;
  return (await import("@/lib/server/root")).serverRoot();
}

/** Holds every inventory read of the gateway until `release`. */
function holdReads(kube: KubeGateway) {
  const read = kube.readPullSecretInventory.bind(kube);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let reads = 0;
  kube.readPullSecretInventory = async (...args) => {
    reads++;
    await released;
    return read(...args);
  };
  return { release, reads: () => reads };
}

beforeAll(async () => {
  // Migrated here, once, and each root only connects: in one test process a second migration run on this SQLite file did not return.
  app = await startAppEnvironment({ name: "scan-snapshots", fleet: { clusters: [CLUSTER] }, env: { PULLKEEPER_MIGRATE: "false" } });
  const { applyPendingMigrations } = await import("@/lib/db/migrations");
  const { parseDatabaseUrl } = await import("@/lib/db/database-url");
  await applyPendingMigrations(parseDatabaseUrl(process.env.DATABASE_URL!));
  const sim = app.fleet.sims[0]!;
  // A pull secret whose API key is a canary: none of it may reach the saved bytes.
  await namespaceWith(sim, "canary-team", { image: "us.icr.io/team/api:1", secretKey: CANARY, attach: true });
});

afterAll(async () => {
  await app?.close();
});

describe("after a restart", () => {
  it("the first server saves its scan; the restarted one shows it at once, marked restored, and plans wait for a new scan", async () => {
    const first = await restartedRoot();
    const scanned = (await first.scans().get(CLUSTER)).value;
    expect(scanned.inventory?.namespaces.map((ns) => ns.name)).toContain("canary-team");
    await first.scanSnapshots.flush();

    const { prisma } = await first.database();
    const row = await prisma.clusterScanSnapshot.findUniqueOrThrow({ where: { cluster: CLUSTER } });
    const json = gunzipSync(row.body).toString("utf8");
    expect(row.jsonBytes).toBe(Buffer.byteLength(json));
    expect(json).not.toContain(CANARY);
    expect(json).not.toContain(dockerConfig(CANARY));
    expect(json).not.toContain(Buffer.from(`iamapikey:${CANARY}`).toString("base64"));
    const { createScanSnapshotStore } = await import("@/lib/queries/scan-snapshots");
    saved = (await createScanSnapshotStore(prisma).load(CLUSTER, scanned.info.server))!;
    expect(saved).toMatchObject({ cluster: CLUSTER, server: scanned.info.server, finishedAt: scanned.finishedAt });
    expect(saved.inventory).toEqual(scanned.inventory);
    // Secrets of equal content share one entry list again, as in a live read (coverage judges each list once).
    const secrets = saved.inventory.pullSecrets.filter((secret) => secret.registries.length > 0);
    const copy = secrets.find((secret, i) => secrets.findIndex((other) => other.credentialFingerprint === secret.credentialFingerprint) !== i)!;
    const original = secrets.find((secret) => secret.credentialFingerprint === copy.credentialFingerprint)!;
    expect(copy).not.toBe(original);
    expect(copy.registries).toBe(original.registries);

    await (await first.database()).close();
    const restarted = await restartedRoot();
    expect(restarted).not.toBe(first);
    const held = holdReads(restarted.ports().kube);
    const { clusterView } = await import("@/lib/queries/views");
    const view = await clusterView(CLUSTER);
    if (!view.ok) throw new Error("the restored view failed");
    expect(view.restored).toBe(true);
    expect(view.scan.finishedAt).toBe(scanned.finishedAt);
    expect(view.scan.coverage.summary).toEqual(scanned.coverage?.summary);
    expect(view.matrix).toBeDefined();
    // In the first seconds after the restore, looking starts no scan (the background refresh does, a little later).
    expect(held.reads()).toBe(0);
    // A plan never uses the kept scan: it starts a scan and waits for it.
    let planned = false;
    const plan = restarted
      .scans()
      .get(CLUSTER)
      .then((entry) => ((planned = true), entry));
    await until("the new scan reads the cluster", async () => held.reads() === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(planned).toBe(false);
    held.release();
    expect((await plan).restored).toBeUndefined();
    const after = await clusterView(CLUSTER);
    expect(after.ok && after.restored).toBe(false);
    expect(after.scan.finishedAt).not.toBe(scanned.finishedAt);
  });

  it("a cluster invalidated before anyone looked is never shown from before the restart", async () => {
    const restarted = await restartedRoot();
    const held = holdReads(restarted.ports().kube);
    restarted.scans().invalidate(CLUSTER);
    const { clusterView } = await import("@/lib/queries/views");
    let shown = false;
    const view = clusterView(CLUSTER).then((v) => ((shown = true), v));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shown).toBe(false);
    held.release();
    const shownView = await view;
    expect(shownView.ok && shownView.restored).toBe(false);
    expect(shownView.scan.finishedAt).not.toBe(saved.finishedAt);
  });
});

describe.each(PROVIDERS)("the ClusterScanSnapshot table on %s", (provider) => {
  const database = useMigratedDatabase(provider);

  it("gives back what was saved, keeps the newer of two saves, and gives nothing of another server, format or age", async () => {
    const { createScanSnapshotStore, RESTORABLE_SCAN_MAX_AGE_MS } = await import("@/lib/queries/scan-snapshots");
    const { prisma } = database.connection;
    const store = createScanSnapshotStore(prisma);
    const now = Date.parse(saved.finishedAt) + 60_000;
    await store.save(saved);
    expect(await store.load(CLUSTER, saved.server, now)).toEqual(saved);

    const older = { ...saved, finishedAt: new Date(Date.parse(saved.finishedAt) - 3_600_000).toISOString(), durationMs: 1 };
    await store.save(older);
    expect((await store.load(CLUSTER, saved.server, now))?.durationMs).toBe(saved.durationMs);
    const newer = { ...saved, finishedAt: new Date(Date.parse(saved.finishedAt) + 1_000).toISOString(), durationMs: 2 };
    await store.save(newer);
    expect((await store.load(CLUSTER, saved.server, now))?.durationMs).toBe(2);

    expect(await store.load(CLUSTER, "https://elsewhere.example:6443", now)).toBeUndefined();
    expect(await store.load("other", saved.server, now)).toBeUndefined();
    expect(await store.load(CLUSTER, saved.server, Date.parse(newer.finishedAt) + RESTORABLE_SCAN_MAX_AGE_MS + 1)).toBeUndefined();
    await prisma.clusterScanSnapshot.update({ where: { cluster: CLUSTER }, data: { format: 0 } });
    expect(await store.load(CLUSTER, saved.server, now)).toBeUndefined();
  });
});

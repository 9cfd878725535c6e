import "server-only";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import type { PrismaDatabase } from "@/lib/db/client";
import { saveNewestWins } from "@/lib/db/errors";
import type { ProbeResult, PullSecretDto, PullSecretInventory } from "@/lib/kube/port";
import type { RegistryCredentialInfo } from "@/lib/registry/docker-config";
import { scanSucceeded, type ClusterScan } from "./cluster-scan";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The shape of what is saved. Bump it when `SavedScan` or the inventory's DTOs (lib/kube/port.ts) change shape: a
 * server then ignores the older snapshots (its first visitors wait for a scan, as before) instead of reading them.
 */
export const SNAPSHOT_FORMAT = 1;

/** How old a saved scan may be and still be shown after a restart, marked as such, while the cluster is scanned again. */
export const RESTORABLE_SCAN_MAX_AGE_MS = 24 * 60 * 60_000;

/**
 * A cluster's scan is saved at most this often: each save serialises and compresses the whole inventory (tens of
 * milliseconds at 10,000 namespaces), and watches can make a busy cluster rescan every few seconds. The newest scan
 * of a quiet period is still saved, at the period's end.
 */
export const SNAPSHOT_MIN_INTERVAL_MS = 60_000;

/** What is saved of a successful scan: what the cluster said, not the coverage (recomputed on restore with what is known then). */
export interface SavedScan {
  cluster: string;
  /** The API server the scan read; a snapshot of another server (the name now points elsewhere) is never restored. */
  server: string;
  probe: ProbeResult;
  inventory: PullSecretInventory;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

/** The `ClusterScanSnapshot` table: each cluster's last successful scan, compressed, shared by every server process on the database. */
/**
 * The inventory as stored: each distinct entry list once (`entryLists`), each secret naming its list by index. An
 * inventory read shares one entry list between the secrets of equal content (lib/kube/mappers.ts), and coverage judges
 * each list once by its identity (lib/coverage/rows.ts); stored as is, JSON would copy the list into every secret
 * (most of 16 MB at 10,000 namespaces) and the restored inventory would share nothing, making its coverage several
 * times slower to compute than a live scan's.
 */
interface StoredInventory extends Omit<PullSecretInventory, "pullSecrets"> {
  entryLists: RegistryCredentialInfo[][];
  pullSecrets: Array<Omit<PullSecretDto, "registries"> & { registries: number }>;
}

function storedInventory(inventory: PullSecretInventory): StoredInventory {
  const ids = new Map<PullSecretDto["registries"], number>();
  const entryLists: RegistryCredentialInfo[][] = [];
  const pullSecrets = inventory.pullSecrets.map((secret) => {
    let id = ids.get(secret.registries);
    if (id === undefined) {
      id = entryLists.push(secret.registries) - 1;
      ids.set(secret.registries, id);
    }
    return { ...secret, registries: id };
  });
  return { ...inventory, entryLists, pullSecrets };
}

function inventoryOf(stored: StoredInventory): PullSecretInventory {
  const { entryLists, pullSecrets, ...rest } = stored;
  return {
    ...rest,
    pullSecrets: pullSecrets.map((secret) => {
      const registries = entryLists[secret.registries];
      if (!registries) throw new Error(`saved scan names entry list ${secret.registries} of ${entryLists.length}`);
      return { ...secret, registries };
    }),
  };
}

export interface ScanSnapshotStore {
  /** Stores the scan unless the row already holds a newer one (two replicas saving at once: the newer wins). */
  save(scan: SavedScan): Promise<void>;
  /** The cluster's saved scan if it is of this format, of this API server and scanned within `RESTORABLE_SCAN_MAX_AGE_MS`. */
  load(cluster: string, server: string, now?: number): Promise<SavedScan | undefined>;
}

export function createScanSnapshotStore(prisma: PrismaDatabase): ScanSnapshotStore {
  const table = prisma.clusterScanSnapshot;
  return {
    async save(scan) {
      const json = JSON.stringify({ ...scan, inventory: storedInventory(scan.inventory) });
      const body = new Uint8Array(await gzipAsync(json));
      const scannedAt = new Date(scan.finishedAt);
      const values = { format: SNAPSHOT_FORMAT, scannedAt, jsonBytes: Buffer.byteLength(json), body, savedAt: new Date() };
      await saveNewestWins(
        () => table.updateMany({ where: { cluster: scan.cluster, scannedAt: { lte: scannedAt } }, data: values }),
        () => table.create({ data: { cluster: scan.cluster, ...values } }),
      );
    },

    async load(cluster, server, now = Date.now()) {
      const row = await table.findFirst({ where: { cluster, format: SNAPSHOT_FORMAT, scannedAt: { gt: new Date(now - RESTORABLE_SCAN_MAX_AGE_MS) } } });
      if (!row) return undefined;
      const saved = JSON.parse((await gunzipAsync(row.body)).toString("utf8")) as Omit<SavedScan, "inventory"> & { inventory: StoredInventory };
      return saved.cluster === cluster && saved.server === server ? { ...saved, inventory: inventoryOf(saved.inventory) } : undefined;
    },
  };
}

/** What is saved of a scan; undefined for a failed one (nothing worth showing after a restart). */
export function savedScanOf(scan: ClusterScan): SavedScan | undefined {
  if (!scanSucceeded(scan)) return undefined;
  const { cluster, info, probe, inventory, startedAt, finishedAt, durationMs } = scan;
  return { cluster, server: info.server, probe, inventory, startedAt, finishedAt, durationMs };
}

export interface SnapshotSaver {
  /** Saves the scan now, or at the end of the cluster's quiet period the newest scan offered meanwhile. Failed scans are ignored. */
  offer(scan: ClusterScan): void;
  /** Saves what waits now (the server is stopping). */
  flush(): Promise<void>;
}

export function createSnapshotSaver(
  store: () => Promise<ScanSnapshotStore>,
  onError: (cluster: string, error: unknown) => void,
  minIntervalMs = SNAPSHOT_MIN_INTERVAL_MS,
  now: () => number = Date.now,
): SnapshotSaver {
  const lastSavedAt = new Map<string, number>();
  const waiting = new Map<string, SavedScan>();
  const timers = new Map<string, NodeJS.Timeout>();
  const saving = new Set<Promise<void>>();

  const save = (cluster: string): Promise<void> => {
    timers.delete(cluster);
    const scan = waiting.get(cluster);
    waiting.delete(cluster);
    if (!scan) return Promise.resolve();
    lastSavedAt.set(cluster, now());
    const done = store()
      .then((snapshots) => snapshots.save(scan))
      .catch((error: unknown) => onError(cluster, error))
      .finally(() => saving.delete(done));
    saving.add(done);
    return done;
  };

  return {
    offer(scan) {
      const saved = savedScanOf(scan);
      if (!saved) return;
      waiting.set(saved.cluster, saved);
      if (timers.has(saved.cluster)) return;
      const wait = Math.max(0, (lastSavedAt.get(saved.cluster) ?? -Infinity) + minIntervalMs - now());
      const timer = setTimeout(() => void save(saved.cluster), wait);
      timer.unref();
      timers.set(saved.cluster, timer);
    },
    async flush() {
      for (const [cluster, timer] of timers) {
        clearTimeout(timer);
        void save(cluster);
      }
      await Promise.all(saving);
    },
  };
}

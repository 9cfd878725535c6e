import "server-only";
import type { ClusterCoverage } from "@/lib/coverage/types";
import { database } from "@/lib/db";
import type { ClusterInfo, PullSecretInventory } from "@/lib/kube/port";
import { logger } from "@/lib/log";
import type { RegistryVerification } from "@/lib/registry-check/port";
import { ports } from "@/lib/server/context";
import { scanCluster, scanSucceeded, type ClusterScan } from "./cluster-scan";
import { fleetRow, type FleetRow } from "./fleet";
import { buildMatrixPayload } from "./matrix";
import type { MatrixPayload } from "./matrix-types";
import { buildNamespaceDetail, type NamespaceDetail } from "./namespace-detail";
import { createScanCache, type CachedScan, type ScanCache } from "./scan-cache";
import type { CredentialKey, VerificationState } from "./verification-state";
import { createVerificationStore } from "./verification-store";
import { createSyncedVerificationLog, type SyncedVerificationLog } from "./verification-sync";

export type { ClusterScan } from "./cluster-scan";
export type { CachedScan } from "./scan-cache";
export type { FleetRow } from "./fleet";
export type { MatrixPayload } from "./matrix-types";
export type { NamespaceDetail } from "./namespace-detail";
export type { VerificationState, CredentialKey } from "./verification-state";

/** A successful scan is reused for this long; a failed one is retried sooner. */
export const SCAN_MAX_AGE_MS = 5 * 60_000;
export const FAILED_SCAN_MAX_AGE_MS = 30_000;

interface QueryState {
  scans: ScanCache<ClusterScan>;
  verifications: SyncedVerificationLog;
}

// Kept on globalThis so dev reloads and every route share one cache, as ports() does.
const holder = globalThis as unknown as { pullkeeperQueries?: QueryState };

function state(): QueryState {
  holder.pullkeeperQueries ??= {
    scans: createScanCache<ClusterScan>({
      scan: async (name) => {
        const info = findCluster(name);
        if (!info) throw new Error(`No kubeconfig context is named "${name}".`);
        return scanCluster(ports().kube, info);
      },
      maxAgeMs: (scan) => (scanSucceeded(scan) ? SCAN_MAX_AGE_MS : FAILED_SCAN_MAX_AGE_MS),
    }),
    verifications: createSyncedVerificationLog({ store: async () => createVerificationStore((await database()).prisma) }),
  };
  return holder.pullkeeperQueries;
}

/** Every kubeconfig context, in kubeconfig order. */
export function listClusters(): ClusterInfo[] {
  return ports().kube.listClusters();
}

export function findCluster(name: string): ClusterInfo | undefined {
  return listClusters().find((c) => c.name === name);
}

/** The cached scan of a cluster (probe + inventory + coverage), scanning when none is fresh; concurrent callers share one scan. */
export function getClusterScan(name: string): Promise<CachedScan<ClusterScan>> {
  return state().scans.get(name);
}

/** Scans the cluster again now (the Refresh button), sharing a scan already under way. */
export function refreshCluster(name: string): Promise<CachedScan<ClusterScan>> {
  return state().scans.refresh(name);
}

/** Forgets a cluster's scan, so the next page view reads the cluster again. Call after a workflow changed it. */
export function invalidateCluster(name: string): void {
  state().scans.invalidate(name);
}

export function isScanning(name: string): boolean {
  return state().scans.scanning(name);
}

/**
 * Remembers a registry verification by credential fingerprint, for "verified valid 3m ago",
 * and saves it for every process on the database. Rejects when the save fails
 * (the ports' verifier logs that); this process shows the result either way.
 */
export function recordVerification(verification: RegistryVerification): Promise<void> {
  return state().verifications.record(verification);
}

/** What this process knows as of the last sync; the views below sync first. */
export function lookupVerification(key: CredentialKey): VerificationState {
  return state().verifications.lookup(key);
}

/**
 * Brings the verification log up to date with the database before a view is
 * built. An unreadable database degrades the view to what memory holds rather than failing the page.
 */
async function syncVerifications(): Promise<void> {
  try {
    await state().verifications.sync();
  } catch (error) {
    logger.warn({ error: error instanceof Error ? error.message : String(error) }, "verification results could not be read from the database; showing what this process knows");
  }
}

export async function fleetRowFor(name: string): Promise<FleetRow> {
  return fleetRow((await getClusterScan(name)).value);
}

export type ReadableScan = ClusterScan & { inventory: PullSecretInventory; coverage: ClusterCoverage };

export type ClusterView =
  | { ok: true; scan: ReadableScan; matrix: MatrixPayload }
  | { ok: false; scan: ClusterScan };

/** The cluster page's data: the lean matrix, or the scan that says why there is none. */
export async function clusterView(name: string): Promise<ClusterView> {
  const [{ value: scan }] = await Promise.all([getClusterScan(name), syncVerifications()]);
  if (!scanSucceeded(scan)) return { ok: false, scan };
  return { ok: true, scan, matrix: buildMatrixPayload(scan.coverage, scan.inventory, lookupVerification, scan.finishedAt) };
}

export type NamespaceView =
  | { ok: true; scan: ReadableScan; detail: NamespaceDetail }
  | { ok: false; scan: ClusterScan; reason: "scan_failed" | "not_found" };

export async function namespaceView(cluster: string, namespace: string): Promise<NamespaceView> {
  const [{ value: scan }] = await Promise.all([getClusterScan(cluster), syncVerifications()]);
  if (!scanSucceeded(scan)) return { ok: false, scan, reason: "scan_failed" };
  const detail = buildNamespaceDetail(scan.coverage, scan.inventory, namespace, lookupVerification);
  return detail ? { ok: true, scan, detail } : { ok: false, scan, reason: "not_found" };
}

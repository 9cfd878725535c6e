import pLimit from "p-limit";
import { computeClusterCoverage, type ClusterCoverage } from "@/lib/coverage";
import { isKubeError } from "@/lib/kube/errors";
import type { ClusterInfo, KubeGateway, ProbeResult, PullSecretInventory } from "@/lib/kube/port";
import { NO_CREDENTIAL_FACTS, type CredentialFactsReader } from "./credential-facts";
import { createScanCache, type ScanCache } from "./scan-cache";

/** One look at one cluster: reachability, then (when reachable) its pull-secret inventory and coverage. */
export interface ClusterScan {
  cluster: string;
  info: ClusterInfo;
  probe: ProbeResult;
  /** Null when the probe failed or the inventory could not be read (see `error`). */
  inventory: PullSecretInventory | null;
  coverage: ClusterCoverage | null;
  /** Why there is no inventory although the probe got through (a forbidden list, a timeout mid-way...). */
  error: { kind: string; message: string } | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

/** Probe statuses after which reading the inventory is pointless: the credentials or the connection do not work. */
const NO_INVENTORY = new Set<ProbeResult["status"]>(["unauthorized", "unreachable", "tls_error"]);

/** Runs the heavy part of a scan when a slot is free (see createClusterScanCache). */
export type ScanSlot = <T>(work: () => Promise<T>) => Promise<T>;

const NO_BOUND: ScanSlot = (work) => work();

/**
 * Probes the cluster and, unless the probe shows it cannot be talked to, reads
 * its inventory and computes coverage with what IAM and the registries last said
 * about its credentials (so a rejected key shows as `rejected`). Never throws for a cluster-side failure:
 * a KubeError becomes `error`, so one bad cluster yields a row that says why
 * instead of a broken page. Other errors are bugs and propagate.
 * `slot` bounds the inventory read and the model (memory and CPU grow with the cluster), not the probe.
 */
export async function scanCluster(
  kube: Pick<KubeGateway, "probe" | "readPullSecretInventory">,
  info: ClusterInfo,
  now: () => Date = () => new Date(),
  credentialFacts: CredentialFactsReader = NO_CREDENTIAL_FACTS,
  slot: ScanSlot = NO_BOUND,
): Promise<ClusterScan> {
  const started = now();
  const finish = (probe: ProbeResult, rest: Pick<ClusterScan, "inventory" | "coverage" | "error">): ClusterScan => {
    const finished = now();
    return {
      cluster: info.name,
      info,
      probe,
      ...rest,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
    };
  };
  let probe: ProbeResult;
  try {
    probe = await kube.probe(info.name);
  } catch (error) {
    if (!isKubeError(error)) throw error;
    probe = { cluster: info.name, status: "unreachable", message: error.message, serverVersion: null, identity: null, latencyMs: now().getTime() - started.getTime(), checkedAt: now().toISOString() };
    return finish(probe, { inventory: null, coverage: null, error: { kind: error.kind, message: error.message } });
  }
  if (NO_INVENTORY.has(probe.status)) return finish(probe, { inventory: null, coverage: null, error: null });
  try {
    return await slot(async () => {
      const inventory = await kube.readPullSecretInventory(info.name);
      const facts = await credentialFacts(inventory);
      return finish(probe, { inventory, coverage: computeClusterCoverage(inventory, facts), error: null });
    });
  } catch (error) {
    if (!isKubeError(error)) throw error;
    return finish(probe, { inventory: null, coverage: null, error: { kind: error.kind, message: error.message } });
  }
}

/** Whether the scan produced coverage (the cluster answered and its inventory was read). */
export function scanSucceeded(scan: ClusterScan): scan is ClusterScan & { inventory: PullSecretInventory; coverage: ClusterCoverage } {
  return scan.inventory !== null && scan.coverage !== null;
}

/**
 * For this long after a start, a cluster shown from the scan saved before it is not rescanned because someone looked
 * (the background refresh rescans it from then on): the first seconds of a process go to the people looking, not to
 * scans of thousands of namespaces on the same thread.
 */
export const RESTORED_SCAN_GRACE_MS = 10_000;

/** A successful scan is reused for this long; a failed one is retried sooner. */
export const SCAN_MAX_AGE_MS = 5 * 60_000;
export const FAILED_SCAN_MAX_AGE_MS = 30_000;

/** How long this scan is served before a caller triggers a new one. */
export function scanMaxAgeMs(scan: ClusterScan): number {
  return scanSucceeded(scan) ? SCAN_MAX_AGE_MS : FAILED_SCAN_MAX_AGE_MS;
}

export interface ClusterScanCacheOptions {
  /**
   * How many clusters' inventories are read and modelled at once (PULLKEEPER_SCAN_CONCURRENCY); the rest wait their
   * turn in call order. Probes are not bounded: a cluster that does not answer fails its probe without taking a
   * turn, so it never holds back the others. Default: unbounded.
   */
  concurrency?: number;
  /**
   * The scan each cluster had before this process started (lib/queries/scan-snapshots.ts), for `show` after a
   * restart; its coverage is computed again with what is known now. Failures count as none (`onRestoreError`).
   */
  restore?: (cluster: string, server: string) => Promise<RestorableScan | undefined>;
  onRestoreError?: (cluster: string, error: unknown) => void;
}

/** What a saved scan holds: what the cluster said, without the coverage. */
export type RestorableScan = Pick<ClusterScan, "probe" | "startedAt" | "finishedAt" | "durationMs"> & { inventory: PullSecretInventory };

/** A saved scan as this process shows it: today's kubeconfig entry, and coverage computed with today's facts. */
export async function restoredScan(info: ClusterInfo, saved: RestorableScan, credentialFacts: CredentialFactsReader = NO_CREDENTIAL_FACTS): Promise<ClusterScan> {
  const facts = await credentialFacts(saved.inventory);
  return {
    cluster: info.name,
    info,
    probe: saved.probe,
    inventory: saved.inventory,
    coverage: computeClusterCoverage(saved.inventory, facts),
    error: null,
    startedAt: saved.startedAt,
    finishedAt: saved.finishedAt,
    durationMs: saved.durationMs,
  };
}

/** The scans of every kubeconfig context, one at a time per cluster, kept while fresh; `onScanned` is told of each (metrics). */
export function createClusterScanCache(
  kube: Pick<KubeGateway, "listClusters" | "probe" | "readPullSecretInventory">,
  onScanned: (scan: ClusterScan) => void = () => {},
  credentialFacts?: CredentialFactsReader,
  options: ClusterScanCacheOptions = {},
): ScanCache<ClusterScan> {
  const slot: ScanSlot = options.concurrency === undefined ? NO_BOUND : pLimit(Math.max(1, options.concurrency));
  const { restore, onRestoreError } = options;
  return createScanCache<ClusterScan>({
    scan: async (name) => {
      const info = kube.listClusters().find((c) => c.name === name);
      if (!info) throw new Error(`No kubeconfig context is named "${name}".`);
      const scan = await scanCluster(kube, info, undefined, credentialFacts, slot);
      onScanned(scan);
      return scan;
    },
    maxAgeMs: scanMaxAgeMs,
    restoredGraceMs: RESTORED_SCAN_GRACE_MS,
    restore: restore
      ? async (name) => {
          const info = kube.listClusters().find((c) => c.name === name);
          if (!info) return undefined;
          try {
            const saved = await restore(name, info.server);
            if (!saved) return undefined;
            // Not in a scan slot: the scan started beside it may hold the only one, and this is what the visitor waits for.
            const value = await restoredScan(info, saved, credentialFacts);
            return { value, storedAt: Date.parse(saved.finishedAt) };
          } catch (error) {
            onRestoreError?.(name, error);
            return undefined;
          }
        }
      : undefined,
  });
}

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
}

/** The scans of every kubeconfig context, one at a time per cluster, kept while fresh; `onScanned` is told of each (metrics). */
export function createClusterScanCache(
  kube: Pick<KubeGateway, "listClusters" | "probe" | "readPullSecretInventory">,
  onScanned: (scan: ClusterScan) => void = () => {},
  credentialFacts?: CredentialFactsReader,
  options: ClusterScanCacheOptions = {},
): ScanCache<ClusterScan> {
  const slot: ScanSlot = options.concurrency === undefined ? NO_BOUND : pLimit(Math.max(1, options.concurrency));
  return createScanCache<ClusterScan>({
    scan: async (name) => {
      const info = kube.listClusters().find((c) => c.name === name);
      if (!info) throw new Error(`No kubeconfig context is named "${name}".`);
      const scan = await scanCluster(kube, info, undefined, credentialFacts, slot);
      onScanned(scan);
      return scan;
    },
    maxAgeMs: scanMaxAgeMs,
  });
}

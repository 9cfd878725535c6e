import "server-only";
import type { FindingGroup } from "@/lib/api/finding-groups";
import type { FleetRow, StoredFleetRow } from "@/lib/api/fleet";
import type { KeyIdentity } from "@/lib/api/key-identity";
import type { NamespaceDetail } from "@/lib/api/namespace";
import type { ClusterCoverage } from "@/lib/coverage/types";
import type { PullSecretInventory } from "@/lib/kube/port";
import { logger } from "@/lib/log";
import { serverRoot } from "@/lib/server/root";
import { scanMaxAgeMs, scanSucceeded, type ClusterScan } from "./cluster-scan";
import { getClusterScan, refreshCluster, showClusterScan } from "./clusters";
import { groupFindings } from "./finding-groups";
import { fleetRow } from "./fleet";
import { buildMatrixPayload, type VerificationLookup } from "./matrix";
import { indexMatrix, queryMatrix, type MatrixIndex } from "./matrix-query";
import { matrixQueryFromParams } from "@/lib/api/matrix-query";
import { buildNamespaceDetail } from "./namespace-detail";
import { indexNamespaces } from "./namespace-index";
import { createScanViewCache, type ScanViewCache } from "./scan-views";

export type ReadableScan = ClusterScan & { inventory: PullSecretInventory; coverage: ClusterCoverage };

/** `restored`: the scan was saved before the server restarted, and a new one is under way (`showClusterScan`). */
export type ClusterView =
  | { ok: true; scan: ReadableScan; restored: boolean; matrix: MatrixIndex; findings: FindingGroup[] }
  | { ok: false; scan: ClusterScan };

export type NamespaceView =
  | { ok: true; scan: ReadableScan; restored: boolean; detail: NamespaceDetail }
  | { ok: false; scan: ClusterScan; reason: "scan_failed" }
  /** `rescanned`: the namespace was missing from the cached scan and a fresh scan (this one) did not find it either. */
  | { ok: false; scan: ClusterScan; reason: "not_found"; rescanned: boolean };

export async function fleetRowFor(name: string): Promise<FleetRow> {
  return fleetRowOf((await getClusterScan(name)).value);
}

/**
 * The views every page builds from a stored scan, kept beside it (scan-views.ts) and rebuilt only when the scan or the
 * verification log changed. One set per process, on globalThis: Next bundles this module once per route bundle and
 * once more for the instrumentation hook, and module-level caches left the background refresh building the views in
 * its own copy, so a fresh process's first view of the 10,000-namespace cluster built its matrix again (about 300 ms)
 * and the matrix API, another bundle, a third time.
 */
interface ScanViews {
  /** The fleet row: its pull-failure counts read every pod of the cluster, and the fleet page and clusters API ask for every row on each request. */
  fleetRows: ScanViewCache<ClusterScan, FleetRow>;
  /**
   * The matrix, decoded and in name order for paging (matrix-query.ts): building it for a 2,000-namespace cluster was
   * the largest share of the server's CPU under load (lib/queries/README.md, "Load"). The same for every user allowed
   * to see the cluster.
   */
  matrices: ScanViewCache<ReadableScan, MatrixIndex>;
  /** The findings banners: one pass over a 10,000-namespace cluster's findings per scan, not per view. */
  findingGroups: ScanViewCache<ReadableScan, FindingGroup[]>;
  /** The scan grouped by namespace, so a namespace page reads only its own objects. */
  namespaceIndexes: ScanViewCache<ReadableScan, ReturnType<typeof indexNamespaces>>;
}

const VIEWS_SLOT = Symbol.for("pullkeeper.scan-views");

function scanViews(): ScanViews {
  const holder = globalThis as { [VIEWS_SLOT]?: ScanViews };
  holder[VIEWS_SLOT] ??= {
    fleetRows: createScanViewCache((scan: ClusterScan) => fleetRow(scan, (key) => lookupVerification(key).status)),
    matrices: createScanViewCache((scan: ReadableScan) => indexMatrix(buildMatrixPayload(scan.coverage, scan.inventory, lookupVerification, scan.finishedAt))),
    findingGroups: createScanViewCache((scan: ReadableScan) => groupFindings(scan.coverage.findings)),
    namespaceIndexes: createScanViewCache((scan: ReadableScan) => indexNamespaces(scan.coverage, scan.inventory)),
  };
  return holder[VIEWS_SLOT];
}

const fleetRowOf = (scan: ClusterScan): FleetRow => scanViews().fleetRows.get(scan, serverRoot().verifications().version());
const matrixOf = (scan: ReadableScan): MatrixIndex => scanViews().matrices.get(scan, serverRoot().verifications().version());

/**
 * What the fleet page can show at once: each cluster's stored row. Scans start now for the clusters without a fresh
 * one, so the browser's request for those rows joins scans already under way instead of starting them.
 */
export function storedFleetRows(names: readonly string[], now = Date.now()): StoredFleetRow[] {
  const scans = serverRoot().scans();
  return names.map((cluster) => {
    const stored = scans.peek(cluster);
    const fresh = stored !== undefined && !stored.stale && now - stored.storedAt < scanMaxAgeMs(stored.value);
    if (!fresh) {
      scans.get(cluster).catch((error: unknown) => logger.error({ cluster, error: error instanceof Error ? error.message : String(error) }, "fleet scan failed"));
    }
    return { cluster, row: stored ? fleetRowOf(stored.value) : null, fresh };
  });
}

/** The cluster page's data: the matrix index (pages come from `queryMatrix`), or the scan that says why there is none. Callers check the user's scope first. */
export async function clusterView(name: string): Promise<ClusterView> {
  const [{ value: scan, restored }] = await Promise.all([showClusterScan(name), syncVerifications()]);
  if (!scanSucceeded(scan)) return { ok: false, scan };
  return { ok: true, scan, restored: restored === true, matrix: matrixOf(scan), findings: scanViews().findingGroups.get(scan) };
}

/**
 * Builds the cluster page's views of the cluster's current scan (stored, or restored after a start) before anyone asks:
 * in a freshly started process, the first view of the 10,000-namespace cluster spent most of its time building the
 * matrix index, its default view and the findings, even with the scan ready. Run by the background refresh after each
 * restore and scan; never scans. A scan invalidated since is not worth it (the next view scans anew).
 */
export async function prepareClusterView(name: string): Promise<void> {
  const current = serverRoot().scans().peek(name);
  if (!current || (current.stale && !current.restored)) return;
  const scan = current.value;
  if (!scanSucceeded(scan)) return;
  await syncVerifications();
  queryMatrix(matrixOf(scan), matrixQueryFromParams({}));
  scanViews().findingGroups.get(scan);
  fleetRowOf(scan);
}

/**
 * One namespace of the cached scan. A namespace the scan does not have may be newer than the scan: it is looked for
 * once in a scan started now (at most once per 30 s per cluster, so a mistyped address cannot make scans; waited for at
 * most 10 s), and only then reported not found, with the time of the scan that was looked in.
 */
export async function namespaceView(cluster: string, namespace: string): Promise<NamespaceView> {
  const [{ value: cached, restored }] = await Promise.all([showClusterScan(cluster), syncVerifications()]);
  const view = await namespaceOf(cached, namespace, false, restored === true);
  if (view.ok || view.reason !== "not_found" || !serverRoot().missingNamespaceRescans().take(cluster).allowed) return view;
  // A large cluster's scan can take a minute: the page does not wait that long, the scan goes on and the next view has it.
  let timer: NodeJS.Timeout | undefined;
  const fresh = await Promise.race([
    refreshCluster(cluster).then(({ value }) => value, () => null),
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), MISSING_NAMESPACE_WAIT_MS))),
  ]).finally(() => clearTimeout(timer));
  return fresh ? namespaceOf(fresh, namespace, true) : view;
}

/** How long a namespace page waits for the fresh scan that looks for a namespace missing from the cached one. */
const MISSING_NAMESPACE_WAIT_MS = 10_000;

async function namespaceOf(scan: ClusterScan, namespace: string, rescanned: boolean, restored = false): Promise<NamespaceView> {
  if (!scanSucceeded(scan)) return { ok: false, scan, reason: "scan_failed" };
  const detail = buildNamespaceDetail(scan.coverage, scan.inventory, namespace, lookupVerification, scanViews().namespaceIndexes.get(scan));
  return detail ? { ok: true, scan, restored, detail: await withKeyOwners(detail) } : { ok: false, scan, reason: "not_found", rescanned };
}

/** Adds who owns each API key the namespace's secrets hold (one indexed query); an unreadable store leaves them unknown. */
async function withKeyOwners(detail: NamespaceDetail): Promise<NamespaceDetail> {
  const fingerprints = detail.pullSecrets.flatMap((s) => s.entries.filter((e) => e.credentialKind === "iam-api-key").map((e) => e.fingerprint));
  let owners = new Map<string, KeyIdentity>();
  try {
    owners = await (await serverRoot().keyIdentities()).find(fingerprints);
  } catch (error) {
    logger.warn({ error: error instanceof Error ? error.message : String(error) }, "API key owners could not be read from the database");
  }
  return { ...detail, pullSecrets: detail.pullSecrets.map((s) => ({ ...s, entries: s.entries.map((e) => ({ ...e, keyOwner: owners.get(e.fingerprint) ?? null })) })) };
}

/** What this process knows as of the last sync (results reach it through the ports' verifier). */
const lookupVerification: VerificationLookup = (key) => serverRoot().verifications().lookup(key);

/**
 * Brings the verification log up to date with the database before a view is
 * built. An unreadable database degrades the view to what memory holds rather than failing the page.
 */
async function syncVerifications(): Promise<void> {
  try {
    await serverRoot().verifications().sync();
  } catch (error) {
    logger.warn({ error: error instanceof Error ? error.message : String(error) }, "verification results could not be read from the database; showing what this process knows");
  }
}

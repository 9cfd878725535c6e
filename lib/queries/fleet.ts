import type { InventoryScope, ProbeStatus } from "@/lib/kube/port";
import type { HostClass } from "@/lib/registry/domains";
import { scanSucceeded, type ClusterScan } from "./cluster-scan";

export interface FleetGroupShare {
  group: HostClass;
  label: string;
  domains: string[];
  fullyCovered: number;
  partiallyCovered: number;
  uncovered: number;
  /** 0..1, namespaces covered for every domain of the group. */
  share: number;
}

/** One fleet table row: serialisable, value-free. */
export interface FleetRow {
  cluster: string;
  server: string;
  sourceFile: string | null;
  status: ProbeStatus;
  /** The probe's explanation, or why the inventory could not be read. */
  message: string;
  identity: string | null;
  serverVersion: string | null;
  /** Null when the inventory could not be read. */
  namespaceCount: number | null;
  groups: FleetGroupShare[];
  legacySecretCount: number | null;
  workloadsAtRisk: number | null;
  staleCopies: number | null;
  danglingReferences: number | null;
  restartNeeded: number | null;
  inventoryScope: InventoryScope | null;
  notes: string[];
  scanError: string | null;
  scannedAt: string;
  scanDurationMs: number;
  /** The cluster still holds discontinued registry tokens or legacy-domain secrets. */
  needsMigration: boolean;
}

export const GROUP_LABELS: Readonly<Record<HostClass, string>> = {
  icr: "icr.io",
  "legacy-icr": "Legacy registry.bluemix.net",
  other: "Other registries",
  "docker-hub": "Docker Hub",
};

export function fleetRow(scan: ClusterScan): FleetRow {
  const base = {
    cluster: scan.cluster,
    server: scan.info.server,
    sourceFile: scan.info.sourceFile,
    status: scan.probe.status,
    identity: scan.probe.identity?.username ?? null,
    serverVersion: scan.probe.serverVersion,
    scannedAt: scan.finishedAt,
    scanDurationMs: scan.durationMs,
  };
  if (!scanSucceeded(scan)) {
    return {
      ...base,
      message: scan.error?.message ?? scan.probe.message,
      namespaceCount: null,
      groups: [],
      legacySecretCount: null,
      workloadsAtRisk: null,
      staleCopies: null,
      danglingReferences: null,
      restartNeeded: null,
      inventoryScope: null,
      notes: [],
      scanError: scan.error?.message ?? null,
      needsMigration: false,
    };
  }
  const s = scan.coverage.summary;
  return {
    ...base,
    message: scan.probe.message,
    namespaceCount: s.namespaceCount,
    // Nothing can be "covered" on a discontinued domain; the legacy column counts those secrets instead.
    groups: s.groups.filter((g) => g.group !== "legacy-icr").map((g) => ({
      group: g.group,
      label: GROUP_LABELS[g.group],
      domains: g.domains,
      fullyCovered: g.fullyCovered,
      partiallyCovered: g.partiallyCovered,
      uncovered: g.uncovered,
      share: g.shareCovered,
    })),
    legacySecretCount: s.legacySecretCount,
    workloadsAtRisk: s.workloadsAtRisk,
    staleCopies: s.staleCopies + s.orphanedCopies,
    danglingReferences: s.danglingReferences,
    restartNeeded: s.restartNeeded,
    inventoryScope: scan.inventory.scope,
    notes: scan.inventory.notes,
    scanError: null,
    needsMigration: s.legacySecretCount > 0,
  };
}

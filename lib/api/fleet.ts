import type { InventoryScope, ProbeStatus } from "@/lib/kube/port";
import type { PullFailureCounts } from "@/lib/pulls/types";
import type { HostClass } from "@/lib/registry/domains";

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
  /** Pods failing to pull (by registry and cause) and Running pods that would fail when rescheduled; null when the inventory could not be read. */
  pullFailures: PullFailureCounts | null;
}

/** A cluster's row as the server has it when the fleet page renders: `fresh` unless missing or older than a scan is served. */
export interface StoredFleetRow {
  cluster: string;
  row: FleetRow | null;
  fresh: boolean;
}

export const GROUP_LABELS: Readonly<Record<HostClass, string>> = {
  icr: "icr.io",
  "legacy-icr": "Legacy registry.bluemix.net",
  other: "Other registries",
  "docker-hub": "Docker Hub",
};

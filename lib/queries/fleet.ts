import { GROUP_LABELS, type FleetRow } from "@/lib/api/fleet";
import { analysePulls, type CredentialVerdictLookup } from "@/lib/pulls";
import { scanSucceeded, type ClusterScan } from "./cluster-scan";

/** One fleet row; `verdicts` (registry verification results) lets latent pulls count keys proven rejected. */
export function fleetRow(scan: ClusterScan, verdicts?: CredentialVerdictLookup): FleetRow {
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
      pullFailures: null,
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
    pullFailures: analysePulls(scan.inventory, verdicts ? { verdicts } : {}).counts,
  };
}

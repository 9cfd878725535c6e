import { countedState } from "@/lib/coverage/summary";
import type { ClusterCoverage, CoverageFinding } from "@/lib/coverage/types";
import type { PullSecretDto, PullSecretInventory } from "@/lib/kube/port";
import { classifyHost, legacyDomainInfo, regionOf, registryKeyMatches } from "@/lib/registry/domains";
import { NAME_LABEL, STATE_CODES, VERIFICATION_CODES, type CellVerification, type MatrixPayload, type MatrixRowTuple } from "@/lib/api/matrix";
import type { VerificationState } from "@/lib/api/verification";
import type { CredentialKey } from "./verification-state";

export type VerificationLookup = (key: CredentialKey) => VerificationState;

/** The best thing known about the credentials some secrets hold for one registry. */
export function cellVerification(secrets: readonly PullSecretDto[], registry: string, lookup: VerificationLookup): CellVerification {
  let out: CellVerification = "unknown";
  for (const secret of secrets) {
    for (const entry of secret.registries) {
      if (!registryKeyMatches(entry.registry, registry)) continue;
      // The Verify action checks each entry against its own registry key, so that is the key results are stored under.
      const { status } = lookup({ domain: entry.registry, username: entry.username, fingerprint: entry.fingerprint });
      if (status === "valid") return "valid";
      if (status === "rejected") out = "rejected";
      else if ((status === "unreachable" || status === "tls_error") && out === "unknown") out = "unreachable";
    }
  }
  return out;
}

type Counts = { atRisk: number; dangling: number; stale: number; restart: number };

function countFindings(findings: readonly CoverageFinding[]): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const f of findings) {
    let c = out.get(f.namespace);
    if (!c) {
      c = { atRisk: 0, dangling: 0, stale: 0, restart: 0 };
      out.set(f.namespace, c);
    }
    if (f.type === "image_pull_at_risk") c.atRisk += 1;
    else if (f.type === "dangling_reference") c.dangling += 1;
    else if (f.type === "stale_copy" || f.type === "orphaned_copy") c.stale += 1;
    else if (f.type === "restart_needed") c.restart += 1;
  }
  return out;
}

/**
 * Builds the lean matrix the cluster page sends to the browser: namespace,
 * encoded cells, interned labels and finding counts; no secret metadata
 * beyond what a cell's state implies (the side panel fetches the details).
 */
export function buildMatrixPayload(coverage: ClusterCoverage, inventory: PullSecretInventory, lookup: VerificationLookup, scannedAt: string): MatrixPayload {
  const secretsByKey = new Map<string, PullSecretDto>();
  for (const s of inventory.pullSecrets) secretsByKey.set(`${s.namespace}/${s.name}`, s);
  const counts = countFindings(coverage.findings);
  const labelIndex = new Map<string, number>();
  const labelPairs: string[] = [];
  const intern = (pair: string) => {
    let i = labelIndex.get(pair);
    if (i === undefined) {
      i = labelPairs.length;
      labelPairs.push(pair);
      labelIndex.set(pair, i);
    }
    return i;
  };
  const rows = coverage.namespaces.map((ns): MatrixRowTuple => {
    let cells = "";
    for (const d of ns.domains) {
      const secrets = d.secrets.map((name) => secretsByKey.get(`${ns.namespace}/${name}`)).filter((s): s is PullSecretDto => s !== undefined);
      cells += STATE_CODES[countedState(d)] + VERIFICATION_CODES[secrets.length ? cellVerification(secrets, d.registry, lookup) : "unknown"];
    }
    const labels = Object.entries(ns.labels)
      // Equal to the namespace name on every namespace (Kubernetes sets it): the browser restores it instead of shipping 2,000 unique pairs.
      .filter(([k, v]) => !(k === NAME_LABEL && v === ns.namespace))
      .map(([k, v]) => intern(`${k}=${v}`))
      .sort((a, b) => a - b);
    const c = counts.get(ns.namespace);
    return [ns.namespace, cells, labels, c?.atRisk ?? 0, c?.dangling ?? 0, c?.stale ?? 0, c?.restart ?? 0, ns.hasDefaultServiceAccount ? 0 : 1];
  });
  return {
    cluster: coverage.cluster,
    scannedAt,
    domains: coverage.domains.map((registry) => ({
      registry,
      group: classifyHost(registry),
      region: regionOf(registry) ?? null,
      successor: legacyDomainInfo(registry)?.successor ?? null,
    })),
    labelPairs,
    rows,
  };
}

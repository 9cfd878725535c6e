import "server-only";
import type { AuditStore, StepAction } from "@/lib/audit/port";
import { PullkeeperError } from "@/lib/errors";
import type { ProbeResult } from "@/lib/kube/port";
import { adminClusterRows, type AdminClusterRow, type ConnectionTest, type GatewayCluster, type Reachability } from "./admin-view";
import type { ClusterChanges, ClusterStore } from "./store";
import type { StoredClusterRecord } from "./types";

/**
 * What admins do to a cluster on the clusters page, over ports: edit its display name and labels, disable or
 * enable it, remove an IBM Cloud cluster, test its connection. Each change is compare-and-set on the cluster's
 * version, audited (kind `clusters_changed`, one step, never a credential) before it is reported done, and
 * reaches the gateway at once through `sync()`.
 */
export interface ClusterAdminPorts {
  store: ClusterStore;
  audit: AuditStore;
  gateway: { listAllClusters(): GatewayCluster[]; probe(cluster: string): Promise<ProbeResult> };
  /** Brings the gateway in line with the store (lib/clusters/connections.ts). */
  sync(): Promise<unknown>;
}

export interface Actor {
  email: string;
  role: string;
}

const invalid = (message: string, cluster: string) => new PullkeeperError("clusters", "invalid", message, { context: { cluster } });
const notFound = (cluster: string) => new PullkeeperError("clusters", "not_found", `No cluster is named "${cluster}"; it may have been removed. Reload the page. Nothing was changed.`, { context: { cluster } });

export async function listAdminClusters(ports: ClusterAdminPorts, reachabilityOf: (name: string) => Reachability | null): Promise<AdminClusterRow[]> {
  const [stored, accounts] = await Promise.all([ports.store.listClusters(), ports.store.listAccounts()]);
  return adminClusterRows(ports.gateway.listAllClusters(), stored, accounts, reachabilityOf);
}

/** The cluster's row, or not_found: only a name the gateway or the store holds may be changed (an edit must not invent a cluster). */
async function existing(ports: ClusterAdminPorts, name: string): Promise<AdminClusterRow> {
  const row = (await listAdminClusters(ports, () => null)).find((r) => r.name === name);
  if (!row) throw notFound(name);
  return row;
}

async function audited(ports: ClusterAdminPorts, actor: Actor, action: StepAction, cluster: string, summary: string, facts: Record<string, unknown>, outcome: "succeeded" | "failed" = "succeeded"): Promise<string> {
  const operation = await ports.audit.startOperation({ kind: "clusters_changed", actor: actor.email, actorRole: actor.role, cluster, parameters: facts, status: "running" });
  await ports.audit.recordStep(operation.id, { sequence: 1, phase: "finished", action, outcome, target: { kind: "Cluster", name: cluster }, detail: facts });
  await ports.audit.finishOperation(operation.id, { status: outcome, summary });
  return operation.id;
}

async function change(ports: ClusterAdminPorts, name: string, changes: ClusterChanges, actor: Actor, expectedVersion: number): Promise<{ before: AdminClusterRow; after: StoredClusterRecord }> {
  const before = await existing(ports, name);
  const after = await ports.store.updateCluster(name, changes, actor.email, expectedVersion);
  return { before, after };
}

export interface ClusterDetailsInput {
  name: string;
  displayName: string;
  labels: Record<string, string>;
  expectedVersion: number;
}

/** Display name and labels (validated by the caller as Kubernetes validates labels). @throws `not_found`, `conflict` (stale version). */
export async function updateClusterDetails(ports: ClusterAdminPorts, actor: Actor, input: ClusterDetailsInput): Promise<StoredClusterRecord> {
  const { before, after } = await change(ports, input.name, { displayName: input.displayName, labels: input.labels }, actor, input.expectedVersion);
  await audited(ports, actor, "cluster.updated", input.name, `${actor.email} changed the display name and labels of cluster ${input.name}`, {
    source: before.source,
    before: { displayName: before.displayName, labels: before.labels },
    after: { displayName: after.displayName, labels: after.labels },
    version: after.version,
  });
  await ports.sync();
  return after;
}

/** Disabled clusters leave scans, rules and the fleet but stay reachable by name for a connection test. */
export async function setClusterDisabled(ports: ClusterAdminPorts, actor: Actor, input: { name: string; disabled: boolean; expectedVersion: number }): Promise<StoredClusterRecord> {
  const { before, after } = await change(ports, input.name, { disabled: input.disabled }, actor, input.expectedVersion);
  const verb = input.disabled ? "disabled" : "enabled";
  await audited(ports, actor, input.disabled ? "cluster.disabled" : "cluster.enabled", input.name, `${actor.email} ${verb} cluster ${input.name}`, { source: before.source, version: after.version });
  await ports.sync();
  return after;
}

/**
 * Forgets an IBM Cloud cluster (its credential is the account's, so nothing in the cluster is touched). Registered
 * clusters are removed with the objects their registration made (lib/workflows/registration); kubeconfig
 * contexts and the pod's own cluster cannot be removed here, and the refusal says why and offers disabling.
 */
export async function removeIbmCluster(ports: ClusterAdminPorts, actor: Actor, input: { name: string; expectedVersion: number }): Promise<{ joinedByRule: boolean }> {
  const row = await existing(ports, input.name);
  if (row.removal === "registered") throw invalid(`"${input.name}" is a registered cluster: use its "Remove" panel, which can also delete the service account, role, binding and token Secret it created.`, input.name);
  if (row.removal !== "ibm") throw invalid(row.removalNote ?? `"${input.name}" cannot be removed here.`, input.name);
  if (row.version !== input.expectedVersion) throw new PullkeeperError("clusters", "conflict", `Someone changed the cluster "${input.name}" since you opened it; reload to see their change. Nothing was removed.`, { context: { cluster: input.name } });
  const removed = await ports.store.removeCluster(input.name);
  if (!removed) throw notFound(input.name);
  const joinedByRule = removed.joinedBy.startsWith("rule:");
  await audited(ports, actor, "cluster.removed", input.name, `${actor.email} removed IBM Cloud cluster ${input.name}`, {
    source: "ibm",
    accountId: removed.accountId,
    iksClusterId: removed.iksClusterId,
    iksRegion: removed.iksRegion,
    joinedBy: removed.joinedBy,
  });
  await ports.sync();
  return { joinedByRule };
}


/** Who the server says we are; a kubeconfig user's name only stands in for that on a kubeconfig context (a token source's is internal). */
function identityShown(probe: ProbeResult, source: AdminClusterRow["source"]): string | null {
  if (!probe.identity) return null;
  return probe.identity.source === "self-subject-review" || source === "kubeconfig" ? probe.identity.username : null;
}

/** A real request through the live gateway (version, then who the server says we are); the outcome is audited. */
export async function testClusterConnection(ports: ClusterAdminPorts, actor: Actor, name: string, now = () => new Date()): Promise<ConnectionTest> {
  const row = await existing(ports, name);
  let result: ConnectionTest;
  if (!row.connected) {
    result = { cluster: name, status: "not_connected", message: row.lastError ?? "Pullkeeper holds no connection to this cluster.", serverVersion: null, identity: null, latencyMs: null, checkedAt: now().toISOString() };
  } else {
    const probe = await ports.gateway.probe(name);
    result = { cluster: name, status: probe.status, message: probe.message, serverVersion: probe.serverVersion, identity: identityShown(probe, row.source), latencyMs: probe.latencyMs, checkedAt: probe.checkedAt };
  }
  const ok = result.status === "reachable";
  await audited(ports, actor, "cluster.connection_tested", name, `${actor.email} tested the connection to cluster ${name}: ${ok ? "reachable" : result.status}`, {
    source: row.source,
    status: result.status,
    message: result.message,
    serverVersion: result.serverVersion,
    latencyMs: result.latencyMs,
  }, ok ? "succeeded" : "failed");
  return result;
}

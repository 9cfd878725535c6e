import "server-only";
import { isPullkeeperError, PullkeeperError } from "@/lib/errors";
import type { ApiKeyLookup } from "@/lib/iam/port";
import type { IamTokenSource, IksCluster, KubernetesServicePort } from "@/lib/iks/port";
import { addProblemOf, type AccessProblem } from "./access-advice";
import type { ClusterConnections } from "./connections";
import type { ClusterStore } from "./store";
import type { AccountJoinRuleRecord, CloudAccountRecord, ClusterEndpoint } from "./types";

/** What connecting accounts and adding their clusters needs (each an adapter in production, the simulators in tests). */
export interface AccountPorts {
  store: ClusterStore;
  connections: ClusterConnections;
  /** IAM's details of a key, looked up with the key itself (`GET /v1/apikeys/details`). */
  identifyKey(apiKey: string): Promise<ApiKeyLookup>;
  kubernetesService(tokens: IamTokenSource): KubernetesServicePort;
  /** Names kubeconfig contexts and the pod's own cluster already use (a stored cluster may not take them). */
  reservedNames(): string[];
}

const refused = (message: string, field = "apiKey") => new PullkeeperError("clusters", "invalid", message, { fieldErrors: { [field]: [message] } });

/**
 * Connects an IBM Cloud account: IAM must accept the key and tell whose it is; the key is then sealed
 * in the store and never shown again. A wrong, deleted or disabled key is refused and nothing is stored.
 */
export async function connectAccount(ports: AccountPorts, input: { displayName: string; apiKey: string }, actor: string): Promise<CloudAccountRecord> {
  let lookup: ApiKeyLookup;
  try {
    lookup = await ports.identifyKey(input.apiKey);
  } catch (error) {
    if (isPullkeeperError(error) && (error.kind === "unauthorized" || error.kind === "forbidden" || error.kind === "not_found")) {
      throw refused("IAM does not accept this API key: it was deleted, disabled or mistyped. Nothing was stored.");
    }
    throw error;
  }
  if (lookup.status !== "found") throw refused(lookup.status === "unknown" ? "IAM does not know this API key (deleted, or never existed). Nothing was stored." : "IAM will not show this key's details to itself; use a key of a service ID in the account. Nothing was stored.");
  const identity = lookup.identity;
  if (identity.disabled) throw refused("This API key is disabled in IAM; enable it or use another. Nothing was stored.");
  return ports.store.addAccount(
    {
      displayName: input.displayName, apiKey: input.apiKey, apiKeyId: identity.keyId, apiKeyName: identity.keyName, ownerIamId: identity.iamId, ownerKind: identity.owner.kind,
      ownerName: identity.owner.kind === "service_id" ? (identity.owner.name ?? null) : null, ibmAccountId: identity.accountId, keyCreatedAt: identity.createdAt ?? null,
    },
    actor,
  );
}

export interface DiscoveredCluster extends IksCluster {
  /** The stored cluster's name when it was already added. */
  addedAs: string | null;
}

async function serviceFor(ports: AccountPorts, accountId: string): Promise<KubernetesServicePort> {
  if (!(await ports.store.getAccount(accountId))) throw new PullkeeperError("clusters", "not_found", "The IBM Cloud account is no longer connected.");
  return ports.kubernetesService(await ports.connections.keeper(accountId));
}

/** The account's Kubernetes Service and OpenShift clusters, marked when already added. A key without any Kubernetes Service role sees none. */
export async function discoverClusters(ports: AccountPorts, accountId: string): Promise<DiscoveredCluster[]> {
  const [found, stored] = await Promise.all([(await serviceFor(ports, accountId)).listClusters(), ports.store.listClusters()]);
  const added = new Map(stored.filter((c) => c.accountId === accountId && c.iksClusterId).map((c) => [c.iksClusterId!, c.name]));
  return found.map((c) => ({ ...c, addedAs: added.get(c.id) ?? null }));
}

export interface ClusterChoice {
  iksClusterId: string;
  endpoint: ClusterEndpoint;
  /** Defaults to the IBM cluster's name (`<name>-<region>` when a kubeconfig context has that name). */
  name?: string;
}

/** A cluster that could not be added says why (IBM's or the store's words) and what kind of problem it is, for the advice (access-advice.ts). */
export type AddOutcome = { iksClusterId: string; name: string; ok: true } | { iksClusterId: string; name: string; ok: false; error: string; problem: AccessProblem };

/**
 * Adds chosen clusters: for each, IBM applies the key's service role as RBAC and returns the server and
 * CA (`applyRBACAndGetKubeconfig`), then the cluster is stored and joins the gateway. Each cluster stands
 * alone: one that cannot be reached (no service role, deleted, a name already taken) is reported with the
 * reason and what to grant, and the others are still added.
 */
export async function addIbmClusters(ports: AccountPorts, accountId: string, choices: ClusterChoice[], actor: string, joinedBy = "admin"): Promise<AddOutcome[]> {
  const service = await serviceFor(ports, accountId);
  const discovered = new Map((await service.listClusters()).map((c) => [c.id, c]));
  const reserved = new Set(ports.reservedNames());
  const outcomes: AddOutcome[] = [];
  for (const choice of choices) {
    const cluster = discovered.get(choice.iksClusterId);
    // A kubeconfig context already named like the IBM cluster (the same cluster reached another way, often): the region tells them apart.
    const ibmName = cluster && reserved.has(cluster.name) ? `${cluster.name}-${cluster.region}` : cluster?.name;
    const name = choice.name ?? ibmName ?? choice.iksClusterId;
    try {
      if (!cluster) throw new PullkeeperError("clusters", "not_found", "The account no longer lists this cluster (deleted, or the key lost its Kubernetes Service access).");
      if (reserved.has(name)) throw new PullkeeperError("clusters", "conflict", `A kubeconfig context is already named "${name}"; add the cluster under another name.`);
      const access = await service.getClusterAccess(cluster.id, { endpoint: choice.endpoint });
      await ports.store.saveIbmCluster(
        { name, accountId, iksClusterId: cluster.id, iksRegion: cluster.region, iksResourceGroup: cluster.resourceGroupName || cluster.resourceGroupId, iksTags: cluster.tags, endpoint: choice.endpoint, server: access.server, caPem: access.caPem, joinedBy },
        actor,
      );
      outcomes.push({ iksClusterId: choice.iksClusterId, name, ok: true });
    } catch (error) {
      if (!isPullkeeperError(error)) throw error;
      outcomes.push({ iksClusterId: choice.iksClusterId, name, ok: false, error: error.message, problem: addProblemOf(error.source, error.kind) });
    }
  }
  if (outcomes.some((o) => o.ok)) await ports.connections.sync();
  return outcomes;
}

/** Whether a join rule takes a cluster: in its resource group (name or id) and carrying its tag, whichever it names. */
export function joinRuleMatches(rule: Pick<AccountJoinRuleRecord, "resourceGroup" | "tag">, cluster: Pick<IksCluster, "resourceGroupId" | "resourceGroupName" | "tags">): boolean {
  const group = rule.resourceGroup?.trim().toLowerCase();
  const tag = rule.tag?.trim().toLowerCase();
  if (!group && !tag) return false;
  if (group && group !== cluster.resourceGroupName.toLowerCase() && group !== cluster.resourceGroupId.toLowerCase()) return false;
  return !tag || cluster.tags.some((t) => t.toLowerCase() === tag);
}

export interface JoinRuleRun {
  ruleId: string;
  accountId: string;
  added: AddOutcome[];
  error: string | null;
}

/**
 * Evaluates auto-join rules (one account's, or all): every listed cluster a rule takes and that is not
 * stored yet is added as the rule (`joinedBy: rule:<id>`). Idempotent: a second run adds nothing.
 */
export async function evaluateJoinRules(ports: AccountPorts, accountId?: string): Promise<JoinRuleRun[]> {
  const runs: JoinRuleRun[] = [];
  for (const rule of await ports.store.listJoinRules(accountId)) {
    const at = new Date();
    try {
      const candidates = (await discoverClusters(ports, rule.accountId)).filter((c) => c.addedAs === null && joinRuleMatches(rule, c));
      const added = candidates.length ? await addIbmClusters(ports, rule.accountId, candidates.map((c) => ({ iksClusterId: c.id, endpoint: rule.endpoint })), `join-rule:${rule.id}`, `rule:${rule.id}`) : [];
      const failed = added.filter((o) => !o.ok);
      const error = failed.length ? failed.map((o) => `${o.name}: ${"error" in o ? o.error : ""}`).join("; ") : null;
      await ports.store.recordJoinRuleRun(rule.id, at, error);
      runs.push({ ruleId: rule.id, accountId: rule.accountId, added, error });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await ports.store.recordJoinRuleRun(rule.id, at, message);
      runs.push({ ruleId: rule.id, accountId: rule.accountId, added: [], error: message });
    }
  }
  return runs;
}

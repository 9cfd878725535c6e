import "server-only";
import type { SessionUser } from "@/lib/auth/permissions";
import { accessAdvice, probeProblemOf, type AccessProblem } from "@/lib/clusters/access-advice";
import { addIbmClusters, connectAccount, discoverClusters, evaluateJoinRules, type AddOutcome, type ClusterChoice, type DiscoveredCluster } from "@/lib/clusters/accounts";
import type { AccountJoinRuleRecord, CloudAccountRecord, ClusterEndpoint, StoredClusterRecord } from "@/lib/clusters/types";
import { isPullkeeperError, PullkeeperError } from "@/lib/errors";
import type { TokenKeeperStatus } from "@/lib/iks/token-keeper";
import { invalidateCluster } from "@/lib/queries";
import { accountFacts, addStep, describeRule, namesList, recordAccountAudit, ruleFacts } from "./cloud-account-audit";
import { accountPorts } from "./cluster-connections";
import { serverRoot } from "./root";

/**
 * The admin's IBM Cloud accounts page over lib/clusters' workflows: connect an account, discover and add
 * its clusters, join rules, remove. Every change is audited (cloud-account-audit.ts) and reaches the live
 * gateway through `sync()` without a restart. What goes back to the browser are records without any
 * credential; the API key an admin pasted is handed to IAM once and sealed, never returned.
 */

async function deps() {
  const root = serverRoot();
  const [store, connections, audit] = await Promise.all([root.clusterStore(), root.clusterConnections(), root.auditStore()]);
  return { store, connections, audit, ports: accountPorts(store, connections, root.ports()) };
}

const actorOf = (user: SessionUser) => ({ email: user.email, role: user.role });
const gone = () => new PullkeeperError("clusters", "not_found", "The IBM Cloud account is no longer connected; reload the page.");

async function existingAccount(accountId: string): Promise<CloudAccountRecord> {
  const account = await (await serverRoot().clusterStore()).getAccount(accountId);
  if (!account) throw gone();
  return account;
}

export async function connectCloudAccount(user: SessionUser, input: { displayName: string; apiKey: string }): Promise<CloudAccountRecord> {
  const { ports, audit } = await deps();
  const account = await connectAccount(ports, input, user.email);
  await recordAccountAudit(audit, actorOf(user), {
    kind: "cloud_accounts_changed",
    summary: `${user.email} connected the IBM Cloud account ${account.displayName} (key of ${account.ownerName ?? account.ownerIamId})`,
    parameters: accountFacts(account),
    steps: [{ action: "cloud_account.connected", outcome: "succeeded", target: { kind: "CloudAccount", name: account.displayName }, detail: accountFacts(account) }],
  });
  return account;
}

/** What removing an account takes with it: its clusters and join rules (for the confirmation). */
export async function accountRemovalPlan(accountId: string): Promise<{ account: CloudAccountRecord; clusters: string[]; joinRules: AccountJoinRuleRecord[] }> {
  const store = await serverRoot().clusterStore();
  const account = await existingAccount(accountId);
  const [clusters, joinRules] = await Promise.all([store.listClusters(), store.listJoinRules(accountId)]);
  return { account, clusters: clusters.filter((c) => c.accountId === accountId).map((c) => c.name), joinRules };
}

export async function removeCloudAccount(user: SessionUser, accountId: string): Promise<{ clusters: string[]; joinRules: number }> {
  const { store, connections, audit } = await deps();
  const joinRules = await store.listJoinRules(accountId);
  const removed = await store.removeAccount(accountId);
  if (!removed) throw gone();
  await connections.sync();
  for (const name of removed.clusters) invalidateCluster(name);
  await recordAccountAudit(audit, actorOf(user), {
    kind: "cloud_accounts_changed",
    summary: `${user.email} removed the IBM Cloud account ${removed.account.displayName}, its clusters (${namesList(removed.clusters)}) and ${joinRules.length} join rule(s)`,
    parameters: { ...accountFacts(removed.account), clusters: removed.clusters, joinRules: joinRules.map(ruleFacts) },
    steps: [{ action: "cloud_account.removed", outcome: "succeeded", target: { kind: "CloudAccount", name: removed.account.displayName }, detail: { ...accountFacts(removed.account), clusters: removed.clusters, joinRules: joinRules.length } }],
  });
  return { clusters: removed.clusters, joinRules: joinRules.length };
}

export type Discovery = { ok: true; clusters: DiscoveredCluster[]; advice: string | null } | { ok: false; error: string; advice: string | null };

/** The account's clusters as IBM lists them now, or why they cannot be listed (and what to grant). */
export async function discoverAccountClusters(account: CloudAccountRecord): Promise<Discovery> {
  const { ports } = await deps();
  try {
    const clusters = await discoverClusters(ports, account.id);
    return { ok: true, clusters, advice: clusters.length === 0 ? accessAdvice("sees_no_cluster", account) : null };
  } catch (error) {
    if (!isPullkeeperError(error)) throw error;
    const problem: AccessProblem | null = error.kind === "unauthorized" || error.kind === "forbidden" ? "key_refused" : error.kind === "not_found" ? null : "ibm_unavailable";
    return { ok: false, error: error.message, advice: problem ? accessAdvice(problem, account) : null };
  }
}

export type AddedCluster = AddOutcome & { advice: string | null };

export async function addCloudClusters(user: SessionUser, accountId: string, choices: ClusterChoice[]): Promise<AddedCluster[]> {
  const { ports, audit } = await deps();
  const account = await existingAccount(accountId);
  const outcomes = await addIbmClusters(ports, accountId, choices, user.email);
  const endpoints = new Map(choices.map((c) => [c.iksClusterId, c.endpoint]));
  await recordAccountAudit(audit, actorOf(user), {
    kind: "cloud_accounts_changed",
    summary: `${user.email} added ${outcomes.filter((o) => o.ok).length} of ${outcomes.length} cluster(s) of ${account.displayName}: ${namesList(outcomes.filter((o) => o.ok).map((o) => o.name))}`,
    parameters: { accountId, clusters: choices.map((c) => ({ iksClusterId: c.iksClusterId, endpoint: c.endpoint })) },
    steps: outcomes.map((o) => addStep(o, accountId, { endpoint: endpoints.get(o.iksClusterId), joinedBy: "admin" })),
  });
  return outcomes.map((o) => ({ ...o, advice: o.ok ? null : accessAdvice(o.problem, account, o.name) }));
}

export async function createJoinRule(user: SessionUser, input: { accountId: string; resourceGroup: string | null; tag: string | null; endpoint: ClusterEndpoint }): Promise<{ rule: AccountJoinRuleRecord; joined: string[]; failed: AddedCluster[] }> {
  const { store, ports, audit } = await deps();
  const account = await existingAccount(input.accountId);
  const rule = await store.addJoinRule(input, user.email);
  // Evaluated at once, so the clusters the rule takes today join now rather than at the next scheduled run.
  const run = (await evaluateJoinRules(ports, input.accountId)).find((r) => r.ruleId === rule.id);
  const added = run?.added ?? [];
  const joined = added.filter((o) => o.ok).map((o) => o.name);
  await recordAccountAudit(audit, actorOf(user), {
    kind: "cloud_accounts_changed",
    summary: `${user.email} added a join rule to ${account.displayName} (${describeRule(rule)}); joined now: ${namesList(joined)}`,
    parameters: ruleFacts(rule),
    steps: [{ action: "join_rule.created", outcome: "succeeded", target: { kind: "JoinRule", name: describeRule(rule) }, detail: ruleFacts(rule) }, ...added.map((o) => addStep(o, account.id, { joinedBy: `rule:${rule.id}` }))],
  });
  const failed = added.flatMap((o) => (o.ok ? [] : [{ ...o, advice: accessAdvice(o.problem, account, o.name) }]));
  return { rule, joined, failed };
}

export async function deleteJoinRule(user: SessionUser, ruleId: string): Promise<void> {
  const { store, audit } = await deps();
  const rule = await store.removeJoinRule(ruleId);
  if (!rule) throw new PullkeeperError("clusters", "not_found", "The join rule was already removed; reload the page.");
  await recordAccountAudit(audit, actorOf(user), {
    kind: "cloud_accounts_changed",
    summary: `${user.email} removed the join rule ${describeRule(rule)} (the clusters it added stay)`,
    parameters: ruleFacts(rule),
    steps: [{ action: "join_rule.deleted", outcome: "succeeded", target: { kind: "JoinRule", name: describeRule(rule) }, detail: ruleFacts(rule) }],
  });
}

export interface ClusterAccessCheck {
  cluster: string;
  status: "reachable" | "unauthorized" | "forbidden" | "unreachable" | "tls_error";
  message: string;
  serverVersion: string | null;
  identity: string | null;
  advice: string | null;
  checkedAt: string;
}

/** Asks the cluster itself, with the account's current IAM token, whether it answers and who it says we are. */
export async function checkClusterAccess(cluster: StoredClusterRecord, account: CloudAccountRecord): Promise<ClusterAccessCheck> {
  const result = await serverRoot().ports().kube.probe(cluster.name);
  const problem = probeProblemOf(result.status);
  return {
    cluster: cluster.name,
    status: result.status,
    message: result.message,
    serverVersion: result.serverVersion,
    // Only what the cluster says: the kubeconfig-user fallback is the gateway's internal name for the token source.
    identity: result.identity?.source === "self-subject-review" ? result.identity.username : null,
    advice: problem ? accessAdvice(problem, account, cluster.iksClusterId ?? cluster.name) : null,
    checkedAt: result.checkedAt,
  };
}

/** An added cluster of an account, by name. */
export async function accountCluster(accountId: string, name: string): Promise<{ account: CloudAccountRecord; cluster: StoredClusterRecord }> {
  const account = await existingAccount(accountId);
  const cluster = await (await serverRoot().clusterStore()).getCluster(name);
  if (!cluster || cluster.accountId !== accountId || !cluster.iksClusterId) throw new PullkeeperError("clusters", "not_found", `The account has no cluster "${name}" any more; reload the page.`);
  return { account, cluster };
}

/**
 * Asks IBM again to write the key's service role into the cluster's RBAC (`applyRBACAndGetKubeconfig`), as
 * after a role was granted, and takes the server and CA it returns; then checks the cluster answers.
 */
export async function syncClusterAccess(user: SessionUser, accountId: string, name: string): Promise<ClusterAccessCheck> {
  const { store, connections, ports, audit } = await deps();
  const { account, cluster } = await accountCluster(accountId, name);
  const service = ports.kubernetesService(await connections.keeper(accountId));
  let error: string | null = null;
  try {
    const access = await service.getClusterAccess(cluster.iksClusterId!, { endpoint: cluster.endpoint });
    await store.recordConnection(name, { server: access.server, caPem: access.caPem, lastError: null });
    await connections.sync();
  } catch (failure) {
    if (!isPullkeeperError(failure)) throw failure;
    error = failure.message;
  }
  await recordAccountAudit(audit, actorOf(user), {
    kind: "cloud_accounts_changed",
    summary: `${user.email} synced the access of ${account.displayName}'s key to ${name}${error ? ` (failed: ${error})` : ""}`,
    parameters: { accountId, cluster: name, iksClusterId: cluster.iksClusterId },
    steps: [{ action: "cloud_cluster.access_synced", outcome: error ? "failed" : "succeeded", target: { kind: "Cluster", name }, detail: { accountId, iksClusterId: cluster.iksClusterId, endpoint: cluster.endpoint }, ...(error ? { error } : {}) }],
  });
  if (error) throw new PullkeeperError("clusters", "invalid", `${error} ${accessAdvice("no_service_role", account, cluster.iksClusterId!)}`);
  invalidateCluster(name);
  return checkClusterAccess((await store.getCluster(name)) ?? cluster, account);
}

export interface AccountSummary {
  account: CloudAccountRecord;
  clusters: StoredClusterRecord[];
  joinRules: AccountJoinRuleRecord[];
  /** This server process's IAM token keeper for the account (null until its first use). */
  token: TokenKeeperStatus | null;
}

export async function accountSummaries(): Promise<AccountSummary[]> {
  const root = serverRoot();
  const [store, connections] = await Promise.all([root.clusterStore(), root.clusterConnections()]);
  const [accounts, clusters, rules] = await Promise.all([store.listAccounts(), store.listClusters(), store.listJoinRules()]);
  return accounts.map((account) => ({
    account,
    clusters: clusters.filter((c) => c.accountId === account.id),
    joinRules: rules.filter((r) => r.accountId === account.id),
    token: connections.keeperStatus(account.id),
  }));
}

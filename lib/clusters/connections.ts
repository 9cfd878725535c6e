import "server-only";
import type { IamTokenKeeper, TokenKeeperStatus } from "@/lib/iks/token-keeper";
import type { ClusterSetChange } from "@/lib/kube";
import type { TokenSourceCluster } from "@/lib/kube/port";
import type { ClusterStore } from "./store";
import type { StoredClusterRecord } from "./types";

/** What the connections need of the Kubernetes gateway: its live cluster set. */
export interface LiveGateway {
  setTokenClusters(clusters: TokenSourceCluster[]): ClusterSetChange;
  setDisabledClusters(names: Iterable<string>): void;
}

export interface ClusterConnectionsDeps {
  store: ClusterStore;
  gateway: LiveGateway;
  /** A token keeper for an account's API key (lib/iks), not yet started. */
  createKeeper(apiKey: string, onChange: (status: TokenKeeperStatus) => void): IamTokenKeeper;
  /** Told of failures nobody is waiting for (a key that no longer opens); must not throw. */
  onProblem?(message: string, context: Record<string, string>): void;
}

export interface ClusterConnections {
  /** Reads the store and brings the gateway's clusters and the accounts' token keepers in line with it. Idempotent. */
  sync(): Promise<ClusterSetChange>;
  /** The account's token keeper, started (for discovery and the clusters page). */
  keeper(accountId: string): Promise<IamTokenKeeper>;
  keeperStatus(accountId: string): TokenKeeperStatus | null;
  stop(): void;
}

/**
 * Keeps the gateway's stored clusters current: every `ibm` cluster is reached with its account's
 * IAM token (one keeper per account, renewed before expiry, stale while IAM is away and fresh again
 * by itself), every `registered` cluster with its service-account token; disabled clusters stay
 * reachable by name but leave scans, rules and the fleet. Each renewal is written to the account's
 * clusters (last refresh, credential expiry, last error) for the clusters page.
 */
export function createClusterConnections(deps: ClusterConnectionsDeps): ClusterConnections {
  const keepers = new Map<string, { keeper: IamTokenKeeper; started: Promise<void> }>();
  const registered = registeredTokens(deps);
  let accountClusters = new Map<string, string[]>();

  async function recordRenewal(accountId: string, status: TokenKeeperStatus): Promise<void> {
    const error = status.state === "fresh" ? null : status.state === "stale" ? `IAM could not renew the token (${status.lastError ?? "no answer"}); the current token is used until it expires and renewal is retried.` : status.lastError;
    for (const name of accountClusters.get(accountId) ?? []) {
      await deps.store.recordConnection(name, { lastRefreshAt: status.lastRefreshedAt, credentialExpiresAt: status.expiresAt, lastError: error });
    }
  }

  async function keeper(accountId: string): Promise<IamTokenKeeper> {
    let held = keepers.get(accountId);
    if (!held) {
      const apiKey = await deps.store.openAccountApiKey(accountId);
      const created = deps.createKeeper(apiKey, (status) => void recordRenewal(accountId, status).catch((error: unknown) => deps.onProblem?.(`could not record a token renewal: ${error instanceof Error ? error.message : String(error)}`, { accountId })));
      // A first failure is the keeper's status (stale or failed) and it keeps trying; callers see it on their first request.
      held = { keeper: created, started: created.start().catch(() => undefined) };
      keepers.set(accountId, held);
    }
    await held.started;
    return held.keeper;
  }

  /** How the gateway reaches a stored cluster, or null when it cannot now (the reason is recorded on the cluster). */
  async function tokenSourceOf(c: StoredClusterRecord, server: string): Promise<TokenSourceCluster | null> {
    if (c.source === "ibm" && c.accountId) {
      const accountId = c.accountId;
      try {
        const k = await keeper(accountId);
        return { name: c.name, server, caPem: c.caPem, revision: `ibm:${accountId}:${c.endpoint}`, token: () => k.accessToken() };
      } catch (error) {
        await deps.store.recordConnection(c.name, { lastError: `The account's API key could not be opened: ${error instanceof Error ? error.message : String(error)}.` });
        return null;
      }
    }
    if (c.source !== "registered") return null;
    const token = await registered.open(c);
    return token === null ? null : { name: c.name, server, caPem: c.caPem, revision: `registered:${c.version}`, token: async () => token };
  }

  async function syncOnce(): Promise<ClusterSetChange> {
    const [accounts, clusters] = await Promise.all([deps.store.listAccounts(), deps.store.listClusters()]);
    const accountIds = new Set(accounts.map((a) => a.id));
    for (const [id, held] of keepers) {
      if (accountIds.has(id)) continue;
      held.keeper.stop();
      keepers.delete(id);
    }
    const byAccount = new Map<string, string[]>();
    for (const c of clusters) if (c.source === "ibm" && c.accountId) byAccount.set(c.accountId, [...(byAccount.get(c.accountId) ?? []), c.name]);
    accountClusters = byAccount;
    const tokenClusters: TokenSourceCluster[] = [];
    for (const c of clusters) {
      const source = c.server ? await tokenSourceOf(c, c.server) : null;
      if (source) tokenClusters.push(source);
    }
    await recordCurrentTokens(deps.store, clusters, (accountId) => keepers.get(accountId)?.keeper.status());
    registered.forgetAllBut(new Set(clusters.filter((c) => c.source === "registered").map((c) => c.name)));
    deps.gateway.setDisabledClusters(clusters.filter((c) => c.disabled).map((c) => c.name));
    return deps.gateway.setTokenClusters(tokenClusters);
  }

  const sync = serialized(syncOnce);

  return {
    sync,
    keeper,
    keeperStatus: (accountId) => keepers.get(accountId)?.keeper.status() ?? null,
    stop() {
      for (const held of keepers.values()) held.keeper.stop();
      keepers.clear();
    },
  };
}

/**
 * A cluster added after its account's token was obtained has no renewal on record until the next one (up to 48 min
 * away with IAM's hour-long tokens): it is given the token it is reached with now.
 */
async function recordCurrentTokens(store: ClusterStore, clusters: StoredClusterRecord[], statusOf: (accountId: string) => TokenKeeperStatus | undefined): Promise<void> {
  for (const c of clusters) {
    const status = c.source === "ibm" && c.accountId && c.lastRefreshAt === null ? statusOf(c.accountId) : undefined;
    if (status?.lastRefreshedAt) await store.recordConnection(c.name, { lastRefreshAt: status.lastRefreshedAt, credentialExpiresAt: status.expiresAt, lastError: c.lastError });
  }
}

/** One run at a time; a call during a run makes it run once more when it ends, so the last change always lands. */
function serialized<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let result = await run();
        while (again) {
          again = false;
          result = await run();
        }
        return result;
      } finally {
        running = null;
      }
    })();
    return running;
  };
}

/** Registered clusters' tokens, opened once per stored version of the cluster. */
function registeredTokens(deps: Pick<ClusterConnectionsDeps, "store" | "onProblem">) {
  const tokens = new Map<string, { version: number; token: string }>();
  return {
    async open(cluster: StoredClusterRecord): Promise<string | null> {
      const cached = tokens.get(cluster.name);
      if (cached && cached.version === cluster.version) return cached.token;
      try {
        const token = await deps.store.openClusterToken(cluster.name);
        tokens.set(cluster.name, { version: cluster.version, token });
        return token;
      } catch (error) {
        const message = `The stored token could not be opened: ${error instanceof Error ? error.message : String(error)}.`;
        await deps.store.recordConnection(cluster.name, { lastError: message });
        deps.onProblem?.(message, { cluster: cluster.name });
        return null;
      }
    },
    forgetAllBut(names: Set<string>): void {
      for (const name of tokens.keys()) if (!names.has(name)) tokens.delete(name);
    },
  };
}

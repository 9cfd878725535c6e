import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import type { CredentialCipher } from "@/lib/sealing/credential-cipher";
import { accountRows, clusterRows, clusterWrites, joinRuleRows, resealRows } from "./store-prisma";
import type { AccountJoinRuleRecord, CloudAccountRecord, ClusterEndpoint, StoredClusterRecord } from "./types";

/** An account to connect: the key (sealed here, never returned) and its details from IAM's lookup. */
export interface NewCloudAccount {
  displayName: string;
  apiKey: string;
  apiKeyId: string;
  apiKeyName: string;
  ownerIamId: string;
  ownerKind: CloudAccountRecord["ownerKind"];
  ownerName: string | null;
  ibmAccountId: string;
  keyCreatedAt: string | null;
}

export interface ClusterDescription {
  name: string;
  displayName?: string;
  labels?: Record<string, string>;
}

/** A cluster discovered through an account; reached with the account's IAM token. */
export interface NewIbmCluster extends ClusterDescription {
  accountId: string;
  iksClusterId: string;
  iksRegion: string;
  iksResourceGroup: string;
  iksTags: string[];
  endpoint: ClusterEndpoint;
  server: string;
  caPem: string | null;
  /** `admin` (default) or `rule:<join rule id>`. */
  joinedBy?: string;
}

/** A cluster registered with a service account of its own: its API server, CA and the account's token (sealed here). */
export interface NewRegisteredCluster extends ClusterDescription {
  server: string;
  caPem: string | null;
  token: string;
}

/** What an admin may change on any cluster; a kubeconfig context gets a row for these on its first change. */
export interface ClusterChanges {
  displayName?: string;
  labels?: Record<string, string>;
  disabled?: boolean;
  endpoint?: ClusterEndpoint;
}

/** The outcome of the newest attempt to reach a cluster or renew its credential (never a credential). */
export interface ConnectionReport {
  lastRefreshAt?: Date | null;
  credentialExpiresAt?: Date | null;
  lastError: string | null;
  server?: string;
  caPem?: string | null;
  iksTags?: string[];
}

export interface NewJoinRule {
  accountId: string;
  resourceGroup: string | null;
  tag: string | null;
  endpoint: ClusterEndpoint;
}

/**
 * Cluster connections at rest (lib/clusters/README.md): IBM Cloud accounts, stored clusters and
 * auto-join rules, shared by every replica. Credentials are sealed with the credential cipher on the
 * way in and opened only by `openAccountApiKey` / `openClusterToken`, for the gateway's token sources.
 * Every write is one statement, so two admins racing leave one row and one clear refusal.
 */
export interface ClusterStore {
  /** @throws PullkeeperError (`clusters`, `conflict`) when the key or the display name is already connected. */
  addAccount(input: NewCloudAccount, actor: string): Promise<CloudAccountRecord>;
  listAccounts(): Promise<CloudAccountRecord[]>;
  getAccount(id: string): Promise<CloudAccountRecord | null>;
  /** Removes the account, its join rules and the clusters it added (their names are returned). */
  removeAccount(id: string): Promise<{ account: CloudAccountRecord; clusters: string[] } | null>;
  /** The account's API key, for its token keeper only. @throws SealError when the encryption key changed. */
  openAccountApiKey(id: string): Promise<string>;

  /** @throws PullkeeperError `conflict` (name taken, or this IBM cluster already added: the message says by whom), `not_found` (account gone). */
  saveIbmCluster(input: NewIbmCluster, actor: string): Promise<StoredClusterRecord>;
  /**
   * Stores a cluster reached with its own service-account token (the "register any cluster" flow):
   * `{ server, caPem, token }` plus its name; the token is sealed, never returned.
   * @throws PullkeeperError `conflict` when the name is taken.
   */
  saveRegisteredCluster(input: NewRegisteredCluster, actor: string): Promise<StoredClusterRecord>;
  /** Replaces a registered cluster's token (e.g. after re-creating its Secret). */
  replaceClusterToken(name: string, token: string, actor: string): Promise<StoredClusterRecord>;
  /** A registered cluster's token, for the gateway only. @throws PullkeeperError `not_found`, SealError. */
  openClusterToken(name: string): Promise<string>;
  /**
   * Display name, labels, disabled, endpoint. A name with no row (a kubeconfig context) gets a `kubeconfig` row.
   * @throws PullkeeperError `conflict` when `expectedVersion` is given and someone changed the cluster since.
   */
  updateCluster(name: string, changes: ClusterChanges, actor: string, expectedVersion?: number): Promise<StoredClusterRecord>;
  /** Saves how the newest connection attempt went; a cluster removed meanwhile is ignored. */
  recordConnection(name: string, report: ConnectionReport): Promise<void>;
  removeCluster(name: string): Promise<StoredClusterRecord | null>;
  listClusters(): Promise<StoredClusterRecord[]>;
  getCluster(name: string): Promise<StoredClusterRecord | null>;

  addJoinRule(input: NewJoinRule, actor: string): Promise<AccountJoinRuleRecord>;
  listJoinRules(accountId?: string): Promise<AccountJoinRuleRecord[]>;
  removeJoinRule(id: string): Promise<AccountJoinRuleRecord | null>;
  recordJoinRuleRun(id: string, at: Date, error: string | null): Promise<void>;

  /** Seals every stored credential under the cipher's current key (after PULLKEEPER_ENCRYPTION_KEY changed). */
  resealAll(): Promise<{ resealed: number; alreadyCurrent: number }>;
}

export function createClusterStore(prisma: PrismaDatabase, cipher: CredentialCipher): ClusterStore {
  return { ...accountRows(prisma, cipher), ...clusterWrites(prisma, cipher), ...clusterRows(prisma), ...joinRuleRows(prisma), ...resealRows(prisma, cipher) };
}

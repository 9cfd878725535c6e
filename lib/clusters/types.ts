/**
 * Cluster connections as the rest of Pullkeeper sees them: plain, serializable, and without any
 * field that could hold a credential (the sealed API key and token stay inside the store).
 */

export type ClusterSource = "ibm" | "registered" | "kubeconfig";
export type ClusterEndpoint = "public" | "private";

/** Who owns an account's API key, from IAM's API-key details lookup when it was added. */
export interface CloudAccountRecord {
  id: string;
  displayName: string;
  apiKeyId: string;
  apiKeyName: string;
  ownerIamId: string;
  ownerKind: "service_id" | "user" | "other";
  ownerName: string | null;
  ibmAccountId: string;
  keyCreatedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export interface StoredClusterRecord {
  id: string;
  name: string;
  displayName: string;
  labels: Record<string, string>;
  source: ClusterSource;
  disabled: boolean;
  endpoint: ClusterEndpoint;
  server: string | null;
  caPem: string | null;
  /** Whether a sealed token is stored (registered clusters); never the token. */
  hasToken: boolean;
  accountId: string | null;
  iksClusterId: string | null;
  iksRegion: string | null;
  iksResourceGroup: string | null;
  iksTags: string[];
  /** `admin`, or `rule:<join rule id>` for a cluster an auto-join rule added. */
  joinedBy: string;
  lastRefreshAt: string | null;
  credentialExpiresAt: string | null;
  lastError: string | null;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/** Every cluster of an account in a resource group and/or with a tag joins by itself. */
export interface AccountJoinRuleRecord {
  id: string;
  accountId: string;
  resourceGroup: string | null;
  tag: string | null;
  endpoint: ClusterEndpoint;
  createdBy: string;
  createdAt: string;
  lastEvaluatedAt: string | null;
  lastError: string | null;
}

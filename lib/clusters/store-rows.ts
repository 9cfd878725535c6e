import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import { PullkeeperError } from "@/lib/errors";
import type { AccountJoinRuleRecord, CloudAccountRecord, ClusterSource, StoredClusterRecord } from "./types";

export const accountContext = (id: string) => `CloudAccount:${id}:apiKey`;
export const tokenContext = (id: string) => `StoredCluster:${id}:token`;

export type AccountRow = Awaited<ReturnType<PrismaDatabase["cloudAccount"]["findUniqueOrThrow"]>>;
export type ClusterRow = Awaited<ReturnType<PrismaDatabase["storedCluster"]["findUniqueOrThrow"]>>;
export type JoinRuleRow = Awaited<ReturnType<PrismaDatabase["accountJoinRule"]["findUniqueOrThrow"]>>;

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function accountRecord(row: AccountRow): CloudAccountRecord {
  return {
    id: row.id, displayName: row.displayName, apiKeyId: row.apiKeyId, apiKeyName: row.apiKeyName, ownerIamId: row.ownerIamId,
    ownerKind: row.ownerKind === "service_id" || row.ownerKind === "user" ? row.ownerKind : "other", ownerName: row.ownerName,
    ibmAccountId: row.ibmAccountId, keyCreatedAt: iso(row.keyCreatedAt), createdBy: row.createdBy, createdAt: row.createdAt.toISOString(),
  };
}

export function clusterRecord(row: ClusterRow): StoredClusterRecord {
  return {
    id: row.id, name: row.name, displayName: row.displayName, labels: parseJson<Record<string, string>>(row.labels, {}),
    source: (["ibm", "registered", "kubeconfig"].includes(row.source) ? row.source : "kubeconfig") as ClusterSource,
    disabled: row.disabled, endpoint: row.endpoint === "private" ? "private" : "public", server: row.server, caPem: row.caPem,
    hasToken: row.sealedToken !== null, accountId: row.accountId, iksClusterId: row.iksClusterId, iksRegion: row.iksRegion,
    iksResourceGroup: row.iksResourceGroup, iksTags: parseJson<string[]>(row.iksTags, []), joinedBy: row.joinedBy,
    lastRefreshAt: iso(row.lastRefreshAt), credentialExpiresAt: iso(row.credentialExpiresAt), lastError: row.lastError, version: row.version,
    createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString(),
  };
}

export function joinRuleRecord(row: JoinRuleRow): AccountJoinRuleRecord {
  return {
    id: row.id, accountId: row.accountId, resourceGroup: row.resourceGroup, tag: row.tag, endpoint: row.endpoint === "private" ? "private" : "public",
    createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), lastEvaluatedAt: iso(row.lastEvaluatedAt), lastError: row.lastError,
  };
}

export const conflict = (message: string, cluster?: string) => new PullkeeperError("clusters", "conflict", message, cluster ? { context: { cluster } } : {});
export const notFound = (message: string, cluster?: string) => new PullkeeperError("clusters", "not_found", message, cluster ? { context: { cluster } } : {});

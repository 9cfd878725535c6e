import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaDatabase } from "@/lib/db/client";
import { prismaErrorCode, UNIQUE_VIOLATION } from "@/lib/db/errors";
import { PullkeeperError } from "@/lib/errors";
import type { StoredClusterUncheckedCreateInput } from "@/lib/generated/sqlite/models/StoredCluster";
import type { CredentialCipher } from "@/lib/sealing/credential-cipher";
import type { ClusterDescription, ClusterStore } from "./store";
import type { StoredClusterRecord } from "./types";
import { accountContext, accountRecord, clusterRecord, conflict, joinRuleRecord, notFound, tokenContext } from "./store-rows";

type AccountCalls = "addAccount" | "listAccounts" | "getAccount" | "removeAccount" | "openAccountApiKey";
type ClusterWriteCalls = "saveIbmCluster" | "saveRegisteredCluster" | "replaceClusterToken" | "openClusterToken" | "updateCluster";
type ClusterReadCalls = "recordConnection" | "removeCluster" | "listClusters" | "getCluster";
type JoinRuleCalls = "addJoinRule" | "listJoinRules" | "removeJoinRule" | "recordJoinRuleRun";

export function accountRows(prisma: PrismaDatabase, cipher: CredentialCipher): Pick<ClusterStore, AccountCalls> {
  return {
    async addAccount(input, actor) {
      const id = randomUUID();
      try {
        const row = await prisma.cloudAccount.create({
          data: {
            id, displayName: input.displayName, sealedApiKey: cipher.seal(input.apiKey, accountContext(id)), apiKeyId: input.apiKeyId, apiKeyName: input.apiKeyName,
            ownerIamId: input.ownerIamId, ownerKind: input.ownerKind, ownerName: input.ownerName, ibmAccountId: input.ibmAccountId,
            keyCreatedAt: input.keyCreatedAt ? new Date(input.keyCreatedAt) : null, createdBy: actor, createdAt: new Date(),
          },
        });
        return accountRecord(row);
      } catch (error) {
        if (prismaErrorCode(error) !== UNIQUE_VIOLATION) throw error;
        const sameKey = await prisma.cloudAccount.findUnique({ where: { apiKeyId: input.apiKeyId } });
        if (sameKey) throw conflict(`This API key is already connected as "${sameKey.displayName}" (added by ${sameKey.createdBy}); nothing was added.`);
        throw conflict(`An account named "${input.displayName}" is already connected; choose another name. Nothing was added.`);
      }
    },
    async listAccounts() {
      return (await prisma.cloudAccount.findMany({ orderBy: { displayName: "asc" } })).map(accountRecord);
    },
    async getAccount(id) {
      const row = await prisma.cloudAccount.findUnique({ where: { id } });
      return row ? accountRecord(row) : null;
    },
    async removeAccount(id) {
      const row = await prisma.cloudAccount.findUnique({ where: { id } });
      if (!row) return null;
      const clusters = (await prisma.storedCluster.findMany({ where: { accountId: id }, select: { name: true } })).map((c) => c.name);
      // The clusters and join rules go with it (onDelete: Cascade), in the same statement.
      const deleted = await prisma.cloudAccount.deleteMany({ where: { id } });
      return deleted.count === 0 ? null : { account: accountRecord(row), clusters };
    },
    async openAccountApiKey(id) {
      const row = await prisma.cloudAccount.findUnique({ where: { id }, select: { sealedApiKey: true } });
      if (!row) throw notFound("The IBM Cloud account is no longer connected.");
      return cipher.open(row.sealedApiKey, accountContext(id));
    },

  };
}

export function clusterWrites(prisma: PrismaDatabase, cipher: CredentialCipher): Pick<ClusterStore, ClusterWriteCalls> {
  async function clusterConflict(input: { name: string; accountId?: string; iksClusterId?: string }): Promise<PullkeeperError> {
    const byName = await prisma.storedCluster.findUnique({ where: { name: input.name } });
    if (byName) return conflict(`A cluster named "${input.name}" already exists (added by ${byName.createdBy} at ${byName.createdAt.toISOString()}); nothing was added.`, input.name);
    const same = input.accountId && input.iksClusterId ? await prisma.storedCluster.findFirst({ where: { accountId: input.accountId, iksClusterId: input.iksClusterId } }) : null;
    if (same) return conflict(`This IBM Cloud cluster is already connected as "${same.name}" (added by ${same.createdBy}); nothing was added.`, same.name);
    return conflict(`The cluster "${input.name}" could not be added: another change to it happened at the same time. Reload and try again.`, input.name);
  }

  async function insertCluster(data: Omit<StoredClusterUncheckedCreateInput, "createdAt" | "updatedAt" | "updatedBy">, conflictOf: Parameters<typeof clusterConflict>[0]): Promise<StoredClusterRecord> {
    const now = new Date();
    try {
      return clusterRecord(await prisma.storedCluster.create({ data: { ...data, updatedBy: data.createdBy, createdAt: now, updatedAt: now } }));
    } catch (error) {
      if (prismaErrorCode(error) === UNIQUE_VIOLATION) throw await clusterConflict(conflictOf);
      throw error;
    }
  }

  const description = (input: ClusterDescription) => ({ name: input.name, displayName: input.displayName ?? "", labels: JSON.stringify(input.labels ?? {}) });
  return {
    async saveIbmCluster(input, actor) {
      if (!(await prisma.cloudAccount.findUnique({ where: { id: input.accountId }, select: { id: true } }))) throw notFound("The IBM Cloud account was removed meanwhile; nothing was added.", input.name);
      return insertCluster(
        {
          id: randomUUID(), ...description(input), source: "ibm", endpoint: input.endpoint, server: input.server, caPem: input.caPem, accountId: input.accountId,
          iksClusterId: input.iksClusterId, iksRegion: input.iksRegion, iksResourceGroup: input.iksResourceGroup, iksTags: JSON.stringify(input.iksTags),
          joinedBy: input.joinedBy ?? "admin", createdBy: actor,
        },
        { name: input.name, accountId: input.accountId, iksClusterId: input.iksClusterId },
      );
    },
    async saveRegisteredCluster(input, actor) {
      const id = randomUUID();
      return insertCluster({ id, ...description(input), source: "registered", server: input.server, caPem: input.caPem, sealedToken: cipher.seal(input.token, tokenContext(id)), createdBy: actor }, { name: input.name });
    },
    async replaceClusterToken(name, token, actor) {
      const row = await prisma.storedCluster.findUnique({ where: { name } });
      if (!row || row.source !== "registered") throw notFound(`No registered cluster is named "${name}".`, name);
      return clusterRecord(await prisma.storedCluster.update({ where: { id: row.id }, data: { sealedToken: cipher.seal(token, tokenContext(row.id)), version: { increment: 1 }, updatedBy: actor, updatedAt: new Date() } }));
    },
    async openClusterToken(name) {
      const row = await prisma.storedCluster.findUnique({ where: { name }, select: { id: true, sealedToken: true } });
      if (!row?.sealedToken) throw notFound(`No token is stored for the cluster "${name}".`, name);
      return cipher.open(row.sealedToken, tokenContext(row.id));
    },
    async updateCluster(name, changes, actor, expectedVersion) {
      const data = {
        ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
        ...(changes.labels !== undefined ? { labels: JSON.stringify(changes.labels) } : {}),
        ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
        ...(changes.endpoint !== undefined ? { endpoint: changes.endpoint } : {}),
      };
      const now = new Date();
      const current = await prisma.storedCluster.findUnique({ where: { name } });
      if (!current) {
        if (expectedVersion !== undefined && expectedVersion !== 0) throw conflict(`The cluster "${name}" was removed meanwhile; nothing was changed.`, name);
        return insertCluster({ id: randomUUID(), name, ...data, source: "kubeconfig", createdBy: actor }, { name });
      }
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw conflict(`Someone changed the cluster "${name}" since you opened it; reload to see their change. Nothing was changed.`, name);
      // Compare-and-set on the version read: a change in between is refused, never overwritten.
      const updated = await prisma.storedCluster.updateMany({ where: { id: current.id, version: current.version }, data: { ...data, version: current.version + 1, updatedBy: actor, updatedAt: now } });
      if (updated.count === 0) throw conflict(`Someone changed the cluster "${name}" at the same time; reload to see their change. Nothing was changed.`, name);
      return clusterRecord(await prisma.storedCluster.findUniqueOrThrow({ where: { id: current.id } }));
    },
  };
}

export function clusterRows(prisma: PrismaDatabase): Pick<ClusterStore, ClusterReadCalls> {
  return {
    async recordConnection(name, report) {
      await prisma.storedCluster.updateMany({
        where: { name },
        data: {
          lastError: report.lastError,
          ...(report.lastRefreshAt !== undefined ? { lastRefreshAt: report.lastRefreshAt } : {}),
          ...(report.credentialExpiresAt !== undefined ? { credentialExpiresAt: report.credentialExpiresAt } : {}),
          ...(report.server !== undefined ? { server: report.server } : {}),
          ...(report.caPem !== undefined ? { caPem: report.caPem } : {}),
          ...(report.iksTags !== undefined ? { iksTags: JSON.stringify(report.iksTags) } : {}),
        },
      });
    },
    async removeCluster(name) {
      const row = await prisma.storedCluster.findUnique({ where: { name } });
      if (!row) return null;
      const deleted = await prisma.storedCluster.deleteMany({ where: { id: row.id } });
      return deleted.count === 0 ? null : clusterRecord(row);
    },
    async listClusters() {
      return (await prisma.storedCluster.findMany({ orderBy: { name: "asc" } })).map(clusterRecord);
    },
    async getCluster(name) {
      const row = await prisma.storedCluster.findUnique({ where: { name } });
      return row ? clusterRecord(row) : null;
    },

  };
}

export function joinRuleRows(prisma: PrismaDatabase): Pick<ClusterStore, JoinRuleCalls> {
  return {
    async addJoinRule(input, actor) {
      if (!input.resourceGroup && !input.tag) throw new PullkeeperError("clusters", "invalid", "A join rule needs a resource group, a tag, or both.");
      const row = await prisma.accountJoinRule.create({ data: { id: randomUUID(), ...input, createdBy: actor, createdAt: new Date() } });
      return joinRuleRecord(row);
    },
    async listJoinRules(accountId) {
      return (await prisma.accountJoinRule.findMany({ where: accountId ? { accountId } : {}, orderBy: { createdAt: "asc" } })).map(joinRuleRecord);
    },
    async removeJoinRule(id) {
      const row = await prisma.accountJoinRule.findUnique({ where: { id } });
      if (!row) return null;
      await prisma.accountJoinRule.deleteMany({ where: { id } });
      return joinRuleRecord(row);
    },
    async recordJoinRuleRun(id, at, error) {
      await prisma.accountJoinRule.updateMany({ where: { id }, data: { lastEvaluatedAt: at, lastError: error } });
    },

  };
}

export function resealRows(prisma: PrismaDatabase, cipher: CredentialCipher): Pick<ClusterStore, "resealAll"> {
  return {
    async resealAll() {
      let resealed = 0;
      let alreadyCurrent = 0;
      for (const row of await prisma.cloudAccount.findMany({ select: { id: true, sealedApiKey: true } })) {
        if (cipher.isCurrent(row.sealedApiKey)) alreadyCurrent += 1;
        else {
          await prisma.cloudAccount.updateMany({ where: { id: row.id, sealedApiKey: row.sealedApiKey }, data: { sealedApiKey: cipher.reseal(row.sealedApiKey, accountContext(row.id)) } });
          resealed += 1;
        }
      }
      for (const row of await prisma.storedCluster.findMany({ where: { sealedToken: { not: null } }, select: { id: true, sealedToken: true } })) {
        const sealed = row.sealedToken!;
        if (cipher.isCurrent(sealed)) alreadyCurrent += 1;
        else {
          await prisma.storedCluster.updateMany({ where: { id: row.id, sealedToken: sealed }, data: { sealedToken: cipher.reseal(sealed, tokenContext(row.id)) } });
          resealed += 1;
        }
      }
      return { resealed, alreadyCurrent };
    },
  };
}

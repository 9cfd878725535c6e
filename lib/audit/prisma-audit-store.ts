import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { prismaOperationReads } from "./prisma-operation-reads";
import { prismaOperationWrites } from "./prisma-operation-writes";
import type { AuditStore } from "./port";

/** The audit store over Prisma (SQLite or PostgreSQL): operation writes and reads, each in its own module. */
export function createPrismaAuditStore(prisma: PrismaDatabase, provider: DatabaseProvider): AuditStore {
  return {
    ...prismaOperationWrites(prisma, provider),
    ...prismaOperationReads(prisma, provider),
  };
}

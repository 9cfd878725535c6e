import "server-only";
import { database } from "@/lib/db";
import { createPrismaAuditStore } from "./prisma-audit-store";
import type { AuditStore } from "./port";

export * from "./port";

/** The process-wide audit store over the configured database. */
export async function auditStore(): Promise<AuditStore> {
  const { prisma, provider } = await database();
  return createPrismaAuditStore(prisma, provider);
}

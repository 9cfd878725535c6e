import "server-only";
import { database } from "@/lib/db";
import { observedAuditStore } from "@/lib/metrics/observed-audit";
import { serverRoot } from "@/lib/server/root";
import { createPrismaAuditStore } from "./prisma-audit-store";
import type { AuditStore } from "./port";

export * from "./port";

/** The process-wide audit store over the configured database, reporting workflow runs to the metrics. */
export async function auditStore(): Promise<AuditStore> {
  const { prisma, provider } = await database();
  return observedAuditStore(createPrismaAuditStore(prisma, provider), serverRoot().metrics());
}

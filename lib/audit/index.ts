import "server-only";
import { database } from "@/lib/db";
import { observedAuditStore } from "@/lib/metrics/observed-audit";
import { notifyingAuditStore } from "@/lib/notifications/audit-events";
import { serverRoot } from "@/lib/server/root";
import { createPrismaAuditStore } from "./prisma-audit-store";
import type { AuditStore } from "./port";

export * from "./port";

/** The process-wide audit store over the configured database, reporting workflow runs to the metrics and failed runs to the webhooks. */
export async function auditStore(): Promise<AuditStore> {
  const { prisma, provider } = await database();
  const root = serverRoot();
  return notifyingAuditStore(observedAuditStore(createPrismaAuditStore(prisma, provider), root.metrics()), root.notify);
}

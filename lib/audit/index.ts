import "server-only";
import { serverRoot } from "@/lib/server/root";
import type { AuditStore } from "./port";

export * from "./port";

/** The process-wide audit store over the configured database, reporting workflow runs to the metrics. */
export async function auditStore(): Promise<AuditStore> {
  return serverRoot().auditStore();
}

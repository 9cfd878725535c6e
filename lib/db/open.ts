import "server-only";
import { env } from "@/lib/env";
import { connectDatabase, type DatabaseConnection } from "./client";
import { parseDatabaseUrl } from "./database-url";
import { applyPendingMigrations } from "./migrations";

/** Brings the configured database's schema forward, then connects. */
export async function openConfiguredDatabase(): Promise<DatabaseConnection> {
  const target = parseDatabaseUrl(env().DATABASE_URL);
  await applyPendingMigrations(target);
  return connectDatabase(target);
}

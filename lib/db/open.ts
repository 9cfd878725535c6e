import "server-only";
import { env } from "@/lib/env";
import { connectDatabase, type DatabaseConnection } from "./client";
import { parseDatabaseUrl } from "./database-url";
import { applyPendingMigrations } from "./migrations";
import { pendingMigrations, PendingMigrationsError } from "./pending-migrations";

/**
 * Connects to the configured database: brings its schema forward first, or,
 * with PULLKEEPER_MIGRATE=false, refuses a schema that lags the code.
 */
export async function openConfiguredDatabase(): Promise<DatabaseConnection> {
  const target = parseDatabaseUrl(env().DATABASE_URL);
  if (env().PULLKEEPER_MIGRATE) {
    await applyPendingMigrations(target);
    return connectDatabase(target);
  }
  const connection = await connectDatabase(target);
  const pending = await pendingMigrations(connection, target);
  if (pending.length === 0) return connection;
  await connection.close();
  throw new PendingMigrationsError(pending);
}

import "server-only";
import { env } from "@/lib/env";
import { connectDatabase, type DatabaseConnection } from "./client";
import { describeDatabaseUrl, parseDatabaseUrl } from "./database-url";
import { applyPendingMigrations } from "./migrations";
import { pendingMigrations, PendingMigrationsError } from "./pending-migrations";

export type { DatabaseConnection, PrismaDatabase } from "./client";
export { PendingMigrationsError } from "./pending-migrations";

/**
 * The process-wide database: migrated once, then shared. Kept on globalThis so
 * Next's dev-mode module reloads do not open a connection per edit.
 */
const holder = globalThis as unknown as { pullkeeperDatabase?: Promise<DatabaseConnection> };

export function database(): Promise<DatabaseConnection> {
  holder.pullkeeperDatabase ??= (async () => {
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
  })().catch((error: unknown) => {
    holder.pullkeeperDatabase = undefined;
    throw error;
  });
  return holder.pullkeeperDatabase;
}

export function databaseDescription(): string {
  return describeDatabaseUrl(parseDatabaseUrl(env().DATABASE_URL));
}

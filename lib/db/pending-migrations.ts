import "server-only";
import type { DatabaseConnection } from "./client";
import type { DatabaseTarget } from "./database-url";
import { migrationPaths, readMigrationList } from "./migrations";
import { PullkeeperError } from "@/lib/errors";

/**
 * Migrations in prisma/migrations/<provider> that the database has not
 * finished applying, read from the `_prisma_migrations` table that the schema
 * engine (and `prisma migrate deploy`) keep. A database without that table has
 * every migration pending.
 */
export async function pendingMigrations(connection: DatabaseConnection, target: DatabaseTarget, projectRoot: string = process.cwd()): Promise<string[]> {
  const expected = readMigrationList(migrationPaths(target.provider, projectRoot).migrationsDir).migrationDirectories.map((dir) => dir.path);
  let applied: Set<string>;
  try {
    const rows = await connection.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    applied = new Set(rows.map((row) => row.migration_name));
  } catch {
    applied = new Set();
  }
  return expected.filter((name) => !applied.has(name));
}

export class PendingMigrationsError extends PullkeeperError {
  override name = "PendingMigrationsError";
  constructor(readonly pending: string[]) {
    super(
      "config",
      "precondition_failed",
      `The database needs ${pending.length} migration${pending.length === 1 ? "" : "s"} (${pending.join(", ")}) and PULLKEEPER_MIGRATE=false forbids applying them at start. ` +
        "Apply them with `npm run db:migrate` (or start once with PULLKEEPER_MIGRATE=true), then start again.",
    );
  }
}

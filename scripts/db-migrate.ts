/** Applies pending migrations to DATABASE_URL (default: the embedded SQLite file). */
import { env } from "../lib/env";
import { describeDatabaseUrl, parseDatabaseUrl } from "../lib/db/database-url";
import { applyPendingMigrations } from "../lib/db/migrations";

async function main(): Promise<void> {
  const target = parseDatabaseUrl(env().DATABASE_URL);
  const { applied } = await applyPendingMigrations(target);
  console.log(
    applied.length
      ? `${describeDatabaseUrl(target)}: applied ${applied.join(", ")}`
      : `${describeDatabaseUrl(target)}: up to date`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

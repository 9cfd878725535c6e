import "server-only";
import type { DatabaseConnection } from "@/lib/db/client";
import { parseDatabaseUrl } from "@/lib/db/database-url";
import { env } from "@/lib/env";
import { createLocalJobQueue } from "@/lib/jobs/local-queue";
import { createPgBossQueue } from "@/lib/jobs/pg-boss-queue";
import type { JobQueue } from "@/lib/jobs/port";
import { logger } from "@/lib/log";

const logError = (error: unknown, context: Record<string, unknown> = {}) =>
  logger.error({ ...context, err: error instanceof Error ? error.message.split("\n")[0] : String(error) }, "job queue error");

/**
 * The queue for the configured database: pg-boss when it is PostgreSQL (any
 * number of replicas), the in-process queue on the embedded SQLite (one
 * process; its start turns the jobs a previous process left running back into
 * waiting ones).
 */
export async function openJobQueue(database: DatabaseConnection): Promise<JobQueue> {
  const config = env();
  if (database.provider === "postgresql") {
    return createPgBossQueue({
      connectionString: parseDatabaseUrl(config.DATABASE_URL).url,
      expireInSeconds: config.PULLKEEPER_JOB_EXPIRE_SECONDS,
      maintenanceIntervalSeconds: config.PULLKEEPER_JOB_MAINTENANCE_SECONDS,
      pollingIntervalSeconds: 1,
      onError: (error) => logError(error),
    });
  }
  const queue = createLocalJobQueue(database.prisma, { onError: (error, context) => logError(error, context) });
  const resumed = await queue.start();
  if (resumed) logger.warn({ resumed }, "jobs left running by the previous process are queued again");
  return queue;
}

import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import { auditWrite } from "./prisma-audit-write";
import { foldSteps, stepCounts } from "./prisma-rows";
import type { AuditStore } from "./port";

/** A runner that has not renewed its heartbeat for this long is presumed dead (it renews every 15 s). */
export const DEFAULT_RUNNER_STALE_MS = 45_000;
/**
 * Runner rows not renewed for this long are deleted at the next heartbeat. A
 * missing row reads as a dead runner, exactly like a stale one, so pruning
 * changes no sweep decision; it only keeps one row per restart from piling up.
 */
export const RUNNER_RETENTION_MS = 60 * 60 * 1000;

/** Which server processes are alive, and the sweep that closes the runs of dead ones as interrupted. */
export function prismaRunnerLiveness(prisma: PrismaDatabase): Pick<AuditStore, "heartbeat" | "markInterrupted"> {
  return {
    heartbeat(runnerId, options = {}) {
      return auditWrite("Recording the server heartbeat", async () => {
        const now = options.now ?? new Date();
        await prisma.auditRunner.upsert({ where: { id: runnerId }, create: { id: runnerId, startedAt: now, lastSeenAt: now }, update: { lastSeenAt: now } });
        await prisma.auditRunner.deleteMany({ where: { lastSeenAt: { lt: new Date(now.getTime() - RUNNER_RETENTION_MS) } } });
      });
    },

    markInterrupted(currentRunnerId, options = {}) {
      return auditWrite("Marking interrupted operations", async () => {
        const now = options.now ?? new Date();
        const staleBefore = new Date(now.getTime() - (options.staleAfterMs ?? DEFAULT_RUNNER_STALE_MS));
        const candidates = await prisma.auditOperation.findMany({
          where: {
            status: { in: ["planned", "running"] },
            OR: [{ runnerId: null }, { runnerId: { not: currentRunnerId } }],
          },
          select: { id: true, runnerId: true },
        });
        const runnerIds = [...new Set(candidates.map((candidate) => candidate.runnerId).filter((id): id is string => Boolean(id)))];
        const alive = new Set(
          (await prisma.auditRunner.findMany({ where: { id: { in: runnerIds }, lastSeenAt: { gte: staleBefore } }, select: { id: true } })).map((runner) => runner.id),
        );
        const orphans = candidates.filter((candidate) => !candidate.runnerId || !alive.has(candidate.runnerId));
        let marked = 0;
        for (const { id } of orphans) {
          // Counts of what the dead process did finish, so the record (and its undo) reflects them.
          const steps = foldSteps(await prisma.auditStep.findMany({ where: { operationId: id } }));
          const result = await prisma.auditOperation.updateMany({
            where: { id, status: { in: ["planned", "running"] } },
            data: {
              status: "interrupted",
              finishedAt: new Date(),
              summary: "The server stopped while this operation was running; re-run it to finish what is left.",
              ...stepCounts(steps),
            },
          });
          marked += result.count;
        }
        return marked;
      });
    },
  };
}

import "server-only";
import type { OperationKind } from "@/lib/audit/port";
import type { PrismaDatabase } from "@/lib/db/client";
import { SealError, type SealedBox } from "@/lib/sealing/sealed-box";
import type { StepOutputs } from "@/lib/workflows/engine/execute-step";
import type { Plan } from "@/lib/workflows/engine/plan";
import { RunStateError, runOptionsSchema, storedPlanSchema, type RunStateStore, type StoredRun } from "@/lib/workflows/engine/run-state";
import type { RunSecrets } from "@/lib/workflows/engine/deps";

interface SealedPart {
  secrets: RunSecrets;
  outputs: Record<string, StepOutputs>;
}

/**
 * The WorkflowRun table: open runs, shared by every replica. The plan and
 * options are plain JSON (credential-free); the run's credentials and step
 * outputs are sealed together under AUTH_SECRET, bound to the operation id.
 */
export function createPrismaRunStateStore(prisma: PrismaDatabase, box: SealedBox): RunStateStore {
  const table = prisma.workflowRun;
  const seal = (operationId: string, part: SealedPart): string | null =>
    Object.keys(part.secrets).length || Object.keys(part.outputs).length ? box.seal(JSON.stringify(part), operationId) : null;
  const open = (operationId: string, sealed: string | null): SealedPart => (sealed ? (JSON.parse(box.open(sealed, operationId)) as SealedPart) : { secrets: {}, outputs: {} });

  return {
    async save(run) {
      const now = new Date();
      await table.create({
        data: {
          operationId: run.operationId,
          kind: run.kind,
          plan: JSON.stringify(run.plan),
          options: JSON.stringify(run.options),
          sealed: seal(run.operationId, { secrets: run.secrets, outputs: run.outputs }),
          cancelRequestedBy: run.cancelRequestedBy,
          createdAt: now,
          updatedAt: now,
        },
      });
    },
    async load(operationId) {
      const row = await table.findUnique({ where: { operationId } });
      if (!row) return null;
      let plan: Plan, options: StoredRun["options"], part: SealedPart;
      try {
        plan = storedPlanSchema.parse(JSON.parse(row.plan)) as unknown as Plan;
        options = runOptionsSchema.parse(JSON.parse(row.options));
        part = open(operationId, row.sealed);
      } catch (error) {
        throw new RunStateError(error instanceof SealError ? "its credentials were sealed under another AUTH_SECRET" : "it was stored by a version of Pullkeeper whose runs this one cannot read");
      }
      const { secrets, outputs } = part;
      const run: StoredRun = { operationId, kind: row.kind as OperationKind, plan, options, secrets, outputs, cancelRequestedBy: row.cancelRequestedBy };
      return run;
    },
    async saveOutputs(operationId, outputs) {
      const row = await table.findUnique({ where: { operationId }, select: { sealed: true } });
      if (!row) return;
      const { secrets } = open(operationId, row.sealed);
      await table.updateMany({ where: { operationId }, data: { sealed: seal(operationId, { secrets, outputs }), updatedAt: new Date() } });
    },
    async touch(operationId) {
      await table.updateMany({ where: { operationId }, data: { updatedAt: new Date() } });
    },
    async requestCancel(operationId, by) {
      const updated = await table.updateMany({ where: { operationId, cancelRequestedBy: null }, data: { cancelRequestedBy: by } });
      return updated.count === 1 || (await table.count({ where: { operationId } })) === 1;
    },
    async cancelRequestedBy(operationId) {
      return (await table.findUnique({ where: { operationId }, select: { cancelRequestedBy: true } }))?.cancelRequestedBy ?? null;
    },
    async remove(operationId) {
      await table.deleteMany({ where: { operationId } });
    },
    async idleSince(before) {
      return (await table.findMany({ where: { updatedAt: { lt: before } }, select: { operationId: true } })).map((row) => row.operationId);
    },
  };
}

import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaDatabase } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { redactCredentials } from "@/lib/redaction/credential-fields";
import { auditWrite } from "./prisma-audit-write";
import { clip, stepData, toRecord } from "./prisma-rows";
import { insertStepRows, namespaceLinkInserts, stepCountsOf, type StepRow } from "./prisma-step-insert";
import { stepBatcher } from "./step-batcher";
import { AuditError, NEXT_STATUSES, OPERATION_STATUSES, type AuditStore, type OperationStatus } from "./port";

/** The operation's row as it starts (its namespace links are written beside it). */
function operationRow(input: Parameters<AuditStore["startOperation"]>[0], id: string, namespaces: string[], startedAt: Date) {
  return {
    id,
    kind: input.kind,
    actor: input.actor,
    actorRole: input.actorRole ?? null,
    cluster: input.cluster ?? null,
    namespaces: JSON.stringify(namespaces),
    parameters: JSON.stringify(redactCredentials(input.parameters ?? {})),
    status: input.status ?? "running",
    relatedOperationId: input.relatedOperationId ?? null,
    summary: clip(input.summary),
    startedAt,
    finishedAt: input.status === "dry_run" ? startedAt : null,
  };
}

/** An operation's life in the log: started, its step events appended, finished along NEXT_STATUSES. */
export function prismaOperationWrites(prisma: PrismaDatabase, provider: DatabaseProvider): Pick<AuditStore, "startOperation" | "recordStep" | "recordSteps" | "finishOperation"> {
  const insertStep = stepBatcher<StepRow>(
    (rows) => insertStepRows(prisma, provider, rows),
    async (row) => {
      await prisma.auditStep.create({ data: row });
    },
  );
  return {
    startOperation(input) {
      return auditWrite("Starting an operation", async () => {
        const startedAt = input.startedAt ?? new Date();
        const namespaces = [...new Set(input.namespaces ?? [])].sort();
        const id = randomUUID();
        // One transaction: the operation, then its namespace links in multi-row inserts.
        const [row] = await prisma.$transaction([
          prisma.auditOperation.create({ data: operationRow(input, id, namespaces, startedAt) }),
          ...namespaceLinkInserts(prisma, id, namespaces, startedAt),
        ]);
        return toRecord(row);
      });
    },

    recordStep(operationId, step) {
      return auditWrite("Recording a step", () => insertStep(stepData(operationId, step)));
    },

    recordSteps(operationId, steps) {
      return auditWrite("Recording steps", async () => {
        if (steps.length === 0) return;
        const rows = steps.map((step) => stepData(operationId, step));
        try {
          // All the events or none, in multi-row inserts.
          await insertStepRows(prisma, provider, rows);
        } catch {
          // Nothing was written; the client's own inserts say why (a duplicate event, a missing operation).
          await prisma.$transaction(rows.map((row) => prisma.auditStep.create({ data: row })));
        }
      });
    },

    finishOperation(operationId, input) {
      return auditWrite("Finishing an operation", async () => {
        if (!OPERATION_STATUSES.includes(input.status)) {
          throw new AuditError("invalid", `Unknown operation status "${String(input.status)}".`);
        }
        const counts = await stepCountsOf(prisma, operationId);
        const allowedFrom = (Object.keys(NEXT_STATUSES) as OperationStatus[]).filter((from) =>
          NEXT_STATUSES[from].includes(input.status),
        );
        const updated = await prisma.auditOperation.updateMany({
          where: { id: operationId, status: { in: allowedFrom } },
          data: { status: input.status, summary: clip(input.summary), finishedAt: input.finishedAt ?? new Date(), ...counts },
        });
        const row = await prisma.auditOperation.findUnique({ where: { id: operationId } });
        if (!row) throw new AuditError("not_found", `Operation ${operationId} does not exist.`);
        if (updated.count === 0) {
          throw new AuditError(
            "invalid_transition",
            `Operation ${operationId} is ${row.status}; it cannot become ${input.status}.`,
          );
        }
        return toRecord(row);
      });
    },
  };
}

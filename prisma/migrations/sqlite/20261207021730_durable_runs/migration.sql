-- DropIndex
DROP INDEX "AuditRunner_lastSeenAt_idx";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "AuditRunner";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "WorkflowRun" (
    "operationId" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "plan" TEXT NOT NULL,
    "options" TEXT NOT NULL,
    "sealed" TEXT,
    "cancelRequestedBy" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LocalJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "queue" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "singletonKey" TEXT,
    "retryLimit" INTEGER NOT NULL DEFAULT 0,
    "retryCount" INTEGER NOT NULL DEFAULT 0,
    "retryDelaySeconds" INTEGER NOT NULL DEFAULT 0,
    "retryBackoff" BOOLEAN NOT NULL DEFAULT false,
    "startAfter" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "lastError" TEXT
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AuditOperation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "actorRole" TEXT,
    "cluster" TEXT,
    "namespaces" TEXT NOT NULL DEFAULT '[]',
    "parameters" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL,
    "summary" TEXT,
    "stepsTotal" INTEGER NOT NULL DEFAULT 0,
    "stepsSucceeded" INTEGER NOT NULL DEFAULT 0,
    "stepsFailed" INTEGER NOT NULL DEFAULT 0,
    "stepsSkipped" INTEGER NOT NULL DEFAULT 0,
    "relatedOperationId" TEXT,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);
INSERT INTO "new_AuditOperation" ("actor", "actorRole", "cluster", "finishedAt", "id", "kind", "namespaces", "parameters", "relatedOperationId", "startedAt", "status", "stepsFailed", "stepsSkipped", "stepsSucceeded", "stepsTotal", "summary") SELECT "actor", "actorRole", "cluster", "finishedAt", "id", "kind", "namespaces", "parameters", "relatedOperationId", "startedAt", "status", "stepsFailed", "stepsSkipped", "stepsSucceeded", "stepsTotal", "summary" FROM "AuditOperation";
DROP TABLE "AuditOperation";
ALTER TABLE "new_AuditOperation" RENAME TO "AuditOperation";
CREATE INDEX "AuditOperation_startedAt_id_idx" ON "AuditOperation"("startedAt", "id");
CREATE INDEX "AuditOperation_cluster_startedAt_idx" ON "AuditOperation"("cluster", "startedAt");
CREATE INDEX "AuditOperation_kind_startedAt_idx" ON "AuditOperation"("kind", "startedAt");
CREATE INDEX "AuditOperation_status_startedAt_idx" ON "AuditOperation"("status", "startedAt");
CREATE INDEX "AuditOperation_actor_startedAt_idx" ON "AuditOperation"("actor", "startedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "LocalJob_queue_state_startAfter_idx" ON "LocalJob"("queue", "state", "startAfter");

-- CreateIndex
CREATE INDEX "LocalJob_queue_singletonKey_state_idx" ON "LocalJob"("queue", "singletonKey", "state");

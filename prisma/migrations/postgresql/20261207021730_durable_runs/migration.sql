-- AlterTable
ALTER TABLE "AuditOperation" DROP COLUMN "runnerId";

-- DropTable
DROP TABLE "AuditRunner";

-- CreateTable
CREATE TABLE "WorkflowRun" (
    "operationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "plan" TEXT NOT NULL,
    "options" TEXT NOT NULL,
    "sealed" TEXT,
    "cancelRequestedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkflowRun_pkey" PRIMARY KEY ("operationId")
);

-- CreateTable
CREATE TABLE "LocalJob" (
    "id" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "singletonKey" TEXT,
    "retryLimit" INTEGER NOT NULL DEFAULT 0,
    "retryCount" INTEGER NOT NULL DEFAULT 0,
    "retryDelaySeconds" INTEGER NOT NULL DEFAULT 0,
    "retryBackoff" BOOLEAN NOT NULL DEFAULT false,
    "startAfter" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,

    CONSTRAINT "LocalJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LocalJob_queue_state_startAfter_idx" ON "LocalJob"("queue", "state", "startAfter");

-- CreateIndex
CREATE INDEX "LocalJob_queue_singletonKey_state_idx" ON "LocalJob"("queue", "singletonKey", "state");

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "AuditOperation" (
    "id" TEXT NOT NULL,
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
    "runnerId" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "AuditOperation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditOperationNamespace" (
    "operationId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuditOperationNamespace_pkey" PRIMARY KEY ("operationId","namespace")
);

-- CreateTable
CREATE TABLE "AuditStep" (
    "id" SERIAL NOT NULL,
    "operationId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "phase" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetKind" TEXT,
    "targetNamespace" TEXT,
    "targetName" TEXT,
    "outcome" TEXT NOT NULL,
    "errorKind" TEXT,
    "errorMessage" TEXT,
    "beforeFingerprint" TEXT,
    "afterFingerprint" TEXT,
    "detail" TEXT,
    "durationMs" INTEGER,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuditStep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditOperation_startedAt_id_idx" ON "AuditOperation"("startedAt", "id");

-- CreateIndex
CREATE INDEX "AuditOperation_cluster_startedAt_idx" ON "AuditOperation"("cluster", "startedAt");

-- CreateIndex
CREATE INDEX "AuditOperation_kind_startedAt_idx" ON "AuditOperation"("kind", "startedAt");

-- CreateIndex
CREATE INDEX "AuditOperation_status_startedAt_idx" ON "AuditOperation"("status", "startedAt");

-- CreateIndex
CREATE INDEX "AuditOperation_actor_startedAt_idx" ON "AuditOperation"("actor", "startedAt");

-- CreateIndex
CREATE INDEX "AuditOperationNamespace_namespace_startedAt_idx" ON "AuditOperationNamespace"("namespace", "startedAt");

-- CreateIndex
CREATE INDEX "AuditStep_operationId_sequence_idx" ON "AuditStep"("operationId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "AuditStep_operationId_sequence_phase_key" ON "AuditStep"("operationId", "sequence", "phase");

-- AddForeignKey
ALTER TABLE "AuditOperationNamespace" ADD CONSTRAINT "AuditOperationNamespace_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "AuditOperation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditStep" ADD CONSTRAINT "AuditStep_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "AuditOperation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

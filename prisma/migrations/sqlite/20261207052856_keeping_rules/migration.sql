-- CreateTable
CREATE TABLE "KeepingRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "mode" TEXT NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "spec" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "KeepingRuleRevision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ruleId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "change" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "paused" BOOLEAN NOT NULL,
    "spec" TEXT NOT NULL,
    "changedBy" TEXT NOT NULL,
    "changedAt" DATETIME NOT NULL,
    CONSTRAINT "KeepingRuleRevision_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "KeepingRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "KeepingRuleStatus" (
    "ruleId" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "ruleVersion" INTEGER NOT NULL,
    "evaluatedAt" DATETIME NOT NULL,
    "lastSuccessAt" DATETIME,
    "durationMs" INTEGER NOT NULL,
    "matched" INTEGER NOT NULL,
    "compliant" INTEGER NOT NULL,
    "driftCount" INTEGER NOT NULL,
    "conflictCount" INTEGER NOT NULL,
    "removalCount" INTEGER NOT NULL,
    "detail" TEXT NOT NULL,
    "error" TEXT,
    "lastOperationId" TEXT,

    PRIMARY KEY ("ruleId", "cluster"),
    CONSTRAINT "KeepingRuleStatus_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "KeepingRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "KeepingRuleDecision" (
    "ruleId" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "renameTo" TEXT,
    "decidedBy" TEXT NOT NULL,
    "decidedAt" DATETIME NOT NULL,

    PRIMARY KEY ("ruleId", "cluster", "namespace", "secret"),
    CONSTRAINT "KeepingRuleDecision_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "KeepingRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "KeepingRule_name_key" ON "KeepingRule"("name");

-- CreateIndex
CREATE INDEX "KeepingRuleRevision_ruleId_changedAt_idx" ON "KeepingRuleRevision"("ruleId", "changedAt");

-- CreateTable
CREATE TABLE "AuditRunner" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "startedAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "AuditRunner_lastSeenAt_idx" ON "AuditRunner"("lastSeenAt");

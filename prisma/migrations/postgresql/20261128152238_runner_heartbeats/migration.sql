-- CreateTable
CREATE TABLE "AuditRunner" (
    "id" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuditRunner_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditRunner_lastSeenAt_idx" ON "AuditRunner"("lastSeenAt");

-- CreateTable
CREATE TABLE "auth_sign_in_failure" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "failedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "auth_sign_in_failure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "auth_sign_in_failure_key_failedAt_idx" ON "auth_sign_in_failure"("key", "failedAt");

-- CreateIndex
CREATE INDEX "auth_sign_in_failure_failedAt_idx" ON "auth_sign_in_failure"("failedAt");

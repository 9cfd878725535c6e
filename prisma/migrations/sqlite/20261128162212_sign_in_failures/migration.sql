-- CreateTable
CREATE TABLE "auth_sign_in_failure" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "failedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "auth_sign_in_failure_key_failedAt_idx" ON "auth_sign_in_failure"("key", "failedAt");

-- CreateIndex
CREATE INDEX "auth_sign_in_failure_failedAt_idx" ON "auth_sign_in_failure"("failedAt");

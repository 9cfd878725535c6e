-- CreateTable
CREATE TABLE "RegistryVerificationResult" (
    "registry" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "credentialTested" BOOLEAN NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "checkedAt" DATETIME NOT NULL,

    PRIMARY KEY ("registry", "username", "fingerprint")
);

-- CreateIndex
CREATE INDEX "RegistryVerificationResult_checkedAt_idx" ON "RegistryVerificationResult"("checkedAt");

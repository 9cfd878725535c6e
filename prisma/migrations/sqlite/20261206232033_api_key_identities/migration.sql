-- CreateTable
CREATE TABLE "ApiKeyIdentity" (
    "fingerprint" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL,
    "keyId" TEXT,
    "keyName" TEXT,
    "ownerIamId" TEXT,
    "ownerKind" TEXT,
    "serviceId" TEXT,
    "serviceIdName" TEXT,
    "accountId" TEXT,
    "keyCreatedAt" DATETIME,
    "locked" BOOLEAN NOT NULL DEFAULT false,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "detail" TEXT NOT NULL DEFAULT '',
    "checkedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ApiKeyIdentity_serviceId_idx" ON "ApiKeyIdentity"("serviceId");

-- CreateIndex
CREATE INDEX "ApiKeyIdentity_checkedAt_idx" ON "ApiKeyIdentity"("checkedAt");

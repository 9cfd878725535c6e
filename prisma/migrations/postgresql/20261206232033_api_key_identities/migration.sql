-- CreateTable
CREATE TABLE "ApiKeyIdentity" (
    "fingerprint" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "keyId" TEXT,
    "keyName" TEXT,
    "ownerIamId" TEXT,
    "ownerKind" TEXT,
    "serviceId" TEXT,
    "serviceIdName" TEXT,
    "accountId" TEXT,
    "keyCreatedAt" TIMESTAMP(3),
    "locked" BOOLEAN NOT NULL DEFAULT false,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "detail" TEXT NOT NULL DEFAULT '',
    "checkedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApiKeyIdentity_pkey" PRIMARY KEY ("fingerprint")
);

-- CreateIndex
CREATE INDEX "ApiKeyIdentity_serviceId_idx" ON "ApiKeyIdentity"("serviceId");

-- CreateIndex
CREATE INDEX "ApiKeyIdentity_checkedAt_idx" ON "ApiKeyIdentity"("checkedAt");

-- CreateTable
CREATE TABLE "CloudAccount" (
    "id" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "sealedApiKey" TEXT NOT NULL,
    "apiKeyId" TEXT NOT NULL,
    "apiKeyName" TEXT NOT NULL,
    "ownerIamId" TEXT NOT NULL,
    "ownerKind" TEXT NOT NULL,
    "ownerName" TEXT,
    "ibmAccountId" TEXT NOT NULL,
    "keyCreatedAt" TIMESTAMP(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CloudAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoredCluster" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "labels" TEXT NOT NULL DEFAULT '{}',
    "source" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "endpoint" TEXT NOT NULL DEFAULT 'public',
    "server" TEXT,
    "caPem" TEXT,
    "sealedToken" TEXT,
    "accountId" TEXT,
    "iksClusterId" TEXT,
    "iksRegion" TEXT,
    "iksResourceGroup" TEXT,
    "iksTags" TEXT NOT NULL DEFAULT '[]',
    "joinedBy" TEXT NOT NULL DEFAULT 'admin',
    "lastRefreshAt" TIMESTAMP(3),
    "credentialExpiresAt" TIMESTAMP(3),
    "lastError" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StoredCluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccountJoinRule" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "resourceGroup" TEXT,
    "tag" TEXT,
    "endpoint" TEXT NOT NULL DEFAULT 'public',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastEvaluatedAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "AccountJoinRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CloudAccount_displayName_key" ON "CloudAccount"("displayName");

-- CreateIndex
CREATE UNIQUE INDEX "CloudAccount_apiKeyId_key" ON "CloudAccount"("apiKeyId");

-- CreateIndex
CREATE UNIQUE INDEX "StoredCluster_name_key" ON "StoredCluster"("name");

-- CreateIndex
CREATE UNIQUE INDEX "StoredCluster_accountId_iksClusterId_key" ON "StoredCluster"("accountId", "iksClusterId");

-- CreateIndex
CREATE INDEX "AccountJoinRule_accountId_idx" ON "AccountJoinRule"("accountId");

-- AddForeignKey
ALTER TABLE "StoredCluster" ADD CONSTRAINT "StoredCluster_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "CloudAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountJoinRule" ADD CONSTRAINT "AccountJoinRule_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "CloudAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

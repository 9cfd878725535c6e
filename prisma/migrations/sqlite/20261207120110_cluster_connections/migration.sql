-- CreateTable
CREATE TABLE "CloudAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "displayName" TEXT NOT NULL,
    "sealedApiKey" TEXT NOT NULL,
    "apiKeyId" TEXT NOT NULL,
    "apiKeyName" TEXT NOT NULL,
    "ownerIamId" TEXT NOT NULL,
    "ownerKind" TEXT NOT NULL,
    "ownerName" TEXT,
    "ibmAccountId" TEXT NOT NULL,
    "keyCreatedAt" DATETIME,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "StoredCluster" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "lastRefreshAt" DATETIME,
    "credentialExpiresAt" DATETIME,
    "lastError" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "StoredCluster_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "CloudAccount" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AccountJoinRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "resourceGroup" TEXT,
    "tag" TEXT,
    "endpoint" TEXT NOT NULL DEFAULT 'public',
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "lastEvaluatedAt" DATETIME,
    "lastError" TEXT,
    CONSTRAINT "AccountJoinRule_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "CloudAccount" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

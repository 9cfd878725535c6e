-- CreateTable
CREATE TABLE "ClusterScanSnapshot" (
    "cluster" TEXT NOT NULL PRIMARY KEY,
    "format" INTEGER NOT NULL,
    "scannedAt" DATETIME NOT NULL,
    "jsonBytes" INTEGER NOT NULL,
    "body" BLOB NOT NULL,
    "savedAt" DATETIME NOT NULL
);

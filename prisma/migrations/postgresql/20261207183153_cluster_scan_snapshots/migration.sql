-- CreateTable
CREATE TABLE "ClusterScanSnapshot" (
    "cluster" TEXT NOT NULL,
    "format" INTEGER NOT NULL,
    "scannedAt" TIMESTAMP(3) NOT NULL,
    "jsonBytes" INTEGER NOT NULL,
    "body" BYTEA NOT NULL,
    "savedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ClusterScanSnapshot_pkey" PRIMARY KEY ("cluster")
);

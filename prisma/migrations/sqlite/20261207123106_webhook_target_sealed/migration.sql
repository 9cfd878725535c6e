-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WebhookTarget" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "displayUrl" TEXT NOT NULL DEFAULT '',
    "format" TEXT NOT NULL,
    "events" TEXT NOT NULL DEFAULT '[]',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "secret" TEXT NOT NULL,
    "secretHint" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_WebhookTarget" ("createdAt", "createdBy", "enabled", "events", "format", "id", "name", "secret", "updatedAt", "url") SELECT "createdAt", "createdBy", "enabled", "events", "format", "id", "name", "secret", "updatedAt", "url" FROM "WebhookTarget";
DROP TABLE "WebhookTarget";
ALTER TABLE "new_WebhookTarget" RENAME TO "WebhookTarget";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

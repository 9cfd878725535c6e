-- AlterTable
ALTER TABLE "WebhookTarget" ADD COLUMN     "displayUrl" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "secretHint" TEXT NOT NULL DEFAULT '';

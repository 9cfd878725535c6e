-- DropIndex
DROP INDEX "AuditOperationNamespace_namespace_startedAt_idx";

-- CreateIndex
CREATE INDEX "AuditOperationNamespace_namespace_startedAt_operationId_idx" ON "AuditOperationNamespace"("namespace", "startedAt", "operationId");

-- Text search by PostgreSQL's own trigram index, written by hand because Prisma cannot express it.
-- pg_trgm's GIN index serves ILIKE '%text%' (3 characters or more) on the searched columns joined
-- into one document (the unit separator between them never occurs in a search, so a match never
-- spans two columns). The index covers the rows already written (no backfill needed).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "AuditOperation_search_idx" ON "AuditOperation" USING gin (
    ("id" || chr(31) || "kind" || chr(31) || "actor" || chr(31) || coalesce("cluster", '') || chr(31) || "namespaces" || chr(31) || coalesce("summary", '')) gin_trgm_ops
);

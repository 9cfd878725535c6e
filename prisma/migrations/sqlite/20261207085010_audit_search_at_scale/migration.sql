-- DropIndex
DROP INDEX "AuditOperationNamespace_namespace_startedAt_idx";

-- CreateIndex
CREATE INDEX "AuditOperationNamespace_namespace_startedAt_operationId_idx" ON "AuditOperationNamespace"("namespace", "startedAt", "operationId");

-- Text search by SQLite's own full-text engine (written by hand: Prisma cannot express it).
-- FTS5 with the trigram tokenizer matches any substring of 3 characters or more, case-insensitively,
-- in each of the searched columns (a phrase never spans two columns), so it finds what
-- "contains, ignoring case" finds. External content: the index reads the text from AuditOperation
-- by rowid and stores none of it; the triggers keep it in step with every write.
CREATE VIRTUAL TABLE "AuditOperationSearch" USING fts5(
    "id", "kind", "actor", "cluster", "namespaces", "summary",
    content = 'AuditOperation', tokenize = 'trigram'
);

CREATE TRIGGER "AuditOperationSearch_insert" AFTER INSERT ON "AuditOperation" BEGIN
    INSERT INTO "AuditOperationSearch" ("rowid", "id", "kind", "actor", "cluster", "namespaces", "summary")
    VALUES (NEW."rowid", NEW."id", NEW."kind", NEW."actor", NEW."cluster", NEW."namespaces", NEW."summary");
END;

CREATE TRIGGER "AuditOperationSearch_delete" AFTER DELETE ON "AuditOperation" BEGIN
    INSERT INTO "AuditOperationSearch" ("AuditOperationSearch", "rowid", "id", "kind", "actor", "cluster", "namespaces", "summary")
    VALUES ('delete', OLD."rowid", OLD."id", OLD."kind", OLD."actor", OLD."cluster", OLD."namespaces", OLD."summary");
END;

CREATE TRIGGER "AuditOperationSearch_update" AFTER UPDATE OF "id", "kind", "actor", "cluster", "namespaces", "summary" ON "AuditOperation" BEGIN
    INSERT INTO "AuditOperationSearch" ("AuditOperationSearch", "rowid", "id", "kind", "actor", "cluster", "namespaces", "summary")
    VALUES ('delete', OLD."rowid", OLD."id", OLD."kind", OLD."actor", OLD."cluster", OLD."namespaces", OLD."summary");
    INSERT INTO "AuditOperationSearch" ("rowid", "id", "kind", "actor", "cluster", "namespaces", "summary")
    VALUES (NEW."rowid", NEW."id", NEW."kind", NEW."actor", NEW."cluster", NEW."namespaces", NEW."summary");
END;

-- The operations written before this migration.
INSERT INTO "AuditOperationSearch" ("AuditOperationSearch") VALUES ('rebuild');

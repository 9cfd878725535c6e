import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { Prisma } from "@/lib/generated/sqlite/client";
import type { CursorPosition } from "./cursor";
import type { OperationFilter } from "./port";
import { selectivePieces } from "./search-trigrams";

/** Trigram indexes match text of at least this many characters; shorter text is matched row by row. */
const TRIGRAM = 3;
/**
 * Above this many full-text matches (SQLite), a search is common enough that reading the log newest first
 * and checking each row finds a page sooner than sorting every match.
 */
const FEW_MATCHES = 2_000;

/** The searched columns, as `text` search promises: id, kind, actor, cluster, namespaces and summary. */
const SEARCHED = ["id", "kind", "actor", "cluster", "namespaces", "summary"] as const;
/** PostgreSQL: the expression its trigram index (migration audit_search_at_scale) is built on, character for character. */
const PG_DOCUMENT = Prisma.raw(
  `(o."id" || chr(31) || o."kind" || chr(31) || o."actor" || chr(31) || coalesce(o."cluster", '') || chr(31) || o."namespaces" || chr(31) || coalesce(o."summary", ''))`,
);

/** The same text as PG_DOCUMENT (no part is ever null), as an expression its index does not serve. */
const PG_DOCUMENT_UNINDEXED = Prisma.raw(
  `concat_ws(chr(31), o."id", o."kind", o."actor", coalesce(o."cluster", ''), o."namespaces", coalesce(o."summary", ''))`,
);

/** `%text%` for LIKE, with LIKE's own wildcards and the escape character taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** An FTS5 query for the text as one phrase: with the trigram tokenizer, "contains this substring". */
function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * The ids of one keyset page, newest first by `(startedAt, id)`, in one SQL query shaped so an index serves
 * it and the database stops at the page size: a namespace filter reads AuditOperationNamespace's
 * `(namespace, startedAt, operationId)` index, text search uses the database's own full-text index (SQLite
 * FTS5 with trigrams, PostgreSQL pg_trgm), every other filter a `(field, startedAt)` index. Raw SQL because
 * Prisma can express neither the full-text indexes nor a join that pages in the joined table's order.
 */
export async function pageOperationIds(
  prisma: PrismaDatabase,
  provider: DatabaseProvider,
  filter: OperationFilter,
  position: CursorPosition | null,
  limit: number,
): Promise<string[]> {
  const query = await pageOperationIdsQuery(prisma, provider, filter, position, limit);
  const rows = await prisma.$queryRaw<Array<{ id: string }>>(query);
  return rows.map((row) => row.id);
}

/**
 * The SQL `pageOperationIds` runs, selecting the column `id`: exported so `bench:audit` can EXPLAIN exactly
 * that query. Async because on SQLite a search first asks the full-text index how common the text is.
 */
export async function pageOperationIdsQuery(
  prisma: PrismaDatabase,
  provider: DatabaseProvider,
  filter: OperationFilter,
  position: CursorPosition | null,
  limit: number,
): Promise<Prisma.Sql> {
  const byNamespace = Boolean(filter.namespace);
  // The page's order and keyset columns: the link table's copies when paging a namespace, so its index serves them.
  const at = Prisma.raw(byNamespace ? `n."startedAt"` : `o."startedAt"`);
  const id = Prisma.raw(byNamespace ? `n."operationId"` : `o."id"`);
  const from = byNamespace
    ? Prisma.sql`"AuditOperationNamespace" n JOIN "AuditOperation" o ON o."id" = n."operationId"`
    : Prisma.sql`"AuditOperation" o`;

  const conditions: Prisma.Sql[] = [];
  if (filter.namespace) conditions.push(Prisma.sql`n."namespace" = ${filter.namespace}`);
  if (filter.cluster) conditions.push(Prisma.sql`o."cluster" = ${filter.cluster}`);
  if (filter.clusters) {
    conditions.push(filter.clusters.length ? Prisma.sql`o."cluster" IN (${Prisma.join(filter.clusters)})` : Prisma.sql`1 = 0`);
  }
  if (filter.kind) conditions.push(Prisma.sql`o."kind" = ${filter.kind}`);
  if (filter.status) conditions.push(Prisma.sql`o."status" = ${filter.status}`);
  if (filter.actor) conditions.push(Prisma.sql`o."actor" = ${filter.actor}`);
  if (filter.from) conditions.push(Prisma.sql`${at} >= ${filter.from}`);
  if (filter.to) conditions.push(Prisma.sql`${at} <= ${filter.to}`);
  if (position) {
    conditions.push(Prisma.sql`(${at} < ${position.startedAt} OR (${at} = ${position.startedAt} AND ${id} < ${position.id}))`);
  }

  let order = Prisma.sql`${at} DESC, ${id} DESC`;
  const text = filter.text?.trim();
  if (text) {
    const pattern = containsPattern(text);
    if (provider === "postgresql") {
      const pieces = text.length >= TRIGRAM ? selectivePieces(text, await sampledDocuments(prisma)) : [];
      if (pieces.length) {
        // The index looks up the rare pieces only; the whole text decides each match, on the same document
        // written another way, so that the index does not take it too (adding back the common words' trigrams).
        for (const piece of pieces) conditions.push(Prisma.sql`${PG_DOCUMENT} ILIKE ${containsPattern(piece)}`);
        conditions.push(Prisma.sql`${PG_DOCUMENT_UNINDEXED} ILIKE ${pattern}`);
      } else {
        // The planner chooses between the trigram index (few matches) and the newest-first scan (many).
        conditions.push(Prisma.sql`${PG_DOCUMENT} ILIKE ${pattern}`);
      }
    } else {
      // LIKE decides what matches (as before the index existed: ASCII case-insensitive); the index only narrows.
      const like = Prisma.join(
        SEARCHED.map((column) => Prisma.sql`o.${Prisma.raw(`"${column}"`)} LIKE ${pattern} ESCAPE '\\'`),
        " OR ",
      );
      conditions.push(Prisma.sql`(${like})`);
      const matches = text.length >= TRIGRAM ? await fewFullTextMatches(prisma, text) : null;
      if (matches !== null) {
        // The rowids the index already handed over, so the page does not ask it again.
        conditions.push(Prisma.sql`o."rowid" IN (SELECT "value" FROM json_each(${matches}))`);
        // `+` keeps SQLite from walking the startedAt index to satisfy the order: the few matches are looked up
        // by rowid and sorted instead.
        order = Prisma.sql`+${at} DESC, +${id} DESC`;
      }
    }
  }

  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  return Prisma.sql`SELECT o."id" AS "id" FROM ${from} ${where} ORDER BY ${order} LIMIT ${limit}`;
}

/** How long a sample of the searched documents serves before it is read again (statistics change slowly). */
const SAMPLE_TTL_MS = 10 * 60_000;
const samples = new WeakMap<PrismaDatabase, { readAt: number; documents: Promise<string[]> }>();

/**
 * PostgreSQL: about a hundred of the searched documents, spread over the table: the histogram ANALYZE keeps for
 * the trigram index's expression (empty until the table is analysed). Read once per SAMPLE_TTL_MS per database.
 */
function sampledDocuments(prisma: PrismaDatabase): Promise<string[]> {
  const cached = samples.get(prisma);
  if (cached && Date.now() - cached.readAt < SAMPLE_TTL_MS) return cached.documents;
  const documents = prisma
    .$queryRaw<Array<{ documents: string[] | null }>>(
      Prisma.sql`SELECT "histogram_bounds"::text::text[] AS "documents" FROM "pg_stats" WHERE "schemaname" = current_schema() AND "tablename" = 'AuditOperation_search_idx'`,
    )
    .then((rows) => rows[0]?.documents ?? [])
    // Only a hint for the plan: without it the index gets the whole text, as it would on a fresh table.
    .catch(() => []);
  // Kept only once there is one: a table not yet analysed is asked again on its next search.
  void documents.then((sample) => {
    if (sample.length) samples.set(prisma, { readAt: Date.now(), documents });
  });
  return documents;
}

/** SQLite: the rowids the full-text index matches, as a JSON array, when there are at most FEW_MATCHES; else null. */
async function fewFullTextMatches(prisma: PrismaDatabase, text: string): Promise<string | null> {
  const [row] = await prisma.$queryRaw<Array<{ count: number | bigint; rowids: string }>>(
    Prisma.sql`SELECT count(*) AS "count", json_group_array("rowid") AS "rowids" FROM (SELECT "rowid" FROM "AuditOperationSearch" WHERE "AuditOperationSearch" MATCH ${ftsPhrase(text)} LIMIT ${FEW_MATCHES + 1})`,
  );
  return row && Number(row.count) <= FEW_MATCHES ? row.rowids : null;
}

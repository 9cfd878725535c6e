import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * Prisma's better-sqlite3 adapter prepares every query's SQL anew (`db.prepare(sql)`
 * per query), which was about 4 % of a small API request's CPU. Prisma sends the
 * same few hundred SQL texts over and over, so each text is prepared once and the
 * statement reused.
 *
 * better-sqlite3 lets a statement be bound only once, so the adapter's
 * `prepare(sql).bind(args)` gets a light view that passes the arguments at each
 * call instead. Only the calls the adapter makes are offered (bind, reader,
 * columns, raw().all(), run()); anything else fails loudly, so an adapter update
 * that uses more is noticed in the tests rather than misbehaving. A statement's
 * `all()` finishes before it returns, so no reuse overlaps another.
 */
interface Statement {
  readonly reader: boolean;
  columns(): unknown[];
  raw(toggle?: boolean): Statement;
  all(...args: unknown[]): unknown[];
  run(...args: unknown[]): unknown;
}

interface PreparingDatabase {
  prepare(sql: string): Statement;
}

/** What the adapter sees for one use of a cached statement. */
function reusable(statement: Statement) {
  const bound = (args: unknown[]) => ({
    reader: statement.reader,
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(...args) }),
    run: () => statement.run(...args),
  });
  return { reader: statement.reader, bind: (args: unknown[]) => bound(args), run: () => statement.run() };
}

/** Makes `database.prepare` answer from a bounded cache of prepared statements (oldest prepared first out). */
export function cachePreparedStatements(database: PreparingDatabase, maxStatements = 1000): void {
  const prepare = database.prepare.bind(database);
  const statements = new Map<string, Statement>();
  database.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = prepare(sql);
      if (statements.size >= maxStatements) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
    }
    return reusable(statement);
  }) as unknown as PreparingDatabase["prepare"];
}

/** The factory, with each connection's better-sqlite3 database caching its prepared statements. */
export function withStatementCache(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const cached = async (connect: () => Promise<SqlDriverAdapter>) => {
    const adapter = await connect();
    // The adapter keeps its better-sqlite3 database as `client`; without one (a changed adapter), queries run uncached.
    const client = (adapter as unknown as { client?: PreparingDatabase }).client;
    if (client && typeof client.prepare === "function") cachePreparedStatements(client);
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => cached(() => factory.connect()),
    connectToShadowDb: () => cached(() => factory.connectToShadowDb()),
  };
}

import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgresql";

export interface DatabaseTarget {
  provider: DatabaseProvider;
  /** The URL as given, for the driver adapter. */
  url: string;
  /** For SQLite: the absolute path of the database file (or ":memory:"). */
  sqliteFile?: string;
}

/**
 * Decides the provider from the URL scheme, the way Prisma's own `url` does:
 * `file:` is SQLite (relative paths resolve against the working directory),
 * `postgres://` or `postgresql://` is PostgreSQL.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  if (url.startsWith("file:")) {
    const rest = url.slice("file:".length).replace(/\?.*$/, "");
    if (rest === "") throw new Error("a file: URL needs a path, e.g. file:./data/pullkeeper.db");
    const sqliteFile = rest === ":memory:" ? rest : path.resolve(cwd, rest);
    return { provider: "sqlite", url: `file:${sqliteFile}`, sqliteFile };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: "postgresql", url };
  throw new Error("expected file:<path> (SQLite) or postgresql://user@host:port/db");
}

/** The URL with any password replaced, for log lines and health output. */
export function describeDatabaseUrl(target: DatabaseTarget): string {
  if (target.provider === "sqlite") return `sqlite ${target.sqliteFile}`;
  try {
    const parsed = new URL(target.url);
    if (parsed.password) parsed.password = "***";
    return `postgresql ${parsed.host}${parsed.pathname}`;
  } catch {
    return "postgresql (unparsable URL)";
  }
}

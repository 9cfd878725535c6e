import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import type { SqlDriverAdapter, SqlQuery } from "@prisma/driver-adapter-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { withStatementCache } from "./sqlite-statements";

const query = (sql: string, args: unknown[] = []): SqlQuery =>
  ({ sql, args, argTypes: args.map((arg) => ({ scalarType: typeof arg === "string" ? "string" : "int", arity: "scalar" })) }) as unknown as SqlQuery;

let open: SqlDriverAdapter | undefined;
afterEach(async () => open?.dispose());

async function connect() {
  open = await withStatementCache(new PrismaBetterSqlite3({ url: ":memory:" })).connect();
  return { adapter: open };
}

describe("prepared statements reused by the SQLite adapter", () => {
  it("prepares each SQL text once and binds each call's own arguments", async () => {
    const prepared = vi.spyOn(Database.prototype, "prepare");
    const { adapter } = await connect();
    await adapter.executeScript("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
    for (let id = 1; id <= 5; id++) expect(await adapter.executeRaw(query("INSERT INTO item (id, name) VALUES (?, ?)", [id, `item ${id}`]))).toBe(1);
    const names: unknown[] = [];
    for (const id of [3, 1, 5]) names.push((await adapter.queryRaw(query("SELECT name FROM item WHERE id = ?", [id]))).rows[0]?.[0]);
    expect(names).toEqual(["item 3", "item 1", "item 5"]);
    const all = await adapter.queryRaw(query("SELECT id, name FROM item WHERE id > ? ORDER BY id", [3]));
    expect(all.columnNames).toEqual(["id", "name"]);
    expect(all.rows).toEqual([[4, "item 4"], [5, "item 5"]]);
    // Three SQL texts, nine queries: three preparations.
    expect(prepared).toHaveBeenCalledTimes(3);
    prepared.mockRestore();
  });

  it("runs transactions and statements that return no rows through the same statements", async () => {
    const { adapter } = await connect();
    await adapter.executeScript("CREATE TABLE item (id INTEGER PRIMARY KEY)");
    for (let round = 0; round < 2; round++) {
      const transaction = await adapter.startTransaction();
      await transaction.executeRaw(query("INSERT INTO item (id) VALUES (?)", [round + 1]));
      await transaction.executeRaw(query("COMMIT"));
      await transaction.commit();
    }
    expect((await adapter.queryRaw(query("SELECT count(*) FROM item"))).rows).toEqual([[2]]);
    expect((await adapter.queryRaw(query("DELETE FROM item WHERE id = ?", [1]))).rows).toEqual([]);
    expect((await adapter.queryRaw(query("SELECT count(*) FROM item"))).rows).toEqual([[1]]);
  });

  it("still reports a bad query as the adapter's error", async () => {
    const { adapter } = await connect();
    await expect(adapter.queryRaw(query("SELECT * FROM missing"))).rejects.toMatchObject({ name: "DriverAdapterError" });
  });
});

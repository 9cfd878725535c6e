import { describe, expect, it } from "vitest";
import { stepBatcher } from "./step-batcher";

/** A store whose writes finish when the test says so, recording what each write carried. */
function gatedStore(rejectRow?: (row: number) => boolean) {
  const writes: { kind: "many" | "one"; rows: number[] }[] = [];
  const gates: (() => void)[] = [];
  const gate = () => new Promise<void>((resolve) => gates.push(resolve));
  return {
    writes,
    open: () => gates.splice(0).forEach((release) => release()),
    writeMany: async (rows: number[]) => {
      writes.push({ kind: "many", rows });
      await gate();
      if (rows.some((row) => rejectRow?.(row))) throw new Error("batch refused");
    },
    writeOne: async (row: number) => {
      writes.push({ kind: "one", rows: [row] });
      await gate();
      if (rejectRow?.(row)) throw new Error(`row ${row} refused`);
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("stepBatcher", () => {
  it("writes a lone event at once, and the events that arrive meanwhile together in one insert", async () => {
    const store = gatedStore();
    const record = stepBatcher(store.writeMany, store.writeOne);
    const settled: number[] = [];
    const first = record(1).then(() => settled.push(1));
    await tick();
    expect(store.writes).toEqual([{ kind: "many", rows: [1] }]);
    const rest = [2, 3, 4].map((row) => record(row).then(() => settled.push(row)));
    await tick();
    // Nothing of the second batch is written (or resolved) before the first write ends.
    expect(store.writes).toHaveLength(1);
    expect(settled).toEqual([]);
    store.open();
    await first;
    await tick();
    expect(store.writes[1]).toEqual({ kind: "many", rows: [2, 3, 4] });
    expect(settled).toEqual([1]);
    store.open();
    await Promise.all(rest);
    expect(settled).toEqual([1, 2, 3, 4]);
  });

  it("gives each caller its own answer when a batch fails: the others' rows are still stored", async () => {
    const store = gatedStore((row) => row === 3);
    const record = stepBatcher(store.writeMany, store.writeOne);
    const first = record(1);
    await tick();
    const results = [2, 3, 4].map((row) => record(row).then(() => "stored", (error: Error) => error.message));
    for (let i = 0; i < 10; i++) {
      store.open();
      await tick();
    }
    await first;
    expect(await Promise.all(results)).toEqual(["stored", "row 3 refused", "stored"]);
    // The lone first event went in its own insert; only the failed batch was written again row by row.
    expect(store.writes.filter((write) => write.kind === "one").map((write) => write.rows[0])).toEqual([2, 3, 4]);
  });

  it("caps a batch's size", async () => {
    const store = gatedStore();
    const record = stepBatcher(store.writeMany, store.writeOne, 2);
    const all = [record(1)];
    await tick();
    all.push(...[2, 3, 4, 5, 6].map((row) => record(row)));
    for (let i = 0; i < 10; i++) {
      store.open();
      await tick();
    }
    await Promise.all(all);
    expect(store.writes.map((write) => write.rows)).toEqual([[1], [2, 3], [4, 5], [6]]);
  });
});

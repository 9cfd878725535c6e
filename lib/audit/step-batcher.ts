import "server-only";

interface Waiting<Row> {
  row: Row;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for step events. The events recorded in one turn of the event
 * loop (the steps whose API answers arrived together), and those that arrive
 * while a write is in flight, go together in one multi-row insert, written
 * once the turn's I/O callbacks have run (setImmediate). Each call still
 * resolves only once its own row is stored (a step still starts only after its
 * `started` event is in the log), but a run with many steps in flight pays one
 * insert per batch instead of one per event: with an in-process database the
 * per-query cost of the client, not the disk, dominated a large copy's run.
 *
 * A lone event takes the same insert (the client's own create costs several
 * times more). A failed batch is written again row by row, so each caller gets
 * its own answer (one duplicate event does not fail its neighbours' writes).
 */
export function stepBatcher<Row>(writeMany: (rows: Row[]) => Promise<void>, writeOne: (row: Row) => Promise<void>, maxBatch = 200): (row: Row) => Promise<void> {
  let queue: Waiting<Row>[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    try {
      while (queue.length) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        try {
          await writeMany(batch.map((waiting) => waiting.row));
          for (const waiting of batch) waiting.resolve();
        } catch {
          for (const waiting of batch) await writeOne(waiting.row).then(waiting.resolve, waiting.reject);
        }
      }
    } finally {
      flushing = false;
    }
  }

  return (row) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ row, resolve, reject });
      if (flushing) return;
      flushing = true;
      setImmediate(() => void flush());
    });
}

/**
 * A process-wide signal raised after every write to the rows that decide who is
 * signed in and with which role: users, sessions and accounts. The session cache
 * (lib/auth/session-cache.ts) empties itself on it, so a sign-out, a role change or
 * a deactivation applies on the next request however it was written (better-auth's
 * own writes included, which go through this client).
 *
 * Held on globalThis: Next bundles a module once per route bundle, and a write in a
 * server action must reach the cache a route handler reads.
 */
const SLOT = Symbol.for("pullkeeper.auth-row-writes");
type Listener = () => void;

function listeners(): Set<Listener> {
  const holder = globalThis as { [SLOT]?: Set<Listener> };
  return (holder[SLOT] ??= new Set());
}

/** Calls `listener` after each write to users, sessions or accounts; returns the unsubscribe. */
export function onAuthRowsWritten(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

export function signalAuthRowsWritten(): void {
  for (const listener of listeners()) listener();
}

const AUTH_MODELS = new Set(["User", "Session", "Account"]);
const READS = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy"]);

/** Whether a Prisma model operation may change who is signed in (any write to users, sessions or accounts). */
export const isAuthRowWrite = (model: string | undefined, operation: string): boolean => model !== undefined && AUTH_MODELS.has(model) && !READS.has(operation);

/**
 * The Prisma query extension that raises the signal, both before a write (a lookup
 * already under way is then not cached) and after it (for a lookup that started
 * while the write ran, or inside a transaction not yet committed: raising again
 * after the write returns narrows that window to the commit itself).
 */
export const authWriteSignalExtension = {
  name: "auth-row-write-signal",
  query: {
    $allModels: {
      async $allOperations({ model, operation, args, query }: { model?: string; operation: string; args: unknown; query: (args: unknown) => Promise<unknown> }) {
        if (!isAuthRowWrite(model, operation)) return query(args);
        signalAuthRowsWritten();
        try {
          return await query(args);
        } finally {
          signalAuthRowsWritten();
        }
      },
    },
  },
};

import type { RegistryVerification } from "@/lib/registry-check/port";
import type { VerificationState } from "@/lib/api/verification";
import { createVerificationLog, type CredentialKey, type VerificationLog } from "./verification-state";
import type { VerificationStore } from "./verification-store";

/** Rows read per sync, and so loaded on first use; the log holds as many. */
export const VERIFICATION_SYNC_LIMIT = 10_000;
/**
 * Each sync re-reads this much before the previous one started: a replica's
 * clock may lag ours, and a row is committed a moment after its `checkedAt`.
 */
export const VERIFICATION_SYNC_MARGIN_MS = 60_000;

export interface SyncedVerificationLog {
  /** Remembers the result here at once, then saves it; rejects when the save fails (this process still shows it). */
  record(verification: RegistryVerification): Promise<void>;
  /**
   * Reads what was saved since the last sync (every process's results) into
   * memory: one query through the `checkedAt` index. Concurrent callers share
   * one read. A failed read rejects and the next sync reads the same span again.
   */
  sync(): Promise<void>;
  /** Synchronous, for the pure view builders: what memory holds after the last sync. */
  lookup(key: CredentialKey): VerificationState;
  size(): number;
  /** See `VerificationLog.version`: changes when a sync or a record changed what `lookup` answers. */
  version(): number;
}

export interface SyncedVerificationLogOptions {
  /** Opened on first use, so building the log needs no database. */
  store: () => Promise<VerificationStore>;
  now?: () => number;
  marginMs?: number;
  limit?: number;
}

/**
 * The in-memory verification log kept as a cache of the database: writes go to
 * both, reads are served from memory after an incremental sync. Newest wins in
 * both places, so the order in which results and syncs arrive does not matter.
 */
export function createSyncedVerificationLog(options: SyncedVerificationLogOptions): SyncedVerificationLog {
  const now = options.now ?? (() => Date.now());
  const marginMs = options.marginMs ?? VERIFICATION_SYNC_MARGIN_MS;
  const limit = options.limit ?? VERIFICATION_SYNC_LIMIT;
  const log: VerificationLog = createVerificationLog({ maxEntries: limit });
  let lastSyncStartedAt: number | null = null;
  let running: Promise<void> | null = null;

  async function readChanges(): Promise<void> {
    const startedAt = now();
    const since = lastSyncStartedAt === null ? null : new Date(lastSyncStartedAt - marginMs);
    const store = await options.store();
    for (const verification of await store.changedSince(since, limit)) log.record(verification);
    lastSyncStartedAt = startedAt;
  }

  return {
    async record(verification) {
      log.record(verification);
      const store = await options.store();
      await store.save(verification);
    },
    sync() {
      running ??= readChanges().finally(() => {
        running = null;
      });
      return running;
    },
    lookup: (key) => log.lookup(key),
    size: () => log.size(),
    version: () => log.version(),
  };
}

/**
 * A per-key cache of asynchronous scans with single flight: concurrent callers
 * for the same key share one scan, and one key is never scanned twice at once.
 * Results are kept with the time they were stored. `invalidate` makes the next
 * caller wait for a scan started after it: a scan running then is not stored as
 * fresh (it may predate the change) and a new one is chained after it. `refresh`
 * (the Rescan button) likewise answers with a scan started after the request,
 * so a change just made is in it; refreshes made while that chained scan waits
 * share it. The result invalidated (or that older scan's, when it ends) stays
 * readable through `peek`, marked stale, until a result scanned after the change
 * is stored: readers that must not go blank (the metrics, the fleet's stored
 * rows) keep the cluster's last known state while it is scanned again.
 * `show` (what pages use) may also answer, before this process has stored any
 * result of a key, with the result kept from before the process started
 * (`restore`), marked `restored`: a restart does not make the first visitor
 * wait for a scan of thousands of namespaces. Within `restoredGraceMs` of the
 * restore, `show` leaves the rescan to others (the background refresh), so the
 * first seconds of a process go to the people looking; after it, `show` starts
 * one.
 */

export interface CachedScan<T> {
  value: T;
  /** Epoch ms when the scan finished and was stored. */
  storedAt: number;
  /** Only from `peek`: the result was invalidated (the cluster changed since); `get` scans anew instead of serving it. */
  stale?: true;
  /** Only from `show` and `peek`: kept from before this process started (`restore`) until a scan of this process replaces it. Also `stale`. */
  restored?: true;
}

export interface ScanCacheOptions<T> {
  scan: (key: string) => Promise<T>;
  /** How long a stored result is served before a caller triggers a new scan; may depend on the result (failed scans expire sooner). */
  maxAgeMs: number | ((value: T) => number);
  now?: () => number;
  /**
   * The result kept from before this process started (a saved snapshot), with when it was scanned; undefined when
   * none is usable. Asked at most once per key, and only until this process stores a result of the key or invalidates
   * it. Failures count as none (the callback reports them).
   */
  restore?: (key: string) => Promise<{ value: T; storedAt: number } | undefined>;
  /** How long after its restore a kept result is shown without `show` starting a scan of the key (default 0: at once). */
  restoredGraceMs?: number;
}

export interface ScanCache<T> {
  /**
   * A stored result young enough, or the running scan when it started after the last invalidation, or a scan started
   * after the running one ends (never two scans of one key at once; never a result that predates an invalidation).
   */
  get(key: string): Promise<CachedScan<T>>;
  /**
   * What a page shows: `get`, except while this process has stored no result of the key and not invalidated it: then
   * the result kept from before the start, if `restore` has one, marked `restored` and `stale`; past the grace, it
   * also starts the scan `get` would (its failure is left to the next reader). Never for a workflow's plan: those use `get`.
   */
  show(key: string): Promise<CachedScan<T>>;
  /** Reads the result kept from before the start now (once per key), so that the first `show` finds it ready; true when one is kept. */
  restore(key: string): Promise<boolean>;
  /**
   * A result read by a scan started after this call (the Rescan button): a scan already running began before the
   * request, so a new one is chained after it; concurrent refreshes made meanwhile share that chained scan.
   */
  refresh(key: string): Promise<CachedScan<T>>;
  /**
   * The stored result whatever its age, without scanning; after an invalidation, the invalidated one marked `stale`
   * until a newer one is stored; before any is stored, the restored one if it was read (marked `restored`).
   */
  peek(key: string): CachedScan<T> | undefined;
  /** Stops serving the stored result (kept for `peek`, marked stale); a scan running now is not stored as fresh, and the next `get` scans after it. */
  invalidate(key: string): void;
  /** Whether a scan for the key is running or waiting for the running one to end. */
  scanning(key: string): boolean;
}

export function createScanCache<T>(options: ScanCacheOptions<T>): ScanCache<T> {
  const now = options.now ?? (() => Date.now());
  const kept = keptResults(options.restore, now);
  const cache = singleFlightCache(options, now, (key) => kept.retire(key));
  return {
    ...cache,
    async show(key) {
      if (!kept.pending(key)) return cache.get(key);
      // Restored first, scanned after: both are CPU-bound in this one thread, and the reader waits for the restore.
      await kept.restore(key);
      const entry = kept.get(key);
      if (!entry) return cache.get(key);
      // The reader has its answer; whoever reads next sees this scan's result or its failure.
      if (now() - kept.restoredAt(key) >= (options.restoredGraceMs ?? 0)) cache.get(key).catch(() => undefined);
      return entry;
    },
    async restore(key) {
      await kept.restore(key);
      return kept.get(key) !== undefined;
    },
    peek: (key) => cache.peek(key) ?? kept.get(key),
    invalidate(key) {
      kept.retire(key);
      cache.invalidate(key);
    },
  };
}

/** Everything but the results kept from before the start; `onStored` is told of each result stored as fresh. */
function singleFlightCache<T>(options: ScanCacheOptions<T>, now: () => number, onStored: (key: string) => void): Omit<ScanCache<T>, "show" | "restore"> {
  const stored = new Map<string, CachedScan<T>>();
  /** Results invalidated and not yet replaced: `peek` only. */
  const superseded = new Map<string, CachedScan<T>>();
  /** The scan running per key, with the generation it started in. */
  const inFlight = new Map<string, { run: Promise<CachedScan<T>>; generation: number }>();
  /** A scan that starts when the running one ends (after an invalidation or a refresh); shared until it starts. */
  const chained = new Map<string, Promise<CachedScan<T>>>();
  const generation = new Map<string, number>();
  const maxAge = (value: T) => (typeof options.maxAgeMs === "function" ? options.maxAgeMs(value) : options.maxAgeMs);

  function launch(key: string): Promise<CachedScan<T>> {
    const startedIn = generation.get(key) ?? 0;
    // Callbacks of then/finally always run later, so `run` is assigned before they read it.
    const run: Promise<CachedScan<T>> = Promise.resolve()
      .then(() => options.scan(key))
      .then((value) => {
        const entry = { value, storedAt: now() };
        if ((generation.get(key) ?? 0) === startedIn) {
          stored.set(key, entry);
          superseded.delete(key);
          onStored(key);
        } else if (!stored.has(key)) {
          // It may predate the change, so `get` does not serve it; but it is the newest known, for `peek`.
          superseded.set(key, { ...entry, stale: true });
        }
        return entry;
      })
      .finally(() => {
        if (inFlight.get(key)?.run === run) inFlight.delete(key);
      });
    inFlight.set(key, { run, generation: startedIn });
    return run;
  }

  /** A scan that starts once the running one has ended (whatever its outcome); callers until then share it. */
  function after(key: string, running: Promise<CachedScan<T>>): Promise<CachedScan<T>> {
    const waiting = chained.get(key);
    if (waiting) return waiting;
    const next = running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        if (chained.get(key) === next) chained.delete(key);
        // Whatever runs now started after every request that joined this chain.
        const current = inFlight.get(key);
        return current ? current.run : launch(key);
      });
    chained.set(key, next);
    return next;
  }

  return {
    get(key) {
      const hit = stored.get(key);
      if (hit && now() - hit.storedAt < maxAge(hit.value)) return Promise.resolve(hit);
      const running = inFlight.get(key);
      if (!running) return launch(key);
      if (running.generation === (generation.get(key) ?? 0)) return running.run;
      return after(key, running.run);
    },
    refresh(key) {
      const running = inFlight.get(key);
      return running ? after(key, running.run) : launch(key);
    },
    peek: (key) => stored.get(key) ?? superseded.get(key),
    invalidate(key) {
      generation.set(key, (generation.get(key) ?? 0) + 1);
      const previous = stored.get(key);
      if (previous) superseded.set(key, { ...previous, stale: true });
      stored.delete(key);
    },
    scanning: (key) => inFlight.has(key) || chained.has(key),
  };
}

/**
 * The results kept from before this process started (`ScanCacheOptions.restore`): each read once, and shown only
 * until a result of its key is stored or the key is invalidated (`retire`), after which it is dropped.
 */
function keptResults<T>(read: ScanCacheOptions<T>["restore"], now: () => number) {
  const kept = new Map<string, CachedScan<T>>();
  const restoredAt = new Map<string, number>();
  const restoring = new Map<string, Promise<void>>();
  const retired = new Set<string>();
  return {
    /** Whether a kept result may still be shown for the key. */
    pending: (key: string) => read !== undefined && !retired.has(key),
    get: (key: string) => kept.get(key),
    /** When the key's restore ended (its kept result read). */
    restoredAt: (key: string) => restoredAt.get(key) ?? 0,
    restore(key: string): Promise<void> {
      if (!read || retired.has(key)) return Promise.resolve();
      let pending = restoring.get(key);
      if (!pending) {
        pending = read(key).then(
          (entry) => {
            restoredAt.set(key, now());
            if (entry && !retired.has(key)) kept.set(key, { value: entry.value, storedAt: entry.storedAt, stale: true, restored: true });
          },
          () => undefined,
        );
        restoring.set(key, pending);
      }
      return pending;
    },
    retire(key: string): void {
      retired.add(key);
      kept.delete(key);
      restoredAt.delete(key);
    },
  };
}

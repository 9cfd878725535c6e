/**
 * A per-key cache of asynchronous scans with single flight: concurrent callers
 * for the same key share one scan, results are kept with the time they were
 * stored, and `invalidate` makes the next caller scan anew even while an older
 * scan is still running (that older scan's result is then dropped, because it
 * may predate the change that caused the invalidation). The result invalidated
 * (or that older scan's, when it ends) stays readable through `peek`, marked
 * stale, until a result scanned after the change is stored:
 * readers that must not go blank (the metrics, the fleet's stored rows) keep
 * the cluster's last known state while it is scanned again.
 */

export interface CachedScan<T> {
  value: T;
  /** Epoch ms when the scan finished and was stored. */
  storedAt: number;
  /** Only from `peek`: the result was invalidated (the cluster changed since); `get` scans anew instead of serving it. */
  stale?: true;
}

export interface ScanCacheOptions<T> {
  scan: (key: string) => Promise<T>;
  /** How long a stored result is served before a caller triggers a new scan; may depend on the result (failed scans expire sooner). */
  maxAgeMs: number | ((value: T) => number);
  now?: () => number;
}

export interface ScanCache<T> {
  /** A stored result young enough, or the running scan, or a new scan. */
  get(key: string): Promise<CachedScan<T>>;
  /** Scans anew, unless a scan started after the last invalidation is already running (then that one is shared). */
  refresh(key: string): Promise<CachedScan<T>>;
  /** The stored result whatever its age, without scanning; after an invalidation, the invalidated one marked `stale` until a newer one is stored. */
  peek(key: string): CachedScan<T> | undefined;
  /** Stops serving the stored result (kept for `peek`, marked stale) and detaches any running scan from the cache. */
  invalidate(key: string): void;
  /** Whether a scan for the key is running now. */
  scanning(key: string): boolean;
}

export function createScanCache<T>(options: ScanCacheOptions<T>): ScanCache<T> {
  const now = options.now ?? (() => Date.now());
  const stored = new Map<string, CachedScan<T>>();
  /** Results invalidated and not yet replaced: `peek` only. */
  const superseded = new Map<string, CachedScan<T>>();
  const inFlight = new Map<string, Promise<CachedScan<T>>>();
  const generation = new Map<string, number>();
  const maxAge = (value: T) => (typeof options.maxAgeMs === "function" ? options.maxAgeMs(value) : options.maxAgeMs);

  function start(key: string): Promise<CachedScan<T>> {
    const running = inFlight.get(key);
    if (running) return running;
    const startedIn = generation.get(key) ?? 0;
    // Callbacks of then/finally always run later, so `run` is assigned before they read it.
    const run: Promise<CachedScan<T>> = Promise.resolve()
      .then(() => options.scan(key))
      .then((value) => {
        const entry = { value, storedAt: now() };
        if ((generation.get(key) ?? 0) === startedIn) {
          stored.set(key, entry);
          superseded.delete(key);
        } else if (!stored.has(key)) {
          // It may predate the change, so `get` does not serve it; but it is the newest known, for `peek`.
          superseded.set(key, { ...entry, stale: true });
        }
        return entry;
      })
      .finally(() => {
        if (inFlight.get(key) === run) inFlight.delete(key);
      });
    inFlight.set(key, run);
    return run;
  }

  return {
    get(key) {
      const hit = stored.get(key);
      if (hit && now() - hit.storedAt < maxAge(hit.value)) return Promise.resolve(hit);
      return start(key);
    },
    refresh(key) {
      return start(key);
    },
    peek: (key) => stored.get(key) ?? superseded.get(key),
    invalidate(key) {
      generation.set(key, (generation.get(key) ?? 0) + 1);
      const previous = stored.get(key);
      if (previous) superseded.set(key, { ...previous, stale: true });
      stored.delete(key);
      inFlight.delete(key);
    },
    scanning: (key) => inFlight.has(key),
  };
}

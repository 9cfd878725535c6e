/**
 * What a page shows of a scan, computed once per scan instead of once per request.
 *
 * A view derived from a stored scan (the 2,000-row matrix, the per-namespace index) is
 * kept beside that scan object: a new scan, a rescan after a workflow, or an
 * invalidation stores a new object, so a view of an old scan is never served and goes
 * away with it (WeakMap, no eviction to get wrong). A view that also reads the
 * verification log is stamped with the log's version and rebuilt when that moved.
 *
 * Views are the same for every user allowed to see the cluster: callers check the
 * user's role and cluster scope before asking (as they did before they read the scan),
 * and nothing user-specific goes into a view. Pure; no Next, no Prisma.
 */

export interface ScanViewCache<S extends object, V> {
  /** The view of `scan` built at `version`, building it when there is none or it was built at another version. */
  get(scan: S, version?: number): V;
}

export function createScanViewCache<S extends object, V>(build: (scan: S) => V): ScanViewCache<S, V> {
  const views = new WeakMap<S, { version: number; value: V }>();
  return {
    get(scan, version = 0) {
      const held = views.get(scan);
      if (held && held.version === version) return held.value;
      const value = build(scan);
      views.set(scan, { version, value });
      return value;
    },
  };
}

import { describe, expect, it, vi } from "vitest";
import type { ClusterScan } from "./cluster-scan";
import { createSnapshotSaver, type SavedScan, type ScanSnapshotStore } from "./scan-snapshots";

function scan(cluster: string, finishedAt: string, ok = true): ClusterScan {
  const inventory = ok ? ({ cluster, namespaces: [] } as unknown as ClusterScan["inventory"]) : null;
  return {
    cluster,
    info: { name: cluster, clusterEntry: cluster, server: `https://${cluster}.example:6443`, user: "u", namespace: null, sourceFile: null },
    probe: { cluster, status: "reachable" } as ClusterScan["probe"],
    inventory,
    coverage: ok ? ({} as ClusterScan["coverage"]) : null,
    error: ok ? null : { kind: "unreachable", message: "down" },
    startedAt: finishedAt,
    finishedAt,
    durationMs: 1,
  };
}

function recordingStore(fail = false) {
  const saved: SavedScan[] = [];
  const store: ScanSnapshotStore = {
    save: async (entry) => {
      if (fail) throw new Error("database down");
      saved.push(entry);
    },
    load: async () => undefined,
  };
  return { saved, store: async () => store };
}

describe("createSnapshotSaver", () => {
  it("saves a cluster's first scan at once, then at most once per interval, the newest offered meanwhile", async () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const { saved, store } = recordingStore();
      const saver = createSnapshotSaver(store, () => {}, 60_000, () => clock);
      saver.offer(scan("a", "t1"));
      await vi.advanceTimersByTimeAsync(0);
      expect(saved.map((s) => s.finishedAt)).toEqual(["t1"]);
      clock = 10_000;
      saver.offer(scan("a", "t2"));
      saver.offer(scan("a", "t3"));
      saver.offer(scan("b", "b1"));
      await vi.advanceTimersByTimeAsync(0);
      expect(saved.map((s) => s.finishedAt)).toEqual(["t1", "b1"]);
      clock = 60_000;
      await vi.advanceTimersByTimeAsync(50_000);
      expect(saved.map((s) => s.finishedAt)).toEqual(["t1", "b1", "t3"]);
      expect(saved[0]).toEqual({ cluster: "a", server: "https://a.example:6443", probe: { cluster: "a", status: "reachable" }, inventory: { cluster: "a", namespaces: [] }, startedAt: "t1", finishedAt: "t1", durationMs: 1 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("ignores failed scans, saves what waits on flush, and reports a failed save without throwing", async () => {
    const { saved, store } = recordingStore();
    const saver = createSnapshotSaver(store, () => {}, 60_000);
    saver.offer(scan("a", "failed", false));
    saver.offer(scan("a", "t1"));
    await saver.flush();
    saver.offer(scan("a", "t2"));
    await saver.flush();
    expect(saved.map((s) => s.finishedAt)).toEqual(["t1", "t2"]);

    const errors: string[] = [];
    const failing = createSnapshotSaver(recordingStore(true).store, (cluster, error) => errors.push(`${cluster}: ${(error as Error).message}`));
    failing.offer(scan("a", "t1"));
    await failing.flush();
    expect(errors).toEqual(["a: database down"]);
  });
});

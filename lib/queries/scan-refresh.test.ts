import { afterEach, describe, expect, it, vi } from "vitest";
import { keepScansFresh } from "./scan-refresh";

vi.mock("@/lib/log", () => ({ logger: { warn: vi.fn() } }));

describe("keepScansFresh", () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it("reads every saved scan first; scans the clusters without one at once, the others after the delay; builds views after each", async () => {
    const calls: string[] = [];
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const started = Date.now();
    let rescannedAt = 0;
    stop = keepScansFresh(
      {
        clusterNames: () => ["kept", "new"],
        restore: async (cluster) => (calls.push(`restore ${cluster}`), cluster === "kept"),
        scan: async (cluster) => {
          calls.push(`scan ${cluster}`);
          if (cluster === "kept") rescannedAt = Date.now();
        },
        prepare: async (cluster) => {
          calls.push(`prepare ${cluster}`);
          if (calls.length === 10) finish();
        },
        restored: (clusters) => void calls.push(`restored ${clusters}`),
      },
      60_000,
      200,
    );
    await done;
    expect(calls).toEqual(["restore kept", "prepare kept", "restore new", "restored 1", "scan new", "prepare new", "scan kept", "prepare kept", "scan new", "prepare new"]);
    expect(rescannedAt - started).toBeGreaterThanOrEqual(190);
  });

  it("goes on scanning when a scan fails", async () => {
    const scanned: string[] = [];
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    stop = keepScansFresh({
      clusterNames: () => ["down", "up"],
      scan: async (cluster) => {
        scanned.push(cluster);
        if (cluster === "down") throw new Error("unreachable");
        finish();
      },
    });
    await done;
    expect(scanned).toEqual(["down", "up"]);
  });
});

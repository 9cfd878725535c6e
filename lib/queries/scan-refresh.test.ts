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
        warm: ({ restored, scanned }) => void calls.push(`warm ${restored}+${scanned}`),
      },
      60_000,
      200,
    );
    await done;
    expect(calls).toEqual(["restore kept", "prepare kept", "restore new", "scan new", "prepare new", "warm 1+1", "scan kept", "prepare kept", "scan new", "prepare new"]);
    expect(rescannedAt - started).toBeGreaterThanOrEqual(190);
  });

  it("scans the clusters without a saved scan side by side, and is warm once each has answered or failed", async () => {
    const events: string[] = [];
    let answerSilent!: () => void;
    const silentAnswers = new Promise<void>((resolve) => (answerSilent = resolve));
    let warmed!: () => void;
    const warm = new Promise<void>((resolve) => (warmed = resolve));
    stop = keepScansFresh({
      clusterNames: () => ["silent", "down", "up"],
      restore: async () => false,
      scan: async (cluster) => {
        events.push(`scan ${cluster}`);
        if (cluster === "silent") await silentAnswers;
        if (cluster === "down") throw new Error("unreachable");
      },
      prepare: async (cluster) => void events.push(`prepare ${cluster}`),
      warm: ({ restored, scanned }) => (events.push(`warm ${restored}+${scanned}`), warmed()),
    });
    await vi.waitFor(() => expect(events).toContain("prepare up"));
    // "silent" has not answered: the others were scanned meanwhile, and nothing is warm yet.
    expect(events).toEqual(["scan silent", "scan down", "scan up", "prepare up"]);
    answerSilent();
    await warm;
    expect(events.slice(4, 6)).toEqual(["prepare silent", "warm 0+3"]);
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

import { describe, expect, it } from "vitest";
import { createScanCache } from "./scan-cache";

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("createScanCache", () => {
  it("shares one scan between concurrent callers and serves it until it is too old", async () => {
    let clock = 1_000;
    let scans = 0;
    const cache = createScanCache({ scan: async (k) => `${k}#${++scans}`, maxAgeMs: 100, now: () => clock });
    const [a, b] = await Promise.all([cache.get("x"), cache.get("x")]);
    expect(a.value).toBe("x#1");
    expect(b).toBe(a);
    clock += 99;
    expect((await cache.get("x")).value).toBe("x#1");
    clock += 1;
    expect((await cache.get("x")).value).toBe("x#2");
    expect(scans).toBe(2);
  });

  it("lets the max age depend on the result (failed scans retried sooner)", async () => {
    let clock = 0;
    let n = 0;
    const cache = createScanCache({ scan: async () => (++n === 1 ? "failed" : "ok"), maxAgeMs: (v) => (v === "failed" ? 10 : 1_000), now: () => clock });
    expect((await cache.get("c")).value).toBe("failed");
    clock = 10;
    expect((await cache.get("c")).value).toBe("ok");
    clock = 500;
    expect((await cache.get("c")).value).toBe("ok");
    expect(n).toBe(2);
  });

  it("refresh answers with a scan started after it: one running is waited for, then a new one is shared by every refresh made meanwhile", async () => {
    const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
    let calls = 0;
    const cache = createScanCache({ scan: () => gates[calls++]!.promise, maxAgeMs: 60_000 });
    const first = cache.get("c");
    // Clicked while a scan that started before the click is running: that scan may miss what the user just changed.
    const clicked = cache.refresh("c");
    const clickedAgain = cache.refresh("c");
    expect(cache.scanning("c")).toBe(true);
    gates[0]!.resolve("started before the click");
    expect((await first).value).toBe("started before the click");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toBe(2);
    // A page view meanwhile is served the stored scan (young enough), and starts no third one.
    const viewed = cache.get("c");
    gates[1]!.resolve("started after the click");
    expect((await clicked).value).toBe("started after the click");
    expect(await clickedAgain).toBe(await clicked);
    expect((await viewed).value).toBe("started before the click");
    expect(calls).toBe(2);
    const again = cache.refresh("c");
    gates[2]!.resolve("three");
    expect((await again).value).toBe("three");
    expect(cache.peek("c")?.value).toBe("three");
  });

  it("chains the refresh after a running scan that fails", async () => {
    const gates = [deferred<string>(), deferred<string>()];
    let calls = 0;
    const cache = createScanCache({ scan: () => gates[calls++]!.promise, maxAgeMs: 60_000 });
    const first = cache.get("c");
    const clicked = cache.refresh("c");
    gates[0]!.reject(new Error("timeout"));
    await expect(first).rejects.toThrow("timeout");
    gates[1]!.resolve("after");
    expect((await clicked).value).toBe("after");
  });

  it("drops the result of a scan that was running when the key was invalidated", async () => {
    const gates = [deferred<string>(), deferred<string>()];
    let calls = 0;
    const cache = createScanCache({ scan: () => gates[calls++]!.promise, maxAgeMs: 60_000 });
    const before = cache.get("c");
    cache.invalidate("c");
    const after = cache.get("c");
    const alsoAfter = cache.get("c");
    // Never two scans of one cluster at once: the one after the write waits for the one before it.
    await Promise.resolve();
    expect(calls).toBe(1);
    gates[0]!.resolve("before the write");
    gates[1]!.resolve("after the write");
    expect((await before).value).toBe("before the write");
    expect((await after).value).toBe("after the write");
    expect(await alsoAfter).toBe(await after);
    expect(cache.peek("c")?.value).toBe("after the write");
    expect(calls).toBe(2);
  });

  it("offers peek the result of a scan that ended after an invalidation, marked stale, when nothing newer is stored", async () => {
    const gates = [deferred<string>(), deferred<string>()];
    let calls = 0;
    const cache = createScanCache({ scan: () => gates[calls++]!.promise, maxAgeMs: 60_000 });
    const first = cache.get("c");
    cache.invalidate("c");
    gates[0]!.resolve("started before the change");
    await first;
    // Never scanned before: without it, readers that must not go blank would have nothing.
    expect(cache.peek("c")).toMatchObject({ value: "started before the change", stale: true });
    const next = cache.get("c");
    gates[1]!.resolve("after the change");
    await next;
    expect(calls).toBe(2);
    expect(cache.peek("c")).toEqual({ value: "after the change", storedAt: expect.any(Number) });
  });

  it("keeps an invalidated result readable by peek, marked stale, until a newer one is stored; get scans anew", async () => {
    const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
    let calls = 0;
    const cache = createScanCache({ scan: () => gates[calls++]!.promise, maxAgeMs: 60_000 });
    gates[0]!.resolve("before the change");
    await cache.get("c");
    cache.invalidate("c");
    expect(cache.peek("c")).toMatchObject({ value: "before the change", stale: true });
    const after = cache.get("c");
    expect(cache.scanning("c")).toBe(true);
    // A second change while the first rescan runs: still the last known result, never nothing.
    cache.invalidate("c");
    expect(cache.peek("c")).toMatchObject({ value: "before the change", stale: true });
    const latest = cache.get("c");
    gates[1]!.resolve("between the changes");
    expect((await after).value).toBe("between the changes");
    // Newer than what was invalidated, yet it may predate the second change: readable, still stale.
    expect(cache.peek("c")).toMatchObject({ value: "between the changes", stale: true });
    gates[2]!.resolve("after the changes");
    expect((await latest).value).toBe("after the changes");
    expect(cache.peek("c")).toEqual({ value: "after the changes", storedAt: expect.any(Number) });
    expect(calls).toBe(3);
  });

  it("does not keep a failed scan: the next caller tries again", async () => {
    let n = 0;
    const cache = createScanCache({
      scan: async () => {
        n += 1;
        if (n === 1) throw new Error("boom");
        return "ok";
      },
      maxAgeMs: 60_000,
    });
    await expect(cache.get("c")).rejects.toThrow("boom");
    expect(cache.scanning("c")).toBe(false);
    expect((await cache.get("c")).value).toBe("ok");
  });

  it("survives a scan function that throws synchronously", async () => {
    const cache = createScanCache<string>({
      scan: () => {
        throw new Error("sync");
      },
      maxAgeMs: 1,
    });
    await expect(cache.get("c")).rejects.toThrow("sync");
    expect(cache.scanning("c")).toBe(false);
  });

  describe("after a restart: the result kept from before (restore)", () => {
    const before = { value: "before the restart", storedAt: 5 };

    it("shows the kept result while the first scan runs, then that scan's; get never serves the kept one", async () => {
      const gate = deferred<string>();
      let restores = 0;
      const cache = createScanCache({ scan: () => gate.promise, maxAgeMs: 60_000, restore: async () => (restores++, before) });
      const shown = await cache.show("c");
      expect(shown).toEqual({ value: "before the restart", storedAt: 5, stale: true, restored: true });
      expect(cache.scanning("c")).toBe(true);
      expect(cache.peek("c")).toEqual(shown);
      const viaGet = cache.get("c");
      expect((await cache.show("c")).value).toBe("before the restart");
      gate.resolve("scanned now");
      expect((await viaGet).value).toBe("scanned now");
      expect(await cache.show("c")).toEqual({ value: "scanned now", storedAt: expect.any(Number) });
      expect(cache.peek("c")?.restored).toBeUndefined();
      expect(restores).toBe(1);
    });

    it("within the grace after its restore, show starts no scan; after it, show does", async () => {
      let clock = 1_000;
      let scans = 0;
      const cache = createScanCache({ scan: async () => `scan ${++scans}`, maxAgeMs: 60_000, now: () => clock, restoredGraceMs: 10_000, restore: async () => before });
      expect(await cache.restore("c")).toBe(true);
      expect((await cache.show("c")).restored).toBe(true);
      clock += 9_999;
      expect((await cache.show("c")).restored).toBe(true);
      expect(cache.scanning("c")).toBe(false);
      clock += 1;
      expect((await cache.show("c")).restored).toBe(true);
      expect(cache.scanning("c")).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(await cache.show("c")).toEqual({ value: "scan 1", storedAt: clock });
      expect(await cache.restore("other")).toBe(true);
    });

    it("never shows it once the key was invalidated (a workflow changed the cluster)", async () => {
      const gate = deferred<string>();
      const cache = createScanCache({ scan: () => gate.promise, maxAgeMs: 60_000, restore: async () => before });
      await cache.restore("c");
      expect(cache.peek("c")?.restored).toBe(true);
      cache.invalidate("c");
      expect(cache.peek("c")).toBeUndefined();
      const shown = cache.show("c");
      gate.resolve("after the change");
      expect((await shown).value).toBe("after the change");
    });

    it("answers with the scan when it ends before the restore, when there is nothing kept, and when restoring fails", async () => {
      const slowRestore = deferred<{ value: string; storedAt: number } | undefined>();
      const fast = createScanCache({ scan: async () => "scanned now", maxAgeMs: 60_000, restore: () => slowRestore.promise });
      // Another reader (the background refresh, a rule) started a scan; it is stored before the restore ends.
      void fast.get("c");
      const shown = fast.show("c");
      await new Promise((resolve) => setTimeout(resolve, 0));
      slowRestore.resolve(before);
      expect((await shown).value).toBe("scanned now");
      expect(fast.peek("c")?.restored).toBeUndefined();

      const none = createScanCache({ scan: async () => "scanned now", maxAgeMs: 60_000, restore: async () => undefined });
      expect((await none.show("c")).value).toBe("scanned now");
      const failing = createScanCache({ scan: async () => "scanned now", maxAgeMs: 60_000, restore: () => Promise.reject(new Error("database down")) });
      expect((await failing.show("c")).value).toBe("scanned now");
    });

    it("leaves a failing first scan to the next reader, who is not shown the kept result again", async () => {
      const gate = deferred<string>();
      const cache = createScanCache({ scan: () => gate.promise, maxAgeMs: 60_000, restore: async () => before });
      expect((await cache.show("c")).restored).toBe(true);
      gate.reject(new Error("cluster unreachable"));
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect((await cache.show("c")).restored).toBe(true);
      // A failed scan is not stored (the cache's callers turn cluster failures into results): the kept result stays
      // shown until a scan is stored, and each reader starts the next attempt.
      expect(cache.scanning("c")).toBe(true);
    });
  });
});

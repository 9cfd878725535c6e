import { describe, expect, it } from "vitest";
import type { RegistryVerification } from "@/lib/registry-check/port";
import { createVerificationLog } from "./verification-state";
import type { VerificationStore } from "./verification-store";
import { createSyncedVerificationLog } from "./verification-sync";

const KEY = { domain: "us.icr.io", username: "iamapikey", fingerprint: "0123456789ab" };

function verification(checkedAt: string, result: RegistryVerification["result"] = "valid", overrides: Partial<RegistryVerification> = {}): RegistryVerification {
  return { ...KEY, result, checkedAt, latencyMs: 5, detail: `${result} at ${checkedAt}`, credentialTested: true, ...overrides };
}

/** An in-memory stand-in for the database table, newest wins as there, recording every read. */
function memoryStore() {
  const rows = new Map<string, RegistryVerification>();
  const reads: Array<{ since: string | null; limit: number }> = [];
  let failReads = false;
  let failSaves = false;
  const store: VerificationStore = {
    async save(v) {
      if (failSaves) throw new Error("database is down");
      const key = `${v.domain}|${v.username}|${v.fingerprint}`;
      const held = rows.get(key);
      if (!held || held.checkedAt <= v.checkedAt) rows.set(key, v);
    },
    async changedSince(since, limit) {
      reads.push({ since: since?.toISOString() ?? null, limit });
      if (failReads) throw new Error("database is down");
      const hits = [...rows.values()].filter((v) => since === null || Date.parse(v.checkedAt) >= since.getTime());
      return hits.sort((a, b) => a.checkedAt.localeCompare(b.checkedAt)).slice(-limit);
    },
  };
  return {
    store,
    reads,
    rows,
    failReads: (on: boolean) => (failReads = on),
    failSaves: (on: boolean) => (failSaves = on),
  };
}

describe("createVerificationLog: newest wins", () => {
  it("never lets an older result replace a newer one, whatever the arrival order", () => {
    const log = createVerificationLog();
    log.record(verification("2026-01-01T10:05:00.000Z", "valid"));
    log.record(verification("2026-01-01T10:00:00.000Z", "rejected"));
    expect(log.lookup(KEY)).toMatchObject({ status: "valid", checkedAt: "2026-01-01T10:05:00.000Z" });
    log.record(verification("2026-01-01T10:06:00.000Z", "rejected"));
    expect(log.lookup(KEY)).toMatchObject({ status: "rejected", checkedAt: "2026-01-01T10:06:00.000Z" });
  });

  it("takes a result of the same time, so a re-read row converges on what the database kept", () => {
    const log = createVerificationLog();
    log.record(verification("2026-01-01T10:00:00.000Z", "valid"));
    log.record(verification("2026-01-01T10:00:00.000Z", "rejected"));
    expect(log.lookup(KEY).status).toBe("rejected");
  });

  it("keys by normalized host, so a differently spelled registry finds the same result", () => {
    const log = createVerificationLog();
    log.record(verification("2026-01-01T10:00:00.000Z", "valid", { domain: "https://US.ICR.IO/v1/" }));
    expect(log.lookup(KEY).status).toBe("valid");
  });
});

describe("createVerificationLog: version (what cached views are stamped with)", () => {
  it("moves when a result changes what lookup answers, not when a re-read row is recorded again", () => {
    const log = createVerificationLog();
    const start = log.version();
    log.record(verification("2026-01-01T10:00:00.000Z", "valid"));
    const afterFirst = log.version();
    expect(afterFirst).toBeGreaterThan(start);
    log.record(verification("2026-01-01T10:00:00.000Z", "valid"));
    log.record(verification("2026-01-01T09:00:00.000Z", "rejected"));
    expect(log.version()).toBe(afterFirst);
    log.record(verification("2026-01-01T10:00:00.000Z", "rejected"));
    expect(log.version()).toBeGreaterThan(afterFirst);
  });

  it("moves when an entry is evicted (lookup then answers never)", () => {
    const log = createVerificationLog({ maxEntries: 1 });
    log.record(verification("2026-01-01T10:00:00.000Z"));
    const before = log.version();
    log.record(verification("2026-01-01T10:00:00.000Z", "valid", { fingerprint: "other" }));
    expect(log.lookup(KEY).status).toBe("never");
    expect(log.version()).toBe(before + 2);
  });
});

describe("createSyncedVerificationLog", () => {
  it("changes its version when a sync brings another replica's result, and not when it re-reads the same rows", async () => {
    const db = memoryStore();
    const synced = createSyncedVerificationLog({ store: async () => db.store, now: () => Date.parse("2026-01-01T09:00:30.000Z") });
    await synced.sync();
    const empty = synced.version();
    await db.store.save(verification("2026-01-01T09:00:00.000Z"));
    await synced.sync();
    const loaded = synced.version();
    expect(loaded).toBeGreaterThan(empty);
    await synced.sync();
    expect(synced.version()).toBe(loaded);
  });

  it("loads the newest results on first use, then reads only what changed since the last sync minus the margin", async () => {
    const db = memoryStore();
    await db.store.save(verification("2026-01-01T09:00:00.000Z"));
    let clock = Date.parse("2026-01-01T10:00:00.000Z");
    const synced = createSyncedVerificationLog({ store: async () => db.store, now: () => clock, marginMs: 60_000, limit: 500 });
    expect(synced.lookup(KEY).status).toBe("never");

    await synced.sync();
    expect(db.reads).toEqual([{ since: null, limit: 500 }]);
    expect(synced.lookup(KEY)).toMatchObject({ status: "valid", checkedAt: "2026-01-01T09:00:00.000Z" });

    // Another replica's newer check, stamped by a clock 30 s behind ours: still inside the margin.
    clock = Date.parse("2026-01-01T10:05:00.000Z");
    await db.store.save(verification("2026-01-01T09:59:30.000Z", "rejected"));
    await synced.sync();
    expect(db.reads[1]).toEqual({ since: "2026-01-01T09:59:00.000Z", limit: 500 });
    expect(synced.lookup(KEY)).toMatchObject({ status: "rejected", checkedAt: "2026-01-01T09:59:30.000Z" });

    await synced.sync();
    expect(db.reads[2]?.since).toBe("2026-01-01T10:04:00.000Z");
  });

  it("shares one read between concurrent view builds", async () => {
    const db = memoryStore();
    const synced = createSyncedVerificationLog({ store: async () => db.store });
    await Promise.all([synced.sync(), synced.sync(), synced.sync()]);
    expect(db.reads).toHaveLength(1);
    await synced.sync();
    expect(db.reads).toHaveLength(2);
  });

  it("does not let a sync that re-reads an older row undo a newer result of this process", async () => {
    const db = memoryStore();
    await db.store.save(verification("2026-01-01T09:00:00.000Z", "valid"));
    const synced = createSyncedVerificationLog({ store: async () => db.store });
    // Recorded here, but lost on the way to the database (the save failed).
    db.failSaves(true);
    await expect(synced.record(verification("2026-01-01T10:00:00.000Z", "rejected"))).rejects.toThrow("database is down");
    await synced.sync();
    expect(synced.lookup(KEY)).toMatchObject({ status: "rejected", checkedAt: "2026-01-01T10:00:00.000Z" });
  });

  it("saves every recorded result and shows it here at once", async () => {
    const db = memoryStore();
    const synced = createSyncedVerificationLog({ store: async () => db.store });
    await synced.record(verification("2026-01-01T10:00:00.000Z", "valid"));
    expect(synced.lookup(KEY).status).toBe("valid");
    expect([...db.rows.values()].map((v) => v.result)).toEqual(["valid"]);
  });

  it("reads the same span again after a failed sync", async () => {
    const db = memoryStore();
    let clock = Date.parse("2026-01-01T10:00:00.000Z");
    const synced = createSyncedVerificationLog({ store: async () => db.store, now: () => clock, marginMs: 1_000 });
    await synced.sync();
    clock += 60_000;
    db.failReads(true);
    await expect(synced.sync()).rejects.toThrow("database is down");
    clock += 60_000;
    db.failReads(false);
    await synced.sync();
    expect(db.reads.map((read) => read.since)).toEqual([null, "2026-01-01T09:59:59.000Z", "2026-01-01T09:59:59.000Z"]);
  });

  it("rejects when the store cannot be opened, and tries again on the next sync", async () => {
    const db = memoryStore();
    let opens = 0;
    const synced = createSyncedVerificationLog({
      store: async () => {
        opens += 1;
        if (opens === 1) throw new Error("migrations failed");
        return db.store;
      },
    });
    await expect(synced.sync()).rejects.toThrow("migrations failed");
    await synced.sync();
    expect(db.reads).toEqual([{ since: null, limit: 10_000 }]);
  });
});

import { describe, expect, it } from "vitest";
import { createSessionCache } from "./session-cache";

const HOUR = 3_600_000;

function clock(start = 1_000_000) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

describe("session cache", () => {
  it("answers a stored session until its time to live passes, then asks for a lookup again", () => {
    const time = clock();
    const cache = createSessionCache<string>({ ttlMs: 5000, now: time.now });
    expect(cache.get("token.sig")).toBeUndefined();
    cache.set("token.sig", "ada", new Date(time.now() + HOUR), cache.generation());
    expect(cache.get("token.sig")).toBe("ada");
    time.advance(4999);
    expect(cache.get("token.sig")).toBe("ada");
    time.advance(1);
    expect(cache.get("token.sig")).toBeUndefined();
  });

  it("never keeps an answer past the session's own expiry", () => {
    const time = clock();
    const cache = createSessionCache<string>({ ttlMs: 5000, now: time.now });
    cache.set("token.sig", "ada", new Date(time.now() + 1000), cache.generation());
    time.advance(1000);
    expect(cache.get("token.sig")).toBeUndefined();
    cache.set("expired.sig", "bob", new Date(time.now() - 1), cache.generation());
    expect(cache.get("expired.sig")).toBeUndefined();
  });

  it("forgets every answer when a user, session or account row is written", () => {
    const cache = createSessionCache<string>({ ttlMs: 5000 });
    cache.set("a.sig", "ada", new Date(Date.now() + HOUR), cache.generation());
    cache.set("b.sig", "bob", new Date(Date.now() + HOUR), cache.generation());
    cache.invalidateAll();
    expect(cache.get("a.sig")).toBeUndefined();
    expect(cache.get("b.sig")).toBeUndefined();
    expect(cache.size()).toBe(0);
  });

  it("does not store a lookup that began before a write (a request racing a sign-out)", () => {
    const cache = createSessionCache<string>({ ttlMs: 5000 });
    const atLookup = cache.generation();
    cache.invalidateAll(); // the sign-out's write lands while the lookup is under way
    cache.set("a.sig", "ada (signed in)", new Date(Date.now() + HOUR), atLookup);
    expect(cache.get("a.sig")).toBeUndefined();
    cache.set("a.sig", "ada (read after)", new Date(Date.now() + HOUR), cache.generation());
    expect(cache.get("a.sig")).toBe("ada (read after)");
  });

  it("keys by the whole signed cookie value: another signature is another session", () => {
    const cache = createSessionCache<string>({ ttlMs: 5000 });
    cache.set("token.good", "ada", new Date(Date.now() + HOUR), cache.generation());
    expect(cache.get("token.forged")).toBeUndefined();
  });

  it("keeps nothing with a time to live of 0", () => {
    const cache = createSessionCache<string>({ ttlMs: 0 });
    cache.set("a.sig", "ada", new Date(Date.now() + HOUR), cache.generation());
    expect(cache.get("a.sig")).toBeUndefined();
    expect(cache.size()).toBe(0);
  });

  it("drops the oldest entry beyond its size bound", () => {
    const cache = createSessionCache<string>({ ttlMs: 5000, maxEntries: 2 });
    for (const name of ["a", "b", "c"]) cache.set(`${name}.sig`, name, new Date(Date.now() + HOUR), cache.generation());
    expect(cache.size()).toBe(2);
    expect(cache.get("a.sig")).toBeUndefined();
    expect(cache.get("c.sig")).toBe("c");
  });
});

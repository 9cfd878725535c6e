import { describe, expect, it } from "vitest";
import type { RegistryVerification, VerifyRegistryCredentialInput } from "./port";
import { createVerificationCache } from "./cache";

const PASSWORD = "cache-test-password-123456";

function fakeVerify(result: RegistryVerification["result"]) {
  const calls: string[] = [];
  const verify = async (input: VerifyRegistryCredentialInput): Promise<RegistryVerification> => {
    calls.push(input.domain);
    await new Promise((r) => setTimeout(r, 5));
    return { domain: input.domain, username: input.username, fingerprint: "f", result, latencyMs: 5, checkedAt: "2025-01-01T00:00:00.000Z", detail: "d", credentialTested: true };
  };
  return { verify, calls };
}

describe("createVerificationCache", () => {
  it("keys by domain, username and fingerprint, never the password", () => {
    const cache = createVerificationCache({ ttlMs: 1000 });
    const key = cache.key({ domain: "US.icr.io", username: "iamapikey", password: PASSWORD });
    expect(key).toMatch(/^us\.icr\.io\|iamapikey\|[0-9a-f]{12}$/);
    expect(key).not.toContain(PASSWORD);
    expect(cache.key({ domain: "us.icr.io", username: "iamapikey", password: `${PASSWORD}x` })).not.toBe(key);
  });

  it("returns fresh entries, expires them at the TTL and shares concurrent checks", async () => {
    let clock = 0;
    const cache = createVerificationCache({ ttlMs: 1000, now: () => clock });
    const { verify, calls } = fakeVerify("valid");
    const input = { domain: "us.icr.io", username: "iamapikey", password: PASSWORD };
    const [a, b] = await Promise.all([cache.getOrVerify(input, verify), cache.getOrVerify(input, verify)]);
    expect(calls).toHaveLength(1);
    expect(a).toBe(b);
    clock = 999;
    expect(cache.get(input)).toMatchObject({ cached: true, storedAt: 0 });
    clock = 1000;
    expect(cache.get(input)).toBeUndefined();
    await cache.getOrVerify(input, verify);
    expect(calls).toHaveLength(2);
    cache.invalidate(input);
    expect(cache.size()).toBe(0);
  });

  it("does not keep network failures unless asked, and evicts the oldest beyond maxEntries", async () => {
    const input = { domain: "de.icr.io", username: "iamapikey", password: PASSWORD };
    const down = fakeVerify("unreachable");
    const cache = createVerificationCache({ ttlMs: 1000 });
    await cache.getOrVerify(input, down.verify);
    await cache.getOrVerify(input, down.verify);
    expect(down.calls).toHaveLength(2);
    const sticky = createVerificationCache({ ttlMs: 1000, cacheFailures: true, maxEntries: 1 });
    await sticky.getOrVerify(input, down.verify);
    await sticky.getOrVerify({ ...input, domain: "uk.icr.io" }, down.verify);
    expect(sticky.size()).toBe(1);
    expect(sticky.get(input)).toBeUndefined();
  });
});

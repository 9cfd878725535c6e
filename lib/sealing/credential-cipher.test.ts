import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCredentialCipher, deferredCredentialCipher, encryptionKeyId, parseEncryptionKey } from "./credential-cipher";

describe("credential cipher", () => {
  const key = randomBytes(32);
  const cipher = createCredentialCipher(key);

  it("seals so that only the same key and context open it, and the value is not in the output", () => {
    const sealed = cipher.seal("api-key-value-123", "ibm-account:1:apiKey");
    expect(sealed).toMatch(new RegExp(`^pk1\\.${encryptionKeyId(key)}\\.`));
    expect(sealed).not.toContain("api-key-value-123");
    expect(Buffer.from(sealed.split(".")[2]!, "base64url").toString("latin1")).not.toContain("api-key-value");
    expect(cipher.open(sealed, "ibm-account:1:apiKey")).toBe("api-key-value-123");
    expect(() => cipher.open(sealed, "ibm-account:2:apiKey")).toThrow(/could not be opened/);
    expect(() => createCredentialCipher(randomBytes(32)).open(sealed, "ibm-account:1:apiKey")).toThrow(/not configured/);
    const [f, id, payload] = sealed.split(".");
    const flipped = Buffer.from(payload!, "base64url");
    flipped[flipped.length - 1]! ^= 1;
    expect(() => cipher.open(`${f}.${id}.${flipped.toString("base64url")}`, "ibm-account:1:apiKey")).toThrow(/could not be opened/);
  });

  it("opens values sealed under a previous key and reseals them under the new one", () => {
    const next = createCredentialCipher(randomBytes(32), [key]);
    const old = cipher.seal("token", "c:1");
    expect(next.isCurrent(old)).toBe(false);
    const moved = next.reseal(old, "c:1");
    expect(next.isCurrent(moved)).toBe(true);
    expect(next.open(moved, "c:1")).toBe("token");
    expect(() => cipher.open(moved, "c:1")).toThrow(/not configured/);
  });

  it("reads keys written as hex or base64 and refuses anything else", () => {
    const raw = randomBytes(32);
    expect(parseEncryptionKey(raw.toString("hex"))).toEqual(raw);
    expect(parseEncryptionKey(raw.toString("base64"))).toEqual(raw);
    expect(parseEncryptionKey(raw.toString("base64url"))).toEqual(raw);
    expect(parseEncryptionKey("too-short")).toBeUndefined();
    expect(parseEncryptionKey(randomBytes(16).toString("hex"))).toBeUndefined();
  });
});

describe("a deferred cipher", () => {
  it("is built on first use only, and a failed build is tried again on the next use", () => {
    let builds = 0;
    let fail = true;
    const cipher = deferredCredentialCipher(() => {
      builds += 1;
      if (fail) throw new Error("PULLKEEPER_ENCRYPTION_KEY: required");
      return createCredentialCipher(Buffer.alloc(32, 3));
    });
    expect(builds).toBe(0);
    expect(() => cipher.seal("secret", "row:1")).toThrow(/PULLKEEPER_ENCRYPTION_KEY/);
    fail = false;
    const sealed = cipher.seal("secret", "row:1");
    expect(cipher.open(sealed, "row:1")).toBe("secret");
    expect(cipher.keyId).toBe(encryptionKeyId(Buffer.alloc(32, 3)));
    expect(builds).toBe(2);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveEncryptionKey } from "./encryption-key";

describe("resolveEncryptionKey", () => {
  it("uses the configured key, refuses a bad one, and requires one when nothing may be generated", () => {
    const hex = "ab".repeat(32);
    expect(resolveEncryptionKey({ configured: hex, allowGenerated: false, dataDir: "/nonexistent" })).toMatchObject({ source: "configured", file: null });
    expect(() => resolveEncryptionKey({ configured: "short", allowGenerated: true, dataDir: "/nonexistent" })).toThrow(/PULLKEEPER_ENCRYPTION_KEY: expected 32 random bytes/);
    expect(() => resolveEncryptionKey({ configured: undefined, allowGenerated: false, dataDir: "/nonexistent" })).toThrow(/required to store credentials in production/);
  });

  it("generates one beside the database (owner-only) once and reads it back afterwards", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pk-key-"));
    try {
      const first = resolveEncryptionKey({ configured: undefined, allowGenerated: true, dataDir: dir });
      expect(first).toMatchObject({ source: "generated", file: path.join(dir, "encryption-key") });
      expect(fs.statSync(first.file!).mode & 0o777).toBe(0o600);
      const second = resolveEncryptionKey({ configured: undefined, allowGenerated: true, dataDir: dir });
      expect(second).toMatchObject({ source: "file", keyId: first.keyId });
      expect(second.key.equals(first.key)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from "vitest";
import { createSealedBox, SealError } from "./sealed-box";

describe("sealed box", () => {
  const box = createSealedBox("a-server-secret-of-at-least-32-characters", "run-secrets");

  it("opens what it sealed, and the sealed text does not contain the plaintext", () => {
    const sealed = box.seal('{"password":"hunter2-canary"}', "op-1");
    expect(sealed).not.toContain("hunter2");
    expect(box.open(sealed, "op-1")).toBe('{"password":"hunter2-canary"}');
    expect(box.seal("same", "op-1")).not.toBe(box.seal("same", "op-1"));
  });

  it("refuses another context, another secret, another purpose and altered data", () => {
    const sealed = box.seal("value", "op-1");
    expect(() => box.open(sealed, "op-2")).toThrow(SealError);
    expect(() => createSealedBox("another-server-secret-of-32-characters!!", "run-secrets").open(sealed, "op-1")).toThrow(SealError);
    expect(() => createSealedBox("a-server-secret-of-at-least-32-characters", "other").open(sealed, "op-1")).toThrow(SealError);
    const altered = Buffer.from(sealed, "base64url");
    altered[altered.length - 1]! ^= 1;
    expect(() => box.open(altered.toString("base64url"), "op-1")).toThrow(SealError);
  });
});

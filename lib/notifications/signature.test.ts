import { describe, expect, it } from "vitest";
import { generateSigningSecret, secretHint, signatureHeader, verifySignature } from "./signature";

const secret = "whsec_test-secret";
const body = '{"version":1,"event":"webhook.test"}';

describe("webhook signatures", () => {
  it("is HMAC-SHA256 over the timestamp, a dot and the body, as the README's recipe computes it", async () => {
    const { createHmac } = await import("node:crypto");
    const header = signatureHeader(secret, body, 1_800_000_000);
    expect(header).toBe(`t=1800000000,v1=${createHmac("sha256", secret).update(`1800000000.${body}`).digest("hex")}`);
  });

  it("verifies its own header within the tolerance", () => {
    expect(verifySignature(signatureHeader(secret, body, 1_000), body, secret, 1_100)).toEqual({ ok: true });
  });

  it("refuses a changed body, another secret, an old timestamp and a malformed header", () => {
    const header = signatureHeader(secret, body, 1_000);
    expect(verifySignature(header, `${body} `, secret, 1_000)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifySignature(header, body, "whsec_other", 1_000)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifySignature(header, body, secret, 1_000 + 301)).toEqual({ ok: false, reason: "stale" });
    expect(verifySignature("v1=abc", body, secret, 1_000)).toEqual({ ok: false, reason: "malformed" });
    expect(verifySignature(`t=1000,v1=${"0".repeat(63)}`, body, secret, 1_000)).toEqual({ ok: false, reason: "malformed" });
  });

  it("accepts any one of several v1 digests (a receiver mid-rotation)", () => {
    const good = signatureHeader(secret, body, 1_000).split(",")[1]!;
    expect(verifySignature(`t=1000,v1=${"a".repeat(64)},${good}`, body, secret, 1_000)).toEqual({ ok: true });
  });

  it("generates distinct secrets and shows only a hint of one", () => {
    const first = generateSigningSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateSigningSecret()).not.toBe(first);
    expect(secretHint(first)).toBe(`${first.slice(0, 10)}…`);
    expect(secretHint(first).length).toBeLessThan(12);
  });
});

import { describe, expect, it } from "vitest";
import { signJwt, verifyJwt } from "./jwt";

describe("sim jwt", () => {
  const token = signJwt({ iam_id: "IBMid-1", exp: 2_000 }, "secret");
  it("verifies its own tokens until exp", () => {
    expect(verifyJwt(token, "secret", 1_999)).toMatchObject({ ok: true, claims: { iam_id: "IBMid-1" } });
    expect(verifyJwt(token, "secret", 2_000)).toEqual({ ok: false, reason: "expired" });
  });
  it("rejects other signers and malformed tokens", () => {
    expect(verifyJwt(token, "other", 0)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyJwt("a.b", "secret", 0)).toEqual({ ok: false, reason: "malformed" });
    const [h, , s] = token.split(".");
    expect(verifyJwt(`${h}.${Buffer.from('{"exp":9999}').toString("base64url")}.${s}`, "secret", 0)).toEqual({ ok: false, reason: "bad_signature" });
  });
});

import { describe, expect, it } from "vitest";
import { hasMarker, PULLKEEPER_MARKER, serviceIdNameFor, withMarker } from "./conventions";
import { identityFromAccessToken } from "./token-claims";

const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

describe("identityFromAccessToken", () => {
  it("reads a user token", () => {
    expect(identityFromAccessToken(jwt({ iam_id: "IBMid-1", account: { bss: "acct" }, email: "a@b.c", name: "A" }))).toEqual({ accountId: "acct", iamId: "IBMid-1", kind: "user", email: "a@b.c", name: "A" });
  });
  it("reads a service ID token", () => {
    expect(identityFromAccessToken(jwt({ iam_id: "iam-ServiceId-1", account: { bss: "acct" } }))?.kind).toBe("service_id");
  });
  it("rejects tokens without identity claims or not a JWT", () => {
    expect(identityFromAccessToken(jwt({ iam_id: "IBMid-1" }))).toBeUndefined();
    expect(identityFromAccessToken("not-a-jwt")).toBeUndefined();
    expect(identityFromAccessToken("a.%%%.c")).toBeUndefined();
  });
});

describe("conventions", () => {
  it("marks once and follows the seed's names", () => {
    expect(withMarker(withMarker("x"))).toBe(`x ${PULLKEEPER_MARKER}`);
    expect(hasMarker(undefined)).toBe(false);
    expect(serviceIdNameFor("prod", "web")).toBe("prod-web-id");
  });
});

import { describe, expect, it } from "vitest";
import { kubeErrorFromNetwork, kubeErrorFromResponse, sanitizeServerMessage } from "./errors";

// Unit tests stay independent of sim/: a local canary.
const CREDENTIAL_CANARY = "PKCANARY-unit-3c1d";

const ctx = { cluster: "c1", namespace: "team-a", object: "secrets/x" };
const status = (code: number, reason: string, message: string, details: object = {}) =>
  JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details, code });

describe("kubeErrorFromResponse", () => {
  it.each([
    [401, "Unauthorized", "unauthorized"],
    [403, "Forbidden", "forbidden"],
    [404, "NotFound", "not_found"],
    [409, "AlreadyExists", "already_exists"],
    [409, "Conflict", "conflict"],
    [422, "Invalid", "invalid"],
    [400, "BadRequest", "invalid"],
    [429, "TooManyRequests", "rate_limited"],
    [500, "InternalError", "unavailable"],
    [503, "ServiceUnavailable", "unavailable"],
    [504, "Timeout", "timeout"],
  ] as const)("%i %s -> %s", (code, reason, kind) => {
    const e = kubeErrorFromResponse({ status: code, body: status(code, reason, `msg ${reason}`) }, ctx);
    expect(e.kind).toBe(kind);
    expect(e).toMatchObject({ cluster: "c1", namespace: "team-a", object: "secrets/x", status: code });
    expect(e.message).toContain('cluster "c1"');
  });

  it("handles 401 without a body (client-node's shape) and honours Retry-After", () => {
    expect(kubeErrorFromResponse({ status: 401 }, ctx).kind).toBe("unauthorized");
    const e = kubeErrorFromResponse({ status: 429, body: "Too many requests, please try again later.", headers: { "retry-after": "3" } }, ctx);
    expect(e.retryAfterSeconds).toBe(3);
    expect(e.message).toContain("retry after 3s");
  });

  it("never repeats secret data quoted back by the server", () => {
    const msg = `Secret "x" is invalid: data[.dockerconfigjson]: Invalid value: "{\\"auths\\":${CREDENTIAL_CANARY}": invalid character`;
    const e = kubeErrorFromResponse({ status: 422, body: status(422, "Invalid", msg, { causes: [{ field: "data[.dockerconfigjson]", message: `Invalid value: "${CREDENTIAL_CANARY}"` }] }) }, ctx);
    expect(e.message).not.toContain(CREDENTIAL_CANARY);
    expect(e.message).toContain("<redacted>");
    expect(sanitizeServerMessage('metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123')).toContain("Bad_Name");
  });
});

describe("kubeErrorFromNetwork", () => {
  it.each([
    [{ code: "ECONNREFUSED" }, "unavailable"],
    [{ code: "ECONNRESET" }, "unavailable"],
    [{ code: "SELF_SIGNED_CERT_IN_CHAIN" }, "tls_error"],
    [{ code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" }, "tls_error"],
    [{ code: "ERR_TLS_CERT_ALTNAME_INVALID" }, "tls_error"],
    [{ code: "ERR_KUBE_TIMEOUT" }, "timeout"],
  ] as const)("%j -> %s", (err, kind) => {
    expect(kubeErrorFromNetwork(err, ctx, "https://127.0.0.1:1", 100).kind).toBe(kind);
  });
});

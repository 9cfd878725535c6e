import { describe, expect, it } from "vitest";
import { IamError, mapSdkError, parseRetryAfter, readIbmErrorBody, redactSecrets, type MapContext } from "./errors";

const KEY = "operator_SECRETKEYVALUE_xxxxxxxxxxxxxxxxxxxx";
const ctx = (operation: MapContext["operation"]): MapContext => ({ operation, endpoint: "https://iam.cloud.ibm.com", timeoutMs: 5000, secrets: [KEY] });

/** The shape ibm-cloud-sdk-core's formatError produces for an HTTP error response. */
function sdkError(status: number, result: unknown, headers: Record<string, string> = {}) {
  return Object.assign(new Error(status === 401 || status === 403 ? "Access is denied due to invalid credentials." : "x"), { status, statusText: "x", result, body: JSON.stringify(result), headers });
}

describe("mapSdkError", () => {
  it("maps the token endpoint's 400 BXNIM0415E to unauthorized", () => {
    const e = mapSdkError(sdkError(400, { errorCode: "BXNIM0415E", errorMessage: "Provided API key could not be found.", context: { requestId: "req-1" } }), ctx("authenticate"));
    expect(e).toMatchObject({ kind: "unauthorized", status: 400, ibmCode: "BXNIM0415E", requestId: "req-1", operation: "authenticate" });
    expect(e.message).toContain("IAM does not know this API key");
    expect(e.message).toContain("request req-1");
  });

  it("maps 401 on an API call to unauthorized and 403 to forbidden naming the role", () => {
    expect(mapSdkError(sdkError(401, { errorCode: "BXNIM0308E", errorMessage: "No authorization header found" }), ctx("list_service_ids")).kind).toBe("unauthorized");
    const f = mapSdkError(sdkError(403, { errors: [{ code: "forbidden", message_code: "BXNIM0513E", message: "You are not authorized" }], trace: "t1" }), ctx("create_service_id"));
    expect(f.kind).toBe("forbidden");
    expect(f.ibmCode).toBe("forbidden (BXNIM0513E)");
    expect(f.message).toContain("Service ID creator role");
    expect(mapSdkError(sdkError(403, {}), ctx("create_policy")).message).toContain("Administrator platform role on Container Registry");
  });

  it("maps 404, 409, 412, 400/422 and 5xx", () => {
    expect(mapSdkError(sdkError(404, { errors: [{ code: "not_found", message: "Service ID not found." }] }), ctx("delete_service_id")).kind).toBe("not_found");
    const c = mapSdkError(sdkError(409, { errors: [{ code: "policy_conflict_error", message: "identical attributes" }], status_code: 409, trace: "tr" }), ctx("create_policy"));
    expect(c).toMatchObject({ kind: "conflict", ibmCode: "policy_conflict_error", requestId: "tr" });
    expect(mapSdkError(sdkError(412, {}), ctx("delete_api_key")).kind).toBe("conflict");
    expect(mapSdkError(sdkError(400, { errors: [{ code: "invalid_body", message: "bad" }] }), ctx("create_policy")).kind).toBe("invalid");
    expect(mapSdkError(sdkError(422, {}), ctx("create_policy")).kind).toBe("invalid");
    const u = mapSdkError(sdkError(503, {}), ctx("list_policies"));
    expect(u.kind).toBe("unavailable");
    expect(u.message).toContain("HTTP 503");
  });

  it("maps 429 to rate_limited with Retry-After in seconds or as a date", () => {
    expect(mapSdkError(sdkError(429, {}, { "retry-after": "7" }), ctx("list_api_keys"))).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 7 });
    const none = mapSdkError(sdkError(429, {}), ctx("list_api_keys"));
    expect(none.retryAfterSeconds).toBeUndefined();
    expect(none.message).toContain("Retry later");
  });

  it("maps network failures and timeouts to unavailable", () => {
    const t = mapSdkError(Object.assign(new Error("timeout of 5000ms exceeded"), { statusText: "ECONNABORTED" }), ctx("list_policies"));
    expect(t.kind).toBe("unavailable");
    expect(t.message).toContain("timed out after 5000 ms");
    const r = mapSdkError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { statusText: "ECONNREFUSED" }), ctx("authenticate"));
    expect(r.message).toContain("unreachable (ECONNREFUSED)");
  });

  it("never carries the configured key, even when the server echoes it", () => {
    const e = mapSdkError(sdkError(400, { errorCode: `X${KEY}`, errorMessage: `key ${KEY} unknown`, context: { requestId: KEY } }), ctx("authenticate"));
    expect(JSON.stringify(e)).not.toContain(KEY);
    expect(e.message).not.toContain(KEY);
    expect(e.stack ?? "").not.toContain(KEY);
  });

  it("passes an IamError through unchanged", () => {
    const original = new IamError({ kind: "conflict", operation: "create_policy", message: "m" });
    expect(mapSdkError(original, ctx("create_policy"))).toBe(original);
  });
});

describe("helpers", () => {
  it("reads both IBM error shapes", () => {
    expect(readIbmErrorBody({ errorCode: "BXNIM0308E", errorMessage: "No authorization header found", context: { requestId: "r" } })).toEqual({ code: "BXNIM0308E", message: "No authorization header found", requestId: "r" });
    expect(readIbmErrorBody({ errors: [{ code: "not_found", message: "gone" }], trace: "t" })).toEqual({ code: "not_found", message: "gone", requestId: "t" });
    expect(readIbmErrorBody(undefined)).toEqual({});
  });

  it("parses Retry-After", () => {
    expect(parseRetryAfter("0")).toBe(1);
    expect(parseRetryAfter("2.2")).toBe(3);
    expect(parseRetryAfter(["5"])).toBe(5);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), new Date(Date.UTC(2030, 0, 1)))).toBe(30);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("redacts every occurrence, ignoring implausibly short secrets", () => {
    expect(redactSecrets("a KEY12345678 b KEY12345678", ["KEY12345678"])).toBe("a [redacted] b [redacted]");
    expect(redactSecrets("abc", ["a"])).toBe("abc");
  });
});

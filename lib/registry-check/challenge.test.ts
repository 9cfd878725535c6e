import { describe, expect, it } from "vitest";
import { allowedRealm, parseChallenge } from "./challenge";

describe("parseChallenge", () => {
  it("reads the quoted distribution form", () => {
    expect(parseChallenge('Bearer realm="https://us.icr.io/oauth/token",service="registry"')).toEqual({ scheme: "bearer", realm: "https://us.icr.io/oauth/token", service: "registry" });
  });

  it("reads cp.icr.io's unquoted form, keeping commas inside a scope", () => {
    expect(parseChallenge("Bearer realm=https://cp.icr.io/oauth/token, service=registry, scope=repository:cp/a:pull,push")).toEqual({
      scheme: "bearer",
      realm: "https://cp.icr.io/oauth/token",
      service: "registry",
      scope: "repository:cp/a:pull,push",
    });
  });

  it("handles quoted commas, escapes, Basic and unknown schemes", () => {
    expect(parseChallenge('bearer realm="https://r/t",scope="repository:a/b:pull,push",error="insufficient_scope"')).toMatchObject({ scope: "repository:a/b:pull,push" });
    expect(parseChallenge('Bearer realm="https://r/\\"t"')).toMatchObject({ realm: 'https://r/"t' });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: "basic", realm: "Registry Realm" });
    expect(parseChallenge("Negotiate abc")).toEqual({ scheme: "unknown", raw: "Negotiate abc" });
    expect(parseChallenge("Bearer service=registry")).toEqual({ scheme: "unknown", raw: "Bearer service=registry" });
    expect(parseChallenge(null)).toBeUndefined();
  });
});

describe("allowedRealm", () => {
  it("accepts https realms, and http only for an http registry", () => {
    expect(allowedRealm("https://us.icr.io", "https://us.icr.io/oauth/token")).toBeInstanceOf(URL);
    expect(allowedRealm("http://127.0.0.1:9/us.icr.io", "http://127.0.0.1:9/us.icr.io/oauth/token")).toBeInstanceOf(URL);
    expect(allowedRealm("https://us.icr.io", "http://us.icr.io/oauth/token")).toBe("insecure");
    expect(allowedRealm("https://us.icr.io", "not a url")).toBe("not_a_url");
    expect(allowedRealm("https://us.icr.io", "file:///etc/passwd")).toBe("not_a_url");
  });
});

describe("allowedRealm and foreign hosts", () => {
  it("sends credentials only to the registry's own host or IBM Cloud IAM", () => {
    expect(allowedRealm("https://us.icr.io", "https://evil.example/token")).toBe("foreign_host");
    expect(allowedRealm("https://us.icr.io", "https://169.254.169.254/token")).toBe("foreign_host");
    expect(allowedRealm("http://127.0.0.1:9/us.icr.io", "http://localhost:9/token")).toBe("foreign_host");
    expect(allowedRealm("https://us.icr.io", "https://us.icr.io:8443/oauth/token")).toBeInstanceOf(URL);
    expect(allowedRealm("https://us.icr.io", "https://iam.cloud.ibm.com/identity/token")).toBeInstanceOf(URL);
  });
});

import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { authConfigFromEnv, AuthConfigError, demoModeWarning } from "./config";

describe("authConfigFromEnv", () => {
  it("defaults for development: local base URL, any local port trusted, 12-hour sessions", () => {
    const config = authConfigFromEnv(parseEnv({}));
    expect(config.baseURL).toBe("http://localhost:3000");
    expect(config.trustedOrigins).toEqual(["http://localhost:*", "http://127.0.0.1:*"]);
    expect(config.sessionTtlSeconds).toBe(12 * 3600);
    expect(config.oidc).toBeNull();
    expect(config.production).toBe(false);
  });

  it("requires a secret and the public URL in production, naming both", () => {
    expect(() => authConfigFromEnv(parseEnv({ NODE_ENV: "production" }))).toThrowError(AuthConfigError);
    expect(() => authConfigFromEnv(parseEnv({ NODE_ENV: "production" }))).toThrowError(/AUTH_SECRET[\s\S]*PULLKEEPER_PUBLIC_URL/);
    const ok = authConfigFromEnv(
      parseEnv({ NODE_ENV: "production", AUTH_SECRET: "s".repeat(40), PULLKEEPER_PUBLIC_URL: "https://pk.example.com/", PULLKEEPER_ALLOWED_ORIGINS: "proxy.example.com, https://other.example.com" }),
    );
    expect(ok.baseURL).toBe("https://pk.example.com");
    expect(ok.trustedOrigins).toEqual(["https://proxy.example.com", "https://other.example.com"]);
    // Demo mode (with its explicit production override) is allowed to generate its secret.
    expect(
      authConfigFromEnv(parseEnv({ NODE_ENV: "production", PULLKEEPER_DEMO: "true", PULLKEEPER_ALLOW_DEMO_IN_PRODUCTION: "true" })).production,
    ).toBe(false);
  });

  it("refuses demo mode in production unless the override is named too", () => {
    expect(() => authConfigFromEnv(parseEnv({ NODE_ENV: "production", PULLKEEPER_DEMO: "true" }))).toThrowError(
      /PULLKEEPER_DEMO[\s\S]*PULLKEEPER_ALLOW_DEMO_IN_PRODUCTION=true/,
    );
    // Even with a secret and a public URL: demo accounts with published passwords have no place in production.
    expect(() =>
      authConfigFromEnv(parseEnv({ NODE_ENV: "production", PULLKEEPER_DEMO: "true", AUTH_SECRET: "s".repeat(40), PULLKEEPER_PUBLIC_URL: "https://pk.example.com" })),
    ).toThrowError(AuthConfigError);
    expect(authConfigFromEnv(parseEnv({ PULLKEEPER_DEMO: "true" })).demo).toBe(true);
  });

  it("has a warning for every start in demo mode", () => {
    expect(demoModeWarning(authConfigFromEnv(parseEnv({ PULLKEEPER_DEMO: "true" })))).toMatch(/demo mode.*published passwords/i);
    expect(demoModeWarning(authConfigFromEnv(parseEnv({})))).toBeNull();
  });

  it("takes single sign-on as all three settings or none", () => {
    expect(() => authConfigFromEnv(parseEnv({ AUTH_OIDC_ISSUER: "https://idp.example.com" }))).toThrowError(/set all three/);
    const config = authConfigFromEnv(
      parseEnv({ AUTH_OIDC_ISSUER: "https://idp.example.com/", AUTH_OIDC_CLIENT_ID: "pk", AUTH_OIDC_CLIENT_SECRET: "x", AUTH_OIDC_CREATE_USERS: "false" }),
    );
    expect(config.oidc).toMatchObject({ issuer: "https://idp.example.com", name: "Single sign-on", createUsers: false });
  });

  it("admits through single sign-on only people an admin added, unless told otherwise", () => {
    const sso = { AUTH_OIDC_ISSUER: "https://idp.example.com", AUTH_OIDC_CLIENT_ID: "pk", AUTH_OIDC_CLIENT_SECRET: "x" };
    expect(authConfigFromEnv(parseEnv(sso)).oidc?.createUsers).toBe(false);
    expect(authConfigFromEnv(parseEnv({ ...sso, AUTH_OIDC_CREATE_USERS: "true" })).oidc?.createUsers).toBe(true);
  });

  it("rejects a short AUTH_SECRET at parse time", () => {
    expect(() => parseEnv({ AUTH_SECRET: "short" })).toThrowError(/AUTH_SECRET: expected at least 32/);
  });
});

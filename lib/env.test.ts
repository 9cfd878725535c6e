import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("fills the embedded defaults", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe("file:./data/pullkeeper.db");
    expect(env.PULLKEEPER_KUBE_CONCURRENCY).toBe(16);
    expect(env.PULLKEEPER_DEMO).toBe(false);
    expect(env.PULLKEEPER_JOB_CHUNK_SECONDS).toBe(20);
    expect(env.PULLKEEPER_REGISTRY_ALLOWED_HOSTS).toEqual([]);
  });

  it("reads the registry allow-list and names a bad entry", () => {
    expect(parseEnv({ PULLKEEPER_REGISTRY_ALLOWED_HOSTS: "127.0.0.1:8790, registry.internal" }).PULLKEEPER_REGISTRY_ALLOWED_HOSTS).toEqual([
      { text: "127.0.0.1:8790", cidr: { base: "127.0.0.1", prefix: 32 }, port: 8790 },
      { text: "registry.internal", name: "registry.internal" },
    ]);
    expect(() => parseEnv({ PULLKEEPER_REGISTRY_ALLOWED_HOSTS: "https://registry.internal" })).toThrowError(/PULLKEEPER_REGISTRY_ALLOWED_HOSTS: "https:\/\/registry.internal"/);
  });

  it("names the variable and what it expects", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrowError(/DATABASE_URL: expected file:<path>/);
    expect(() => parseEnv({ PULLKEEPER_KUBE_CONCURRENCY: "lots" })).toThrowError(
      /PULLKEEPER_KUBE_CONCURRENCY: expected a whole number/,
    );
    expect(() => parseEnv({ PULLKEEPER_JOB_CHUNK_SECONDS: "0" })).toThrowError(/PULLKEEPER_JOB_CHUNK_SECONDS: expected at least 1/);
    expect(() => parseEnv({ IBMCLOUD_IAM_URL: "iam.local" })).toThrowError(/IBMCLOUD_IAM_URL: expected an absolute URL/);
    expect(() => parseEnv({ REGISTRY_ENDPOINT_TEMPLATE: "http://x" })).toThrowError(/REGISTRY_ENDPOINT_TEMPLATE/);
  });

  it("reports every problem at once", () => {
    try {
      parseEnv({ DATABASE_URL: "x", LOG_LEVEL: "loud" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).problems).toHaveLength(2);
    }
  });

  it("accepts PostgreSQL and boolean flags", () => {
    const env = parseEnv({ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test", PULLKEEPER_DEMO: "1" });
    expect(env.DATABASE_URL).toMatch(/^postgresql/);
    expect(env.PULLKEEPER_DEMO).toBe(true);
  });
});

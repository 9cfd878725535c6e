import { describe, expect, it } from "vitest";
import {
  ALL_ICR_IO_DOMAINS,
  classifyHost,
  icrDomainInfo,
  normalizeRegistryHost,
  ORIGINAL_ICR_DOMAINS,
  PUBLIC_ICR_DOMAINS,
  registryKeyMatches,
  successorDomain,
} from "./domains";

describe("domain table", () => {
  it("has the 2019 IKS set and the later regional domains", () => {
    expect([...ORIGINAL_ICR_DOMAINS].sort()).toEqual(["au.icr.io", "de.icr.io", "icr.io", "jp.icr.io", "uk.icr.io", "us.icr.io"]);
    for (const d of ["br.icr.io", "ca.icr.io", "fr2.icr.io", "jp2.icr.io", "es.icr.io"]) expect(PUBLIC_ICR_DOMAINS).toContain(d);
    expect(icrDomainInfo("us.icr.io")?.region).toBe("us-south");
    expect(icrDomainInfo("private.de.icr.io")).toMatchObject({ region: "eu-de", private: true });
  });

  it("all-icr-io covers public and private domains but not the entitled registry", () => {
    expect(ALL_ICR_IO_DOMAINS).toContain("private.us.icr.io");
    expect(ALL_ICR_IO_DOMAINS).toContain("icr.io");
    expect(ALL_ICR_IO_DOMAINS).not.toContain("cp.icr.io");
  });

  it("maps every documented legacy domain to its successor", () => {
    expect(successorDomain("registry.ng.bluemix.net")).toBe("us.icr.io");
    expect(successorDomain("registry.eu-gb.bluemix.net")).toBe("uk.icr.io");
    expect(successorDomain("registry.eu-de.bluemix.net")).toBe("de.icr.io");
    expect(successorDomain("registry.au-syd.bluemix.net")).toBe("au.icr.io");
    expect(successorDomain("registry.bluemix.net")).toBe("icr.io");
    expect(successorDomain("us.icr.io")).toBeUndefined();
  });
});

describe("classifyHost", () => {
  it.each([
    ["us.icr.io", "icr"],
    ["icr.io", "icr"],
    ["private.jp2.icr.io", "icr"],
    ["registry.ng.bluemix.net", "legacy-icr"],
    ["registry.bluemix.net", "legacy-icr"],
    ["registry.xx-new.bluemix.net", "legacy-icr"],
    ["docker.io", "docker-hub"],
    ["https://index.docker.io/v1/", "docker-hub"],
    ["registry.example.com", "other"],
    ["notreallyicr.io", "other"],
    ["ghcr.io", "other"],
  ] as const)("%s is %s", (host, cls) => {
    expect(classifyHost(host)).toBe(cls);
  });
});

describe("normalizeRegistryHost", () => {
  it("strips scheme, path and default port and lowercases", () => {
    expect(normalizeRegistryHost("https://US.ICR.IO/v2/")).toBe("us.icr.io");
    expect(normalizeRegistryHost("registry.example.com:443")).toBe("registry.example.com");
    expect(normalizeRegistryHost("localhost:5000")).toBe("localhost:5000");
    expect(normalizeRegistryHost("registry-1.docker.io")).toBe("docker.io");
  });
});

describe("registryKeyMatches", () => {
  it("matches exact hosts and one-level globs only", () => {
    expect(registryKeyMatches("https://us.icr.io", "us.icr.io")).toBe(true);
    expect(registryKeyMatches("*.icr.io", "us.icr.io")).toBe(true);
    expect(registryKeyMatches("*.icr.io", "private.us.icr.io")).toBe(false);
    expect(registryKeyMatches("*.icr.io", "icr.io")).toBe(false);
    expect(registryKeyMatches("icr.io", "us.icr.io")).toBe(false);
  });
});

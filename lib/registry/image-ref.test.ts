import { describe, expect, it } from "vitest";
import { ImageReferenceError, parseImageReference, rewriteLegacyImage, tryParseImageReference } from "./image-ref";

const DIGEST = `sha256:${"a".repeat(64)}`;

describe("parseImageReference", () => {
  it("defaults to docker.io and library/", () => {
    expect(parseImageReference("nginx")).toMatchObject({ domain: "docker.io", path: "library/nginx", namespace: "library", repository: "nginx", canonical: "docker.io/library/nginx" });
    expect(parseImageReference("bitnami/redis:7")).toMatchObject({ domain: "docker.io", path: "bitnami/redis", tag: "7" });
  });

  it("reads icr.io namespace, repository, tag and digest", () => {
    const ref = parseImageReference(`us.icr.io/team-a/payments/api:1.2.3@${DIGEST}`);
    expect(ref).toMatchObject({ domain: "us.icr.io", namespace: "team-a", repository: "payments/api", tag: "1.2.3", digest: DIGEST });
    expect(ref.canonical).toBe(`us.icr.io/team-a/payments/api:1.2.3@${DIGEST}`);
  });

  it("keeps a port in the domain and does not mistake it for a tag", () => {
    expect(parseImageReference("localhost:5000/app")).toMatchObject({ domain: "localhost:5000", path: "app" });
    expect(parseImageReference("registry.example.com:8443/ci/app:v1")).toMatchObject({ domain: "registry.example.com:8443", tag: "v1" });
    expect(parseImageReference("localhost/app")).toMatchObject({ domain: "localhost" });
  });

  it("normalises Docker Hub aliases", () => {
    expect(parseImageReference("index.docker.io/library/busybox").domain).toBe("docker.io");
  });

  it.each(["", "us.icr.io/ns/UPPER", "us.icr.io/ns/app:bad tag", "us.icr.io/ns/app@sha256:short", "us.icr.io/", "ns//app"])("rejects %j", (bad) => {
    expect(() => parseImageReference(bad)).toThrow(ImageReferenceError);
    expect(tryParseImageReference(bad)).toBeUndefined();
  });
});

describe("rewriteLegacyImage", () => {
  it("moves legacy references to their icr.io successor, keeping path, tag and digest", () => {
    expect(rewriteLegacyImage("registry.ng.bluemix.net/shop/web:2.1")).toBe("us.icr.io/shop/web:2.1");
    expect(rewriteLegacyImage(`registry.bluemix.net/ibmliberty@${DIGEST}`)).toBe(`icr.io/ibmliberty@${DIGEST}`);
    expect(rewriteLegacyImage("registry.eu-de.bluemix.net/a/b/c")).toBe("de.icr.io/a/b/c");
  });

  it("leaves everything else alone", () => {
    expect(rewriteLegacyImage("us.icr.io/shop/web:2.1")).toBeUndefined();
    expect(rewriteLegacyImage("nginx")).toBeUndefined();
    expect(rewriteLegacyImage("::::")).toBeUndefined();
  });
});

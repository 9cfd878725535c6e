import { describe, expect, it } from "vitest";
import { credentialsFor, parseImageRef } from "./image-ref";
import { podTemplateHash } from "./controller-pods";

const secret = (type: string, key: string, payload: unknown) => ({ metadata: { name: "s" }, type, data: { [key]: Buffer.from(JSON.stringify(payload)).toString("base64") } });

describe("image references", () => {
  it("normalises like docker: short names, library images, registries with ports, digests", () => {
    expect(parseImageRef("nginx")).toMatchObject({ domain: "docker.io", path: "library/nginx", reference: "latest", full: "docker.io/library/nginx:latest" });
    expect(parseImageRef("bitnami/redis:7.2")).toMatchObject({ domain: "docker.io", path: "bitnami/redis", full: "docker.io/bitnami/redis:7.2" });
    expect(parseImageRef("us.icr.io/team/app:1")).toMatchObject({ domain: "us.icr.io", path: "team/app", reference: "1", full: "us.icr.io/team/app:1" });
    expect(parseImageRef("localhost:5000/app")).toMatchObject({ domain: "localhost:5000", path: "app", reference: "latest" });
    expect(parseImageRef("de.icr.io/ns/app@sha256:abc")).toMatchObject({ reference: "sha256:abc", full: "de.icr.io/ns/app@sha256:abc" });
  });
});

describe("pull-secret credentials", () => {
  it("matches docker config keys by host, with schemes, paths and per-label wildcards, in secret order", () => {
    const a = secret("kubernetes.io/dockerconfigjson", ".dockerconfigjson", { auths: { "https://us.icr.io/v1/": { username: "iamapikey", password: "one" }, "de.icr.io": { auth: Buffer.from("iamapikey:two").toString("base64") } } });
    const b = secret("kubernetes.io/dockerconfigjson", ".dockerconfigjson", { auths: { "*.icr.io": { username: "iamapikey", password: "three" } } });
    const legacy = secret("kubernetes.io/dockercfg", ".dockercfg", { "registry.ng.bluemix.net": { username: "token", password: "four" } });
    expect(credentialsFor([a, b], "us.icr.io").map((c) => c.password)).toEqual(["one", "three"]);
    expect(credentialsFor([a, b], "de.icr.io").map((c) => c.password)).toEqual(["two", "three"]);
    expect(credentialsFor([a, b], "icr.io")).toEqual([]);
    expect(credentialsFor([legacy], "registry.ng.bluemix.net")).toEqual([{ username: "token", password: "four" }]);
  });

  it("ignores opaque and malformed secrets", () => {
    const opaque = { type: "Opaque", data: { ".dockerconfigjson": Buffer.from("{}").toString("base64") } };
    const broken = { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": Buffer.from("not json").toString("base64") } };
    expect(credentialsFor([opaque, broken], "us.icr.io")).toEqual([]);
  });
});

describe("pod-template-hash", () => {
  it("is stable for equal templates whatever the key order, changes with the template, and uses the safe alphabet", () => {
    const t1 = { metadata: { labels: { app: "a" } }, spec: { containers: [{ name: "a", image: "x:1" }] } };
    const t2 = { spec: { containers: [{ image: "x:1", name: "a" }] }, metadata: { labels: { app: "a" } } };
    expect(podTemplateHash(t1)).toBe(podTemplateHash(t2));
    expect(podTemplateHash(t1)).not.toBe(podTemplateHash({ ...t1, metadata: { labels: { app: "a" }, annotations: { "kubectl.kubernetes.io/restartedAt": "now" } } }));
    expect(podTemplateHash(t1)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
});

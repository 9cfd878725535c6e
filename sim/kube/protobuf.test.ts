import { describe, expect, it } from "vitest";
import { decodeProtobufObject } from "./protobuf";

// Bodies captured from kubectl 1.33 (`create namespace`, `create secret docker-registry`,
// `create serviceaccount`, `create secret generic`) against this simulator.
const NAMESPACE = "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEiAKGAoIdGVhbS1jYXASABoAIgAqADIAOABCABIAGgIKABoAIgA=";
const DOCKER_SECRET =
  "azhzAAoMCgJ2MRIGU2VjcmV0EuUBCh8KB3JlZ2NyZWQSABoIdGVhbS1jYXAiACoAMgA4AEIAEqEBChEuZG9ja2VyY29uZmlnanNvbhKLAXsiYXV0aHMiOnsidXMuaWNyLmlvIjp7InVzZXJuYW1lIjoiaWFtYXBpa2V5IiwicGFzc3dvcmQiOiJmaXh0dXJlLWFwaS1rZXkiLCJlbWFpbCI6ImFAYi5jIiwiYXV0aCI6ImFXRnRZWEJwYTJWNU9tWnBlSFIxY21VdFlYQnBMV3RsZVE9PSJ9fX0aHmt1YmVybmV0ZXMuaW8vZG9ja2VyY29uZmlnanNvbhoAIgA=";
const SERVICE_ACCOUNT = "azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSIQofCgdidWlsZGVyEgAaCHRlYW0tY2FwIgAqADIAOABCABoAIgA=";
const GENERIC_SECRET = "azhzAAoMCgJ2MRIGU2VjcmV0EjQKGwoDZ2VuEgAaCHRlYW0tY2FwIgAqADIAOABCABINCgR1c2VyEgVhZG1pbhoGT3BhcXVlGgAiAA==";

// `kubectl create deployment web --image=us.icr.io/team/web:1.2 --replicas=2` (kubectl 1.33).
const DEPLOYMENT =
  "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EsIBCiYKA3dlYhIAGgdkZWZhdWx0IgAqADIAOABCAFoKCgNhcHASA3dlYhKJAQgCEgwKCgoDYXBwEgN3ZWIabwocCgASABoAIgAqADIAOABCAFoKCgNhcHASA3dlYhJPEjEKA3dlYhIWdXMuaWNyLmlvL3RlYW0vd2ViOjEuMioAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBACICCgAoADgAGgwIABAAGAAgACgAOAAaACIA";

const decode = (b64: string) => decodeProtobufObject(Buffer.from(b64, "base64"));

/** Minimal encoder for hand-built cases. */
const varint = (n: number) => {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
};
const field = (no: number, body: Buffer | string) => {
  const b = typeof body === "string" ? Buffer.from(body) : body;
  return Buffer.concat([varint(no * 8 + 2), varint(b.length), b]);
};
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from("k8s\0", "binary"), field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])), field(2, raw)]);

describe("decodeProtobufObject", () => {
  it("decodes kubectl's namespace create", () => {
    expect(decode(NAMESPACE)).toEqual({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-cap" }, spec: {}, status: {} });
  });

  it("decodes a docker-registry secret with data as base64 and its type", () => {
    const s = decode(DOCKER_SECRET)!;
    expect(s.kind).toBe("Secret");
    expect(s.metadata).toEqual({ name: "regcred", namespace: "team-cap" });
    expect(s.type).toBe("kubernetes.io/dockerconfigjson");
    const cfg = JSON.parse(Buffer.from(s.data[".dockerconfigjson"], "base64").toString());
    expect(cfg.auths["us.icr.io"]).toMatchObject({ username: "iamapikey", email: "a@b.c" });
  });

  it("decodes a service account and a generic secret", () => {
    expect(decode(SERVICE_ACCOUNT)).toEqual({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "builder", namespace: "team-cap" } });
    const g = decode(GENERIC_SECRET)!;
    expect(g.type).toBe("Opaque");
    expect(Buffer.from(g.data.user, "base64").toString()).toBe("admin");
  });

  it("decodes kubectl's deployment create, dropping Go zero values", () => {
    expect(decode(DEPLOYMENT)).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default", labels: { app: "web" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "us.icr.io/team/web:1.2", resources: {} }] } },
        strategy: {},
      },
    });
  });

  it("decodes labels, imagePullSecrets and stringData", () => {
    const labels = field(11, Buffer.concat([field(1, "team"), field(2, "a")]));
    const meta = Buffer.concat([field(1, "bot"), field(3, "ns1"), labels]);
    const sa = Buffer.concat([field(1, meta), field(3, field(1, "regcred")), field(3, field(1, "other"))]);
    expect(decodeProtobufObject(envelope("v1", "ServiceAccount", sa))).toEqual({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "bot", namespace: "ns1", labels: { team: "a" } },
      imagePullSecrets: [{ name: "regcred" }, { name: "other" }],
    });
    const secret = Buffer.concat([field(1, field(1, "s")), field(4, Buffer.concat([field(1, "k"), field(2, "plain")]))]);
    expect(decodeProtobufObject(envelope("v1", "Secret", secret))!.stringData).toEqual({ k: "plain" });
  });

  it("decodes a SelfSubjectAccessReview", () => {
    const attrs = Buffer.concat([field(1, "team-a-dev"), field(2, "list"), field(5, "secrets")]);
    const review = field(2, field(1, attrs));
    expect(decodeProtobufObject(envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", review))!.spec).toEqual({
      resourceAttributes: { namespace: "team-a-dev", verb: "list", resource: "secrets" },
    });
  });

  it("returns null for kinds without a decoder and rejects bodies without the magic", () => {
    expect(decodeProtobufObject(envelope("apps/v1", "ReplicaSet", Buffer.alloc(0)))).toBeNull();
    expect(() => decodeProtobufObject(Buffer.from("{}"))).toThrow(/protobuf/);
  });

  it("rejects a truncated message with a 400", () => {
    const body = Buffer.from(NAMESPACE, "base64");
    expect(() => decodeProtobufObject(body.subarray(0, body.length - 10))).toThrow(expect.objectContaining({ code: 400 }));
  });
});

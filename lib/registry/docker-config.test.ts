import { describe, expect, it } from "vitest";
import {
  buildDockerConfigJson,
  buildIamApiKeyDockerConfigJson,
  credentialKindOf,
  decodePullSecretCredentials,
  DockerConfigParseError,
  parseDockerCfg,
  parseDockerConfigJson,
  parsePullSecretData,
} from "./docker-config";
import { credentialFingerprint } from "./fingerprint";
import { perDomainSecretName } from "./naming";

// Unit tests stay independent of sim/: local fixtures, each value carrying the canary.
const CREDENTIAL_CANARY = "PKCANARY-unit-3c1d";
const KEYS = { current: `current_${CREDENTIAL_CANARY}_0123456789abcdef0123`, revoked: `revoked_${CREDENTIAL_CANARY}_0123456789abcdef0123`, other: `other_${CREDENTIAL_CANARY}_0123456789abcdef01234` } as const;
const LEGACY_TOKENS = { regional: `eyJhbGciOiJIUzI1NiJ9.legacy-regional-${CREDENTIAL_CANARY}.c2ln`, international: `eyJhbGciOiJIUzI1NiJ9.legacy-intl-${CREDENTIAL_CANARY}.c2ln` } as const;
const PRIVATE_REGISTRY = { server: "registry.example.com", username: "robot$ci", password: `private-${CREDENTIAL_CANARY}-pass` } as const;

const KEY = KEYS.other;
const b64 = (s: string) => Buffer.from(s).toString("base64");

function parseError(fn: () => unknown): DockerConfigParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DockerConfigParseError) return e;
    throw e;
  }
  throw new Error("expected a DockerConfigParseError");
}

describe("buildDockerConfigJson", () => {
  it("writes username, password, email and auth = base64(user:password) per domain", () => {
    const doc = JSON.parse(buildIamApiKeyDockerConfigJson({ apiKey: KEY, domains: ["us.icr.io", "icr.io"] }));
    expect(Object.keys(doc.auths)).toEqual(["us.icr.io", "icr.io"]);
    expect(doc.auths["us.icr.io"]).toEqual({ username: "iamapikey", password: KEY, email: "iamapikey", auth: b64(`iamapikey:${KEY}`) });
  });

  it("rejects duplicate registries and usernames with a colon without echoing the password", () => {
    const dup = parseError(() => buildDockerConfigJson([{ registry: "us.icr.io", username: "u", password: KEY }, { registry: "https://us.icr.io", username: "u", password: KEY }]));
    expect(dup.reason).toBe("bad_entry");
    const colon = parseError(() => buildDockerConfigJson([{ registry: "x.io", username: "a:b", password: KEY }]));
    expect(colon.message).not.toContain(CREDENTIAL_CANARY);
  });
});

describe("parse", () => {
  it("round-trips a multi-domain secret into safe entries", () => {
    const parsed = parseDockerConfigJson(buildIamApiKeyDockerConfigJson({ apiKey: KEY, domains: ["us.icr.io", "de.icr.io"] }));
    expect(parsed.format).toBe("dockerconfigjson");
    expect(parsed.entries).toEqual([
      { registry: "us.icr.io", username: "iamapikey", credentialKind: "iam-api-key", fingerprint: credentialFingerprint("iamapikey", KEY) },
      { registry: "de.icr.io", username: "iamapikey", credentialKind: "iam-api-key", fingerprint: credentialFingerprint("iamapikey", KEY) },
    ]);
    expect(parsed.credentialFingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(JSON.stringify(parsed)).not.toContain(CREDENTIAL_CANARY);
  });

  it("gives the same set fingerprint regardless of entry order, and a different one after rotation", () => {
    const a = parseDockerConfigJson(buildIamApiKeyDockerConfigJson({ apiKey: KEY, domains: ["us.icr.io", "de.icr.io"] }));
    const b = parseDockerConfigJson(buildIamApiKeyDockerConfigJson({ apiKey: KEY, domains: ["de.icr.io", "us.icr.io"] }));
    const c = parseDockerConfigJson(buildIamApiKeyDockerConfigJson({ apiKey: KEYS.revoked, domains: ["us.icr.io", "de.icr.io"] }));
    expect(a.credentialFingerprint).toBe(b.credentialFingerprint);
    expect(c.credentialFingerprint).not.toBe(a.credentialFingerprint);
  });

  it("classifies token, api key, IAM token and basic credentials", () => {
    const doc = buildDockerConfigJson([
      { registry: "registry.ng.bluemix.net", username: "token", password: LEGACY_TOKENS.regional },
      { registry: PRIVATE_REGISTRY.server, username: PRIVATE_REGISTRY.username, password: PRIVATE_REGISTRY.password },
    ]);
    expect(parseDockerConfigJson(doc).entries.map((e) => e.credentialKind)).toEqual(["registry-token", "basic"]);
    expect(credentialKindOf("iambearer")).toBe("iam-token");
    expect(credentialKindOf("IAMAPIKEY")).toBe("iam-api-key");
  });

  it("reads auth-only entries and lets auth win over username/password, as the kubelet does", () => {
    const doc = JSON.stringify({ auths: { "us.icr.io": { auth: b64(`iamapikey:${KEY}`) }, "https://index.docker.io/v1/": { username: "x", password: "y", auth: b64("bob:pw") } } });
    const parsed = parseDockerConfigJson(doc);
    expect(parsed.entries.map((e) => [e.registry, e.username])).toEqual([["us.icr.io", "iamapikey"], ["docker.io", "bob"]]);
  });

  it("parses the legacy .dockercfg shape", () => {
    const cfg = JSON.stringify({ "registry.bluemix.net": { username: "token", password: LEGACY_TOKENS.international, email: "a@b.c", auth: b64(`token:${LEGACY_TOKENS.international}`) } });
    expect(parseDockerCfg(cfg).entries).toMatchObject([{ registry: "registry.bluemix.net", credentialKind: "registry-token" }]);
    expect(parsePullSecretData({ type: "kubernetes.io/dockercfg", data: { ".dockercfg": b64(cfg) } }).format).toBe("dockercfg");
  });

  it("decodes credentials only through the explicit function", () => {
    const data = { ".dockerconfigjson": b64(buildIamApiKeyDockerConfigJson({ apiKey: KEY, domains: ["us.icr.io"] })) };
    expect(decodePullSecretCredentials({ type: "kubernetes.io/dockerconfigjson", data })).toEqual([{ registry: "us.icr.io", username: "iamapikey", password: KEY, email: "iamapikey" }]);
  });

  it.each([
    ["wrong_type", { type: "Opaque", data: {} }],
    ["missing_key", { type: "kubernetes.io/dockerconfigjson", data: { ".dockercfg": "e30=" } }],
    ["not_base64", { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": `!!${CREDENTIAL_CANARY}!!` } }],
    ["not_json", { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(`{"auths": ${CREDENTIAL_CANARY}`) } }],
    ["not_object", { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(JSON.stringify({ auth: CREDENTIAL_CANARY })) } }],
    ["bad_entry", { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(JSON.stringify({ auths: { "us.icr.io": { password: CREDENTIAL_CANARY } } })) } }],
    ["bad_entry", { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(JSON.stringify({ auths: { "us.icr.io": { auth: b64(CREDENTIAL_CANARY) } } })) } }],
    ["empty", { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(JSON.stringify({ auths: {} })) } }],
  ] as const)("reports %s without echoing the content", (reason, secret) => {
    const err = parseError(() => parsePullSecretData(secret));
    expect(err.reason).toBe(reason);
    expect(`${err.message}\n${err.stack}`).not.toContain(CREDENTIAL_CANARY);
  });
});

describe("naming", () => {
  it("follows the IKS and seed conventions", () => {
    expect(perDomainSecretName("us.icr.io")).toBe("default-us-icr-io");
    expect(perDomainSecretName("icr.io")).toBe("default-icr-io");
    expect(perDomainSecretName("de.icr.io", "team-a")).toBe("team-a-de-icr-io");
  });
});

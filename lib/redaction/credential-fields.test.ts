import { describe, expect, it } from "vitest";
import { REDACTED, isCredentialKey, redactCredentials, redactText } from "./credential-fields";

const CANARY = "PKCANARY-unit";

describe("redactCredentials", () => {
  it("replaces every credential-looking field at any depth", () => {
    const input = {
      cluster: "prod",
      password: CANARY,
      nested: { apiKey: CANARY, api_key: CANARY, "IAM-ApiKey": CANARY, list: [{ auth: CANARY }] },
      ".dockerconfigjson": CANARY,
      secretName: "default-us-icr-io",
    };
    const output = redactCredentials(input);
    expect(JSON.stringify(output)).not.toContain(CANARY);
    expect(output.secretName).toBe("default-us-icr-io");
    expect(output.password).toBe(REDACTED);
    expect(output.nested.list[0]?.auth).toBe(REDACTED);
  });

  it("catches Docker configs by content, raw or base64, under any key", () => {
    const config = JSON.stringify({ auths: { "us.icr.io": { password: CANARY } } });
    const output = redactCredentials({ note: config, blob: Buffer.from(config).toString("base64") });
    expect(JSON.stringify(output)).not.toContain(CANARY);
    expect(JSON.stringify(output)).not.toContain(Buffer.from(config).toString("base64"));
  });

  it("keeps ordinary values and does not mutate the input", () => {
    const input = { namespaces: ["a", "b"], count: 3, when: new Date(0), password: "x" };
    const output = redactCredentials(input);
    expect(output.namespaces).toEqual(["a", "b"]);
    expect(output.when).toBe("1970-01-01T00:00:00.000Z");
    expect(input.password).toBe("x");
  });

  it("recognises key spellings", () => {
    for (const key of ["password", "apikey", "apiKey", "api-key", "auth", ".dockerconfigjson", "Authorization", "token"]) {
      expect(isCredentialKey(key)).toBe(true);
    }
    for (const key of ["username", "registry", "fingerprint", "secretName", "authorName"]) {
      expect(isCredentialKey(key)).toBe(false);
    }
  });
});

describe("redactText", () => {
  it("cuts Docker configs out of free text, raw or base64, and keeps the rest", () => {
    const config = JSON.stringify({ auths: { "us.icr.io": { password: CANARY } } });
    const encoded = Buffer.from(config).toString("base64");
    expect(redactText(`admission webhook denied: data.dockerconfigjson=${encoded} is not allowed`)).toBe(`admission webhook denied: data.dockerconfigjson=${REDACTED} is not allowed`);
    expect(redactText(`object: ${config}`)).not.toContain(CANARY);
    expect(redactText("secrets \"default-us-icr-io\" already exists")).toBe('secrets "default-us-icr-io" already exists');
  });
});

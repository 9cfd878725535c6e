import { describe, expect, it } from "vitest";
import { validateObject, validateUpdate } from "./validation";
import { invalid } from "./status";
import { pruneUnknownFields } from "./schema";
import { humanDuration } from "./tables";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const dockerSecret = (data: Record<string, string>) => ({ metadata: { name: "reg" }, type: "kubernetes.io/dockerconfigjson", data });

describe("validateObject", () => {
  it("renders the real RFC 1123 messages for bad names", () => {
    const err = invalid("Namespace", "", "Bad_Name", validateObject("Namespace", { metadata: { name: "Bad_Name" } }));
    expect(err.code).toBe(422);
    expect(err.message).toBe(
      `Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
    expect(validateObject("Secret", { metadata: { name: "a.b-c" }, type: "Opaque" })).toEqual([]);
  });

  it("requires .dockerconfigjson and valid JSON in dockerconfigjson secrets", () => {
    expect(validateObject("Secret", dockerSecret({}))).toEqual([{ type: "FieldValueRequired", field: "data[.dockerconfigjson]", detail: "" }]);
    const bad = validateObject("Secret", dockerSecret({ ".dockerconfigjson": b64("not json") }));
    expect(bad[0]).toMatchObject({ field: "data[.dockerconfigjson]", value: '"<secret contents redacted>"', detail: "invalid character 'o' in literal null (expecting 'u')" });
    expect(validateObject("Secret", dockerSecret({ ".dockerconfigjson": b64("<html>") }))[0]!.detail).toBe("invalid character '<' looking for beginning of value");
    expect(validateObject("Secret", dockerSecret({ ".dockerconfigjson": b64("[]") }))[0]!.detail).toMatch(/cannot unmarshal array/);
    expect(validateObject("Secret", dockerSecret({ ".dockerconfigjson": b64('{"auths":{}}') }))).toEqual([]);
  });

  it("aggregates several errors like utilerrors.NewAggregate", () => {
    const errs = validateObject("Secret", { metadata: { name: "X" }, type: "kubernetes.io/dockerconfigjson", data: {} });
    expect(invalid("Secret", "", "X", errs).message).toMatch(/^Secret "X" is invalid: \[data\[\.dockerconfigjson\]: Required value, metadata\.name: Invalid value/);
  });

  it("checks deployments' selector against template labels", () => {
    const d = { metadata: { name: "web" }, spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "other" } }, spec: { containers: [{ name: "web", image: "x" }] } } } };
    expect(validateObject("Deployment", d)[0]).toMatchObject({ field: "spec.template.metadata.labels" });
  });

  it("makes secret type immutable", () => {
    const errs = validateUpdate("Secret", { type: "Opaque" }, { type: "kubernetes.io/dockerconfigjson" });
    expect(errs[0]).toMatchObject({ field: "type", detail: "field is immutable" });
  });
});

describe("pruneUnknownFields", () => {
  it("reports and removes unknown fields with their paths", () => {
    const d = { kind: "Deployment", spec: { replicas: 1, bogus: 1, template: { spec: { containers: [{ name: "a", image: "b", colour: "red" }] } } } };
    expect(pruneUnknownFields("Deployment", d)).toEqual(["spec.bogus", "spec.template.spec.containers[0].colour"]);
    expect(d.spec).not.toHaveProperty("bogus");
  });
});

describe("humanDuration", () => {
  it("matches apimachinery's duration.HumanDuration", () => {
    const s = 1000;
    expect(humanDuration(5 * s)).toBe("5s");
    expect(humanDuration(150 * s)).toBe("2m30s");
    expect(humanDuration(30 * 60 * s)).toBe("30m");
    expect(humanDuration(5 * 3600 * s + 60 * s)).toBe("5h1m");
    expect(humanDuration(30 * 3600 * s)).toBe("30h");
    expect(humanDuration(3 * 86400 * s + 3600 * s)).toBe("3d1h");
    expect(humanDuration(400 * 86400 * s)).toBe("400d");
    expect(humanDuration(3 * 365 * 86400 * s + 10 * 86400 * s)).toBe("3y10d");
  });
});

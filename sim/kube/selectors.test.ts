import { describe, expect, it } from "vitest";
import { compileFieldSelector, matchLabels, parseFieldSelector, parseLabelSelector } from "./selectors";

const sel = (s: string, labels: Record<string, string>) => matchLabels(parseLabelSelector(s), labels);

describe("label selectors", () => {
  it("implements equality, inequality, set and existence operators", () => {
    const l = { team: "web", env: "prod", "app.kubernetes.io/managed-by": "Helm" };
    expect(sel("team=web,env==prod", l)).toBe(true);
    expect(sel("team!=web", l)).toBe(false);
    expect(sel("missing!=x", l)).toBe(true);
    expect(sel("env in (dev, prod)", l)).toBe(true);
    expect(sel("env notin (prod)", l)).toBe(false);
    expect(sel("missing notin (prod)", l)).toBe(true);
    expect(sel("app.kubernetes.io/managed-by", l)).toBe(true);
    expect(sel("!team", l)).toBe(false);
    expect(sel("", l)).toBe(true);
  });

  it("rejects malformed selectors with 400", () => {
    expect(() => parseLabelSelector("team=web,")).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => parseLabelSelector("bad key=1")).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe("field selectors", () => {
  const secret = { metadata: { name: "s", namespace: "ns" }, type: "kubernetes.io/dockerconfigjson" };

  it("supports metadata.name, metadata.namespace and the secret type field", () => {
    const m = compileFieldSelector("secrets", parseFieldSelector("type=kubernetes.io/dockerconfigjson,metadata.namespace!=other"));
    expect(m(secret)).toBe(true);
    expect(compileFieldSelector("secrets", parseFieldSelector("metadata.name=x"))(secret)).toBe(false);
  });

  it("answers 400 field label not supported for unknown fields", () => {
    expect(() => compileFieldSelector("serviceaccounts", parseFieldSelector("type=x"))).toThrow("field label not supported: type");
  });

  it("parses kubectl describe's involvedObject selector for events", () => {
    const reqs = parseFieldSelector("involvedObject.name=default,involvedObject.namespace=ns,involvedObject.kind=ServiceAccount");
    expect(reqs).toHaveLength(3);
    expect(() => compileFieldSelector("events", reqs)).not.toThrow();
  });

  it("unescapes backslashes", () => {
    expect(parseFieldSelector("metadata.name=a\\,b")).toEqual([{ field: "metadata.name", op: "=", value: "a,b" }]);
  });
});

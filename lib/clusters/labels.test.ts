import { describe, expect, it } from "vitest";
import { formatLabels, labelKeyProblem, labelValueProblem, parseLabels } from "./labels";

describe("cluster labels, validated as Kubernetes validates object labels", () => {
  it("accepts plain and prefixed keys and the values kubectl accepts", () => {
    for (const key of ["env", "region", "a", "A_b.c-d9", "example.com/team", "pullkeeper.io/tier", `${"a".repeat(63)}`, `${"b".repeat(253)}/x`]) expect(labelKeyProblem(key), key).toBeNull();
    for (const value of ["", "prod", "eu-de", "v1.2_3", "x".repeat(63)]) expect(labelValueProblem("k", value), value).toBeNull();
  });

  it("refuses keys and values Kubernetes refuses, saying why", () => {
    expect(labelKeyProblem("")).toMatch(/cannot be empty/);
    expect(labelKeyProblem("-env")).toMatch(/start and end with a letter or digit/);
    expect(labelKeyProblem("env-")).toMatch(/start and end/);
    expect(labelKeyProblem("e nv")).toMatch(/start and end/);
    expect(labelKeyProblem("a".repeat(64))).toMatch(/longer than 63/);
    expect(labelKeyProblem("/env")).toMatch(/prefix before "\/" cannot be empty/);
    expect(labelKeyProblem("Example.com/env")).toMatch(/DNS subdomain/);
    expect(labelKeyProblem(`${"b".repeat(254)}/x`)).toMatch(/longer than 253/);
    expect(labelKeyProblem("example.com/")).toMatch(/name after the prefix cannot be empty/);
    expect(labelKeyProblem("a/b/c")).toMatch(/start and end/);
    expect(labelValueProblem("env", "x".repeat(64))).toMatch(/longer than 63/);
    expect(labelValueProblem("env", "prod!")).toMatch(/start and end/);
    expect(labelValueProblem("env", "_prod")).toMatch(/start and end/);
  });

  it("parses key=value per line or comma, reporting every problem at once", () => {
    expect(parseLabels("env=prod, region=eu-de\nexample.com/team=platform\n\n")).toEqual({ ok: true, labels: { env: "prod", region: "eu-de", "example.com/team": "platform" } });
    expect(parseLabels("")).toEqual({ ok: true, labels: {} });
    expect(parseLabels("tier=")).toEqual({ ok: true, labels: { tier: "" } });
    const bad = parseLabels(`env, -x=1, env2=${"v".repeat(64)}, a=1, a=2`);
    expect(bad).toEqual({ ok: false, problems: [expect.stringMatching(/"env" is not key=value/), expect.stringMatching(/"-x"/), expect.stringMatching(/env2.*longer than 63/), expect.stringMatching(/"a" is given twice/)] });
    expect(parseLabels(Array.from({ length: 65 }, (_, i) => `k${i}=v`).join(","))).toMatchObject({ ok: false, problems: [expect.stringMatching(/At most 64/)] });
  });

  it("formats labels one per line, sorted, so parsing the text gives them back", () => {
    const labels = { region: "eu-de", env: "prod" };
    expect(formatLabels(labels)).toBe("env=prod\nregion=eu-de");
    expect(parseLabels(formatLabels(labels))).toEqual({ ok: true, labels });
  });
});

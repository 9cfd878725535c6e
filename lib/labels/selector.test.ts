import { describe, expect, it } from "vitest";
import { matchesSelector, parseLabelSelector } from "./selector";

const match = (selector: string, labels: Record<string, string>) => {
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok) throw new Error(parsed.error);
  return matchesSelector(parsed.requirements, labels);
};

describe("label selectors", () => {
  it("supports equality, inequality, sets and existence as kubectl -l does", () => {
    const labels = { team: "web", env: "prod", "app.kubernetes.io/name": "shop" };
    expect(match("", labels)).toBe(true);
    expect(match("team=web", labels)).toBe(true);
    expect(match("team==web,env=prod", labels)).toBe(true);
    expect(match("team=web,env=dev", labels)).toBe(false);
    expect(match("env!=dev", labels)).toBe(true);
    expect(match("tier!=backend", labels)).toBe(true);
    expect(match("env in (staging, prod)", labels)).toBe(true);
    expect(match("env notin (prod)", labels)).toBe(false);
    expect(match("tier notin (backend)", labels)).toBe(true);
    expect(match("app.kubernetes.io/name", labels)).toBe(true);
    expect(match("!tier", labels)).toBe(true);
    expect(match("!team", labels)).toBe(false);
    expect(match("tier in (a,b)", labels)).toBe(false);
  });

  it("explains what is wrong with a bad selector", () => {
    expect(parseLabelSelector("team=web,")).toEqual({ ok: false, error: expect.stringContaining("empty requirement") });
    expect(parseLabelSelector("team=we b")).toMatchObject({ ok: false });
    expect(parseLabelSelector("=x")).toMatchObject({ ok: false });
    expect(parseLabelSelector("env in (a,b c)")).toMatchObject({ ok: false });
  });

  it("refuses keys and values Kubernetes would refuse, such as a 64-character value", () => {
    expect(parseLabelSelector(`team=${"a".repeat(63)}`)).toMatchObject({ ok: true });
    expect(parseLabelSelector(`team=${"a".repeat(64)}`)).toEqual({ ok: false, error: expect.stringContaining("64 characters (at most 63)") });
    expect(parseLabelSelector(`team in (web, ${"b".repeat(64)})`)).toEqual({ ok: false, error: expect.stringContaining("at most 63") });
    expect(parseLabelSelector(`${"k".repeat(64)}=x`)).toEqual({ ok: false, error: expect.stringContaining("name is 64 characters") });
    expect(parseLabelSelector(`!${"k".repeat(64)}`)).toMatchObject({ ok: false });
    expect(parseLabelSelector("Example.com/team=web")).toEqual({ ok: false, error: expect.stringContaining("DNS subdomain") });
  });
});

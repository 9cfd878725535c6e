import { describe, expect, it } from "vitest";
import { formatLabels, parseLabels } from "./label-text";

describe("cluster labels as typed on the clusters page", () => {
  it("parses key=value per line or comma, with prefixed keys and empty values", () => {
    expect(parseLabels("env=prod, region=eu-de\nexample.com/team=platform\n\n")).toEqual({ ok: true, labels: { env: "prod", region: "eu-de", "example.com/team": "platform" } });
    expect(parseLabels("")).toEqual({ ok: true, labels: {} });
    expect(parseLabels("tier=")).toEqual({ ok: true, labels: { tier: "" } });
    expect(parseLabels(`${"k".repeat(63)}=${"v".repeat(63)}`)).toMatchObject({ ok: true });
  });

  it("refuses what Kubernetes refuses, reporting every problem at once", () => {
    const bad = parseLabels(`env, -x=1, env2=${"v".repeat(64)}, a=1, a=2, =v, Example.com/k=1, a/b/c=1, ${"k".repeat(64)}=1, ok=no!`);
    expect(bad).toEqual({
      ok: false,
      problems: [
        expect.stringMatching(/"env" is not key=value/),
        expect.stringMatching(/"-x" is not a label key/),
        expect.stringMatching(/^Label "env2": .* is not a label value: it is 64 characters \(at most 63\)/),
        expect.stringMatching(/"a" is given twice/),
        expect.stringMatching(/"=v" has no key/),
        expect.stringMatching(/prefix must be a DNS subdomain/),
        expect.stringMatching(/at most one '\/'/),
        expect.stringMatching(/its name is 64 characters/),
        expect.stringMatching(/^Label "ok": "no!" is not a label value/),
      ],
    });
    expect(parseLabels(Array.from({ length: 65 }, (_, i) => `k${i}=v`).join(","))).toMatchObject({ ok: false, problems: [expect.stringMatching(/At most 64/)] });
  });

  it("formats labels one per line, sorted, so parsing the text gives them back", () => {
    const labels = { region: "eu-de", env: "prod" };
    expect(formatLabels(labels)).toBe("env=prod\nregion=eu-de");
    expect(parseLabels(formatLabels(labels))).toEqual({ ok: true, labels });
  });
});

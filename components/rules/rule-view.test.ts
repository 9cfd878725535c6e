import { describe, expect, it } from "vitest";
import { ruleSpecSchema } from "@/lib/rules/spec";
import type { RuleRevision } from "@/lib/rules/store";
import { revisionHistory, summarizeStatuses } from "./rule-view";

const spec = ruleSpecSchema.parse({
  clusters: { mode: "all" },
  namespaces: { match: { mode: "all" } },
  registries: ["icr.io"],
  source: { secrets: ["default-icr-io"] },
  serviceAccounts: { mode: "default" },
});

const revision = (version: number, change: RuleRevision["change"], patch: Partial<RuleRevision> = {}): RuleRevision => ({
  version, change, mode: "report", paused: false, spec, changedBy: "admin@example.com", changedAt: `2026-01-0${version}T00:00:00.000Z`, ...patch,
});

describe("rule view model", () => {
  it("counts clusters per state and keeps the newest evaluation time", () => {
    expect(
      summarizeStatuses([
        { state: "ok", evaluatedAt: "2026-01-01T00:00:00.000Z" },
        { state: "drift", evaluatedAt: "2026-01-03T00:00:00.000Z" },
        { state: "ok", evaluatedAt: "2026-01-02T00:00:00.000Z" },
      ]),
    ).toEqual({ clusters: 3, ok: 2, drift: 1, conflict: 0, error: 0, lastEvaluatedAt: "2026-01-03T00:00:00.000Z" });
    expect(summarizeStatuses([])).toMatchObject({ clusters: 0, lastEvaluatedAt: null });
  });

  it("says what each revision changed, newest first", () => {
    const narrowed = { ...spec, clusters: { mode: "list" as const, names: ["regional"] }, registries: ["icr.io", "us.icr.io"] };
    const history = revisionHistory([revision(3, "paused", { paused: true }), revision(1, "created"), revision(2, "updated", { mode: "enforce", spec: narrowed })]);
    expect(history.map((entry) => [entry.version, entry.changes])).toEqual([
      [3, ["paused"]],
      [2, ["mode report → enforce", "clusters: all clusters → regional", "registries: icr.io → icr.io, us.icr.io"]],
      [1, ["created"]],
    ]);
  });

  it("records a switch to a cluster label selector in the history", () => {
    const labelled = { ...spec, clusters: { mode: "labels" as const, labelSelector: "env=prod" } };
    const history = revisionHistory([revision(1, "created"), revision(2, "updated", { spec: labelled })]);
    expect(history[0]?.changes).toEqual(["clusters: all clusters → clusters labelled env=prod"]);
  });
});

import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { parseScrape } from "@/tests/support/prometheus-text";
import type { WatchHealth } from "@/lib/kube/watch/port";
import { ruleGauges } from "./rule-gauges";

const health = (over: Partial<WatchHealth>): WatchHealth => ({
  cluster: "regional", resource: "namespaces", state: "watching", lastActivityAt: 0, lastListAt: 0, lists: 1, stalls: 0, expired: 0, errors: 0, lastError: null, objects: 10, ...over,
});

describe("keeping-rule and watch series", () => {
  it("reports each rule's drift, conflicts, state and last success per cluster, and the watches' restarts by reason", async () => {
    const registry = new Registry();
    const refresh = ruleGauges(registry, {
      ruleStatuses: async () => [
        { rule: "icr-everywhere", cluster: "regional", mode: "enforce", state: "conflict", driftNamespaces: 3, conflicts: 2, removals: 1, lastSuccessSeconds: 1_765_000_000 },
        { rule: "icr-everywhere", cluster: "large", mode: "enforce", state: "error", driftNamespaces: 0, conflicts: 0, removals: 0, lastSuccessSeconds: null },
      ],
      watchHealth: () => [health({ stalls: 2, expired: 1 }), health({ resource: "secrets", secretType: "kubernetes.io/dockercfg", state: "backing_off", errors: 4 })],
    });
    await refresh();
    const scrape = parseScrape(await registry.metrics());
    expect(scrape.value("pullkeeper_rule_drift_namespaces", { rule: "icr-everywhere", cluster: "regional", mode: "enforce" })).toBe(3);
    expect(scrape.value("pullkeeper_rule_conflicts", { rule: "icr-everywhere", cluster: "regional" })).toBe(2);
    expect(scrape.value("pullkeeper_rule_out_of_scope_copies", { rule: "icr-everywhere", cluster: "regional" })).toBe(1);
    expect(scrape.value("pullkeeper_rule_state", { rule: "icr-everywhere", cluster: "regional", state: "conflict" })).toBe(1);
    expect(scrape.value("pullkeeper_rule_state", { rule: "icr-everywhere", cluster: "regional", state: "ok" })).toBe(0);
    expect(scrape.value("pullkeeper_rule_state", { rule: "icr-everywhere", cluster: "large", state: "error" })).toBe(1);
    expect(scrape.value("pullkeeper_rule_last_success_timestamp_seconds", { cluster: "regional" })).toBe(1_765_000_000);
    // Never evaluated successfully: absent, not zero (an alert on its age must not fire on 1970).
    expect(scrape.value("pullkeeper_rule_last_success_timestamp_seconds", { cluster: "large" })).toBeUndefined();
    expect(scrape.value("pullkeeper_watch_restarts_total", { cluster: "regional", resource: "namespaces", reason: "stalled" })).toBe(2);
    expect(scrape.value("pullkeeper_watch_restarts_total", { resource: "namespaces", reason: "expired" })).toBe(1);
    expect(scrape.value("pullkeeper_watch_restarts_total", { resource: "secrets:dockercfg", reason: "error" })).toBe(4);
    expect(scrape.value("pullkeeper_watch_up", { resource: "secrets:dockercfg" })).toBe(0);
    expect(scrape.value("pullkeeper_watch_up", { resource: "namespaces" })).toBe(1);
  });

  it("leaves the rule series empty when the statuses cannot be read, rather than stale", async () => {
    const registry = new Registry();
    let fail = false;
    const refresh = ruleGauges(registry, {
      ruleStatuses: async () => {
        if (fail) throw new Error("database down");
        return [{ rule: "r", cluster: "c", mode: "report", state: "drift", driftNamespaces: 5, conflicts: 0, removals: 0, lastSuccessSeconds: 1 }];
      },
    });
    await refresh();
    expect(parseScrape(await registry.metrics()).value("pullkeeper_rule_drift_namespaces", { rule: "r" })).toBe(5);
    fail = true;
    await refresh();
    expect(parseScrape(await registry.metrics()).value("pullkeeper_rule_drift_namespaces", { rule: "r" })).toBeUndefined();
  });
});

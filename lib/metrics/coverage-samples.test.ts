import { describe, expect, it } from "vitest";
import type { ClusterScan } from "@/lib/queries/cluster-scan";
import { clusterSamples, MAX_REGISTRIES_PER_CLUSTER, OTHER_REGISTRIES } from "./coverage-samples";

const counts = (covered: number, missing: number) => ({ covered, not_attached: 0, legacy_only: 0, rejected: 0, missing, not_needed: 0 });

function scan(cluster: string, domains: { registry: string; counts: ReturnType<typeof counts> }[] | null, probe: ClusterScan["probe"]["status"] = "reachable"): ClusterScan {
  const summary = domains && {
    cluster, namespaceCount: 10, domains: domains.map((domain) => ({ ...domain, group: "other" as const })), groups: [], pullSecretCount: 0, legacySecretCount: 0, unparsableSecretCount: 0,
    neededMissing: 3, rejected: 0, workloadsAtRisk: 3, restartNeeded: 1, danglingReferences: 2, staleCopies: 0, orphanedCopies: 0, pullFailingPods: 0, pullLatentPods: 0,
  };
  return {
    cluster,
    info: { name: cluster } as ClusterScan["info"],
    probe: { cluster, status: probe, message: "", serverVersion: null, identity: null, latencyMs: 1, checkedAt: "2026-01-01T00:00:00Z" },
    inventory: domains ? ({} as ClusterScan["inventory"]) : null,
    coverage: summary ? ({ cluster, domains: [], namespaces: [], findings: [], summary } as ClusterScan["coverage"]) : null,
    error: null,
    startedAt: "2026-01-01T00:00:00Z",
    finishedAt: "2026-01-01T00:00:02Z",
    durationMs: 2000,
  };
}

describe("clusterSamples", () => {
  it("reports a reachable cluster's coverage per registry and state, and its findings", () => {
    const [sample] = clusterSamples([scan("a", [{ registry: "us.icr.io", counts: counts(7, 3) }])]);
    expect(sample).toMatchObject({ cluster: "a", up: 1, scanSuccess: 1, lastScanSeconds: Date.parse("2026-01-01T00:00:02Z") / 1000, namespaces: 10 });
    expect(sample!.coverage).toEqual([
      { registry: "us.icr.io", state: "covered", namespaces: 7 },
      { registry: "us.icr.io", state: "not_attached", namespaces: 0 },
      { registry: "us.icr.io", state: "legacy_only", namespaces: 0 },
      { registry: "us.icr.io", state: "rejected", namespaces: 0 },
      { registry: "us.icr.io", state: "missing", namespaces: 3 },
      { registry: "us.icr.io", state: "not_needed", namespaces: 0 },
    ]);
    expect(sample!.findings).toContainEqual({ finding: "image_pull_at_risk", count: 3 });
  });

  it("counts pods failing to pull (and latent ones) per registry, cause and state, each pod once per registry and cause", () => {
    const base = scan("a", [{ registry: "us.icr.io", counts: counts(7, 3) }]);
    const pod = (name: string, state: "failing" | "latent", images: { registry: string; cause: string }[]) =>
      ({ type: "pull_failure", cluster: "a", namespace: "ns", workload: { kind: "Pod", name }, state, images: images.map((i) => ({ image: `${i.registry}/x:1`, ...i })) });
    base.coverage!.findings.push(
      pod("p1", "failing", [{ registry: "us.icr.io", cause: "no_credential" }, { registry: "us.icr.io", cause: "no_credential" }]) as never,
      pod("p2", "failing", [{ registry: "us.icr.io", cause: "no_credential" }, { registry: "de.icr.io", cause: "credential_rejected" }]) as never,
      pod("p3", "latent", [{ registry: "us.icr.io", cause: "no_credential" }]) as never,
    );
    const [sample] = clusterSamples([base]);
    expect(sample!.pulls).toEqual([
      { registry: "us.icr.io", cause: "no_credential", state: "failing", pods: 2 },
      { registry: "de.icr.io", cause: "credential_rejected", state: "failing", pods: 1 },
      { registry: "us.icr.io", cause: "no_credential", state: "latent", pods: 1 },
    ]);
  });

  it("gives an unreachable cluster no coverage and no namespace count (unknown is not zero)", () => {
    const [sample] = clusterSamples([scan("down", null, "unreachable")]);
    expect(sample).toMatchObject({ up: 0, scanSuccess: 0, coverage: [], findings: [] });
    expect(sample!.namespaces).toBeUndefined();
  });

  it("sums registries beyond the cap under `other`, so a cluster cannot multiply the series", () => {
    const domains = Array.from({ length: MAX_REGISTRIES_PER_CLUSTER + 5 }, (_, i) => ({ registry: `r${i}.example.com`, counts: counts(1, 2) }));
    const [sample] = clusterSamples([scan("wide", domains)]);
    const registries = new Set(sample!.coverage.map((row) => row.registry));
    expect(registries.size).toBe(MAX_REGISTRIES_PER_CLUSTER + 1);
    expect(sample!.coverage.filter((row) => row.registry === OTHER_REGISTRIES)).toContainEqual({ registry: OTHER_REGISTRIES, state: "missing", namespaces: 10 });
  });
});

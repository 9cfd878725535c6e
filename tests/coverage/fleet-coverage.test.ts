import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIAL_CANARY } from "@/sim/demo-credentials";
import { startDemoFleet, type DemoFleet } from "@/sim/fleet";
import { createKubeGateway, type PullSecretInventory } from "@/lib/kube";
import { computeClusterCoverage, countedState, isRedCell, type ClusterCoverage, type CoverageFinding } from "@/lib/coverage";

let fleet: DemoFleet;
let dir: string;
const inv: Record<string, PullSecretInventory> = {};
const cov: Record<string, ClusterCoverage> = {};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pk-cov-"));
  fleet = await startDemoFleet({ clusters: ["legacy", "regional", "modern"], kubeconfigPath: path.join(dir, "kubeconfig") });
  const gateway = createKubeGateway({ kubeconfigPaths: [path.join(dir, "kubeconfig")] });
  expect(gateway.listClusters().map((c) => c.name)).toEqual(["legacy", "regional", "modern"]);
  for (const c of ["legacy", "regional", "modern"]) {
    inv[c] = await gateway.readPullSecretInventory(c);
    cov[c] = computeClusterCoverage(inv[c]!);
  }
  gateway.close();
});
afterAll(async () => {
  await fleet.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const cell = (c: string, ns: string, registry: string) => cov[c]?.namespaces.find((n) => n.namespace === ns)?.domains.find((d) => d.registry === registry)?.state;
const findings = <T extends CoverageFinding["type"]>(c: string, t: T) => (cov[c]?.findings ?? []).filter((f): f is Extract<CoverageFinding, { type: T }> => f.type === t);

describe("coverage of the demo fleet, read through lib/kube", () => {
  it("never exposes a credential", () => {
    expect(JSON.stringify({ inv, cov })).not.toContain(CREDENTIAL_CANARY);
  });

  it("regional: the IKS secrets cover default; copies, gaps, dangling references and stale keys show up", () => {
    for (const d of ["icr.io", "us.icr.io", "uk.icr.io", "de.icr.io", "au.icr.io", "jp.icr.io"]) expect(cell("regional", "default", d)).toBe("covered");
    expect(cell("regional", "payments", "us.icr.io")).toBe("covered");
    expect(cell("regional", "payments", "de.icr.io")).toBe("missing");
    expect(cell("regional", "web-frontend", "us.icr.io")).toBe("not_attached");
    expect(cell("regional", "batch-jobs", "de.icr.io")).toBe("not_attached");
    expect(cell("regional", "monitoring", "registry.example.com")).toBe("covered");
    for (const ns of ["ml-training", "shipping", "sandbox", "qa"]) expect(cell("regional", ns, "us.icr.io")).toBe("missing");

    expect(findings("regional", "stale_copy").map((f) => `${f.namespace}/${f.secret}<-${f.source.namespace}/${f.source.name} (${f.evidence})`).sort()).toEqual([
      "checkout/checkout-de-icr-io<-default/default-de-icr-io (name_pattern)",
      "checkout/checkout-us-icr-io<-default/default-us-icr-io (name_pattern)",
      "inventory/inventory-us-icr-io<-default/default-us-icr-io (name_pattern)",
    ]);
    expect(findings("regional", "dangling_reference")).toContainEqual(expect.objectContaining({ namespace: "web-staging", referencedBy: { kind: "ServiceAccount", name: "default" }, secret: "web-staging-us-icr-io" }));

    const atRisk = new Set(findings("regional", "image_pull_at_risk").map((f) => f.namespace));
    for (const ns of ["ml-training", "shipping", "qa", "web-staging"]) expect(atRisk).toContain(ns);
    for (const ns of ["default", "payments", "web-frontend", "batch-jobs", "monitoring", "analytics"]) expect(atRisk).not.toContain(ns);
    expect(inv.regional?.pullSecrets.find((s) => s.namespace === "analytics")).toMatchObject({ managedBy: "replicator", copyOf: { namespace: "default", name: "default-us-icr-io" } });
  });

  it("legacy: token secrets are legacy_only and every workload image is on a discontinued registry", () => {
    expect(cell("legacy", "default", "registry.ng.bluemix.net")).toBe("legacy_only");
    expect(cell("legacy", "default", "us.icr.io")).toBe("missing");
    expect(cov.legacy?.summary.legacySecretCount).toBeGreaterThan(0);
    const risky = findings("legacy", "image_pull_at_risk");
    expect(risky.length).toBeGreaterThan(0);
    expect(risky.flatMap((f) => f.images.map((i) => i.reason)).every((r) => r === "discontinued_registry")).toBe(true);
    expect(risky.flatMap((f) => f.images.map((i) => i.successor))).toContain("us.icr.io");
  });

  it("modern: all-icr-io covers default for every domain", () => {
    const icrDomains = cov.modern?.domains.filter((x) => x.endsWith("icr.io")) ?? [];
    // An empty list would pass the loop below without checking anything.
    expect(icrDomains.length).toBeGreaterThan(0);
    for (const d of icrDomains) expect(cell("modern", "default", d)).toBe("covered");
    expect(cell("modern", "billing", "us.icr.io")).toBe("covered");
    const icr = cov.modern?.summary.groups.find((g) => g.group === "icr");
    expect(icr?.fullyCovered).toBeGreaterThanOrEqual(2);
    expect(icr?.uncovered).toBeGreaterThan(0);
  });

  it("tells needed from not needed: red only where a workload, a rule or the IKS convention needs the registry", () => {
    const counted = (c: string, ns: string, registry: string) => {
      const d = cov[c]?.namespaces.find((n) => n.namespace === ns)?.domains.find((x) => x.registry === registry);
      return d && countedState(d);
    };
    const red = (c: string) => cov[c]!.namespaces.reduce((n, ns) => n + ns.domains.filter(isRedCell).length, 0);
    // Default holds all six icr.io domains: every team namespace needs them (uk.icr.io stays red in payments).
    expect(counted("regional", "payments", "uk.icr.io")).toBe("missing");
    // The private registry is needed only where it is pulled from; the platform's namespaces are not asked to copy.
    expect(counted("regional", "monitoring", "registry.example.com")).toBe("covered");
    expect(counted("regional", "payments", "registry.example.com")).toBe("not_needed");
    expect(counted("regional", "kube-public", "us.icr.io")).toBe("not_needed");
    // Legacy: default holds no icr.io credential and no workload pulls from icr.io; team-web's image is on a gone registry.
    expect(counted("legacy", "team-web", "us.icr.io")).toBe("not_needed");
    expect(counted("legacy", "team-web", "registry.bluemix.net")).toBe("missing");
    // Before needed vs not needed every missing cell was red: 65, 105 and 90.
    expect({ legacy: red("legacy"), regional: red("regional"), modern: red("modern") }).toEqual({ legacy: 1, regional: 64, modern: 50 });
    expect(cov.regional!.summary.neededMissing).toBe(64);
    expect(cov.regional!.summary.groups.find((g) => g.group === "other")).toMatchObject({ fullyCovered: 1, uncovered: 0, notNeeded: 17 });
    expect(cov.legacy!.summary.groups.find((g) => g.group === "icr")).toMatchObject({ fullyCovered: 0, uncovered: 0, notNeeded: 9 });
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIAL_CANARY } from "@/sim/demo-credentials";
import { startDemoFleet, type DemoFleet } from "@/sim/fleet";
import { createKubeGateway, type PullSecretInventory } from "@/lib/kube";
import { computeClusterCoverage, type ClusterCoverage, type CoverageFinding } from "@/lib/coverage";

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
});

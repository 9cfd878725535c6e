import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeClusterCoverage, isLegacySecret } from "@/lib/coverage";
import { ORIGINAL_ICR_DOMAINS } from "@/lib/registry/domains";
import { previewWorkflow, runWorkflowToEnd, startWorkflow } from "@/lib/workflows";
import { buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { CREDENTIAL_CANARY, DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

describe("migrating the legacy demo cluster from registry tokens to IAM API keys", () => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["legacy"]);
  });
  afterAll(async () => harness?.close());

  it("previews every change without writing anything but the dry-run record", async () => {
    const before = await harness.deps.kube.readPullSecretInventory("legacy");
    const plan = await previewWorkflow("migrate_to_api_keys", { cluster: "legacy", style: "per-domain", rewriteImagesIn: [], updateCopies: false, removeLegacy: false }, harness.deps, OPERATOR);
    const after = await harness.deps.kube.readPullSecretInventory("legacy");
    expect(after.pullSecrets.map((s) => `${s.namespace}/${s.name}`)).toEqual(before.pullSecrets.map((s) => `${s.namespace}/${s.name}`));

    const titles = plan.steps.filter((step) => step.status === "change").map((step) => step.action);
    expect(titles.slice(0, 3)).toEqual(["iam.service_id.created", "iam.policy.created", "iam.api_key.created"]);
    expect(titles.filter((action) => action === "secret.created")).toHaveLength(6);
    expect(plan.warnings.map((w) => w.code)).toContain("legacy_images");
    expect(JSON.stringify(plan)).not.toContain(CREDENTIAL_CANARY);
    const record = await harness.audit.getOperation(plan.previewOperationId!);
    expect(record?.status).toBe("dry_run");
    expect(record?.steps).toHaveLength(plan.steps.length);
  });

  it("applies the migration: every icr.io domain covered and verified in default, every step audited", async () => {
    const input = { cluster: "legacy", style: "per-domain", rewriteImagesIn: ["default"], updateCopies: true, removeLegacy: true } as const;
    const { plan, result } = await runWorkflowToEnd("migrate_to_api_keys", input, harness.deps, OPERATOR);
    expect(result.status).toBe("succeeded");

    const inventory = await harness.deps.kube.readPullSecretInventory("legacy");
    const coverage = computeClusterCoverage(inventory);
    const defaultNs = coverage.namespaces.find((ns) => ns.namespace === "default")!;
    for (const domain of ORIGINAL_ICR_DOMAINS) {
      expect(defaultNs.domains.find((d) => d.registry === domain)?.state, domain).toBe("covered");
    }
    expect(inventory.pullSecrets.some((s) => s.name.startsWith("bluemix-default-secret"))).toBe(false);
    expect(coverage.summary.legacySecretCount).toBe(0);

    const operation = await harness.audit.getOperation(result.operationId);
    expect(operation?.steps).toHaveLength(plan.steps.length);
    const verifications = operation!.steps.filter((step) => step.action === "registry.credential_verified");
    expect(verifications.length).toBe(6);
    expect(verifications.every((step) => step.outcome === "succeeded")).toBe(true);
    const results = verifications.flatMap((step) => (step.detail?.results as Array<{ result: string }>) ?? []);
    expect(results.every((check) => check.result === "valid")).toBe(true);
    expect(JSON.stringify(operation)).not.toContain(CREDENTIAL_CANARY);

    const rewritten = inventory.workloads.filter((w) => w.kind === "Deployment" && w.namespace === "default");
    expect(rewritten.flatMap((w) => w.images.map((i) => i.image)).some((image) => image.includes("bluemix.net"))).toBe(false);
  });

  it("plans zero changes when run again, and refuses a stale preview", async () => {
    const input = { cluster: "legacy", style: "per-domain", rewriteImagesIn: ["default"], updateCopies: true, removeLegacy: true } as const;
    const again = await previewWorkflow("migrate_to_api_keys", input, harness.deps, OPERATOR);
    expect(again.counts.change).toBe(0);
    expect(again.warnings.map((w) => w.code)).toContain("nothing_to_do");

    const stale = await startWorkflow("migrate_to_api_keys", { ...input, style: "all-icr-io" }, again.digest, harness.deps, OPERATOR);
    expect(stale.ok).toBe(false);
    if (!stale.ok) expect(stale.message).toMatch(/changed since the preview/);
  });
});

describe("removing token secrets only after a working replacement answered the registry", () => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["legacy"]);
  });
  afterAll(async () => harness?.close());

  it("verifies an existing API-key secret first and keeps the token secrets when it is rejected", async () => {
    // An all-icr-io secret already exists, but with a revoked key (a half-finished earlier attempt).
    await harness.deps.kube.createPullSecret("legacy", {
      namespace: "default",
      name: "all-icr-io",
      dockerConfigJson: buildIamApiKeyDockerConfigJson({ apiKey: DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey, domains: ["icr.io", "us.icr.io", "uk.icr.io", "de.icr.io", "au.icr.io", "jp.icr.io"] }),
    });
    const input = { cluster: "legacy", style: "all-icr-io", rewriteImagesIn: [], updateCopies: false, removeLegacy: true } as const;
    const { plan, result } = await runWorkflowToEnd("migrate_to_api_keys", input, harness.deps, OPERATOR);
    const verify = plan.steps.find((step) => step.key === "registry.verify:default/all-icr-io");
    expect(verify?.status).toBe("change");
    const deletions = plan.steps.filter((step) => step.action === "secret.deleted");
    expect(deletions.length).toBeGreaterThan(0);
    expect(deletions.every((step) => step.dependsOn.includes("registry.verify:default/all-icr-io"))).toBe(true);

    expect(result.status).toBe("partially_failed");
    const inventory = await harness.deps.kube.readPullSecretInventory("legacy");
    expect(inventory.pullSecrets.filter(isLegacySecret)).toHaveLength(deletions.length);
  });
});

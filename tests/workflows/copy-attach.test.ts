import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeClusterCoverage } from "@/lib/coverage";
import { copyName, previewWorkflow, runWorkflowToEnd, startWorkflow } from "@/lib/workflows";
import { applyPlan } from "@/lib/workflows/engine/apply";
import { CREDENTIAL_CANARY } from "@/sim/demo-credentials";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

const COPY = {
  cluster: "regional",
  sourceNamespace: "default",
  secrets: ["default-us-icr-io", "default-icr-io"],
  naming: "seed",
  attach: true,
  serviceAccount: "default",
  restartPods: false,
} as const;

async function coverageOf(harness: WorkflowHarness, namespace: string, registry: string) {
  const coverage = computeClusterCoverage(await harness.deps.kube.readPullSecretInventory("regional"));
  return coverage.namespaces.find((ns) => ns.namespace === namespace)?.domains.find((d) => d.registry === registry)?.state;
}

describe("copy and attach pull secrets on the regional demo cluster", () => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional"]);
  });
  afterAll(async () => harness?.close());

  it("copies into every namespace without us.icr.io coverage and attaches; a re-run is a no-op", async () => {
    expect(await coverageOf(harness, "shipping", "us.icr.io")).toBe("missing");
    const input = { ...COPY, targets: { mode: "uncovered" } } as const;
    const plan = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    expect(plan.namespaces).toEqual(expect.arrayContaining(["shipping", "sandbox", "qa", "ml-training", "checkout"]));
    expect(plan.namespaces).not.toContain("payments");
    const checkoutRefresh = plan.steps.find((step) => step.key === "secret.refresh_copy:checkout/checkout-us-icr-io");
    expect(checkoutRefresh?.status).toBe("change");
    expect(plan.warnings.some((w) => w.code === "pods_need_restart")).toBe(true);
    expect(JSON.stringify(plan)).not.toContain(CREDENTIAL_CANARY);

    const start = await startWorkflow("copy_pull_secrets", input, plan.digest, harness.deps, OPERATOR);
    expect(start.ok).toBe(true);
    if (!start.ok) return;
    const result = await start.done;
    expect(result.status).toBe("succeeded");
    for (const namespace of ["shipping", "sandbox", "qa", "ml-training", "checkout"]) {
      expect(await coverageOf(harness, namespace, "us.icr.io"), namespace).toBe("covered");
    }
    const inventory = await harness.deps.kube.readPullSecretInventory("regional");
    const shippingSa = inventory.serviceAccounts.find((sa) => sa.namespace === "shipping" && sa.name === "default");
    expect(shippingSa?.imagePullSecrets).toEqual(["shipping-us-icr-io", "shipping-icr-io"]);
    const copy = inventory.pullSecrets.find((s) => s.namespace === "shipping" && s.name === "shipping-us-icr-io");
    expect(copy?.managedBy).toBe("pullkeeper");
    expect(copy?.copyOf).toMatchObject({ namespace: "default", name: "default-us-icr-io" });

    const again = await previewWorkflow("copy_pull_secrets", { ...COPY, targets: { mode: "list", namespaces: ["shipping", "sandbox", "qa", "ml-training", "checkout"] } }, harness.deps, OPERATOR);
    expect(again.counts.change).toBe(0);
  });

  it("refuses to apply a preview the cluster has since moved away from", async () => {
    const input = { ...COPY, secrets: ["default-au-icr-io"], targets: { mode: "list", namespaces: ["monitoring"] } } as const;
    const plan = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    // Someone else copies the same secret between the preview and the click on Apply.
    await harness.deps.kube.copySecret("regional", { namespace: "default", name: "default-au-icr-io" }, { namespace: "monitoring", name: "monitoring-au-icr-io" });
    const start = await startWorkflow("copy_pull_secrets", input, plan.digest, harness.deps, OPERATOR);
    expect(start.ok).toBe(false);
    if (start.ok) return;
    expect(start.reason).toBe("stale_plan");
    expect(start.plan.steps.find((step) => step.key === "secret.copy:monitoring/monitoring-au-icr-io")?.status).toBe("skip");
  });

  it("refuses to apply the same preview twice while the first run is going", async () => {
    const input = { ...COPY, secrets: ["default-de-icr-io"], targets: { mode: "list", namespaces: ["monitoring", "web-frontend"] } } as const;
    const plan = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    harness.fleet.sims[0]!.setFaults({ latencyMs: 40 });
    try {
      const first = await startWorkflow("copy_pull_secrets", input, plan.digest, harness.deps, OPERATOR);
      expect(first.ok).toBe(true);
      const second = await startWorkflow("copy_pull_secrets", input, plan.digest, harness.otherProcess(), { email: "twin@example.com", role: "operator" });
      expect(second).toMatchObject({ ok: false, reason: "already_running" });
      if (first.ok) expect((await first.done).status).toBe("succeeded");
    } finally {
      harness.fleet.sims[0]!.setFaults({});
    }
  });

  it("keeps every entry exactly once when two operations attach to the same namespaces at the same time", async () => {
    const namespaces = ["sandbox", "qa", "shipping", "ml-training"];
    // Entries already there must survive the race: make sure the us.icr.io copies are attached first (a no-op if they are).
    const existing = await runWorkflowToEnd("copy_pull_secrets", { ...COPY, secrets: ["default-us-icr-io"], targets: { mode: "list", namespaces } }, harness.deps, OPERATOR);
    expect(existing.result.status).toBe("succeeded");
    const first = { cluster: "regional", sourceNamespace: "default", secrets: ["default-de-icr-io"], targets: { mode: "list", namespaces }, naming: "seed", attach: true, serviceAccount: "default", restartPods: false } as const;
    const second = { ...first, secrets: ["default-uk-icr-io"] } as const;
    // Both plans are read before either writes, so both attach from the same resourceVersion of each service
    // account: their writes race (the loser's precondition fails, it reads again). Applied as planned: applying
    // through the preview would (rightly) refuse the plan whose service accounts moved since its preview.
    const other = harness.otherProcess();
    const [planA, planB] = await Promise.all([previewWorkflow("copy_pull_secrets", first, harness.deps, OPERATOR), previewWorkflow("copy_pull_secrets", second, other, OPERATOR)]);
    harness.fleet.sims[0]!.setFaults({ latencyMs: 15 });
    const [a, b] = await Promise.all([applyPlan(planA, harness.deps, { actor: OPERATOR }), applyPlan(planB, other, { actor: { email: "other@example.com", role: "operator" } })]);
    harness.fleet.sims[0]!.setFaults({});
    expect([a.status, b.status]).toEqual(["succeeded", "succeeded"]);
    const inventory = await harness.deps.kube.readPullSecretInventory("regional");
    for (const namespace of namespaces) {
      const list = inventory.serviceAccounts.find((sa) => sa.namespace === namespace && sa.name === "default")!.imagePullSecrets;
      for (const name of [`${namespace}-de-icr-io`, `${namespace}-uk-icr-io`, `${namespace}-us-icr-io`]) {
        expect(list.filter((entry) => entry === name), `${namespace}: ${list.join(",")}`).toHaveLength(1);
      }
    }
  });

  it("converges under 5% server errors, 429s and forced conflicts", async () => {
    const sim = harness.fleet.sims[0]!;
    sim.setFaults({ errorRate: 0.05, rateLimitRate: 0.05, retryAfterSeconds: 0, conflictRate: 0.3, seed: 11 });
    const namespaces = ["payments", "search", "analytics", "web-frontend", "web-staging", "inventory", "batch-jobs"];
    const input = { cluster: "regional", sourceNamespace: "default", secrets: ["default-jp-icr-io"], targets: { mode: "list", namespaces }, naming: "seed", attach: true, serviceAccount: "default", restartPods: false } as const;
    try {
      const { result } = await runWorkflowToEnd("copy_pull_secrets", input, harness.deps, OPERATOR);
      expect(result.status).toBe("succeeded");
    } finally {
      sim.setFaults({});
    }
    const inventory = await harness.deps.kube.readPullSecretInventory("regional");
    for (const namespace of namespaces) {
      const list = inventory.serviceAccounts.find((sa) => sa.namespace === namespace && sa.name === "default")?.imagePullSecrets ?? [];
      expect(list.filter((entry) => entry === `${namespace}-jp-icr-io`), namespace).toHaveLength(1);
    }
  });

  it("shows a viewer's refusals in the plan and changes nothing when applied", async () => {
    const viewer = harness.depsAs("viewer");
    const input = { ...COPY, secrets: ["default-au-icr-io"], targets: { mode: "list", namespaces: ["sandbox", "qa"] } } as const;
    const before = await harness.deps.kube.readPullSecretInventory("regional");
    const plan = await previewWorkflow("copy_pull_secrets", input, viewer, { email: "viewer@example.com", role: "operator" });
    expect(plan.counts.change).toBe(0);
    expect(plan.counts.refused).toBeGreaterThanOrEqual(4);
    expect(plan.steps.find((step) => step.status === "refused")?.reason).toMatch(/may not create secrets in namespace/);
    const { result } = await runWorkflowToEnd("copy_pull_secrets", input, viewer, { email: "viewer@example.com", role: "operator" });
    expect(result.counts.succeeded).toBe(0);
    const after = await harness.deps.kube.readPullSecretInventory("regional");
    expect(after.pullSecrets.length).toBe(before.pullSecrets.length);
    expect(after.serviceAccounts.map((sa) => sa.imagePullSecrets.join())).toEqual(before.serviceAccounts.map((sa) => sa.imagePullSecrets.join()));
  });

  it("attaches to a service account other than default, appending without duplicates", async () => {
    // The jp copy must exist in batch-jobs (without touching its builder account) before it can be attached there.
    const copied = await runWorkflowToEnd("copy_pull_secrets", { ...COPY, secrets: ["default-jp-icr-io"], targets: { mode: "list", namespaces: ["batch-jobs"] }, attach: false }, harness.deps, OPERATOR);
    expect(copied.result.status).toBe("succeeded");
    const input = { cluster: "regional", namespaces: ["batch-jobs"], serviceAccount: "builder", secrets: ["batch-jobs-de-icr-io", "batch-jobs-jp-icr-io"], restartPods: true };
    const { plan, result } = await runWorkflowToEnd("attach_pull_secrets", input, harness.deps, OPERATOR);
    expect(result.status).toBe("succeeded");
    const step = plan.steps.find((s) => s.action === "service_account.patched")!;
    expect(step.before).toEqual(["batch-jobs-de-icr-io"]);
    expect(step.after).toEqual(["batch-jobs-de-icr-io", "batch-jobs-jp-icr-io"]);
    expect(plan.steps.some((s) => s.action === "deployment.restarted" && s.target.name === "nightly-report")).toBe(true);
  });

  it("records every step of a copy in the audit log, with fingerprints and no credential", async () => {
    const inventory = await harness.deps.kube.readPullSecretInventory("regional");
    // A namespace with a default service account and a default-… source it holds no copy of yet, whatever earlier tests did.
    const sources = inventory.pullSecrets.filter((s) => s.namespace === "default" && s.name.startsWith("default-"));
    const pair = inventory.serviceAccounts
      .filter((sa) => sa.name === "default" && sa.namespace !== "default" && !sa.namespace.startsWith("kube-"))
      .flatMap((sa) => sources.filter((s) => !inventory.pullSecrets.some((c) => c.namespace === sa.namespace && c.name === copyName(s.name, sa.namespace, "seed"))).map((source) => ({ account: sa, source })))[0];
    expect(pair, "a namespace still missing a copy").toBeDefined();
    const { account, source } = pair!;
    const namespace = account.namespace;
    const copied = copyName(source.name, namespace, "seed");
    const input = { ...COPY, secrets: [source.name], targets: { mode: "list", namespaces: [namespace] } } as const;
    const { plan, result } = await runWorkflowToEnd("copy_pull_secrets", input, harness.deps, OPERATOR);
    expect(result.status).toBe("succeeded");
    const operation = (await harness.audit.getOperation(result.operationId))!;
    expect(operation).toMatchObject({ kind: "copy_pull_secrets", actor: OPERATOR.email, cluster: "regional", namespaces: [namespace], status: "succeeded" });
    expect(operation.parameters.planDigest).toBe(plan.digest);
    expect(operation.steps.map((step) => [step.sequence, step.action, `${step.target?.namespace}/${step.target?.name}`, step.outcome])).toEqual([
      [1, "secret.copied", `${namespace}/${copied}`, "succeeded"],
      [2, "service_account.patched", `${namespace}/default`, "succeeded"],
    ]);
    const [copy, attach] = operation.steps;
    expect(copy!.afterFingerprint).toBe(source.credentialFingerprint);
    expect(copy!.detail).toMatchObject({ from: `default/${source.name}` });
    expect(attach!.detail).toMatchObject({ before: account.imagePullSecrets, after: [...account.imagePullSecrets, copied], changed: true });
    expect(JSON.stringify(operation)).not.toContain(CREDENTIAL_CANARY);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewWorkflow, startWorkflow } from "@/lib/workflows";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

/**
 * Apply runs the plan that was previewed: it checks only the objects that plan
 * touches (one GET each; one inventory read when it names many) and the
 * permissions its changes need, instead of planning again, and still refuses
 * when either moved.
 */
describe("applying a previewed plan on a large cluster", () => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["large"], { largeNamespaceCount: 1200 });
  });
  afterAll(async () => harness?.close());

  const sim = () => harness.fleet.sims[0]!;
  const copyInto = (namespaces: string[]) =>
    ({
      cluster: "large",
      sourceNamespace: "default",
      secrets: ["all-icr-io"],
      targets: { mode: "list", namespaces },
      naming: "seed",
      attach: true,
      serviceAccount: "default",
      restartPods: false,
    }) as const;

  it("reads only the objects the plan touches, never the namespace or secret lists", async () => {
    const input = copyInto(["app-0007", "app-0008", "app-0009"]);
    const plan = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    expect(plan.counts.change).toBeGreaterThanOrEqual(3);
    sim().resetStats();
    const start = await startWorkflow("copy_pull_secrets", input, plan.digest, harness.deps, OPERATOR);
    expect(start.ok).toBe(true);
    if (!start.ok) return;
    expect((await start.done).status).toBe("succeeded");
    const { byKey, total } = sim().stats();
    expect(byKey["list namespaces"] ?? 0).toBe(0);
    expect(byKey["list secrets"] ?? 0).toBe(0);
    expect(byKey["list serviceaccounts"] ?? 0).toBe(0);
    // The freshness check (source, 3 copies, 3 service accounts) and the writes: a few dozen requests, not pages of lists.
    expect(byKey["get secrets"]).toBeGreaterThanOrEqual(4);
    expect(total).toBeLessThan(60);
  });

  it("checks a plan naming many objects against one inventory read instead of a GET each, and writes each service account with one PATCH", async () => {
    const namespaces = Array.from({ length: 40 }, (_, index) => `app-${String(100 + index).padStart(4, "0")}`);
    const input = copyInto(namespaces);
    const plan = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    const attaches = plan.steps.filter((step) => step.op.type === "service_account.add" && step.status === "change").length;
    expect(attaches).toBeGreaterThan(10);
    sim().resetStats();
    const start = await startWorkflow("copy_pull_secrets", input, plan.digest, harness.deps, OPERATOR);
    expect(start.ok).toBe(true);
    if (!start.ok) return;
    expect((await start.done).status).toBe("succeeded");
    const { byKey } = sim().stats();
    // 81 objects named: one inventory read (list pages), the source read once, no GET per copy or service account.
    expect(byKey["list secrets"]).toBeGreaterThanOrEqual(1);
    expect(byKey["get secrets"]).toBe(1);
    expect(byKey["get serviceaccounts"] ?? 0).toBe(0);
    expect(byKey["patch serviceaccounts"]).toBe(attaches);
    expect(byKey["create secrets"]).toBe(plan.steps.filter((step) => step.op.type === "secret.copy" && step.status === "change").length);
  });

  it("refuses a plan naming many objects when one service account changed since the preview", async () => {
    const namespaces = Array.from({ length: 40 }, (_, index) => `app-${String(200 + index).padStart(4, "0")}`);
    const input = copyInto(namespaces);
    const plan = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    await harness.deps.kube.addImagePullSecrets("large", "app-0233", "default", ["someone-elses"]);
    const start = await startWorkflow("copy_pull_secrets", input, plan.digest, harness.deps, OPERATOR);
    expect(start).toMatchObject({ ok: false, reason: "stale_plan" });
  });

  it("plans again (and refuses) when an object the plan touches changed since the preview", async () => {
    const input = copyInto(["app-0017"]);
    const plan = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    const target = plan.steps.find((step) => step.op.type === "secret.copy" && step.status === "change");
    expect(target).toBeDefined();
    const to = target!.op.type === "secret.copy" ? target!.op.to : null;
    await harness.deps.kube.copySecret("large", { namespace: "default", name: "all-icr-io" }, to!);
    const start = await startWorkflow("copy_pull_secrets", input, plan.digest, harness.deps, OPERATOR);
    expect(start).toMatchObject({ ok: false, reason: "stale_plan" });
  });

  it("plans again (and refuses) when the identity applying may no longer make the changes", async () => {
    const input = copyInto(["app-0027"]);
    const plan = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    expect(plan.counts.change).toBeGreaterThan(0);
    const start = await startWorkflow("copy_pull_secrets", input, plan.digest, harness.depsAs("viewer"), OPERATOR);
    expect(start.ok).toBe(false);
    if (!start.ok) expect(start.plan.counts.refused).toBeGreaterThan(0);
  });
});

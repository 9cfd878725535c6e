import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analysePulls } from "@/lib/pulls";
import { evaluateRuleOnCluster } from "@/lib/rules/evaluation";
import { ruleSpecSchema } from "@/lib/rules/spec";
import { createRuleStore } from "@/lib/rules/store";
import type { KubeSim } from "@/sim/kube";
import { call, namespaceWith, until } from "../support/sim-workloads";
import { startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

/**
 * The journey a keeping rule exists for, on the regional demo cluster with the
 * simulated kubelet: a namespace appears with a Deployment whose pods cannot
 * pull (no credential); the rule (enforce, restart on) copies and attaches the
 * secret, restarts the Deployment and follows its pods until they run, and the
 * rule's run records it. SQLite only: storage is covered by keeping.test.ts.
 */
describe("an enforce rule with restart brings failing pods to Running", () => {
  let harness: WorkflowHarness;
  let sim: KubeSim;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional"], { kubelet: { backOffInitialMs: 300, backOffMaxMs: 600 } });
    sim = harness.fleet.sims[0]!;
  });
  afterAll(async () => harness?.close());

  it("covers the namespace, restarts the Deployment and records 2/2 pods running, as rule:<name>", async () => {
    const rules = createRuleStore(harness.connection.prisma);
    const rule = await rules.create({
      name: "icr-with-restart", description: "", mode: "enforce",
      spec: ruleSpecSchema.parse({
        clusters: { mode: "list", names: ["regional"] }, namespaces: { match: { mode: "labels", labelSelector: "pull=icr" } }, registries: ["us.icr.io"],
        source: { namespace: "default", secrets: ["default-us-icr-io"] }, naming: "seed", serviceAccounts: { mode: "default" }, restartWorkloads: true,
      }),
    }, "admin@example.com");
    await namespaceWith(sim, "rule-shop", { image: "us.icr.io/team/api:1.4" });
    await call(sim, "PATCH", "/api/v1/namespaces/rule-shop", { metadata: { labels: { pull: "icr" } } }, "application/merge-patch+json");
    const report = async () => analysePulls(await harness.deps.kube.readPullSecretInventory("regional"), { namespace: "rule-shop" });
    const failing = await until("2 pods failing without a credential", async () => {
      const r = await report();
      return r.problems.filter((p) => p.state === "failing" && p.cause === "no_credential").length === 2 && r;
    });
    expect(failing.counts.failingPods).toBe(2);

    const outcome = await evaluateRuleOnCluster(rule.id, "regional", { rules, clusterLabels: async () => ({}), workflow: { ...harness.deps, podFollow: { timeoutMs: 30_000, pollMs: 150, noProgressMs: 10_000 } } });
    expect(outcome).toMatchObject({ evaluated: true, status: { state: "drift", driftCount: 1 } });
    const operation = (await harness.audit.getOperation(outcome.evaluated ? outcome.operationId! : ""))!;
    expect(operation).toMatchObject({ kind: "keep_rule", actor: "rule:icr-with-restart", status: "succeeded" });
    expect(operation.steps.map((step) => step.action)).toEqual(["secret.copied", "service_account.patched", "workload.restarted", "workload.pods_followed"]);
    expect(operation.steps.find((step) => step.action === "workload.pods_followed")?.detail).toMatchObject({ outcome: "running", summary: "2/2 pods running" });
    expect((await report()).counts).toMatchObject({ failingPods: 0, latentPods: 0 });
  });
});

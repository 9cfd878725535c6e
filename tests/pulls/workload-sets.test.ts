import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analysePulls } from "@/lib/pulls";
import { evaluateRuleOnCluster } from "@/lib/rules/evaluation";
import { ruleSpecSchema } from "@/lib/rules/spec";
import { createRuleStore } from "@/lib/rules/store";
import { runWorkflowToEnd, type WorkflowDeps } from "@/lib/workflows";
import type { KubeSim } from "@/sim/kube";
import { PROVIDERS } from "../support/databases";
import { call, createWorkload, until } from "../support/sim-workloads";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

/**
 * StatefulSets and DaemonSets whose pods cannot pull (no credential) on the
 * regional demo cluster with the simulated kubelet: the failures are
 * attributed to them, a copy + attach fix (or an enforce rule) with restart
 * restarts both — deleting the StatefulSet's pod stuck in ImagePullBackOff,
 * which an OrderedReady StatefulSet never replaces itself — follows their new
 * pods until they run, and the operation's audit record lists the restarts
 * and the outcome.
 */

const FOLLOW = { timeoutMs: 40_000, pollMs: 150, noProgressMs: 10_000 };

describe.each(PROVIDERS)("StatefulSets and DaemonSets: the fix that reaches their pods (%s)", (database) => {
  let harness: WorkflowHarness;
  let sim: KubeSim;
  let deps: WorkflowDeps;
  let nodes: number;

  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional"], { database, kubelet: { backOffInitialMs: 300, backOffMaxMs: 600 } });
    sim = harness.fleet.sims[0]!;
    deps = { ...harness.deps, podFollow: FOLLOW };
  });
  afterAll(async () => harness?.close());

  const report = async (ns: string) => analysePulls(await harness.deps.kube.readPullSecretInventory("regional"), { namespace: ns });

  /** A namespace with StatefulSet `db` (2 replicas) and DaemonSet `agent`, each on its own image (no node has it cached). */
  async function failingNamespace(ns: string, tag: string, labels: Record<string, string> = {}) {
    await call(sim, "POST", "/api/v1/namespaces", { metadata: { name: ns, labels } });
    await createWorkload(sim, ns, "StatefulSet", "db", { image: `us.icr.io/team/db-${tag}:5`, replicas: 2 });
    await createWorkload(sim, ns, "DaemonSet", "agent", { image: `us.icr.io/team/agent-${tag}:2` });
    const agent = await until("the DaemonSet scheduled", async () => {
      const ds = (await call(sim, "GET", `/apis/apps/v1/namespaces/${ns}/daemonsets/agent`)) as { status: { desiredNumberScheduled: number; currentNumberScheduled: number } };
      return ds.status.desiredNumberScheduled > 0 && ds.status.currentNumberScheduled === ds.status.desiredNumberScheduled && ds;
    });
    nodes = agent.status.desiredNumberScheduled;
    // OrderedReady: db-1 is never created while db-0 cannot pull.
    return until(`db-0 and ${nodes} agent pods failing without a credential`, async () => {
      const r = await report(ns);
      const failing = r.problems.filter((p) => p.state === "failing" && p.cause === "no_credential");
      return failing.length === nodes + 1 && r.problems.length === nodes + 1 && r;
    });
  }

  function expectRestartedAndRunning(steps: { action: string; outcome: string; target: unknown; detail: unknown }[]) {
    const restarted = steps.filter((s) => s.action === "workload.restarted");
    expect(restarted.map((s) => s.target)).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "StatefulSet", name: "db" }), expect.objectContaining({ kind: "DaemonSet", name: "agent" })]));
    expect(restarted.every((s) => s.outcome === "succeeded")).toBe(true);
    expect(restarted.find((s) => (s.target as { kind: string }).kind === "StatefulSet")?.detail).toMatchObject({ kind: "StatefulSet", deletedStuckPods: ["db-0"] });
    const followed = steps.filter((s) => s.action === "workload.pods_followed");
    expect(followed.find((s) => (s.target as { kind: string }).kind === "StatefulSet")).toMatchObject({ outcome: "succeeded", detail: { kind: "StatefulSet", outcome: "running", summary: "2/2 pods running" } });
    expect(followed.find((s) => (s.target as { kind: string }).kind === "DaemonSet")).toMatchObject({ outcome: "succeeded", detail: { kind: "DaemonSet", outcome: "running", summary: `${nodes}/${nodes} pods running` } });
  }

  it("attributes the failures to the StatefulSet and DaemonSet, and copy + attach + restart brings their pods to Running", async () => {
    const before = await failingNamespace("sets-shop", "a");
    expect(new Set(before.problems.map((p) => `${p.workload?.kind}/${p.workload?.name}`))).toEqual(new Set(["StatefulSet/db", "DaemonSet/agent"]));

    const input = { cluster: "regional", sourceNamespace: "default", secrets: ["default-us-icr-io"], naming: "seed", attach: true, serviceAccount: "default", restartPods: true, targets: { mode: "list", namespaces: ["sets-shop"] } } as const;
    const { plan, result } = await runWorkflowToEnd("copy_pull_secrets", input, deps, OPERATOR);
    expect(plan.steps.filter((s) => s.group === "Restarts").map((s) => `${s.action} ${s.target.kind}/${s.target.name}`).sort()).toEqual([
      "workload.pods_followed DaemonSet/agent",
      "workload.pods_followed StatefulSet/db",
      "workload.restarted DaemonSet/agent",
      "workload.restarted StatefulSet/db",
    ]);
    expect(result.status).toBe("succeeded");
    const operation = (await harness.audit.getOperation(result.operationId))!;
    expectRestartedAndRunning(operation.steps);
    expect((await report("sets-shop")).counts).toMatchObject({ failingPods: 0, latentPods: 0 });
    const pods = (await call(sim, "GET", "/api/v1/namespaces/sets-shop/pods")) as { items: { metadata: { name: string }; spec: { imagePullSecrets?: { name: string }[] } }[] };
    expect(pods.items.filter((p) => p.metadata.name.startsWith("db-")).map((p) => p.metadata.name)).toEqual(["db-0", "db-1"]);
    // Every pod now running was admitted after the attachment: it carries the service account's new pull secret.
    const sa = (await call(sim, "GET", "/api/v1/namespaces/sets-shop/serviceaccounts/default")) as { imagePullSecrets: { name: string }[] };
    expect(sa.imagePullSecrets.length).toBeGreaterThan(0);
    expect(pods.items.every((p) => JSON.stringify(p.spec.imagePullSecrets) === JSON.stringify(sa.imagePullSecrets))).toBe(true);
  });

  it("does the same through an enforce rule with restart enabled, as rule:<name>", async () => {
    const rules = createRuleStore(harness.connection.prisma);
    const rule = await rules.create({
      name: "sets-with-restart", description: "", mode: "enforce",
      spec: ruleSpecSchema.parse({
        clusters: { mode: "list", names: ["regional"] }, namespaces: { match: { mode: "labels", labelSelector: "pull=sets" } }, registries: ["us.icr.io"],
        source: { namespace: "default", secrets: ["default-us-icr-io"] }, naming: "seed", serviceAccounts: { mode: "default" }, restartWorkloads: true,
      }),
    }, "admin@example.com");
    await failingNamespace("sets-rule", "b", { pull: "sets" });
    const outcome = await evaluateRuleOnCluster(rule.id, "regional", { rules, workflow: deps, clusterLabels: async () => ({}) });
    expect(outcome).toMatchObject({ evaluated: true, status: { state: "drift", driftCount: 1 } });
    const operation = (await harness.audit.getOperation(outcome.evaluated ? outcome.operationId! : ""))!;
    expect(operation).toMatchObject({ kind: "keep_rule", actor: "rule:sets-with-restart", status: "succeeded" });
    expectRestartedAndRunning(operation.steps);
    expect((await report("sets-rule")).counts).toMatchObject({ failingPods: 0, latentPods: 0 });
  });
});

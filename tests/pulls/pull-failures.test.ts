import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analysePulls, groupProblems } from "@/lib/pulls";
import { runWorkflowToEnd, type WorkflowDeps } from "@/lib/workflows";
import { DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import type { KubeSim } from "@/sim/kube";
import { PROVIDERS } from "../support/databases";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";
import { call, namespaceWith, until } from "../support/sim-workloads";

/**
 * Pull failures on the regional demo cluster with the simulated kubelet (a
 * 1.29 server, so the cause of a back-off is read from the pod's Events): the
 * cause as classified from containerd's words, a fix whose restart is followed
 * until the pods run (or fail again) and recorded, and a latent failure.
 */

const { apiKey, revokedApiKey } = DEMO_CLUSTER_SERVICE_IDS.regional;
const MISSING = "us.icr.io/team/gone:1";
const FOLLOW = { timeoutMs: 30_000, pollMs: 150, noProgressMs: 10_000 };

describe.each(PROVIDERS)("pull failures and the fix that reaches the pods (%s)", (database) => {
  let harness: WorkflowHarness;
  let sim: KubeSim;
  let deps: WorkflowDeps;
  const report = async (ns: string) => analysePulls(await harness.deps.kube.readPullSecretInventory("regional"), { namespace: ns });
  /** The namespace's problems once every pod of `api` has settled into `state`. */
  const settled = (ns: string, state: "failing" | "latent", pods = 2) =>
    until(`${pods} ${state} pods in ${ns}`, async () => {
      const r = await report(ns);
      const matching = r.problems.filter((p) => p.state === state && p.cause !== "unknown");
      return matching.length === pods && r.problems.length === pods && r;
    });

  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional"], { database, kubelet: { backOffInitialMs: 300, backOffMaxMs: 600, missingImages: [MISSING] } });
    sim = harness.fleet.sims[0]!;
    deps = { ...harness.deps, podFollow: FOLLOW };
  });
  afterAll(async () => harness?.close());

  it("shows a Deployment without a credential as no_credential, and after copy + attach + restart its pods run and the audit record says so", async () => {
    await namespaceWith(sim, "pulls-shop", { image: "us.icr.io/team/api:1.4" });
    const before = await settled("pulls-shop", "failing");
    // A 1.29 kubelet: the cause is in the ErrImagePull message, and only in the Failed event while in back-off.
    expect(before.problems.every((p) => p.cause === "no_credential" && p.evidence !== "none" && p.workload?.name === "api")).toBe(true);
    expect(groupProblems(before.problems)[0]).toMatchObject({ sentence: "2 pods cannot pull us.icr.io/team/api:1.4 — no credential for us.icr.io", credentialFix: true });

    const input = { cluster: "regional", sourceNamespace: "default", secrets: ["default-us-icr-io"], naming: "seed", attach: true, serviceAccount: "default", restartPods: true, targets: { mode: "list", namespaces: ["pulls-shop"] } } as const;
    const { plan, result } = await runWorkflowToEnd("copy_pull_secrets", input, deps, OPERATOR);
    expect(plan.steps.map((s) => s.action)).toEqual(["secret.copied", "service_account.patched", "workload.restarted", "workload.pods_followed"]);
    expect(result.status).toBe("succeeded");
    const operation = (await harness.audit.getOperation(result.operationId))!;
    const followed = operation.steps.find((s) => s.action === "workload.pods_followed" && s.outcome === "succeeded");
    expect(followed?.detail).toMatchObject({ outcome: "running", summary: "2/2 pods running" });
    expect((await report("pulls-shop")).counts).toMatchObject({ failingPods: 0, latentPods: 0 });
  });

  it("keeps a revoked key failing as credential_rejected, and the followed restart records it", async () => {
    // Another image: api:1.4 is now in a node's cache, and a pod there would start without any credential check.
    await namespaceWith(sim, "pulls-stale", { image: "us.icr.io/team/worker:3", secretKey: revokedApiKey, replicas: 1 });
    expect((await settled("pulls-stale", "failing", 1)).problems[0]?.cause).toBe("no_credential");
    const input = { cluster: "regional", namespaces: ["pulls-stale"], serviceAccount: "default", secrets: ["team-us-icr-io"], restartPods: true };
    const { result } = await runWorkflowToEnd("attach_pull_secrets", input, deps, OPERATOR);
    expect(result.status).toBe("partially_failed");
    const operation = (await harness.audit.getOperation(result.operationId))!;
    const followed = operation.steps.find((s) => s.action === "workload.pods_followed" && s.outcome === "failed");
    expect(followed?.detail).toMatchObject({ outcome: "failing" });
    expect(String((followed?.detail as { summary?: string }).summary)).toMatch(/^still (ErrImagePull|ImagePullBackOff): us\.icr\.io rejected the credential/);
    const after = await until("the new pod rejected", async () => {
      const r = await report("pulls-stale");
      return r.problems.some((p) => p.cause === "credential_rejected") && r;
    });
    expect(after.problems.find((p) => p.cause === "credential_rejected")).toMatchObject({ state: "failing", registry: "us.icr.io", workload: { kind: "Deployment", name: "api" } });
    expect(groupProblems(after.problems).find((g) => g.cause === "credential_rejected")?.advice).toMatch(/^Replace the credential for us\.icr\.io/);
    expect(JSON.stringify(operation)).not.toContain(revokedApiKey);
  });

  it("says a missing image is not a credential problem and offers no credential fix", async () => {
    await namespaceWith(sim, "pulls-gone", { image: MISSING, secretKey: apiKey, attach: true, replicas: 1 });
    const r = await settled("pulls-gone", "failing", 1);
    const [group] = groupProblems(r.problems);
    expect(group).toMatchObject({ cause: "image_not_found", credentialFix: false });
    expect(group!.sentence).toContain("not a credential problem");
  });

  it("flags a Running pod whose pull secret was removed as latent", async () => {
    await namespaceWith(sim, "pulls-latent", { image: "us.icr.io/team/cached:2", secretKey: apiKey, attach: true, replicas: 1 });
    await until("the pod running", async () => (await harness.deps.kube.readPods("regional", "pulls-latent")).some((p) => p.phase === "Running"));
    expect((await report("pulls-latent")).counts.latentPods).toBe(0);
    await call(sim, "DELETE", "/api/v1/namespaces/pulls-latent/secrets/team-us-icr-io");
    const r = await settled("pulls-latent", "latent", 1);
    expect(r.problems[0]).toMatchObject({ state: "latent", cause: "no_credential", registry: "us.icr.io", workload: { kind: "Deployment", name: "api" } });
    expect(r.counts).toMatchObject({ failingPods: 0, latentPods: 1 });
  });
});

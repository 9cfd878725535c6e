import { describe, expect, it } from "vitest";
import type { AuditStore } from "@/lib/audit/port";
import type { KubeGateway } from "@/lib/kube/port";
import { KubeError } from "@/lib/kube/errors";
import { memoryAudit } from "../testing/memory-audit";
import { applyPlan } from "./apply";
import type { WorkflowDeps } from "./deps";
import { PlanBuilder } from "./plan-builder";

function attachStep(builder: PlanBuilder, namespace: string, extra: { dependsOn?: string[]; stage?: number; status?: "change" | "skip" | "refused" } = {}) {
  return builder.add({
    key: `sa:${namespace}`,
    op: { type: "service_account.add", namespace, serviceAccount: "default", names: ["x"] },
    target: { kind: "ServiceAccount", namespace, name: "default" },
    title: `attach in ${namespace}`,
    group: "g",
    status: extra.status ?? "change",
    ...(extra.dependsOn ? { dependsOn: extra.dependsOn } : {}),
    ...(extra.stage !== undefined ? { stage: extra.stage } : {}),
  });
}

function kubeFailingIn(failing: Set<string>, calls: string[] = []): KubeGateway {
  return {
    async addImagePullSecrets(cluster: string, namespace: string) {
      calls.push(namespace);
      if (failing.has(namespace)) throw new KubeError("forbidden", `Forbidden in ${namespace}`, { cluster, namespace });
      return { namespace, serviceAccount: "default", before: [], after: ["x"], changed: true, attempts: 1 };
    },
  } as Partial<KubeGateway> as KubeGateway;
}

const actor = { email: "a@example.com", role: "operator" };
const deps = (kube: KubeGateway, audit: AuditStore): WorkflowDeps => ({ kube, iam: null, verifyRegistry: async () => { throw new Error("unused"); }, audit, concurrency: 2 });

describe("applyPlan", () => {
  it("records every step before and after, skips dependants of a failed step, and ends partially_failed", async () => {
    const builder = new PlanBuilder();
    attachStep(builder, "a");
    attachStep(builder, "b");
    builder.add({ ...attachStep(new PlanBuilder(), "c"), key: "sa:c", dependsOn: ["sa:b"], stage: 1 });
    attachStep(builder, "d", { status: "skip" });
    const plan = builder.build({ kind: "attach_pull_secrets", cluster: "k", input: {}, readAt: "now" });
    const audit = memoryAudit();
    const result = await applyPlan(plan, deps(kubeFailingIn(new Set(["b"])), audit.store), { actor });
    expect(result.status).toBe("partially_failed");
    const byNamespace = (ns: string) => audit.events.filter((e) => e.target?.namespace === ns).map((e) => `${e.phase}:${e.outcome}`);
    expect(byNamespace("a")).toEqual(["started:started", "finished:succeeded"]);
    expect(byNamespace("b")).toEqual(["started:started", "finished:failed"]);
    expect(byNamespace("c")).toEqual(["finished:skipped"]);
    expect(byNamespace("d")).toEqual(["finished:skipped"]);
    expect(audit.events.find((e) => e.target?.namespace === "b" && e.outcome === "failed")?.error).toEqual({ kind: "forbidden", message: "Forbidden in b" });
  });

  it("stops at the first failure when the workflow's policy says so", async () => {
    const builder = new PlanBuilder();
    for (const ns of ["a", "b", "c", "d"]) attachStep(builder, ns);
    const plan = builder.build({ kind: "attach_pull_secrets", cluster: "k", input: {}, readAt: "now" });
    const audit = memoryAudit();
    const calls: string[] = [];
    const result = await applyPlan(plan, { ...deps(kubeFailingIn(new Set(["a"]), calls), audit.store), concurrency: 1 }, { actor, failurePolicy: "stop" });
    expect(calls).toEqual(["a"]);
    expect(result.status).toBe("failed");
  });

  it("does nothing at all when the operation cannot be recorded", async () => {
    const builder = new PlanBuilder();
    attachStep(builder, "a");
    const calls: string[] = [];
    await expect(applyPlan(builder.build({ kind: "attach_pull_secrets", cluster: "k", input: {}, readAt: "now" }), deps(kubeFailingIn(new Set(), calls), memoryAudit({ failOnStart: true }).store), { actor })).rejects.toThrow("disk full");
    expect(calls).toEqual([]);
  });

  it("stops starting steps once cancelled and ends interrupted", async () => {
    const builder = new PlanBuilder();
    for (const ns of ["a", "b", "c"]) attachStep(builder, ns);
    const controller = new AbortController();
    const calls: string[] = [];
    const kube = {
      async addImagePullSecrets(_cluster: string, namespace: string) {
        calls.push(namespace);
        controller.abort();
        return { namespace, serviceAccount: "default", before: [], after: ["x"], changed: true, attempts: 1 };
      },
    } as Partial<KubeGateway> as KubeGateway;
    const audit = memoryAudit();
    const result = await applyPlan(builder.build({ kind: "attach_pull_secrets", cluster: "k", input: {}, readAt: "now" }), { ...deps(kube, audit.store), concurrency: 1 }, { actor, signal: controller.signal });
    expect(calls).toEqual(["a"]);
    expect(result.status).toBe("interrupted");
    expect(result.summary).toMatch(/^Cancelled by a@example.com/);
  });

  it("refuses, in the plan, every change that depends on a refused step", () => {
    const builder = new PlanBuilder();
    attachStep(builder, "a", { status: "refused" });
    builder.add({ ...attachStep(new PlanBuilder(), "b"), key: "sa:b", dependsOn: ["sa:a"], stage: 1 });
    const plan = builder.build({ kind: "attach_pull_secrets", cluster: "k", input: {}, readAt: "now" });
    expect(plan.steps.find((s) => s.key === "sa:b")).toMatchObject({ status: "refused", reason: expect.stringMatching(/Depends on step 1/) });
    expect(plan.counts).toEqual({ change: 0, skip: 0, refused: 2 });
  });

  it("stops starting steps and closes the operation as failed when the audit log cannot be written", async () => {
    const builder = new PlanBuilder();
    for (const ns of ["a", "b", "c", "d"]) attachStep(builder, ns);
    const audit = memoryAudit({ failAfterEvents: 2 });
    const calls: string[] = [];
    await expect(
      applyPlan(builder.build({ kind: "attach_pull_secrets", cluster: "k", input: {}, readAt: "now" }), { ...deps(kubeFailingIn(new Set(), calls), audit.store), concurrency: 1 }, { actor }),
    ).rejects.toThrow("audit store unavailable");
    expect(calls).toEqual(["a"]);
    expect(audit.finished).toEqual([expect.objectContaining({ status: "failed", summary: expect.stringMatching(/audit log could not be written/) })]);
  });

  it("never repeats a creating step after an unclear failure, but repeats an idempotent one", async () => {
    const attempts = { copy: 0, attach: 0 };
    const kube = {
      async copySecret(cluster: string) {
        attempts.copy++;
        throw new KubeError("unavailable", "Service unavailable", { cluster });
      },
      async addImagePullSecrets(cluster: string, namespace: string) {
        attempts.attach++;
        if (attempts.attach < 2) throw new KubeError("unavailable", "Service unavailable", { cluster, namespace });
        return { namespace, serviceAccount: "default", before: [], after: ["x"], changed: true, attempts: 1 };
      },
    } as Partial<KubeGateway> as KubeGateway;
    const builder = new PlanBuilder();
    builder.add({
      key: "copy", op: { type: "secret.copy", from: { namespace: "default", name: "s" }, to: { namespace: "a", name: "s" } },
      target: { kind: "Secret", namespace: "a", name: "s" }, title: "copy", group: "g", status: "change",
    });
    attachStep(builder, "b");
    const result = await applyPlan(builder.build({ kind: "copy_pull_secrets", cluster: "k", input: {}, readAt: "now" }), deps(kube, memoryAudit().store), { actor });
    expect(attempts).toEqual({ copy: 1, attach: 2 });
    expect(result.status).toBe("partially_failed");
  });
});

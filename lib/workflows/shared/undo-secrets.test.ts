import { describe, expect, it } from "vitest";
import type { OperationWithSteps, StepRecord } from "@/lib/audit/port";
import type { PullSecretDto, PullSecretInventory, ServiceAccountDto, WorkloadDto } from "@/lib/kube/port";
import { PlanBuilder } from "../engine/plan-builder";
import { InventoryIndex } from "./inventory-index";
import type { UndoContext } from "./undo-context";
import { planSecretRemovals, secretsWrittenBy } from "./undo-secrets";

const OP = "11111111-1111-4111-8111-111111111111";
const step = (sequence: number, name: string, outcome: StepRecord["outcome"]): StepRecord => ({
  sequence, action: "secret.copied", outcome, target: { kind: "Secret", namespace: "qa", name }, error: null, detail: null,
  beforeFingerprint: null, afterFingerprint: outcome === "succeeded" ? "fp-copy" : null, durationMs: null, startedAt: null, recordedAt: "2026-01-01T00:00:00.000Z",
});
const secret = (name: string, operationId: string | null): PullSecretDto =>
  ({ cluster: "c", namespace: "qa", name, registries: [], credentialFingerprint: "fp-copy", provenance: operationId ? { operationId } : null }) as unknown as PullSecretDto;

function context(steps: StepRecord[], inventory: Partial<PullSecretInventory>): UndoContext {
  const full = { cluster: "c", readAt: "", scope: "cluster", namespaces: [], unreadableNamespaces: [], pullSecrets: [], serviceAccounts: [], workloads: [], notes: [], requestCount: 0, ...inventory } as PullSecretInventory;
  return {
    operation: { id: OP, steps } as OperationWithSteps,
    deps: { kube: { canI: async () => ({ allowed: true, reason: null }) } } as never,
    index: new InventoryIndex(full),
    access: { check: async () => ({ allowed: true, reason: null }) } as never,
    builder: new PlanBuilder(),
    done: steps.filter((s) => s.outcome === "succeeded"),
    detachKeysByNamespace: new Map(), detachedReferences: new Set(), secretRemovals: new Map(),
  };
}

describe("the secrets an undo removes", () => {
  it("include a write cut short by a crash when the secret's provenance names the operation, and only then", () => {
    const ctx = context([step(1, "a", "succeeded"), step(2, "b", "started"), step(3, "c", "started")], { pullSecrets: [secret("a", OP), secret("b", OP), secret("c", "someone-else")] });
    expect(secretsWrittenBy(ctx).map((w) => [w.name, w.step.outcome])).toEqual([["b", "started"], ["a", "succeeded"]]);
  });

  it("are kept while a workload or a service account this undo does not detach still names them", async () => {
    const pod = { namespace: "qa", kind: "Pod", name: "web-1", imagePullSecrets: ["a"], images: [], serviceAccountName: "default" } as unknown as WorkloadDto;
    const account = { namespace: "qa", name: "builder", imagePullSecrets: ["b"] } as ServiceAccountDto;
    const detached = { namespace: "qa", name: "default", imagePullSecrets: ["c"] } as ServiceAccountDto;
    const ctx = context([step(1, "a", "succeeded"), step(2, "b", "succeeded"), step(3, "c", "succeeded")], {
      pullSecrets: [secret("a", OP), secret("b", OP), secret("c", OP)], workloads: [pod], serviceAccounts: [account, detached],
    });
    ctx.detachedReferences.add("qa/default/c");
    await planSecretRemovals(ctx);
    const plan = ctx.builder.build({ kind: "undo", cluster: "c", input: {}, readAt: "" });
    const byName = Object.fromEntries(plan.steps.map((s) => [s.target.name, s]));
    expect(byName.a).toMatchObject({ status: "skip", reason: expect.stringContaining("pod qa/web-1") });
    expect(byName.b).toMatchObject({ status: "skip", reason: expect.stringContaining("service account qa/builder") });
    expect(byName.c).toMatchObject({ status: "change", op: { expect: { operationId: OP, fingerprint: "fp-copy" } } });
  });

  it("are left to a later operation whose provenance they now carry", async () => {
    const ctx = context([step(1, "a", "succeeded")], { pullSecrets: [secret("a", "22222222-2222-4222-8222-222222222222")] });
    await planSecretRemovals(ctx);
    const [only] = ctx.builder.build({ kind: "undo", cluster: "c", input: {}, readAt: "" }).steps;
    expect(only).toMatchObject({ status: "skip", reason: expect.stringContaining("Operation 22222222-2222-4222-8222-222222222222 has written it since") });
  });
});

import { describe, expect, it } from "vitest";
import type { KubeGateway } from "@/lib/kube/port";
import { memoryAudit } from "../testing/memory-audit";
import { openRun } from "./apply";
import type { WorkflowDeps } from "./deps";
import { PlanBuilder } from "./plan-builder";
import { runChunk } from "./run-chunk";
import { createMemoryRunStateStore } from "./run-state";

const actor = { email: "a@example.com", role: "operator" };

function planOf(namespaces: string[]) {
  const builder = new PlanBuilder();
  for (const namespace of namespaces) {
    builder.add({
      key: `sa:${namespace}`,
      op: { type: "service_account.add", namespace, serviceAccount: "default", names: ["x"] },
      target: { kind: "ServiceAccount", namespace, name: "default" },
      title: `attach in ${namespace}`,
      group: "g",
      status: "change",
    });
  }
  return builder.build({ kind: "attach_pull_secrets", cluster: "k", input: {}, readAt: "now" });
}

function slowKube(calls: string[], delayMs = 20): KubeGateway {
  return {
    async addImagePullSecrets(_cluster: string, namespace: string) {
      calls.push(namespace);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { namespace, serviceAccount: "default", before: [], after: ["x"], changed: true, attempts: 1 };
    },
  } as Partial<KubeGateway> as KubeGateway;
}

describe("a run in chunks", () => {
  it("goes on where the last chunk stopped, runs each step once, and closes only when every step ended", async () => {
    const audit = memoryAudit();
    const runs = createMemoryRunStateStore();
    const calls: string[] = [];
    const deps: WorkflowDeps = { kube: slowKube(calls), iam: null, verifyRegistry: async () => Promise.reject(new Error("unused")), audit: audit.store, concurrency: 1 };
    const namespaces = ["a", "b", "c", "d", "e", "f"];
    const id = await openRun(planOf(namespaces), deps, runs, { actor });
    let chunks = 0;
    let result = null;
    while (!result) {
      chunks++;
      result = await runChunk(id, deps, runs, { deadline: Date.now() + 30 });
      if (chunks > namespaces.length) throw new Error("a chunk made no progress");
    }
    expect(chunks).toBeGreaterThan(1);
    expect(calls.sort()).toEqual(namespaces);
    expect(result.status).toBe("succeeded");
    expect(audit.finished).toHaveLength(1);
    expect(runs.size()).toBe(0);
    // A chunk of a closed run does nothing and answers the closed result.
    expect((await runChunk(id, deps, runs))?.status).toBe("succeeded");
    expect(calls).toHaveLength(namespaces.length);
    // A deadline already past still lets each chunk start one step: a run always progresses.
    const again = await openRun(planOf(["x", "y", "z"]), deps, runs, { actor });
    let tiny = 0;
    while (!(await runChunk(again, deps, runs, { deadline: 0 }))) tiny++;
    expect(tiny).toBe(2);
  });

  it("records each round's starts together, before any step of the round runs, and runs every step once", async () => {
    const audit = memoryAudit();
    const runs = createMemoryRunStateStore();
    // One clock for both sides, and the event-loop turn each start was asked for in (one turn: one insert).
    const happened: string[] = [];
    let turn = 0;
    let spinning = true;
    const spin = () => {
      turn++;
      if (spinning) setImmediate(spin);
    };
    spin();
    const startTurns = new Map<number, number>();
    const store = {
      ...audit.store,
      async recordStep(operationId: string, event: Parameters<typeof audit.store.recordStep>[1]) {
        if (event.phase === "started") {
          happened.push(`started ${event.target?.namespace}`);
          startTurns.set(turn, (startTurns.get(turn) ?? 0) + 1);
        }
        return audit.store.recordStep(operationId, event);
      },
    };
    const calls: string[] = [];
    const kube = {
      async addImagePullSecrets(_cluster: string, namespace: string) {
        happened.push(`call ${namespace}`);
        calls.push(namespace);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { namespace, serviceAccount: "default", before: [], after: ["x"], changed: true, attempts: 1 };
      },
    } as Partial<KubeGateway> as KubeGateway;
    const namespaces = Array.from({ length: 10 }, (_, index) => `n${index}`);
    const deps: WorkflowDeps = { kube, iam: null, verifyRegistry: async () => Promise.reject(new Error("unused")), audit: store, concurrency: 4 };
    const id = await openRun(planOf(namespaces), deps, runs, { actor });
    const result = await runChunk(id, deps, runs);
    spinning = false;
    expect(result?.status).toBe("succeeded");
    expect(calls.sort()).toEqual(namespaces);
    for (const namespace of namespaces) expect(happened.indexOf(`started ${namespace}`)).toBeLessThan(happened.indexOf(`call ${namespace}`));
    // Rounds of 4 (the next claimed as the last of this one starts): each round's starts asked for in one turn, not one turn each.
    expect([...startTurns.values()].reduce((sum, n) => sum + n, 0)).toBe(10);
    expect(startTurns.size).toBeLessThanOrEqual(3);
    expect(audit.events.filter((event) => event.phase === "finished" && event.outcome === "succeeded")).toHaveLength(10);
  });

  it("asks before each chunk whether the run's actor may still run it, and stops the run when they may not", async () => {
    const audit = memoryAudit();
    const runs = createMemoryRunStateStore();
    const calls: string[] = [];
    const deps: WorkflowDeps = { kube: slowKube(calls, 5), iam: null, verifyRegistry: async () => Promise.reject(new Error("unused")), audit: audit.store, concurrency: 1 };
    const id = await openRun(planOf(["a", "b", "c", "d"]), deps, runs, { actor });
    const asked: Array<[string, readonly string[]]> = [];
    let allowed = true;
    const authorise = async (who: { email: string }, clusters: readonly string[]) => {
      asked.push([who.email, clusters]);
      return allowed ? null : "a@example.com may no longer change cluster k";
    };
    expect(await runChunk(id, deps, runs, { deadline: 0, authorise })).toBeNull();
    expect(calls).toEqual(["a"]);
    // An admin takes the cluster away between two chunks: nothing more is done in their name.
    allowed = false;
    const result = await runChunk(id, deps, runs, { authorise });
    expect(asked).toEqual([["a@example.com", ["k"]], ["a@example.com", ["k"]]]);
    expect(calls).toEqual(["a"]);
    expect(result?.status).toBe("interrupted");
    expect(result?.summary).toBe("Stopped, a@example.com may no longer change cluster k: 1 of 4 changes applied.");
    const skipped = audit.events.filter((event) => event.outcome === "skipped");
    expect(skipped).toHaveLength(3);
    expect(skipped[0]?.detail).toMatchObject({ reason: "Not started: a@example.com may no longer change cluster k." });
  });

  it("does again a step a dead process left started, unless a new plan shows it already in place", async () => {
    const audit = memoryAudit();
    const runs = createMemoryRunStateStore();
    const calls: string[] = [];
    const deps: WorkflowDeps = { kube: slowKube(calls, 0), iam: null, verifyRegistry: async () => Promise.reject(new Error("unused")), audit: audit.store, concurrency: 1 };
    const plan = planOf(["a", "b", "c"]);
    const id = await openRun(plan, deps, runs, { actor });
    // The dead process recorded a and b as started; its write to a reached the cluster, b's did not.
    for (const step of plan.steps.slice(0, 2)) await audit.store.recordStep(id, { sequence: step.sequence, phase: "started", action: step.action, outcome: "started", target: step.target });
    const replanned = { ...plan, steps: plan.steps.map((step) => (step.key === "sa:a" ? { ...step, status: "skip" as const } : step)) };
    const result = await runChunk(id, deps, runs, { replan: async () => replanned });
    expect(result?.status).toBe("succeeded");
    expect(calls).toEqual(["b", "c"]);
    const finishedA = audit.events.filter((event) => event.target?.namespace === "a" && event.phase === "finished");
    expect(finishedA).toEqual([expect.objectContaining({ outcome: "succeeded", detail: { checkedOnResume: expect.stringContaining("already holds") } })]);
    // b's start was recorded once, by the dead process.
    expect(audit.events.filter((event) => event.target?.namespace === "b" && event.phase === "started")).toHaveLength(1);
  });

  it("stops at a cancel requested through the stored run (another replica), and says who cancelled", async () => {
    const audit = memoryAudit();
    const runs = createMemoryRunStateStore();
    const calls: string[] = [];
    const deps: WorkflowDeps = { kube: slowKube(calls, 30), iam: null, verifyRegistry: async () => Promise.reject(new Error("unused")), audit: audit.store, concurrency: 1 };
    const id = await openRun(planOf(["a", "b", "c", "d", "e", "f", "g", "h"]), deps, runs, { actor });
    setTimeout(() => void runs.requestCancel(id, "other@example.com"), 50);
    const result = await runChunk(id, deps, runs, { cancelPollMs: 10 });
    expect(result?.status).toBe("interrupted");
    expect(result?.summary).toMatch(/^Cancelled by other@example.com/);
    expect(calls.length).toBeLessThan(8);
    expect(audit.events.filter((event) => event.outcome === "skipped").length).toBe(8 - calls.length);
  });
});

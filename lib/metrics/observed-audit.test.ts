import { describe, expect, it } from "vitest";
import type { AuditStore } from "@/lib/audit/port";
import { observedAuditStore } from "./observed-audit";

function recorder() {
  const events: string[] = [];
  return {
    events,
    metrics: {
      runStarted: (kind: string) => void events.push(`start ${kind}`),
      runFinished: (kind: string, outcome: string) => void events.push(`finish ${kind} ${outcome}`),
      runAbandoned: (kind: string) => void events.push(`abandon ${kind}`),
      stepFinished: (action: string, outcome: string) => void events.push(`step ${action} ${outcome}`),
    },
  };
}

function fakeStore(overrides: Partial<AuditStore> = {}): AuditStore {
  let next = 0;
  return {
    startOperation: async () => ({ id: `op-${++next}` }) as Awaited<ReturnType<AuditStore["startOperation"]>>,
    recordStep: async () => {},
    finishOperation: async () => ({}) as Awaited<ReturnType<AuditStore["finishOperation"]>>,
    ...overrides,
  } as AuditStore;
}

describe("observedAuditStore", () => {
  it("counts applied runs and their steps, not previews or other records", async () => {
    const { events, metrics } = recorder();
    const store = observedAuditStore(fakeStore(), metrics);
    const preview = await store.startOperation({ kind: "copy_pull_secrets", actor: "a", status: "dry_run" });
    // A preview records its steps as planned (engine/preview.ts), never as finished.
    await store.recordStep(preview.id, { sequence: 1, phase: "planned", action: "secret.copied", outcome: "planned" });
    await store.startOperation({ kind: "sign_in", actor: "a", status: "running" });
    const run = await store.startOperation({ kind: "copy_pull_secrets", actor: "a", status: "running" });
    await store.recordStep(run.id, { sequence: 1, phase: "started", action: "secret.copied", outcome: "started" });
    await store.recordStep(run.id, { sequence: 1, phase: "finished", action: "secret.copied", outcome: "failed" });
    await store.finishOperation(run.id, { status: "failed" });
    expect(events).toEqual(["start copy_pull_secrets", "step secret.copied failed", "finish copy_pull_secrets failed"]);
  });

  it("takes a run out of progress when its final status cannot be written, without inventing an outcome", async () => {
    const { events, metrics } = recorder();
    const store = observedAuditStore(fakeStore({ finishOperation: async () => Promise.reject(new Error("database gone")) }), metrics);
    const run = await store.startOperation({ kind: "undo", actor: "a", status: "running" });
    await expect(store.finishOperation(run.id, { status: "succeeded" })).rejects.toThrow("database gone");
    expect(events).toEqual(["start undo", "abandon undo"]);
  });
});

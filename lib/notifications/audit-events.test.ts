import { describe, expect, it } from "vitest";
import type { AuditStore, FinishOperationInput, OperationRecord } from "@/lib/audit/port";
import type { NotificationEvent } from "./events";
import { notifyingAuditStore } from "./audit-events";

function operation(kind: string, status: OperationRecord["status"]): OperationRecord {
  return { id: "op-9", kind, actor: "ops@example.com", actorRole: "operator", cluster: "prod-eu", namespaces: [], parameters: {}, status, summary: "2 steps failed", counts: { total: 3, succeeded: 1, failed: 2, skipped: 0 }, relatedOperationId: null, startedAt: "2026-12-07T01:00:00.000Z", finishedAt: "2026-12-07T01:01:00.000Z" };
}

function storeFinishingAs(kind: string): AuditStore {
  return { finishOperation: async (_id: string, input: FinishOperationInput) => operation(kind, input.status) } as unknown as AuditStore;
}

async function eventsFor(kind: string, status: FinishOperationInput["status"]): Promise<NotificationEvent[]> {
  const events: NotificationEvent[] = [];
  const store = notifyingAuditStore(storeFinishingAs(kind), async (event) => void events.push(event));
  await store.finishOperation("op-9", { status });
  return events;
}

describe("notifications from the audit store", () => {
  it("turns a failed, partially failed or interrupted run into an event once its status is written", async () => {
    expect(await eventsFor("copy_pull_secrets", "failed")).toEqual([
      { type: "run.failed", occurredAt: "2026-12-07T01:01:00.000Z", data: { operationId: "op-9", kind: "copy_pull_secrets", status: "failed", actor: "ops@example.com", cluster: "prod-eu", summary: "2 steps failed", counts: { total: 3, succeeded: 1, failed: 2, skipped: 0 } } },
    ]);
    expect((await eventsFor("undo", "partially_failed"))[0]?.type).toBe("run.failed");
    expect((await eventsFor("attach_pull_secrets", "interrupted"))[0]?.type).toBe("run.interrupted");
  });

  it("stays quiet for successful runs and for operations that are not runs", async () => {
    expect(await eventsFor("copy_pull_secrets", "succeeded")).toEqual([]);
    expect(await eventsFor("users_changed", "failed")).toEqual([]);
  });

  it("notifies nothing when the status could not be written", async () => {
    const events: NotificationEvent[] = [];
    const failing = { finishOperation: async () => Promise.reject(new Error("database gone")) } as unknown as AuditStore;
    const store = notifyingAuditStore(failing, async (event) => void events.push(event));
    await expect(store.finishOperation("op-9", { status: "failed" })).rejects.toThrow("database gone");
    expect(events).toEqual([]);
  });

  it("tells that a rotation's old key will be deleted once it is locked, when it will be, and by no value", async () => {
    const events: NotificationEvent[] = [];
    const steps = [
      { sequence: 1, action: "iam.api_key.created", outcome: "succeeded", target: null, detail: { apiKeyId: "ApiKey-new", serviceIamId: "iam-ServiceId-1234" } },
      { sequence: 9, action: "iam.api_key.locked", outcome: "succeeded", target: { kind: "ApiKey", name: "ApiKey-old" }, detail: { apiKeyId: "ApiKey-old", name: "regional-key", locked: true } },
    ];
    const rotation = (graceSeconds: number) => ({ ...operation("rotate_api_key", "running"), parameters: { graceSeconds }, steps });
    let grace = 3600;
    const base = { recordStep: async () => undefined, getOperation: async () => rotation(grace) } as unknown as AuditStore;
    const store = notifyingAuditStore(base, async (event) => void events.push(event));
    const lock = { sequence: 9, phase: "finished" as const, action: "iam.api_key.locked" as const, outcome: "succeeded" as const, target: { kind: "ApiKey", name: "ApiKey-old" }, recordedAt: new Date("2026-12-07T07:00:00Z") };
    await store.recordStep("op-9", lock);
    expect(events).toEqual([
      { type: "rotation.keys_pending_deletion", occurredAt: "2026-12-07T07:00:00.000Z", data: { serviceId: "iam-ServiceId-1234", serviceIdName: null, deleteAt: "2026-12-07T08:00:00.000Z", keys: [{ keyId: "ApiKey-old", name: "regional-key", fingerprint: null }], stillReferencedBy: [] } },
    ]);
    // A leaked key (no grace) is deleted at once: nothing is "about to be" deleted; other steps say nothing.
    grace = 0;
    await store.recordStep("op-9", lock);
    await store.recordStep("op-9", { ...lock, action: "iam.api_key.created" as const });
    expect(events).toHaveLength(1);
  });
});

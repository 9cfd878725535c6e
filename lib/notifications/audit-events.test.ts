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
});

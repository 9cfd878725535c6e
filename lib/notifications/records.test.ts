import { describe, expect, it } from "vitest";
import { deliveryRecord, targetRecord } from "./records";

const row = {
  id: "t-1",
  name: "slack",
  // As the store reads it: the URL and key sealed, what the page shows of them beside.
  url: "pk1.0011223344556677.sealed-url",
  displayUrl: "https://hooks.slack.com/services/…",
  format: "slack",
  events: JSON.stringify(["run.failed", "something.newer", "webhook.test"]),
  enabled: true,
  secret: "pk1.0011223344556677.sealed-secret",
  secretHint: "whsec_abcd…",
  createdBy: "admin@example.com",
  createdAt: new Date("2026-12-07T00:00:00.000Z"),
  updatedAt: new Date("2026-12-07T00:00:00.000Z"),
};

describe("target records", () => {
  it("hold neither the sealed URL nor the sealed key, only what the page shows of them, and only event types this version knows", () => {
    const record = targetRecord(row);
    expect(record).toEqual({
      id: "t-1",
      name: "slack",
      url: "https://hooks.slack.com/services/…",
      format: "slack",
      events: ["run.failed"],
      enabled: true,
      secretHint: "whsec_abcd…",
      createdBy: "admin@example.com",
      createdAt: "2026-12-07T00:00:00.000Z",
      updatedAt: "2026-12-07T00:00:00.000Z",
    });
    const text = JSON.stringify(record);
    expect(text).not.toContain("pk1.");
  });

  it("read unparseable events as none", () => {
    expect(targetRecord({ ...row, events: "not json" }).events).toEqual([]);
  });
});

describe("delivery records", () => {
  const delivery = {
    id: "d-1",
    targetId: "t-1",
    event: "run.failed",
    status: "pending",
    attempts: 2,
    lastStatusCode: 503,
    lastError: "HTTP 503 from the target.",
    nextAttemptAt: new Date("2026-12-07T00:01:00.000Z"),
    createdAt: new Date("2026-12-07T00:00:00.000Z"),
    lastAttemptAt: new Date("2026-12-07T00:00:30.000Z"),
    deliveredAt: null,
    target: { name: "slack" },
  };

  it("show when a pending delivery is tried next, and nothing for a settled one", () => {
    expect(deliveryRecord(delivery)).toMatchObject({ status: "pending", nextAttemptAt: "2026-12-07T00:01:00.000Z", targetName: "slack", attempts: 2, lastStatusCode: 503 });
    // A settled row keeps its last lease in the column; it is not an attempt to come.
    expect(deliveryRecord({ ...delivery, status: "giving_up" }).nextAttemptAt).toBeNull();
  });
});

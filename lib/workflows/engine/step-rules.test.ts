import { describe, expect, it } from "vitest";
import type { PlanStep } from "./plan";
import { graceDueAt, outputsToKeepWhileWaiting, withStepCluster } from "./step-rules";

const step = (key: string, type: PlanStep["op"]["type"], extra: Partial<PlanStep> = {}) => ({ key, status: "change", op: { type }, dependsOn: [], ...extra }) as unknown as PlanStep;

describe("graceDueAt", () => {
  it("is due the grace period after the last dependency ended, and null once that time has come", () => {
    const ended = new Map([["lock-a", 1_000], ["lock-b", 4_000]]);
    const deleting = { waitSeconds: 10, dependsOn: ["lock-a", "lock-b"] };
    expect(graceDueAt(deleting, ended, 5_000)).toBe(14_000);
    expect(graceDueAt(deleting, ended, 14_000)).toBeNull();
    expect(graceDueAt({ dependsOn: ["lock-a"] }, ended, 0)).toBeNull();
    expect(graceDueAt({ waitSeconds: 0, dependsOn: ["lock-a"] }, ended, 0)).toBeNull();
  });
});

describe("outputsToKeepWhileWaiting", () => {
  const outputs = new Map([["iam.api_key", { apiKeyId: "ApiKey-1", apiKey: "secret-value" }], ["iam.service_id", { serviceIdId: "ServiceId-1" }]]);

  it("drops the minted key's value once no step left writes it", () => {
    const steps = [step("write", "secret.rotate_key"), step("delete", "iam.delete_api_key")];
    const kept = outputsToKeepWhileWaiting(steps, (key) => key === "write", outputs);
    expect(kept).toEqual({ "iam.api_key": { apiKeyId: "ApiKey-1" }, "iam.service_id": { serviceIdId: "ServiceId-1" } });
  });

  it("keeps it while a write is still to run, and changes nothing when there is no value", () => {
    const steps = [step("write", "secret.rotate_key"), step("delete", "iam.delete_api_key")];
    expect(outputsToKeepWhileWaiting(steps, () => false, outputs)).toBeNull();
    expect(outputsToKeepWhileWaiting(steps, () => true, new Map([["iam.api_key", { apiKeyId: "ApiKey-1" }]]))).toBeNull();
  });
});

describe("withStepCluster", () => {
  it("names the step's own cluster in its audit detail only when it has one", () => {
    expect(withStepCluster({ cluster: "modern" }, { reason: "x" })).toEqual({ reason: "x", cluster: "modern" });
    expect(withStepCluster({}, { reason: "x" })).toEqual({ reason: "x" });
    expect(withStepCluster({}, undefined)).toBeUndefined();
  });
});

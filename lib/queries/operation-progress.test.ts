import { describe, expect, it } from "vitest";
import type { OperationWithSteps, StepRecord } from "@/lib/audit/port";
import { operationProgress } from "./operation-progress";

const step = (sequence: number, action: string, outcome: StepRecord["outcome"], detail: Record<string, unknown> | null = null): StepRecord => ({
  sequence, action, outcome, detail, target: { kind: "Secret", namespace: "team-a", name: `s${sequence}` }, error: null,
  beforeFingerprint: null, afterFingerprint: null, durationMs: null, startedAt: null, recordedAt: "2026-01-01T00:00:00.000Z",
});

const operation = (status: OperationWithSteps["status"], steps: StepRecord[]): OperationWithSteps => ({
  id: "0b5f8a3e-0000-4000-8000-000000000001", kind: "create_scoped_credentials", actor: "op@example.com", actorRole: "operator",
  cluster: "modern", namespaces: ["team-a"], parameters: {}, status, summary: null,
  counts: { total: steps.length, succeeded: 0, failed: 0, skipped: 0 }, relatedOperationId: null, startedAt: "2026-01-01T00:00:00.000Z", finishedAt: null, steps,
});

const keyStep = step(3, "iam.api_key.created", "succeeded", { apiKeyId: "ApiKey-1", name: "modern-team-a-key", serviceIamId: "iam-ServiceId-1", fingerprint: "0123456789ab" });

describe("operationProgress (GET /api/operations/{id})", () => {
  it("carries each skipped or refused step's reason", () => {
    const view = operationProgress(
      operation("succeeded", [step(1, "secret.copied", "skipped", { reason: "Already there with the same content." }), step(2, "secret.copied", "refused", { reason: "Not allowed." }), step(3, "secret.copied", "succeeded", { from: "default/x" })]),
      false,
    );
    expect(view.steps.map((s) => [s.sequence, s.outcome, s.reason])).toEqual([
      [1, "skipped", "Already there with the same content."],
      [2, "refused", "Not allowed."],
      [3, "succeeded", null],
    ]);
  });

  it("lists the API keys a run that could not finish left behind, by id, name and fingerprint only", () => {
    const failedWrite = { ...step(4, "secret.created", "failed"), error: { kind: "forbidden", message: "denied" } };
    const view = operationProgress(operation("partially_failed", [keyStep, failedWrite]), false);
    expect(view.apiKeysLeftBehind).toEqual([{ apiKeyId: "ApiKey-1", name: "modern-team-a-key", fingerprint: "0123456789ab" }]);
  });

  it("lists no key when a secret carries it, the run deleted it, or the run is still going", () => {
    expect(operationProgress(operation("partially_failed", [keyStep, step(4, "secret.created", "succeeded")]), false).apiKeysLeftBehind).toEqual([]);
    // A write still under way when the process died may have reached the cluster.
    expect(operationProgress(operation("interrupted", [keyStep, step(4, "secret.created", "started")]), false).apiKeysLeftBehind).toEqual([]);
    expect(operationProgress(operation("failed", [keyStep, step(5, "iam.api_key.deleted", "succeeded", { apiKeyId: "ApiKey-1" })]), false).apiKeysLeftBehind).toEqual([]);
    expect(operationProgress(operation("running", [keyStep]), true).apiKeysLeftBehind).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import type { StepRecord } from "@/lib/audit/port";
import { rotationUndoRefusal } from "./undo-rotation";

const step = (sequence: number, action: string, outcome: StepRecord["outcome"], detail: Record<string, unknown> | null = null): StepRecord => ({
  sequence, action, outcome, target: { kind: "ApiKey", name: `ApiKey-${sequence}` }, error: null, detail, beforeFingerprint: null, afterFingerprint: null, durationMs: null, startedAt: null, recordedAt: "2026-01-01T00:00:00.000Z",
});
const waiting = [step(1, "iam.api_key.created", "succeeded"), step(2, "iam.api_key.held", "succeeded"), step(3, "secret.key_rotated", "succeeded"), step(4, "iam.api_key.locked", "succeeded")];

describe("when a key rotation can be undone", () => {
  it("only while it waits to delete the old key, with the old key kept", () => {
    expect(rotationUndoRefusal({ status: "running", steps: waiting })).toBeNull();
  });

  it("never once the old key's delete has started, whatever the run's state", () => {
    for (const outcome of ["started", "succeeded"] as const) {
      const refusal = rotationUndoRefusal({ status: "running", steps: [...waiting, step(5, "iam.api_key.deleted", outcome, { name: "regional-key" })] });
      expect(refusal).toMatch(/old key regional-key was deleted \(step 5\): IAM cannot bring a deleted key back/);
    }
  });

  it("not once the rotation closed (its kept value went with it), nor when nothing was kept (grace 0), nor while it still writes", () => {
    expect(rotationUndoRefusal({ status: "partially_failed", steps: waiting })).toMatch(/has closed/);
    expect(rotationUndoRefusal({ status: "running", steps: waiting.filter((s) => s.action !== "iam.api_key.held") })).toMatch(/kept no copy of the old key/);
    expect(rotationUndoRefusal({ status: "running", steps: waiting.slice(0, 3) })).toMatch(/still writing secrets/);
  });
});

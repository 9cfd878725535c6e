import { describe, expect, it } from "vitest";
import type { OperationWithSteps, StepRecord } from "@/lib/audit/port";
import { provenanceAnnotations, readProvenance } from "./annotations";
import { proveProvenance } from "./proof";

const step = (overrides: Partial<StepRecord> = {}): StepRecord => ({
  sequence: 1, action: "secret.copied", target: { kind: "Secret", namespace: "shop", name: "shop-us-icr-io" }, outcome: "succeeded", error: null,
  beforeFingerprint: null, afterFingerprint: "abc", detail: null, durationMs: 5, startedAt: null, recordedAt: "2026-12-06T20:00:00.000Z", ...overrides,
});

const operation = (overrides: Partial<OperationWithSteps> = {}): OperationWithSteps => ({
  id: "op-1", kind: "copy_pull_secrets", actor: "operator@example.com", actorRole: "operator", cluster: "regional", namespaces: ["shop"], parameters: {},
  status: "succeeded", summary: null, counts: { total: 1, succeeded: 1, failed: 0, skipped: 0 }, relatedOperationId: null,
  startedAt: "2026-12-06T20:00:00.000Z", finishedAt: "2026-12-06T20:00:01.000Z", steps: [step()], ...overrides,
});

const auditWith = (...operations: OperationWithSteps[]) => ({ getOperation: async (id: string) => operations.find((op) => op.id === id) ?? null });
const claim = (annotations: Record<string, string> | undefined, credentialFingerprint: string | null = "abc") => ({ cluster: "regional", namespace: "shop", name: "shop-us-icr-io", provenance: readProvenance(annotations), credentialFingerprint });
const copied = provenanceAnnotations({ operationId: "op-1", origin: "secret", sourceCluster: "regional", source: { namespace: "default", name: "default-us-icr-io", uid: "u-1", fingerprint: "f1" } });

describe("provenance annotations", () => {
  it("round-trips every field and reads nothing without an operation id", () => {
    expect(readProvenance(copied)).toEqual({ operationId: "op-1", origin: "secret", sourceCluster: "regional", sourceNamespace: "default", sourceName: "default-us-icr-io", sourceUid: "u-1", sourceFingerprint: "f1" });
    expect(readProvenance({ "app.kubernetes.io/managed-by": "pullkeeper" })).toBeNull();
    expect(readProvenance(undefined)).toBeNull();
    expect(readProvenance({ "pullkeeper.io/operation-id": "op-9", "pullkeeper.io/origin": "<script>" })?.origin).toBeNull();
  });
});

describe("proveProvenance", () => {
  it("proves a secret whose annotations name an operation that wrote it on this cluster", async () => {
    expect(await proveProvenance(auditWith(operation()), claim(copied))).toEqual({ proven: true, operationId: "op-1" });
    expect(await proveProvenance(auditWith(operation({ steps: [step({ action: "secret.updated" })] })), claim(copied))).toMatchObject({ proven: true });
  });

  it.each([
    ["no annotations (a label set by hand)", auditWith(operation()), undefined, /^no pullkeeper.io\/operation-id annotation$/],
    ["an operation the audit log does not know", auditWith(), copied, /^operation op-1 is not in the audit log$/],
    ["an operation of a kind that writes no secrets", auditWith(operation({ kind: "verify_credentials" })), copied, /a verify_credentials operation, which writes no pull secrets/],
    ["an operation on another cluster", auditWith(operation({ cluster: "legacy" })), copied, /ran on cluster legacy, not regional/],
    ["an operation that wrote another secret", auditWith(operation({ steps: [step({ target: { kind: "Secret", namespace: "shop", name: "other" } })] })), copied, /did not write shop\/shop-us-icr-io/],
    ["an operation whose write failed", auditWith(operation({ steps: [step({ outcome: "failed" })] })), copied, /did not write/],
    ["a source on another cluster", auditWith(operation()), { ...copied, "pullkeeper.io/source-cluster": "legacy" }, /made from cluster legacy/],
  ])("refuses %s", async (_label, audit, annotations, reason) => {
    const proof = await proveProvenance(audit, claim(annotations));
    expect(proof.proven).toBe(false);
    expect(proof.proven ? "" : proof.reason).toMatch(reason);
  });

  it("refuses annotations carried over onto other content of the same name", async () => {
    expect(await proveProvenance(auditWith(operation()), claim(copied, "other-content"))).toEqual({ proven: false, reason: "operation op-1 wrote shop/shop-us-icr-io, but its content has changed since" });
    // A later refresh by the same run counts: any succeeded write of this content.
    expect(await proveProvenance(auditWith(operation({ steps: [step(), step({ sequence: 2, action: "secret.updated", afterFingerprint: "other-content" })] })), claim(copied, "other-content"))).toMatchObject({ proven: true });
  });
});

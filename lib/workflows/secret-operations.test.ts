import { describe, expect, it } from "vitest";
import type { AuditStore, OperationWithSteps } from "@/lib/audit/port";
import type { SessionUser } from "@/lib/auth/permissions";
import { KubeError } from "@/lib/kube/errors";
import type { PullSecretDto } from "@/lib/kube/port";
import { provenanceAnnotations, readProvenance } from "@/lib/provenance/annotations";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { deletePullSecret } from "./delete-pull-secret";
import { memoryAudit } from "./testing/memory-audit";
import { verifyPullSecretCredentials, VerifyCredentialsError } from "./verify-pull-secret";

const CANARY = "PKCANARY-actions-55e1";
const GOOD = `good_${CANARY}_0123456789abcdef012345678`;
const BAD = `bad_${CANARY}_0123456789abcdef0123456789`;
const operator: SessionUser = { id: "u1", email: "op@example.com", name: "Op", role: "operator", clusters: null };

const credentials = [
  { registry: "us.icr.io", username: "iamapikey", password: GOOD, credentialKind: "iam-api-key" as const },
  { registry: "de.icr.io", username: "iamapikey", password: BAD, credentialKind: "iam-api-key" as const },
  { registry: "*.icr.io", username: "iamapikey", password: GOOD, credentialKind: "iam-api-key" as const },
];
/** The secret as the last scan shows it: registries and users, no credential. */
const scanned = (names: string[]) => async () =>
  ({ name: "s", namespace: "n", registries: credentials.filter((c) => names.includes(c.registry)).map(({ registry, username, credentialKind }) => ({ registry, username, credentialKind })) }) as unknown as PullSecretDto;
const allScanned = scanned(["us.icr.io", "de.icr.io", "*.icr.io"]);

describe("verifyPullSecretCredentials", () => {
  it("checks each registry, records a step before and after each, and returns fingerprints only", async () => {
    const { store, log } = memoryAudit();
    const asked: string[] = [];
    const result = await verifyPullSecretCredentials(
      {
        kube: { withPullSecretCredentials: async <T,>(_c: string, _ref: unknown, run: (creds: typeof credentials) => Promise<T>) => run(credentials) } as never,
        verifyRegistry: async (input) => {
          asked.push(input.domain);
          return { domain: input.domain, result: input.password === GOOD ? "valid" : "rejected", latencyMs: 3, detail: input.password === GOOD ? "accepted" : "the registry refused the credentials" };
        },
        audit: store,
       
        lookup: allScanned,
      },
      { cluster: "regional", namespace: "team-a", secret: "all-icr-io" },
      operator,
    );
    expect(asked).toEqual(["us.icr.io", "de.icr.io"]);
    expect(result.status).toBe("partially_failed");
    expect(result.summary).toBe("1 of 2 registries accepted the credentials of team-a/all-icr-io.");
    expect(result.checks.map((c) => [c.registry, c.result])).toEqual([["us.icr.io", "valid"], ["de.icr.io", "rejected"], ["*.icr.io", "skipped"]]);
    expect(result.checks[0]!.fingerprint).toBe(credentialFingerprint("iamapikey", GOOD));
    expect(result.checks[1]!.fingerprint).toBe(credentialFingerprint("iamapikey", BAD));
    expect(log.started[0]).toMatchObject({ kind: "verify_credentials", actor: "op@example.com", cluster: "regional", namespaces: ["team-a"], status: "running" });
    // The wildcard key is skipped in the plan, so it is recorded first, with the run's other skipped and refused steps.
    expect(log.steps.map((s) => [s.sequence, s.phase, s.outcome])).toEqual([
      [3, "finished", "skipped"],
      [1, "started", "started"], [1, "finished", "succeeded"],
      [2, "started", "started"], [2, "finished", "failed"],
    ]);
    expect(log.steps.every((s) => s.action === "registry.credential_verified")).toBe(true);
    expect(log.finished).toEqual([{ status: "partially_failed", summary: result.summary, finishedAt: expect.any(Date) }]);
    expect(JSON.stringify({ result, log })).not.toContain(CANARY);
  });

  it("verifies nothing when the audit log cannot be written", async () => {
    const { store } = memoryAudit({ failOnStart: true });
    let read = false;
    await expect(
      verifyPullSecretCredentials(
        { kube: { withPullSecretCredentials: async () => ((read = true), []) } as never, verifyRegistry: async () => Promise.reject(new Error("no")), audit: store, lookup: allScanned },
        { cluster: "c", namespace: "n", secret: "s" },
        operator,
      ),
    ).rejects.toBeInstanceOf(VerifyCredentialsError);
    expect(read).toBe(false);
  });

  it("records a failed operation when the secret cannot be read", async () => {
    const { store, log } = memoryAudit();
    await expect(
      verifyPullSecretCredentials(
        { kube: { withPullSecretCredentials: async () => Promise.reject(new KubeError("not_found", "Secret team-a/x does not exist in cluster c.", { cluster: "c" })) } as never, verifyRegistry: async () => Promise.reject(new Error("unused")), audit: store, lookup: scanned(["us.icr.io"]) },
        { cluster: "c", namespace: "team-a", secret: "x" },
        operator,
      ),
    ).rejects.toThrow("does not exist");
    expect(log.finished[0]).toMatchObject({ status: "failed" });
  });
});

describe("deletePullSecret", () => {
  const known = (managedBy: PullSecretDto["managedBy"], annotations?: Record<string, string>) =>
    ({ name: "all-icr-io", namespace: "team-b", managedBy, credentialFingerprint: "abc123def456", provenance: readProvenance(annotations) }) as PullSecretDto;
  /** The copy operation that made team-b/all-icr-io, as the audit log holds it. */
  const copyRecord = {
    id: "op-copy", kind: "copy_pull_secrets", cluster: "c",
    steps: [{ action: "secret.copied", outcome: "succeeded", target: { kind: "Secret", namespace: "team-b", name: "all-icr-io" }, afterFingerprint: "abc123def456" }],
  } as unknown as OperationWithSteps;
  const proven = provenanceAnnotations({ operationId: "op-copy", origin: "secret", sourceCluster: "c" });
  // The copy that made the secret is on record; the delete's own operation reads back from the memory store.
  const withCopyRecord = (store: AuditStore) => {
    const own = store.getOperation.bind(store);
    return Object.assign(store, { getOperation: async (id: string) => (id === copyRecord.id ? copyRecord : own(id)) });
  };

  it("refuses a secret labelled managed-by pullkeeper by hand (no provenance in the audit log), before any call or audit row", async () => {
    for (const [annotations, reason] of [
      [undefined, "no pullkeeper.io/operation-id annotation"],
      [provenanceAnnotations({ operationId: "op-forged", origin: "secret", sourceCluster: "c" }), "operation op-forged is not in the audit log"],
    ] as const) {
      const { store, log } = memoryAudit();
      let deleted = false;
      await expect(
        deletePullSecret(
          { kube: { deleteSecret: async () => ((deleted = true), { deleted: true }) }, audit: withCopyRecord(store), lookup: async () => known("pullkeeper", annotations), invalidate: () => undefined },
          { cluster: "c", namespace: "team-b", secret: "all-icr-io" },
          operator,
        ),
      ).rejects.toThrow(`team-b/all-icr-io carries the managed-by label but no Pullkeeper provenance matching the audit log (${reason}): refusing to delete.`);
      expect(deleted).toBe(false);
      expect(log.started).toHaveLength(0);
    }
  });

  it("refuses a secret Pullkeeper did not create, before any call or audit row", async () => {
    const { store, log } = memoryAudit();
    let deleted = false;
    await expect(
      deletePullSecret(
        { kube: { deleteSecret: async () => ((deleted = true), { deleted: true }) }, audit: store, lookup: async () => known("helm"), invalidate: () => undefined },
        { cluster: "c", namespace: "team-b", secret: "all-icr-io" },
        operator,
      ),
    ).rejects.toThrow(/not created by Pullkeeper \(it is managed by helm\)/);
    expect(deleted).toBe(false);
    expect(log.started).toHaveLength(0);
  });

  it("deletes a Pullkeeper secret as an audited operation and drops the cluster's cached scan", async () => {
    const { store, log } = memoryAudit();
    const invalidated: string[] = [];
    const result = await deletePullSecret(
      { kube: { deleteSecret: async () => ({ deleted: true }) }, audit: withCopyRecord(store), lookup: async () => known("pullkeeper", proven), invalidate: (c) => invalidated.push(c) },
      { cluster: "c", namespace: "team-b", secret: "all-icr-io" },
      operator,
    );
    expect(result.summary).toBe("Deleted pull secret team-b/all-icr-io.");
    expect(log.started[0]).toMatchObject({ kind: "delete_pull_secret", namespaces: ["team-b"] });
    expect(log.steps.map((s) => [s.action, s.phase, s.outcome, s.beforeFingerprint])).toEqual([
      ["secret.deleted", "started", "started", "abc123def456"],
      ["secret.deleted", "finished", "succeeded", "abc123def456"],
    ]);
    expect(log.finished[0]).toMatchObject({ status: "succeeded" });
    expect(invalidated).toEqual(["c"]);
  });

  it("records the API's refusal (e.g. the secret changed meanwhile) as a failed step", async () => {
    const { store, log } = memoryAudit();
    await expect(
      deletePullSecret(
        { kube: { deleteSecret: async () => Promise.reject(new KubeError("conflict", "team-b/all-icr-io changed since it was read; nothing was deleted.", { cluster: "c" })) }, audit: withCopyRecord(store), lookup: async () => known("pullkeeper", proven), invalidate: () => undefined },
        { cluster: "c", namespace: "team-b", secret: "all-icr-io" },
        operator,
      ),
    ).rejects.toThrow(/nothing was deleted/);
    expect(log.steps[1]).toMatchObject({ outcome: "failed", error: { kind: "conflict" } });
    expect(log.finished[0]).toMatchObject({ status: "failed" });
  });
});

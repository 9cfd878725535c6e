import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PullSecretDto } from "@/lib/kube/port";
import { provenanceAnnotations } from "@/lib/provenance/annotations";
import { buildDockerConfigJson } from "@/lib/registry/docker-config";
import { deletePullSecret, DeleteSecretError, previewWorkflow, startWorkflow } from "@/lib/workflows";
import type { PullSecretRef } from "@/lib/workflows/pull-secret-ref";
import { PROVIDERS } from "../support/databases";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

const CLUSTER = "regional";
const MANAGED_BY = { "app.kubernetes.io/managed-by": "pullkeeper" };
const dockerConfig = buildDockerConfigJson([{ registry: "us.icr.io", username: "iamapikey", password: "hand-made-key-0123456789abcdef0123456789" }]);

describe.each(PROVIDERS)("deleting a pull secret requires Pullkeeper provenance in the audit log (%s)", (database) => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness([CLUSTER], { database, iam: false });
  });
  afterAll(async () => harness?.close());

  const find = async (ref: PullSecretRef): Promise<PullSecretDto | undefined> =>
    (await harness.deps.kube.readPullSecretInventory(ref.cluster)).pullSecrets.find((s) => s.namespace === ref.namespace && s.name === ref.secret);
  const remove = (ref: PullSecretRef) =>
    deletePullSecret({ kube: harness.deps.kube, audit: harness.audit, lookup: find, invalidate: () => undefined }, ref, OPERATOR);
  const handMade = (name: string, annotations?: Record<string, string>) =>
    harness.deps.kube.createPullSecret(CLUSTER, { namespace: "shipping", name, dockerConfigJson: dockerConfig, labels: MANAGED_BY, ...(annotations ? { annotations } : {}) });

  it("refuses a secret labelled managed-by pullkeeper by hand, and it still exists", async () => {
    await handMade("hand-labelled");
    const ref = { cluster: CLUSTER, namespace: "shipping", secret: "hand-labelled" };
    expect((await find(ref))?.managedBy).toBe("pullkeeper");
    const refusal = remove(ref);
    await expect(refusal).rejects.toBeInstanceOf(DeleteSecretError);
    await expect(refusal).rejects.toThrow(
      "shipping/hand-labelled carries the managed-by label but no Pullkeeper provenance matching the audit log (no pullkeeper.io/operation-id annotation): refusing to delete.",
    );
    expect(await find(ref)).toBeDefined();
  });

  it("refuses a secret whose annotations name an operation that does not exist, or one that did not write it", async () => {
    await handMade("forged-unknown", provenanceAnnotations({ operationId: "00000000-0000-4000-8000-000000000000", origin: "secret", sourceCluster: CLUSTER }));
    const unknown = { cluster: CLUSTER, namespace: "shipping", secret: "forged-unknown" };
    await expect(remove(unknown)).rejects.toThrow("(operation 00000000-0000-4000-8000-000000000000 is not in the audit log): refusing to delete.");
    expect(await find(unknown)).toBeDefined();

    // A real copy operation, which wrote other secrets but not this one.
    const copied = await copyInto("qa");
    await handMade("forged-other", provenanceAnnotations({ operationId: copied, origin: "secret", sourceCluster: CLUSTER }));
    const other = { cluster: CLUSTER, namespace: "shipping", secret: "forged-other" };
    await expect(remove(other)).rejects.toThrow(`(operation ${copied} did not write shipping/forged-other): refusing to delete.`);
    expect(await find(other)).toBeDefined();
  });

  it("deletes a secret Pullkeeper copied, as an audited operation", async () => {
    const operationId = await copyInto("sandbox");
    const ref = { cluster: CLUSTER, namespace: "sandbox", secret: "sandbox-us-icr-io" };
    expect((await find(ref))?.provenance).toMatchObject({ operationId, origin: "secret", sourceCluster: CLUSTER });
    const result = await remove(ref);
    expect(result.summary).toBe("Deleted pull secret sandbox/sandbox-us-icr-io.");
    expect(await find(ref)).toBeUndefined();
    expect(await harness.audit.getOperation(result.operationId)).toMatchObject({ kind: "delete_pull_secret", status: "succeeded" });
  });

  it("does not delete a secret replaced by a hand-made one after its provenance was proven from the scan", async () => {
    await copyInto("ml-training");
    const ref = { cluster: CLUSTER, namespace: "ml-training", secret: "ml-training-us-icr-io" };
    const scanned = await find(ref);
    expect(scanned?.provenance).toBeTruthy();
    // Between the scan and the click, someone swaps the copy for their own secret with the same name and label.
    await harness.deps.kube.deleteSecret(CLUSTER, { namespace: "ml-training", name: "ml-training-us-icr-io" });
    await harness.deps.kube.createPullSecret(CLUSTER, { namespace: "ml-training", name: "ml-training-us-icr-io", dockerConfigJson: dockerConfig, labels: MANAGED_BY });
    const stale = deletePullSecret({ kube: harness.deps.kube, audit: harness.audit, lookup: async () => scanned, invalidate: () => undefined }, ref, OPERATOR);
    await expect(stale).rejects.toThrow("changed since its provenance was checked; nothing was deleted");
    expect((await find(ref))?.credentialFingerprint).not.toBe(scanned?.credentialFingerprint);
  });

  /** Copies default/default-us-icr-io into the namespace through the copy workflow; returns the operation id. */
  async function copyInto(namespace: string): Promise<string> {
    const input = { cluster: CLUSTER, sourceNamespace: "default", secrets: ["default-us-icr-io"], naming: "seed", attach: false, restartPods: false, targets: { mode: "list", namespaces: [namespace] } } as const;
    const plan = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    const start = await startWorkflow("copy_pull_secrets", input, plan.digest, harness.deps, OPERATOR);
    if (!start.ok) throw new Error(`copy refused: ${start.reason}`);
    const result = await start.done;
    expect(result.status).toBe("succeeded");
    return result.operationId;
  }
});

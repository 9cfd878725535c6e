import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeError } from "@/lib/kube/errors";
import type { KubeGateway } from "@/lib/kube/port";
import { previewWorkflow, runWorkflowToEnd, type WorkflowDeps } from "@/lib/workflows";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

/** The same ports, except that patching service accounts in `namespace` fails, as a run cut short there would leave it. */
function attachFailsIn(deps: WorkflowDeps, namespace: string): WorkflowDeps {
  const kube = new Proxy(deps.kube, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (property !== "addImagePullSecrets" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
      return async (cluster: string, ns: string, ...rest: unknown[]) => {
        if (ns === namespace) throw new KubeError("forbidden", `cannot patch serviceaccounts in ${ns}`, { cluster, namespace: ns });
        return (value as (...args: unknown[]) => unknown).call(target, cluster, ns, ...rest);
      };
    },
  }) as KubeGateway;
  return { ...deps, kube };
}

describe("undo of a run that a later run completed", () => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional"]);
  });
  afterAll(async () => harness?.close());

  const input = {
    cluster: "regional", sourceNamespace: "default", secrets: ["default-au-icr-io"], targets: { mode: "list", namespaces: ["sandbox", "qa"] },
    naming: "seed", attach: true, serviceAccount: "default", restartPods: false,
  } as const;

  it("keeps the secrets the later run attached, saying why, and still reverts what only the first run made", async () => {
    // The first run copies into both namespaces but cannot attach in qa; the re-run attaches there.
    const first = await runWorkflowToEnd("copy_pull_secrets", input, attachFailsIn(harness.deps, "qa"), OPERATOR);
    expect(first.result.status).toBe("partially_failed");
    const rerun = await runWorkflowToEnd("copy_pull_secrets", input, harness.deps, OPERATOR);
    expect(rerun.result.status).toBe("succeeded");
    const attached = (await harness.deps.kube.readPullSecretInventory("regional")).serviceAccounts.find((sa) => sa.namespace === "qa" && sa.name === "default");
    expect(attached?.imagePullSecrets).toContain("qa-au-icr-io");

    const undo = await previewWorkflow("undo", { operationId: first.result.operationId }, harness.deps, OPERATOR);
    const qaDelete = undo.steps.find((step) => step.op.type === "secret.delete" && step.target.namespace === "qa")!;
    expect(qaDelete.status).toBe("skip");
    expect(qaDelete.reason).toMatch(/still referenced by service account qa\/default/);
    expect(qaDelete.reason).toMatch(/dangling reference/);
    // In sandbox the first run attached it itself: its undo detaches, then deletes.
    const sandboxDelete = undo.steps.find((step) => step.op.type === "secret.delete" && step.target.namespace === "sandbox")!;
    expect(sandboxDelete.status).toBe("change");
    expect(sandboxDelete.op).toMatchObject({ expect: { operationId: first.result.operationId } });

    const { result } = await runWorkflowToEnd("undo", { operationId: first.result.operationId }, harness.deps, OPERATOR);
    expect(result.status).toBe("succeeded");
    const after = await harness.deps.kube.readPullSecretInventory("regional");
    expect(after.pullSecrets.some((s) => s.namespace === "qa" && s.name === "qa-au-icr-io")).toBe(true);
    expect(after.pullSecrets.some((s) => s.namespace === "sandbox" && s.name === "sandbox-au-icr-io")).toBe(false);
    // No reference is left dangling anywhere.
    for (const account of after.serviceAccounts.filter((sa) => ["qa", "sandbox"].includes(sa.namespace))) {
      for (const name of account.imagePullSecrets) expect(after.pullSecrets.some((s) => s.namespace === account.namespace && s.name === name), `${account.namespace}/${name}`).toBe(true);
    }
  });
});

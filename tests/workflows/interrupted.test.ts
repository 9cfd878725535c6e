import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewWorkflow, runWorkflowToEnd } from "@/lib/workflows";
import { DEMO_OPERATOR } from "@/sim/demo-credentials";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

const repoRoot = path.resolve(import.meta.dirname, "../..");

describe("a run killed mid-way", () => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional"]);
  });
  afterAll(async () => harness?.close());

  it("is shown interrupted after a restart, and a re-run does only what is left", async () => {
    const namespaces = ["sandbox", "qa", "shipping", "ml-training", "payments", "search", "analytics", "inventory"];
    const input = { cluster: "regional", sourceNamespace: "default", secrets: ["default-uk-icr-io", "default-au-icr-io"], targets: { mode: "list", namespaces }, naming: "seed", attach: true, serviceAccount: "default", restartPods: false };
    harness.fleet.sims[0]!.setFaults({ latencyMs: 120 });

    // Node itself (not the tsx wrapper, which would survive as a separate parent) so SIGKILL hits the runner.
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        path.join(repoRoot, "tests/support/run-workflow-child.ts"),
        JSON.stringify({
          kubeconfigPath: harness.kubeconfigPath,
          databaseUrl: harness.scratch.target.url,
          iam: { apiKey: DEMO_OPERATOR.apiKey, iamUrl: harness.ibm.url, identityUrl: harness.ibm.url, policyUrl: harness.ibm.url },
          registryEndpointTemplate: harness.ibm.registryUrlTemplate,
          kind: "copy_pull_secrets",
          input,
          concurrency: 2,
        }),
      ],
      { cwd: repoRoot, stdio: "ignore" },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));

    // Wait until the child has finished a few steps, then kill it as a crash would.
    const deadline = Date.now() + 30_000;
    let operationId: string | undefined;
    for (;;) {
      const page = await harness.audit.listOperations({ cluster: "regional", status: "running" }, { limit: 5 });
      operationId = page.items[0]?.id;
      const done = operationId ? ((await harness.audit.getOperation(operationId))?.steps.filter((s) => s.outcome === "succeeded").length ?? 0) : 0;
      if (done >= 3) break;
      if (Date.now() > deadline) throw new Error("the child never got going");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGKILL");
    await exited;
    harness.fleet.sims[0]!.setFaults({});
    // Requests the dead process had in flight still land on the server after its latency.
    await new Promise((resolve) => setTimeout(resolve, 500));

    // The next server start marks what the dead process left running.
    expect(await harness.audit.markInterrupted("restarted-server")).toBe(1);
    const interrupted = await harness.audit.getOperation(operationId!);
    expect(interrupted?.status).toBe("interrupted");
    const finishedBefore = interrupted!.steps.filter((s) => s.outcome === "succeeded").length;

    const rerun = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    const total = 16 + namespaces.length;
    expect(rerun.counts.change).toBeLessThan(total);
    expect(rerun.counts.change + rerun.counts.skip).toBeGreaterThanOrEqual(total);
    expect(rerun.counts.skip).toBeGreaterThanOrEqual(finishedBefore - 1);

    const { result } = await runWorkflowToEnd("copy_pull_secrets", input, harness.deps, OPERATOR);
    expect(result.status).toBe("succeeded");
    const inventory = await harness.deps.kube.readPullSecretInventory("regional");
    for (const namespace of namespaces) {
      const list = inventory.serviceAccounts.find((sa) => sa.namespace === namespace && sa.name === "default")?.imagePullSecrets ?? [];
      for (const name of [`${namespace}-uk-icr-io`, `${namespace}-au-icr-io`]) expect(list.filter((entry) => entry === name), namespace).toHaveLength(1);
    }
    expect((await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR)).counts.change).toBe(0);
  });
});

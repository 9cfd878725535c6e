import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewWorkflow, startWorkflow } from "@/lib/workflows";
import { KubectlHarness } from "../kubectl/support";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

/**
 * Two runs that write the same service accounts at once (two people, or a
 * person and a rule, on two replicas), while someone patches those service
 * accounts with kubectl: every write is a PUT on the resourceVersion it read,
 * a conflict is read again and retried, so no entry is lost and none is added twice.
 */
describe("concurrent runs and an outside kubectl patch on the same service accounts", () => {
  let harness: WorkflowHarness;
  let kubectl: KubectlHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional"]);
    kubectl = new KubectlHarness("1.33");
  });
  afterAll(async () => harness?.close());

  const namespaces = ["sandbox", "qa", "shipping", "ml-training", "payments", "search", "analytics", "inventory"];
  const copyOf = (secret: string) => ({ cluster: "regional", sourceNamespace: "default", secrets: [secret], targets: { mode: "list", namespaces }, naming: "seed", attach: true, serviceAccount: "default", restartPods: false });

  /** `kubectl patch --type=json` appending one entry: the server applies it to the list as it is then. */
  const append = (kubeconfig: string, namespace: string, name: string) =>
    kubectl.run(kubeconfig, ["patch", "serviceaccount", "default", "-n", namespace, "--type=json", "-p", `[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"${name}"}}]`]);

  it("ends with every entry exactly once: the run's, another replica's step and the outside one; a preview the run made stale is refused", async () => {
    const kubeconfig = kubectl.writeKubeconfig("kubeconfig", harness.fleet.kubeconfig);
    // Every service account gets a list first ("add /-" needs one; creating it would replace whatever a writer put there meanwhile).
    for (const namespace of namespaces) {
      const created = await kubectl.run(kubeconfig, ["patch", "serviceaccount", "default", "-n", namespace, "--type=json", "-p", '[{"op":"add","path":"/imagePullSecrets","value":[{"name":"pre-existing"}]}]']);
      expect(created.code, created.stderr).toBe(0);
    }
    const other = harness.otherProcess();
    const first = await previewWorkflow("copy_pull_secrets", copyOf("default-us-icr-io"), harness.deps, OPERATOR);
    // Previewed by someone else before the first run changes the same service accounts.
    const second = await previewWorkflow("copy_pull_secrets", copyOf("default-uk-icr-io"), other, OPERATOR);
    // Slow enough that the three writers overlap on every service account.
    harness.fleet.sims[0]!.setFaults({ latencyMs: 40 });
    const start = await startWorkflow("copy_pull_secrets", copyOf("default-us-icr-io"), first.digest, harness.deps, OPERATOR);
    if (!start.ok) throw new Error(start.message);
    await Promise.all([
      start.done,
      // Another replica's step attaching its own copy, through its own gateway.
      ...namespaces.map((namespace) => other.kube.addImagePullSecrets("regional", namespace, "default", [`${namespace}-from-replica`])),
      ...namespaces.map(async (namespace) => {
        const patched = await append(kubeconfig, namespace, "outside-secret");
        expect(patched.code, patched.stderr).toBe(0);
      }),
    ]);
    harness.fleet.sims[0]!.setFaults({});
    expect((await start.done).status).toBe("succeeded");
    const inventory = await harness.deps.kube.readPullSecretInventory("regional");
    for (const namespace of namespaces) {
      const list = inventory.serviceAccounts.find((sa) => sa.namespace === namespace && sa.name === "default")?.imagePullSecrets ?? [];
      for (const name of ["pre-existing", `${namespace}-us-icr-io`, `${namespace}-from-replica`, "outside-secret"]) expect(list.filter((entry) => entry === name), `${namespace}: ${list.join(", ")}`).toHaveLength(1);
    }
    // The second preview planned those service accounts as they were: applying it now is refused, nothing written.
    const ukCopies = (held: typeof inventory) => held.pullSecrets.filter((secret) => secret.name.endsWith("-uk-icr-io") && namespaces.includes(secret.namespace)).map((secret) => `${secret.namespace}/${secret.name}`);
    const late = await startWorkflow("copy_pull_secrets", copyOf("default-uk-icr-io"), second.digest, other, OPERATOR);
    expect(late).toMatchObject({ ok: false, reason: "stale_plan" });
    const after = await harness.deps.kube.readPullSecretInventory("regional");
    expect(ukCopies(after)).toEqual(ukCopies(inventory));
  });
});

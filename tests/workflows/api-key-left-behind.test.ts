import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeError } from "@/lib/kube/errors";
import type { KubeGateway } from "@/lib/kube/port";
import { previewWorkflow, runWorkflowToEnd, type WorkflowDeps } from "@/lib/workflows";
import { apiKeysLeftBehind } from "@/lib/workflows/shared/api-key-ledger";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

/** The same ports, except that writing a pull secret is refused (an admission webhook, a quota…). */
function secretWritesRefused(deps: WorkflowDeps): WorkflowDeps {
  const kube = new Proxy(deps.kube, {
    get(target, property) {
      if (property === "createPullSecret") {
        return async (cluster: string, secret: { namespace: string; name: string }) => {
          throw new KubeError("forbidden", `admission webhook denied the creation of ${secret.namespace}/${secret.name}`, { cluster, namespace: secret.namespace });
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as KubeGateway;
  return { ...deps, kube };
}

describe("an API key created by a run whose secret write failed", () => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["modern"]);
  });
  afterAll(async () => harness?.close());

  const input = (namespace: string) =>
    ({ cluster: "modern", namespace, role: "Reader", regions: ["us-south"], registryNamespace: "team-images", domains: ["us.icr.io"], style: "single", attach: true, serviceAccount: "default" }) as const;

  async function namespaces(): Promise<string[]> {
    const inventory = await harness.deps.kube.readPullSecretInventory("modern");
    return inventory.namespaces.map((ns) => ns.name).filter((name) => !["default", "kube-system"].includes(name));
  }

  async function failedRun(namespace: string) {
    const { result } = await runWorkflowToEnd("create_scoped_credentials", input(namespace), secretWritesRefused(harness.deps), OPERATOR);
    expect(result.status).toBe("partially_failed");
    const operation = (await harness.audit.getOperation(result.operationId))!;
    const left = apiKeysLeftBehind(operation);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ name: `modern-${namespace}-key`, operationId: operation.id, fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) });
    // The record names the key; it never holds its value.
    expect(JSON.stringify(operation)).not.toMatch(/apiKey"\s*:\s*"[^"[]/);
    return { operation, key: left[0]! };
  }

  it("is listed as left behind, and the re-run deletes it instead of leaving a second key", async () => {
    const [namespace] = await namespaces();
    const { key } = await failedRun(namespace!);
    const serviceIamId = key.serviceIamId!;
    expect((await harness.ports.iam!.listApiKeys(serviceIamId)).map((k) => k.id)).toEqual([key.apiKeyId]);

    const preview = await previewWorkflow("create_scoped_credentials", input(namespace!), harness.deps, OPERATOR);
    const cleanup = preview.steps.find((step) => step.op.type === "iam.delete_api_key");
    expect(cleanup).toMatchObject({ status: "change", op: { id: key.apiKeyId }, title: expect.stringContaining(`left behind by operation ${key.operationId}`) });

    const { result } = await runWorkflowToEnd("create_scoped_credentials", input(namespace!), harness.deps, OPERATOR);
    expect(result.status).toBe("succeeded");
    const keys = await harness.ports.iam!.listApiKeys(serviceIamId);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.id).not.toBe(key.apiKeyId);
    // The one key left is the one the new secret holds.
    const rerun = (await harness.audit.getOperation(result.operationId))!;
    const created = rerun.steps.find((step) => step.action === "iam.api_key.created")!;
    const secret = (await harness.deps.kube.readPullSecretInventory("modern")).pullSecrets.find((s) => s.namespace === namespace && s.name === `${namespace}-icr-io`)!;
    expect(secret.registries[0]!.fingerprint).toBe(created.detail!.fingerprint);
    expect(apiKeysLeftBehind(rerun)).toEqual([]);
    // Nothing is left to clean up: the next preview changes nothing.
    expect((await previewWorkflow("create_scoped_credentials", input(namespace!), harness.deps, OPERATOR)).counts.change).toBe(0);
  });

  it("is deleted by undo of the failed run", async () => {
    const [, namespace] = await namespaces();
    const { operation, key } = await failedRun(namespace!);
    const undo = await previewWorkflow("undo", { operationId: operation.id }, harness.deps, OPERATOR);
    expect(undo.steps.find((step) => step.action === "iam.api_key.deleted")).toMatchObject({ status: "change", op: { id: key.apiKeyId } });
    const { result } = await runWorkflowToEnd("undo", { operationId: operation.id }, harness.deps, OPERATOR);
    expect(result.status).toBe("succeeded");
    expect(await harness.ports.iam!.listApiKeys(key.serviceIamId!)).toEqual([]);
  });
});

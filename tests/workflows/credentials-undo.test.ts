import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewWorkflow, runWorkflowToEnd } from "@/lib/workflows";
import { CREDENTIAL_CANARY, DEMO_PRIVATE_REGISTRY } from "@/sim/demo-credentials";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

describe("scoped IAM credentials, private registries and undo on the modern demo cluster", () => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["modern"]);
  });
  afterAll(async () => harness?.close());

  const scoped = { cluster: "modern", namespace: "team-a", role: "Reader", regions: ["us-south"], registryNamespace: "team-a-images", domains: ["us.icr.io"], style: "single", attach: true, serviceAccount: "default" } as const;

  it("creates service ID, policy, API key and a verified, attached pull secret; re-running creates nothing new", async () => {
    const inventory = await harness.deps.kube.readPullSecretInventory("modern");
    const namespace = inventory.namespaces.map((ns) => ns.name).find((name) => name !== "default" && name !== "kube-system")!;
    const input = { ...scoped, namespace };
    const { plan, result } = await runWorkflowToEnd("create_scoped_credentials", input, harness.deps, OPERATOR);
    expect(result.status).toBe("succeeded");
    expect(plan.steps.map((step) => step.target.name)).toEqual(
      expect.arrayContaining([`modern-${namespace}-id`, `modern-${namespace}-key`, `${namespace}-icr-io`]),
    );
    const operation = await harness.audit.getOperation(result.operationId);
    const verify = operation!.steps.find((step) => step.action === "registry.credential_verified")!;
    expect(verify.outcome).toBe("succeeded");
    expect(JSON.stringify(operation)).not.toMatch(/apiKey"\s*:\s*"[^"[]/);

    const after = await harness.deps.kube.readPullSecretInventory("modern");
    const secret = after.pullSecrets.find((s) => s.namespace === namespace && s.name === `${namespace}-icr-io`)!;
    expect(secret.registries).toEqual([expect.objectContaining({ registry: "us.icr.io", username: "iamapikey", credentialKind: "iam-api-key" })]);
    // The workflow's check went through the ports and was saved for the dashboard, by the new key's fingerprint.
    const saved = await harness.connection.prisma.registryVerificationResult.findMany({ where: { fingerprint: secret.registries[0]!.fingerprint } });
    expect(saved).toEqual([expect.objectContaining({ registry: "us.icr.io", username: "iamapikey", result: "valid", credentialTested: true })]);
    expect(after.serviceAccounts.find((sa) => sa.namespace === namespace && sa.name === "default")?.imagePullSecrets).toContain(`${namespace}-icr-io`);

    const serviceIds = await harness.ports.iam!.listServiceIdsCreatedByPullkeeper();
    const again = await previewWorkflow("create_scoped_credentials", input, harness.deps, OPERATOR);
    expect(again.counts.change).toBe(0);
    expect(await harness.ports.iam!.listServiceIdsCreatedByPullkeeper()).toHaveLength(serviceIds.length);

    // Undo: removes the secret, the attachment, the key, the policy and the service ID it created.
    const undo = await runWorkflowToEnd("undo", { operationId: result.operationId }, harness.deps, OPERATOR);
    expect(undo.result.status).toBe("succeeded");
    const restored = await harness.deps.kube.readPullSecretInventory("modern");
    expect(restored.pullSecrets.some((s) => s.namespace === namespace && s.name === `${namespace}-icr-io`)).toBe(false);
    expect(restored.serviceAccounts.find((sa) => sa.namespace === namespace && sa.name === "default")?.imagePullSecrets ?? []).not.toContain(`${namespace}-icr-io`);
    expect((await harness.ports.iam!.listServiceIdsCreatedByPullkeeper()).some((sid) => sid.name === `modern-${namespace}-id`)).toBe(false);
    const undoRecord = await harness.audit.getOperation(undo.result.operationId);
    expect(undoRecord?.relatedOperationId).toBe(result.operationId);
  });

  it("keeps the API key, its policy and service ID when undoing would break copies still holding the key", async () => {
    const inventory = await harness.deps.kube.readPullSecretInventory("modern");
    const [namespace, other] = inventory.namespaces.map((ns) => ns.name).filter((name) => !["default", "kube-system"].includes(name)).slice(1, 3) as [string, string];
    const { result } = await runWorkflowToEnd("create_scoped_credentials", { ...scoped, namespace }, harness.deps, OPERATOR);
    expect(result.status).toBe("succeeded");
    await harness.deps.kube.copySecret("modern", { namespace, name: `${namespace}-icr-io` }, { namespace: other, name: "copied-key" });

    const undo = await previewWorkflow("undo", { operationId: result.operationId }, harness.deps, OPERATOR);
    const keyStep = undo.steps.find((step) => step.action === "iam.api_key.deleted")!;
    expect(keyStep.status).toBe("refused");
    expect(keyStep.reason).toMatch(new RegExp(`${other}/copied-key`));
    expect(undo.steps.filter((step) => step.action === "iam.service_id.deleted" || step.action === "iam.policy.deleted").every((step) => step.status === "refused")).toBe(true);
    expect(undo.steps.find((step) => step.action === "secret.deleted")?.status).toBe("change");
    const detach = undo.steps.find((step) => step.action === "service_account.unpatched")!;
    expect(undo.steps.find((step) => step.action === "secret.deleted")?.dependsOn).toContain(detach.key);
  });

  it("creates a private-registry secret without the password in any plan, step or audit record", async () => {
    const input = {
      cluster: "modern", namespace: "default", secretName: "example-registry", server: DEMO_PRIVATE_REGISTRY.server,
      username: DEMO_PRIVATE_REGISTRY.username, password: `${CREDENTIAL_CANARY}-typed-in-form`, email: "ci@example.com",
      attach: false, serviceAccount: "default", verify: false,
    };
    const { plan, result } = await runWorkflowToEnd("create_private_registry_secret", input, harness.deps, OPERATOR);
    expect(result.status).toBe("succeeded");
    expect(JSON.stringify(plan)).not.toContain(CREDENTIAL_CANARY);
    const operation = await harness.audit.getOperation(result.operationId);
    expect(JSON.stringify(operation)).not.toContain(CREDENTIAL_CANARY);
    const secret = (await harness.deps.kube.readPullSecretInventory("modern")).pullSecrets.find((s) => s.name === "example-registry")!;
    expect(secret.registries[0]).toMatchObject({ registry: DEMO_PRIVATE_REGISTRY.server, username: DEMO_PRIVATE_REGISTRY.username, credentialKind: "basic" });
  });

  it("verifies a private-registry credential and reports a rejection as a failed step", async () => {
    const input = {
      cluster: "modern", namespace: "default", secretName: "wrong-icr", server: "us.icr.io",
      username: "iamapikey", password: "not-a-real-key-0000000000000000000000000000", email: "",
      attach: false, serviceAccount: "default", verify: true,
    };
    const { result } = await runWorkflowToEnd("create_private_registry_secret", input, harness.deps, OPERATOR);
    expect(result.status).toBe("partially_failed");
    const operation = await harness.audit.getOperation(result.operationId);
    const verify = operation!.steps.find((step) => step.action === "registry.credential_verified")!;
    expect(verify.outcome).toBe("failed");
    expect(verify.error?.message).toMatch(/us\.icr\.io: rejected/);
  });

  it("refuses IAM steps with a clear reason when IBM Cloud is not configured", async () => {
    const noIam = await startWorkflowHarness(["modern"], { iam: false });
    try {
      const plan = await previewWorkflow("create_scoped_credentials", { ...scoped, namespace: "default" }, noIam.deps, OPERATOR);
      expect(plan.counts.change).toBe(0);
      expect(plan.steps.find((step) => step.action === "iam.service_id.created")?.reason).toMatch(/IBMCLOUD_API_KEY/);
      expect(plan.warnings.map((w) => w.code)).toContain("iam_not_configured");
    } finally {
      await noIam.close();
    }
  });
});

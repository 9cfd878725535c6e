import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewWorkflow, runWorkflowToEnd } from "@/lib/workflows";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

describe("a preview over IAM objects that already exist", () => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["modern"]);
  });
  afterAll(async () => harness?.close());

  it("shows the existing service ID and policy as reused, not as changes, and the run still mints a working key", async () => {
    const inventory = await harness.deps.kube.readPullSecretInventory("modern");
    const namespace = inventory.namespaces.map((ns) => ns.name).find((name) => !["default", "kube-system"].includes(name))!;
    const input = { cluster: "modern", namespace, role: "Reader", regions: ["us-south"], registryNamespace: "team-images", domains: ["us.icr.io"], style: "single", attach: false, serviceAccount: "default" } as const;
    const first = await runWorkflowToEnd("create_scoped_credentials", input, harness.deps, OPERATOR);
    expect(first.plan.steps.filter((step) => step.op.type.startsWith("iam.ensure")).map((step) => step.status)).toEqual(["change", "change"]);
    expect(first.result.status).toBe("succeeded");
    // The secret goes (by hand); the service ID and its policy stay.
    await harness.deps.kube.deleteSecret("modern", { namespace, name: `${namespace}-icr-io` }, { force: true });

    const again = await previewWorkflow("create_scoped_credentials", input, harness.deps, OPERATOR);
    const serviceId = again.steps.find((step) => step.op.type === "iam.ensure_service_id")!;
    const policy = again.steps.find((step) => step.op.type === "iam.ensure_policy")!;
    expect(serviceId).toMatchObject({ status: "skip", title: expect.stringMatching(/^Reuse service ID modern-.*-id \(ServiceId-/), reason: expect.stringContaining("reused, not changed") });
    expect(policy).toMatchObject({ status: "skip", reason: expect.stringMatching(/Already granted by access policy \S+; it is reused/) });
    expect(again.steps.find((step) => step.op.type === "iam.create_api_key")?.status).toBe("change");
    expect(again.counts.change).toBe(3); // the key, the secret, its verification

    const second = await runWorkflowToEnd("create_scoped_credentials", input, harness.deps, OPERATOR);
    expect(second.result.status).toBe("succeeded");
    const record = (await harness.audit.getOperation(second.result.operationId))!;
    expect(record.steps.find((step) => step.action === "registry.credential_verified")?.outcome).toBe("succeeded");
    expect(record.steps.find((step) => step.action === "iam.service_id.created")).toMatchObject({ outcome: "skipped" });
  });
});

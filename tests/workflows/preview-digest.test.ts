import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewWorkflow, startWorkflow, type WorkflowKind } from "@/lib/workflows";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

/**
 * Apply runs only what the operator previewed: any input field changed between
 * the preview and the click on Apply (a tampered request, a second tab) must be
 * refused, including fields that change only what is written, not which objects.
 */
describe("the preview digest covers the whole input", () => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["modern", "regional"]);
  });
  afterAll(async () => harness?.close());

  const privateRegistry = {
    cluster: "modern",
    namespace: "observability",
    secretName: "digest-check",
    server: "registry.example.com",
    username: "robot-ci",
    password: "first-password-0a1b2c",
    email: "",
    attach: true,
    serviceAccount: "default",
    verify: true,
  };
  const copy = {
    cluster: "regional",
    sourceNamespace: "default",
    secrets: ["default-au-icr-io"],
    targets: { mode: "list", namespaces: ["sandbox"] },
    naming: "seed",
    attach: true,
    serviceAccount: "default",
    restartPods: false,
  };

  const cases: Array<{ kind: WorkflowKind; base: Record<string, unknown>; changes: Record<string, unknown> }> = [
    {
      kind: "create_private_registry_secret",
      base: privateRegistry,
      changes: {
        cluster: "regional",
        namespace: "billing",
        secretName: "digest-check-2",
        server: "registry.example.org",
        username: "robot-other",
        password: "second-password-3d4e5f",
        email: "ops@example.com",
        attach: false,
        serviceAccount: "builder",
        verify: false,
      },
    },
    {
      kind: "copy_pull_secrets",
      base: copy,
      changes: {
        cluster: "modern",
        sourceNamespace: "payments",
        secrets: ["default-jp-icr-io"],
        targets: { mode: "list", namespaces: ["qa"] },
        naming: "keep",
        attach: false,
        serviceAccount: "builder",
        restartPods: true,
      },
    },
  ];

  for (const { kind, base, changes } of cases) {
    it(`${kind}: every field is part of what was previewed`, async () => {
      expect(Object.keys(changes).sort()).toEqual(Object.keys(base).sort());
      const plan = await previewWorkflow(kind, base, harness.deps, OPERATOR);
      for (const [field, value] of Object.entries(changes)) {
        const start = await startWorkflow(kind, { ...base, [field]: value }, plan.digest, harness.deps, OPERATOR);
        expect(start.ok, `${field} changed after the preview`).toBe(false);
        if (!start.ok) expect(start.reason, field).toBe("stale_plan");
      }
    });
  }
});

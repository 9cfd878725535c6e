import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaAuditStore } from "@/lib/audit/prisma-audit-store";
import type { AuditStore } from "@/lib/audit/port";
import { previewWorkflow } from "@/lib/workflows";
import { DEMO_PRIVATE_REGISTRY } from "@/sim/demo-credentials";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import type { KubeSimRule } from "@/sim/kube";
import { createMigratedDatabase, type ScratchDatabase } from "../support/databases";
import type { DatabaseConnection } from "@/lib/db/client";
import { OPERATOR } from "../support/workflow-harness";
import { runEveryWorkflow } from "./every-workflow";
import { startInClusterPod } from "./in-cluster";
import { serviceAccountRules } from "./manifests";

const WRITE_OPS = /^(secret|service_account|deployment|workload)\./;

/** Every rule of the role as (resource, verb) pairs: the finest grain one could remove. */
function withoutOne(rules: KubeSimRule[]): Array<{ removed: string; rules: KubeSimRule[] }> {
  return rules.flatMap((rule, index) =>
    rule.resources.flatMap((resource) =>
      rule.verbs.map((verb) => ({
        removed: `${verb} ${resource}`,
        rules: rules.flatMap((other, i) => {
          if (i !== index) return [other];
          const rest: KubeSimRule[] = [];
          const verbs = rule.verbs.filter((v) => v !== verb);
          if (verbs.length > 0) rest.push({ ...rule, resources: [resource], verbs });
          const resources = rule.resources.filter((r) => r !== resource);
          if (resources.length > 0) rest.push({ ...rule, resources, verbs: rule.verbs });
          return rest;
        }),
      })),
    ),
  );
}

describe("the rendered RBAC, given to Pullkeeper's service account in a simulated cluster", () => {
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  let audit: AuditStore;
  beforeAll(async () => {
    ({ scratch, connection } = await createMigratedDatabase("sqlite"));
    audit = createPrismaAuditStore(connection.prisma, connection.provider);
  });
  afterAll(async () => {
    await connection?.close();
    await scratch?.drop();
  });

  it("the full role (overlay sqlite) completes every workflow in in-cluster mode", async () => {
    expect(await runEveryWorkflow(serviceAccountRules("sqlite"), audit)).toEqual([]);
  }, 180_000);

  it("every single permission of the role is needed: without any one, some workflow fails", async () => {
    const survivors: string[] = [];
    for (const { removed, rules } of withoutOne(serviceAccountRules("sqlite"))) {
      const problems = await runEveryWorkflow(rules, audit, { stopAtFirst: true });
      if (problems.length === 0) survivors.push(removed);
    }
    expect(survivors, "permissions no workflow needs").toEqual([]);
  }, 600_000);

  describe("the read-only overlay", () => {
    let ibm: IbmCloudSim;
    beforeAll(async () => {
      ibm = await startIbmCloudSim({});
    });
    afterAll(async () => ibm?.close());

    it("reads coverage and refuses every write in the preview, naming the missing permission", async () => {
      const rules = serviceAccountRules("read-only");
      const checks: Array<{ cluster: "legacy" | "regional" | "modern"; kind: Parameters<typeof previewWorkflow>[0]; input: unknown }> = [
        { cluster: "legacy", kind: "migrate_to_api_keys", input: { cluster: "legacy", style: "per-domain", rewriteImagesIn: ["default"], updateCopies: true, removeLegacy: true } },
        { cluster: "regional", kind: "copy_pull_secrets", input: { cluster: "regional", sourceNamespace: "default", secrets: ["default-us-icr-io"], naming: "seed", attach: true, serviceAccount: "default", restartPods: true, targets: { mode: "uncovered" } } },
        { cluster: "regional", kind: "attach_pull_secrets", input: { cluster: "regional", namespaces: ["batch-jobs"], serviceAccount: "default", secrets: ["batch-jobs-de-icr-io"], restartPods: true } },
        { cluster: "modern", kind: "create_private_registry_secret", input: { cluster: "modern", namespace: "default", secretName: "example-registry", server: DEMO_PRIVATE_REGISTRY.server, username: DEMO_PRIVATE_REGISTRY.username, password: "read-only-test-password", email: "", attach: true, serviceAccount: "default", verify: false } },
      ];
      for (const check of checks) {
        const pod = await startInClusterPod(check.cluster, rules, { ibm, audit });
        try {
          const inventory = await pod.deps.kube.readPullSecretInventory(check.cluster);
          expect(inventory.scope).toBe("cluster");
          expect(inventory.unreadableNamespaces).toEqual([]);
          const plan = await previewWorkflow(check.kind, check.input, pod.deps, OPERATOR);
          // Steps with nothing to do are skipped whatever the permissions; every other write is refused.
          const writes = plan.steps.filter((step) => WRITE_OPS.test(step.op.type) && step.status !== "skip");
          expect(writes.length, check.kind).toBeGreaterThan(0);
          for (const step of writes) {
            expect(step.status, `${check.kind} ${step.key}`).toBe("refused");
            expect(step.reason, `${check.kind} ${step.key}`).toMatch(/may not (create|update|patch|delete) (secrets|serviceaccounts|deployments|statefulsets|daemonsets) in namespace [a-z0-9-]+/);
          }
          expect(plan.counts.change).toBe(plan.steps.filter((step) => step.status === "change" && !WRITE_OPS.test(step.op.type)).length);
          // No write was even attempted.
          expect(Object.keys(pod.sim.stats().byKey).filter((key) => /^(create|update|patch|delete) (secrets|serviceaccounts|deployments|statefulsets|daemonsets|pods)$/.test(key))).toEqual([]);
        } finally {
          await pod.close();
        }
      }
    }, 120_000);
  });
});

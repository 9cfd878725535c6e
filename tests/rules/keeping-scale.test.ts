/**
 * A keeping rule over a cluster of 10,000 namespaces (the "a rule
 * matching 10,000 namespaces"), on the simulated API server over HTTPS with
 * the real adapters: one evaluation reads and judges them all (9,940 already
 * covered by a copy of the source, 50 lacking one, 5 holding someone else's
 * same-name secret, 5 left out by the selector), the fix it enforces writes
 * exactly the 50 (copy and attach), and the next evaluation finds every matched
 * namespace kept except the 5 conflicts. Correctness, not speed: no time is
 * asserted (the file's duration is in the test report).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaAuditStore } from "@/lib/audit/prisma-audit-store";
import type { PullSecretInventory } from "@/lib/kube/port";
import { evaluateRuleOnCluster, type RuleEvaluationDeps } from "@/lib/rules/evaluation";
import { ruleSpecSchema } from "@/lib/rules/spec";
import { createRuleStore, type RuleStore } from "@/lib/rules/store";
import { createPorts, workflowDeps, type Ports } from "@/lib/server/ports";
import { PreviewedPlans } from "@/lib/workflows";
import type { DatabaseConnection } from "@/lib/db/client";
import { DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import { dockerConfigJson, type Obj } from "@/sim/fleet/builders";
import { fleetKubeconfig, startKubeSim, type KubeSim } from "@/sim/kube";
import { PROVIDERS, createMigratedDatabase, type ScratchDatabase } from "../support/databases";

const CLUSTER = "huge";
const NAMESPACES = 10_000;
const created = "2026-01-05T08:00:00Z";
const nsName = (i: number) => `team-${String(i).padStart(5, "0")}`;
/** Namespaces 9,941–9,990 lack the secret, 9,991–9,995 hold someone else's, 9,996–10,000 lack it but are excluded. */
const lacking = (i: number) => i > 9_940 && i <= 9_990;
const foreign = (i: number) => i > 9_990 && i <= 9_995;
const excluded = (i: number) => i > 9_995;

function hugeCluster(): Obj[] {
  const source = dockerConfigJson([{ server: "us.icr.io", username: "iamapikey", password: DEMO_CLUSTER_SERVICE_IDS.regional.apiKey }]);
  const someoneElses = dockerConfigJson([{ server: "us.icr.io", username: "iamapikey", password: DEMO_CLUSTER_SERVICE_IDS.modern.apiKey }]);
  const secret = (namespace: string, data: string): Obj => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "all-icr-io", namespace, creationTimestamp: created }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": data } });
  const account = (namespace: string, pullSecrets: string[]): Obj => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace, creationTimestamp: created }, imagePullSecrets: pullSecrets.map((name) => ({ name })) });
  const objects: Obj[] = [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "default", creationTimestamp: created } }, secret("default", source), account("default", ["all-icr-io"])];
  for (let i = 1; i <= NAMESPACES; i++) {
    const namespace = nsName(i);
    objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, creationTimestamp: created, labels: excluded(i) ? { keep: "no" } : { keep: "yes" } } });
    if (lacking(i) || excluded(i)) {
      objects.push(account(namespace, []));
    } else if (foreign(i)) {
      objects.push(secret(namespace, someoneElses), account(namespace, []));
    } else {
      objects.push(secret(namespace, source), account(namespace, ["all-icr-io"]));
    }
  }
  return objects;
}

describe.each(PROVIDERS)("a keeping rule over 10,000 namespaces (%s)", (provider) => {
  let dir: string;
  let sim: KubeSim;
  let ports: Ports;
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  let rules: RuleStore;
  let deps: RuleEvaluationDeps;
  const inventory = (): Promise<PullSecretInventory> => ports.kube.readPullSecretInventory(CLUSTER);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-rule-scale-"));
    sim = await startKubeSim({ name: CLUSTER, objects: hugeCluster() });
    fs.writeFileSync(path.join(dir, "kubeconfig"), fleetKubeconfig([sim]), { mode: 0o600 });
    ({ scratch, connection } = await createMigratedDatabase(provider));
    ports = createPorts({ kubeconfigPaths: [path.join(dir, "kubeconfig")], iam: null });
    const audit = createPrismaAuditStore(connection.prisma, connection.provider);
    rules = createRuleStore(connection.prisma);
    deps = { rules, clusterLabels: async () => ({}), workflow: workflowDeps(ports, audit, 8, { previews: new PreviewedPlans() }) };
  }, 120_000);

  afterAll(async () => {
    ports?.close();
    await sim?.close();
    await connection?.close();
    await scratch?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("evaluates all 10,000 in one pass, enforces exactly the 50 that lack the secret, and then finds them kept", async () => {
    const rule = await rules.create({
      name: "icr-at-scale", description: "", mode: "enforce",
      spec: ruleSpecSchema.parse({
        clusters: { mode: "list", names: [CLUSTER] }, namespaces: { match: { mode: "labels", labelSelector: "keep!=no" } }, registries: ["us.icr.io"],
        source: { namespace: "default", secrets: ["all-icr-io"] }, naming: "keep", serviceAccounts: { mode: "default" },
      }),
    }, "admin@example.com");

    const first = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    if (!first.evaluated) throw new Error(`not evaluated: ${first.reason}`);
    expect(first.status).toMatchObject({ state: "conflict", matched: 9_995, compliant: 9_940, driftCount: 50, conflictCount: 5, removalCount: 0, error: null });
    expect(first.status.evaluation!.drift.map((drift) => drift.namespace)).toEqual(Array.from({ length: 50 }, (_, k) => nsName(9_941 + k)));
    expect(first.status.evaluation!.conflicts.map((conflict) => `${conflict.kind} ${conflict.namespace}`)).toEqual(Array.from({ length: 5 }, (_, k) => `foreign_secret ${nsName(9_991 + k)}`));

    const operation = await deps.workflow.audit.getOperation(first.operationId!);
    expect(operation).toMatchObject({ kind: "keep_rule", actor: "rule:icr-at-scale", status: "succeeded" });
    expect(operation!.namespaces).toHaveLength(50);
    expect(operation!.steps.filter((step) => step.action === "secret.copied" && step.outcome === "succeeded")).toHaveLength(50);
    expect(operation!.steps.filter((step) => step.action === "service_account.patched" && step.outcome === "succeeded")).toHaveLength(50);
    expect(operation!.steps.filter((step) => step.outcome !== "succeeded")).toEqual([]);

    const after = await inventory();
    const source = after.pullSecrets.find((secret) => secret.namespace === "default" && secret.name === "all-icr-io")!;
    const copy = (i: number) => after.pullSecrets.find((secret) => secret.namespace === nsName(i) && secret.name === "all-icr-io");
    const attached = (i: number) => after.serviceAccounts.find((account) => account.namespace === nsName(i) && account.name === "default")?.imagePullSecrets ?? [];
    for (let i = 9_941; i <= 9_990; i++) {
      expect(copy(i)?.credentialFingerprint).toBe(source.credentialFingerprint);
      expect(attached(i)).toEqual(["all-icr-io"]);
    }
    // Someone else's secrets are left as they were, and the excluded namespaces untouched (they lack it too).
    for (let i = 9_991; i <= 9_995; i++) {
      expect(copy(i)?.credentialFingerprint).not.toBe(source.credentialFingerprint);
      expect(attached(i)).toEqual([]);
    }
    for (let i = 9_996; i <= NAMESPACES; i++) expect(copy(i)).toBeUndefined();

    const second = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    if (!second.evaluated) throw new Error(`not evaluated: ${second.reason}`);
    expect(second).toMatchObject({ operationId: null, status: { state: "conflict", matched: 9_995, compliant: 9_990, driftCount: 0, conflictCount: 5, removalCount: 0 } });
    expect(second.status.evaluation!.keptNamespaces).toEqual(Array.from({ length: 50 }, (_, k) => nsName(9_941 + k)));
  });
});

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterLabelling, currentClusterLabels } from "@/lib/clusters/labels";
import { createClusterStore, type ClusterStore } from "@/lib/clusters/store";
import { previewBlastRadius } from "@/lib/rules/blast-radius";
import { evaluateRuleOnCluster, type RuleEvaluationDeps } from "@/lib/rules/evaluation";
import { ruleSpecSchema } from "@/lib/rules/spec";
import { createRuleStore, type RuleStore } from "@/lib/rules/store";
import { createCredentialCipher } from "@/lib/sealing/credential-cipher";
import { PROVIDERS } from "../support/databases";
import { startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";
import { KubectlHarness } from "../kubectl/support";

/**
 * A rule choosing its clusters by label (issue #19 §3): labels set on the clusters page (the cluster store) are read
 * at every evaluation, so a cluster labelled later is kept by the next one, and a cluster unlabelled leaves the
 * rule's scope: its copies there are removed (enforce) and the rule's status on it goes once nothing is left.
 */

const CLUSTER = "modern";
const ADMIN = "admin@example.com";
const spec = ruleSpecSchema.parse({
  clusters: { mode: "labels", labelSelector: "env=prod,region in (eu-de,eu-gb)" }, namespaces: { match: { mode: "names" }, include: ["team-l"] },
  registries: ["us.icr.io"], source: { namespace: "default", secrets: ["all-icr-io"] }, naming: "keep", serviceAccounts: { mode: "default" },
});

describe.each(PROVIDERS)("keeping rules by cluster label (%s)", (database) => {
  let harness: WorkflowHarness;
  let rules: RuleStore;
  let clusters: ClusterStore;
  let deps: RuleEvaluationDeps;
  const kubectl = new KubectlHarness("1.33");
  const inventory = () => harness.deps.kube.readPullSecretInventory(CLUSTER);
  const copy = async () => (await inventory()).pullSecrets.find((s) => s.namespace === "team-l" && s.name === "all-icr-io");
  const attached = async () => (await inventory()).serviceAccounts.find((a) => a.namespace === "team-l" && a.name === "default")?.imagePullSecrets ?? [];

  beforeAll(async () => {
    harness = await startWorkflowHarness([CLUSTER], { database, iam: false });
    rules = createRuleStore(harness.connection.prisma);
    clusters = createClusterStore(harness.connection.prisma, createCredentialCipher(randomBytes(32)));
    deps = { rules, workflow: harness.deps, clusterLabels: (cluster) => currentClusterLabels(clusters, cluster) };
    const created = await kubectl.run(harness.kubeconfigPath, ["--context", CLUSTER, "create", "namespace", "team-l"]);
    expect(created.stderr).toBe("");
  });
  afterAll(async () => {
    kubectl.cleanup();
    await harness?.close();
  });

  it("leaves an unlabelled cluster alone, keeps it once labelled, and removes its copies once unlabelled", async () => {
    const rule = await rules.create({ name: "prod-clusters", description: "", mode: "enforce", spec }, ADMIN);
    expect(await evaluateRuleOnCluster(rule.id, CLUSTER, deps)).toEqual({ evaluated: false, reason: "not_in_scope" });
    expect(await copy()).toBeUndefined();

    // Labelled on the clusters page (a kubeconfig context gets its row on the first edit): the next evaluation keeps it.
    await clusters.updateCluster(CLUSTER, { labels: { env: "prod", region: "eu-de" } }, ADMIN);
    const kept = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    expect(kept).toMatchObject({ evaluated: true, status: { state: "drift", matched: 1, driftCount: 1 } });
    expect(await harness.audit.getOperation((kept.evaluated && kept.operationId) || "")).toMatchObject({ kind: "keep_rule", actor: "rule:prod-clusters", status: "succeeded" });
    expect(await copy()).toBeDefined();
    expect(await attached()).toContain("all-icr-io");
    expect(await evaluateRuleOnCluster(rule.id, CLUSTER, deps)).toMatchObject({ evaluated: true, operationId: null, status: { state: "ok", compliant: 1 } });

    // Relabelled out of the selector: as for a namespace leaving scope, the copies it made are listed and removed.
    await clusters.updateCluster(CLUSTER, { labels: { env: "prod", region: "us-south" } }, ADMIN);
    const left = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    expect(left).toMatchObject({ evaluated: true, status: { state: "drift", matched: 0, removalCount: 1 } });
    expect(left.evaluated && left.status.evaluation?.removals).toMatchObject([{ namespace: "team-l", secret: "all-icr-io", serviceAccounts: ["default"] }]);
    const removal = await harness.audit.getOperation((left.evaluated && left.operationId) || "");
    expect(removal).toMatchObject({ kind: "keep_rule", actor: "rule:prod-clusters", status: "succeeded" });
    expect(await copy()).toBeUndefined();
    expect(await attached()).not.toContain("all-icr-io");

    // Nothing of the rule is left there: its status on the cluster goes, and it stays out of scope.
    expect(await evaluateRuleOnCluster(rule.id, CLUSTER, deps)).toEqual({ evaluated: false, reason: "left_scope" });
    expect((await rules.statuses(rule.id)).map((status) => status.cluster)).toEqual([]);
    expect(await evaluateRuleOnCluster(rule.id, CLUSTER, deps)).toEqual({ evaluated: false, reason: "not_in_scope" });
    await rules.remove(rule.id);
  });

  it("in report mode lists the copies on a cluster that left its scope and removes nothing", async () => {
    await clusters.updateCluster(CLUSTER, { labels: { env: "prod", region: "eu-gb" } }, ADMIN);
    const enforcing = await rules.create({ name: "prod-report", description: "", mode: "enforce", spec }, ADMIN);
    expect(await evaluateRuleOnCluster(enforcing.id, CLUSTER, deps)).toMatchObject({ evaluated: true, status: { matched: 1 } });
    const reporting = await rules.update(enforcing.id, { mode: "report" }, ADMIN, "updated");
    expect(reporting).toMatchObject({ mode: "report" });
    await clusters.updateCluster(CLUSTER, { labels: {} }, ADMIN);
    const left = await evaluateRuleOnCluster(enforcing.id, CLUSTER, deps);
    expect(left).toMatchObject({ evaluated: true, operationId: null, status: { state: "drift", removalCount: 1 } });
    expect(await copy()).toBeDefined();
  });

  it("previews the clusters its selector holds now with their labels, and a cluster leaving it as removals", async () => {
    const rule = (await rules.getByName("prod-report"))!;
    const previewDeps = async () => ({
      clusters: await clusterLabelling(clusters, [CLUSTER, "elsewhere"]),
      previouslyKept: (await rules.statuses(rule.id)).map((status) => status.cluster),
      inventory: async (cluster: string) => (cluster === CLUSTER ? inventory() : { error: "not simulated" }),
      audit: harness.audit, otherRules: [], decisions: async () => [],
    });
    const leaving = await previewBlastRadius(rule, await previewDeps());
    expect(leaving.totals).toMatchObject({ clusters: 0, leavingScope: 1, removals: 1 });
    expect(leaving.clusters).toMatchObject([{ cluster: CLUSTER, leavesScope: true, removals: 1, matched: 0 }]);

    await clusters.updateCluster(CLUSTER, { labels: { env: "prod", region: "eu-de" } }, ADMIN);
    const holding = await previewBlastRadius(rule, await previewDeps());
    expect(holding.totals).toMatchObject({ clusters: 1, leavingScope: 0, matched: 1, removals: 0 });
    expect(holding.clusters).toMatchObject([{ cluster: CLUSTER, leavesScope: false }]);
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startKubeWatcher } from "@/lib/kube/watch";
import { evaluateRuleOnCluster, type RuleEvaluationDeps } from "@/lib/rules/evaluation";
import { ruleSpecSchema, type RuleSpecInput } from "@/lib/rules/spec";
import { createRuleStore, type RuleStore } from "@/lib/rules/store";
import { buildDockerConfigJson } from "@/lib/registry/docker-config";
import { PROVIDERS } from "../support/databases";
import { startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";
import { KubectlHarness } from "../kubectl/support";

// Every evaluation of a rule against an inventory, counted (the real function runs).
const evaluations = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/lib/rules/evaluate", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/rules/evaluate")>();
  return { ...actual, evaluateRule: (...args: Parameters<typeof actual.evaluateRule>) => (evaluations.count++, actual.evaluateRule(...args)) };
});

const CLUSTER = "modern";
const foreignConfig = buildDockerConfigJson([{ registry: "us.icr.io", username: "iamapikey", password: "someone-elses-key-0123456789abcdef012345" }]);

const spec = (overrides: Partial<RuleSpecInput> = {}) =>
  ruleSpecSchema.parse({
    clusters: { mode: "list", names: [CLUSTER] }, namespaces: { match: { mode: "names" }, include: ["team-a", "team-b"] }, registries: ["us.icr.io"],
    source: { namespace: "default", secrets: ["all-icr-io"] }, naming: "keep", serviceAccounts: { mode: "default" }, ...overrides,
  });

describe.each(PROVIDERS)("keeping rules on the simulated cluster (%s)", (database) => {
  let harness: WorkflowHarness;
  let rules: RuleStore;
  let deps: RuleEvaluationDeps;
  const kubectl = new KubectlHarness("1.33");
  const run = async (...args: string[]) => {
    const result = await kubectl.run(harness.kubeconfigPath, ["--context", CLUSTER, ...args]);
    expect(result.stderr).toBe("");
    return result.stdout;
  };
  const inventory = () => harness.deps.kube.readPullSecretInventory(CLUSTER);
  const secretIn = async (namespace: string, name: string) => (await inventory()).pullSecrets.find((s) => s.namespace === namespace && s.name === name);
  const defaultAccount = async (namespace: string) => (await inventory()).serviceAccounts.find((a) => a.namespace === namespace && a.name === "default");

  beforeAll(async () => {
    harness = await startWorkflowHarness([CLUSTER], { database, iam: false });
    rules = createRuleStore(harness.connection.prisma);
    deps = { rules, workflow: harness.deps, clusterLabels: async () => ({}) };
    await run("create", "namespace", "team-a");
    await run("create", "namespace", "team-b");
  });
  afterAll(async () => {
    kubectl.cleanup();
    await harness?.close();
  });

  it("in enforce mode copies and attaches what a namespace lacks, as rule:<name> in the audit log, then finds nothing to do", async () => {
    const rule = await rules.create({ name: "icr-everywhere", description: "", mode: "enforce", spec: spec() }, "admin@example.com");
    evaluations.count = 0;
    const first = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    expect(first).toMatchObject({ evaluated: true, status: { state: "drift", matched: 2, driftCount: 2 } });
    // The fix is planned from the evaluation that found the drift, not from a second one.
    expect(evaluations.count).toBe(1);
    const operationId = first.evaluated ? first.operationId : null;
    const operation = await harness.audit.getOperation(operationId!);
    expect(operation).toMatchObject({ kind: "keep_rule", actor: "rule:icr-everywhere", status: "succeeded", parameters: { ruleId: rule.id } });
    const source = await secretIn("default", "all-icr-io");
    expect((await secretIn("team-a", "all-icr-io"))?.credentialFingerprint).toBe(source?.credentialFingerprint);
    expect((await defaultAccount("team-b"))?.imagePullSecrets).toContain("all-icr-io");

    const second = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    expect(second).toMatchObject({ evaluated: true, operationId: null, status: { state: "ok", compliant: 2, driftCount: 0 } });
    expect(second.evaluated && second.status.evaluation?.keptNamespaces).toEqual(["team-a", "team-b"]);
  });

  it("stops at a same-name secret it did not make, changes nothing there, and adopts it once a person decides so", async () => {
    const rule = (await rules.getByName("icr-everywhere"))!;
    await run("create", "namespace", "team-c");
    await harness.deps.kube.createPullSecret(CLUSTER, { namespace: "team-c", name: "all-icr-io", dockerConfigJson: foreignConfig, labels: {} });
    const foreign = await secretIn("team-c", "all-icr-io");
    const widened = await rules.update(rule.id, { spec: spec({ namespaces: { match: { mode: "names" }, include: ["team-a", "team-b", "team-c"] } }) }, "admin@example.com", "updated");
    expect(widened).toMatchObject({ version: 2 });

    const conflicted = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    expect(conflicted).toMatchObject({ evaluated: true, operationId: null, status: { state: "conflict", conflictCount: 1 } });
    expect(conflicted.evaluated && conflicted.status.evaluation?.conflicts).toMatchObject([{ namespace: "team-c", kind: "foreign_secret", secret: "all-icr-io" }]);
    expect((await secretIn("team-c", "all-icr-io"))?.credentialFingerprint).toBe(foreign?.credentialFingerprint);

    await rules.decide(rule.id, CLUSTER, { namespace: "team-c", secret: "all-icr-io", decision: "adopt", renameTo: null, decidedBy: "operator@example.com", decidedAt: new Date().toISOString() });
    const adopted = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    expect(adopted).toMatchObject({ evaluated: true, status: { conflictCount: 0 } });
    expect((await secretIn("team-c", "all-icr-io"))?.credentialFingerprint).toBe((await secretIn("default", "all-icr-io"))?.credentialFingerprint);
    expect((await defaultAccount("team-c"))?.imagePullSecrets).toContain("all-icr-io");
  });

  it("follows a second decision on the other name it was given, and keeps the copy it made under that name", async () => {
    await run("create", "namespace", "team-r");
    for (const name of ["all-icr-io", "team-r-pull"]) await harness.deps.kube.createPullSecret(CLUSTER, { namespace: "team-r", name, dockerConfigJson: foreignConfig, labels: {} });
    const rule = await rules.create({ name: "renamed-copies", description: "", mode: "enforce", spec: spec({ namespaces: { match: { mode: "names" }, include: ["team-r"] } }) }, "admin@example.com");
    const decide = (secret: string, decision: "adopt" | "rename", renameTo: string | null = null) =>
      rules.decide(rule.id, CLUSTER, { namespace: "team-r", secret, decision, renameTo, decidedBy: "operator@example.com", decidedAt: new Date().toISOString() });
    try {
      await decide("all-icr-io", "rename", "team-r-pull");
      // Someone else's secret holds the other name too: listed under that name, which the next decision is about.
      const second = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
      expect(second.evaluated && second.status.evaluation?.conflicts).toMatchObject([{ namespace: "team-r", kind: "foreign_secret", secret: "team-r-pull" }]);
      await decide("team-r-pull", "adopt");
      const adopted = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
      expect(adopted).toMatchObject({ evaluated: true, status: { conflictCount: 0, driftCount: 1 } });
      expect((await secretIn("team-r", "team-r-pull"))?.credentialFingerprint).toBe((await secretIn("default", "all-icr-io"))?.credentialFingerprint);
      expect((await defaultAccount("team-r"))?.imagePullSecrets).toEqual(["team-r-pull"]);
      // The copy under the other name is the rule's copy there: kept, not removed as out of scope.
      const settled = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
      expect(settled).toMatchObject({ evaluated: true, operationId: null, status: { state: "ok", compliant: 1, removalCount: 0 } });
      expect(await secretIn("team-r", "team-r-pull")).toBeDefined();
    } finally {
      await rules.remove(rule.id);
    }
  });

  it("detaches and deletes its copy in a namespace that left its scope, and nothing it did not make", async () => {
    const rule = (await rules.getByName("icr-everywhere"))!;
    await rules.update(rule.id, { spec: spec({ namespaces: { match: { mode: "names" }, include: ["team-a", "team-c"] } }) }, "admin@example.com", "updated");
    const outcome = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    expect(outcome).toMatchObject({ evaluated: true, status: { removalCount: 1 } });
    expect(await secretIn("team-b", "all-icr-io")).toBeUndefined();
    expect((await defaultAccount("team-b"))?.imagePullSecrets).not.toContain("all-icr-io");
    expect(await secretIn("team-a", "all-icr-io")).toBeDefined();
    const after = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    expect(after).toMatchObject({ evaluated: true, status: { state: "ok", removalCount: 0 } });
  });

  it("in report mode counts drift and writes nothing; paused, it is not evaluated", async () => {
    await run("create", "namespace", "team-d");
    const rule = await rules.create({ name: "report-only", description: "", mode: "report", spec: spec({ namespaces: { match: { mode: "names" }, include: ["team-d"] } }) }, "admin@example.com");
    const outcome = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    expect(outcome).toMatchObject({ evaluated: true, operationId: null, status: { state: "drift", driftCount: 1 } });
    expect(await secretIn("team-d", "all-icr-io")).toBeUndefined();
    await rules.update(rule.id, { paused: true }, "operator@example.com", "paused");
    expect(await evaluateRuleOnCluster(rule.id, CLUSTER, deps)).toEqual({ evaluated: false, reason: "paused" });
    expect((await rules.revisions(rule.id)).map((r) => r.change)).toEqual(["paused", "created"]);
  });

  it("says so when its source secret is gone, changes nothing, and recovers when it is back", async () => {
    const rule = (await rules.getByName("icr-everywhere"))!;
    await run("create", "namespace", "team-e");
    await rules.update(rule.id, { spec: spec({ namespaces: { match: { mode: "names" }, include: ["team-a", "team-c", "team-e"] } }), mode: "enforce" }, "admin@example.com", "updated");
    const saved = await run("get", "secret", "all-icr-io", "-n", "default", "-o", "json");
    await run("delete", "secret", "all-icr-io", "-n", "default");
    const broken = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    expect(broken).toMatchObject({ evaluated: true, operationId: null, status: { state: "error" } });
    expect(broken.evaluated && broken.status.error).toMatch(/default\/all-icr-io does not exist/);
    expect(await secretIn("team-e", "all-icr-io")).toBeUndefined();
    const restored = JSON.parse(saved) as { metadata: Record<string, unknown> };
    restored.metadata = { name: "all-icr-io", namespace: "default" };
    await kubectl.run(harness.kubeconfigPath, ["--context", CLUSTER, "create", "-f", "-"], JSON.stringify(restored));
    const healed = await evaluateRuleOnCluster(rule.id, CLUSTER, deps);
    expect(healed).toMatchObject({ evaluated: true, status: { state: "drift", driftCount: 1 } });
    expect(await secretIn("team-e", "all-icr-io")).toBeDefined();
  });

  it("covers a namespace created with kubectl on its own, woken by the cluster watch", async () => {
    const rule = (await rules.getByName("icr-everywhere"))!;
    await rules.update(rule.id, { spec: spec({ namespaces: { match: { mode: "labels", labelSelector: "pull=icr" } } }) }, "admin@example.com", "updated");
    const watcher = startKubeWatcher({ kubeconfigPaths: [harness.kubeconfigPath], clusters: [CLUSTER], resources: ["namespaces", "serviceaccounts", "secrets"], relistIntervalMs: 60_000 });
    let evaluating = Promise.resolve();
    watcher.onChange(() => {
      evaluating = evaluating.then(() => evaluateRuleOnCluster(rule.id, CLUSTER, deps).then(() => undefined));
    });
    try {
      await run("create", "namespace", "watched");
      await run("label", "namespace", "watched", "pull=icr");
      await expect.poll(async () => (await defaultAccount("watched"))?.imagePullSecrets ?? [], { timeout: 30_000, interval: 250 }).toContain("all-icr-io");
      expect((await secretIn("watched", "all-icr-io"))?.credentialFingerprint).toBe((await secretIn("default", "all-icr-io"))?.credentialFingerprint);
    } finally {
      await watcher.close();
      await evaluating;
    }
  });
});

import { computeClusterCoverage } from "@/lib/coverage";
import { runWorkflowToEnd, type Plan, type WorkflowKind } from "@/lib/workflows";
import type { DemoClusterName } from "@/sim/fleet";
import type { KubeSimRule } from "@/sim/kube";
import { DEMO_PRIVATE_REGISTRY } from "@/sim/demo-credentials";
import { OPERATOR } from "../support/workflow-harness";
import { startInClusterPod, type InClusterPod } from "./in-cluster";
import type { AuditStore } from "@/lib/audit/port";
import { startIbmCloudSim } from "@/sim/ibm-cloud";
import { call } from "../support/sim-workloads";
import { startKubeWatcher } from "@/lib/kube/watch";

/**
 * Every workflow Pullkeeper offers, each on the demo cluster it was built for,
 * run in in-cluster mode as the service account with `rules`: the coverage
 * read, migrate (with image rewrite, copies and legacy removal), copy with
 * attach and restart, attach with restart, scoped credentials, its undo, and a
 * private-registry secret; and the cluster watches of keeping rules and pull
 * failures (list and watch of every watched resource). Returns what went wrong, in words; with
 * `stopAtFirst`, after the first problem.
 */
export async function runEveryWorkflow(rules: KubeSimRule[], audit: AuditStore, opts: { stopAtFirst?: boolean } = {}): Promise<string[]> {
  const problems: string[] = [];
  // A fresh IBM Cloud per run: service IDs a failed undo left behind would change the next run's plan.
  const ibm = await startIbmCloudSim({});
  const shared = { ibm, audit };
  const pods: InClusterPod[] = [];
  const pod = async (cluster: DemoClusterName) => {
    const started = await startInClusterPod(cluster, rules, shared);
    pods.push(started);
    return started;
  };
  const stop = () => opts.stopAtFirst === true && problems.length > 0;
  const run = async (p: InClusterPod, kind: WorkflowKind, input: unknown): Promise<{ plan: Plan; operationId: string } | null> => {
    try {
      const { plan, result } = await runWorkflowToEnd(kind, input, p.deps, OPERATOR);
      const refused = plan.steps.filter((step) => step.status === "refused");
      if (refused.length > 0) problems.push(`${kind}: ${refused.length} step(s) refused, e.g. ${refused[0]!.reason}`);
      if (result.status !== "succeeded") problems.push(`${kind}: ${result.status} (${result.summary})`);
      if (plan.counts.change === 0) problems.push(`${kind}: planned no change`);
      return { plan, operationId: result.operationId };
    } catch (error) {
      problems.push(`${kind}: threw ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  };

  try {
    const legacy = await pod("legacy");
    const inventory = await legacy.deps.kube.readPullSecretInventory("legacy");
    if (inventory.scope !== "cluster" || inventory.unreadableNamespaces.length > 0 || inventory.notes.length > 0) {
      problems.push(`coverage: read as ${inventory.scope}; ${[...inventory.notes, ...inventory.unreadableNamespaces.map((u) => u.message)].join("; ")}`);
    }
    if (computeClusterCoverage(inventory).namespaces.length === 0) problems.push("coverage: no namespace");
    if (stop()) return problems;
    problems.push(...(await watchProblems(legacy)));
    if (stop()) return problems;
    await run(legacy, "migrate_to_api_keys", { cluster: "legacy", style: "per-domain", rewriteImagesIn: ["default"], updateCopies: true, removeLegacy: true });
    if (stop()) return problems;

    const regional = await pod("regional");
    await seedSetsNeedingRestart(regional);
    await run(regional, "copy_pull_secrets", {
      cluster: "regional", sourceNamespace: "default", secrets: ["default-us-icr-io", "default-icr-io"], naming: "seed",
      attach: true, serviceAccount: "default", restartPods: true, targets: { mode: "uncovered" },
    });
    if (stop()) return problems;
    await run(regional, "attach_pull_secrets", { cluster: "regional", namespaces: ["batch-jobs"], serviceAccount: "default", secrets: ["batch-jobs-de-icr-io"], restartPods: true });
    if (stop()) return problems;

    const modern = await pod("modern");
    const namespace = (await modern.deps.kube.readPullSecretInventory("modern")).namespaces.map((ns) => ns.name).find((name) => !["default", "kube-system"].includes(name))!;
    const scoped = await run(modern, "create_scoped_credentials", {
      cluster: "modern", namespace, role: "Reader", regions: ["us-south"], registryNamespace: "team-a-images", domains: ["us.icr.io"], style: "single", attach: true, serviceAccount: "default",
    });
    if (stop()) return problems;
    if (scoped) await run(modern, "undo", { operationId: scoped.operationId });
    if (stop()) return problems;
    await run(modern, "create_private_registry_secret", {
      cluster: "modern", namespace: "default", secretName: "example-registry", server: DEMO_PRIVATE_REGISTRY.server,
      username: DEMO_PRIVATE_REGISTRY.username, password: "deploy-test-registry-password", email: "ci@example.com", attach: true, serviceAccount: "default", verify: false,
    });
    return problems;
  } finally {
    await Promise.all(pods.map((p) => p.close()));
    await ibm.close();
  }
}

/** Starts the watches as the server does (over the gateway's clusters) and says which could not list and watch. */
async function watchProblems(pod: InClusterPod): Promise<string[]> {
  const watcher = startKubeWatcher({ clusterSource: pod.ports.kube.watchableClusters(), initialBackoffMs: 50, maxBackoffMs: 200 });
  try {
    const settled = () => watcher.health().length > 0 && watcher.health().every((h) => h.errors > 0 || (h.state === "watching" && h.lists >= 1));
    for (const deadline = Date.now() + 15_000; !settled() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 25));
    // A watch opens after its list: give a refused watch the moment it takes to be refused.
    await new Promise((r) => setTimeout(r, 150));
    const failing = watcher.health().filter((h) => h.errors > 0 || h.state !== "watching");
    return failing.map((h) => `watch ${h.resource}${h.secretType ? ` (${h.secretType})` : ""}: ${h.lastError ?? h.state}`);
  } finally {
    await watcher.close();
  }
}

/**
 * A StatefulSet and a DaemonSet in batch-jobs whose pods started before the attach (this simulator runs no
 * controllers, so their pods are created as a controller would have): the attach restarts both (patch
 * statefulsets, daemonsets) and deletes the StatefulSet's pod stuck on its image pull (delete pods).
 */
async function seedSetsNeedingRestart(pod: InClusterPod): Promise<void> {
  const ns = "batch-jobs";
  const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: app, image: `de.icr.io/data/${app}:1` }] } });
  const set = (await call(pod.sim, "POST", `/apis/apps/v1/namespaces/${ns}/statefulsets`, { metadata: { name: "ledger" }, spec: { replicas: 1, serviceName: "ledger", selector: { matchLabels: { app: "ledger" } }, template: template("ledger") } })) as { metadata: { uid: string } };
  const daemons = (await call(pod.sim, "POST", `/apis/apps/v1/namespaces/${ns}/daemonsets`, { metadata: { name: "node-agent" }, spec: { selector: { matchLabels: { app: "node-agent" } }, template: template("node-agent") } })) as { metadata: { uid: string } };
  const owned = (kind: string, name: string, uid: string) => [{ apiVersion: "apps/v1", kind, name, uid, controller: true, blockOwnerDeletion: true }];
  const waiting = { name: "ledger", image: "de.icr.io/data/ledger:1", ready: false, restartCount: 0, state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "de.icr.io/data/ledger:1"' } } };
  await call(pod.sim, "POST", `/api/v1/namespaces/${ns}/pods`, {
    metadata: { name: "ledger-0", labels: { app: "ledger" }, ownerReferences: owned("StatefulSet", "ledger", set.metadata.uid) },
    spec: template("ledger").spec,
    status: { phase: "Pending", containerStatuses: [waiting] },
  });
  await call(pod.sim, "POST", `/api/v1/namespaces/${ns}/pods`, {
    metadata: { name: "node-agent-x7k2p", labels: { app: "node-agent" }, ownerReferences: owned("DaemonSet", "node-agent", daemons.metadata.uid) },
    spec: template("node-agent").spec,
    status: { phase: "Running" },
  });
}

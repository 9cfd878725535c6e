/**
 * Copies 6 pull secrets from `default` into N namespaces (default 500) of a
 * simulated cluster with 5 ms added latency and attaches them to each default
 * service account, twice on identical clusters: once with Pullkeeper's copy
 * workflow, once with the seed's kubectl commands (the `get -o yaml | sed |
 * create -f -` pipeline per secret and namespace, then `kubectl patch`).
 * Prints both wall times and the ratio.
 *
 *   npm run bench:copy -- [--namespaces 500] [--latency-ms 5] [--kubectl /usr/lib/google-cloud-sdk/bin/kubectl.1.29]
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrismaAuditStore } from "../lib/audit/prisma-audit-store";
import { connectDatabase } from "../lib/db/client";
import { parseDatabaseUrl } from "../lib/db/database-url";
import { applyPendingMigrations } from "../lib/db/migrations";
import { buildIamApiKeyDockerConfigJson } from "../lib/registry/docker-config";
import { createPorts, workflowDeps } from "../lib/server/ports";
import { runWorkflowToEnd } from "../lib/workflows";
import { DEMO_CLUSTER_SERVICE_IDS } from "../sim/demo-credentials";
import { startKubeSim } from "../sim/kube";

const DOMAINS = ["icr.io", "us.icr.io", "uk.icr.io", "de.icr.io", "au.icr.io", "jp.icr.io"];
const secretName = (domain: string) => `default-${domain.replace(/\./g, "-")}`;

function clusterObjects(namespaces: string[]): unknown[] {
  return [
    ...namespaces.map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { team: "bench" } } })),
    ...DOMAINS.map((domain) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: secretName(domain), namespace: "default" },
      type: "kubernetes.io/dockerconfigjson",
      data: { ".dockerconfigjson": Buffer.from(buildIamApiKeyDockerConfigJson({ apiKey: DEMO_CLUSTER_SERVICE_IDS.regional.apiKey, domains: [domain] })).toString("base64") },
    })),
  ];
}

function seedScript(namespaces: string[]): string {
  const lines = ["set -euo pipefail"];
  for (const ns of namespaces) {
    for (const domain of DOMAINS) lines.push(`kubectl get secret ${secretName(domain)} -n default -o yaml | sed 's/default/${ns}/g' | kubectl -n ${ns} create -f - >/dev/null`);
    const names = DOMAINS.map((domain) => `{"name": "${secretName(domain).replace("default", ns)}"}`).join(", ");
    lines.push(`kubectl patch -n ${ns} serviceaccount/default -p '{"imagePullSecrets":[${names}]}' >/dev/null`);
  }
  return lines.join("\n");
}

function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { env: env as NodeJS.ProcessEnv, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr.slice(-2000)}`)) : resolve())),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      namespaces: { type: "string", default: "500" },
      "latency-ms": { type: "string", default: "5" },
      kubectl: { type: "string", default: "/usr/lib/google-cloud-sdk/bin/kubectl.1.29" },
    },
  });
  const count = Number(values.namespaces);
  const latencyMs = Number(values["latency-ms"]);
  const namespaces = Array.from({ length: count }, (_, index) => `team-${String(index).padStart(4, "0")}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-bench-copy-"));
  const [pullkeeperCluster, kubectlCluster] = await Promise.all(
    ["bench-pullkeeper", "bench-kubectl"].map((name) => startKubeSim({ name, objects: clusterObjects(namespaces), faults: { latencyMs } })),
  );
  console.log(`two identical clusters: ${count} namespaces, 6 pull secrets in default, ${latencyMs} ms added latency per request`);

  // Pullkeeper: the copy workflow (preview, then apply), audited in a scratch SQLite store.
  const kubeconfig = path.join(dir, "pullkeeper.kubeconfig");
  fs.writeFileSync(kubeconfig, pullkeeperCluster!.kubeconfig());
  const database = parseDatabaseUrl(`file:${path.join(dir, "audit.db")}`);
  await applyPendingMigrations(database);
  const connection = await connectDatabase(database);
  const ports = createPorts({ kubeconfigPaths: [kubeconfig], iam: null, kubeConcurrency: 16 });
  const deps = workflowDeps(ports, createPrismaAuditStore(connection.prisma, connection.provider), 16);
  const input = { cluster: "bench-pullkeeper", sourceNamespace: "default", secrets: DOMAINS.map(secretName), targets: { mode: "list", namespaces }, naming: "seed", attach: true, serviceAccount: "default", restartPods: false };
  pullkeeperCluster!.resetStats();
  const pullkeeperStarted = performance.now();
  const { plan, result } = await runWorkflowToEnd("copy_pull_secrets", input, deps, { email: "bench@example.com", role: "operator" });
  const pullkeeperSeconds = (performance.now() - pullkeeperStarted) / 1000;
  const requests = pullkeeperCluster!.stats().total;
  if (result.status !== "succeeded") throw new Error(`Pullkeeper run ended ${result.status}: ${result.summary}`);
  console.log(`Pullkeeper: ${pullkeeperSeconds.toFixed(2)} s (${plan.counts.change} changes, ${requests} API requests, preview and audit included)`);

  // The seed's commands, one after another as the procedure gives them.
  const kubectlConfig = path.join(dir, "kubectl.kubeconfig");
  fs.writeFileSync(kubectlConfig, kubectlCluster!.kubeconfig());
  const script = path.join(dir, "seed.sh");
  fs.writeFileSync(script, seedScript(namespaces));
  const kubectlDir = path.dirname(values.kubectl!);
  fs.symlinkSync(values.kubectl!, path.join(dir, "kubectl"));
  const env = { PATH: `${dir}:${kubectlDir}:/usr/bin:/bin`, HOME: dir, KUBECONFIG: kubectlConfig };
  const kubectlStarted = performance.now();
  await run("bash", [script], env);
  const kubectlSeconds = (performance.now() - kubectlStarted) / 1000;
  console.log(`kubectl (seed commands, ${path.basename(values.kubectl!)}): ${kubectlSeconds.toFixed(2)} s (${count * DOMAINS.length} pipelines + ${count} patches)`);

  // Both ways must have produced the same thing: every copy, same content, attached once.
  const both = createPorts({ kubeconfigPaths: [kubeconfig, kubectlConfig], iam: null });
  const [mine, theirs] = await Promise.all(["bench-pullkeeper", "bench-kubectl"].map((cluster) => both.kube.readPullSecretInventory(cluster)));
  const summary = (inventory: typeof mine) =>
    namespaces.map((ns) => [
      inventory!.pullSecrets.filter((s) => s.namespace === ns).map((s) => `${s.name}:${s.credentialFingerprint}`).sort().join(","),
      inventory!.serviceAccounts.find((sa) => sa.namespace === ns && sa.name === "default")?.imagePullSecrets.slice().sort().join(","),
    ]);
  if (JSON.stringify(summary(mine)) !== JSON.stringify(summary(theirs))) throw new Error("the two clusters differ after the runs: the comparison is void");
  both.close();
  console.log(`both clusters now hold the same ${count * DOMAINS.length} copies, attached to every default service account`);
  console.log(`ratio: Pullkeeper is ${(kubectlSeconds / pullkeeperSeconds).toFixed(1)}x faster`);

  ports.close();
  await connection.close();
  await Promise.all([pullkeeperCluster!.close(), kubectlCluster!.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

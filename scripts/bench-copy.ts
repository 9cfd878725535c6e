/**
 * Copies 6 pull secrets from `default` into N namespaces (default 500) of a
 * simulated cluster with 5 ms added latency and attaches them to each default
 * service account, twice on identical clusters: once with Pullkeeper's copy
 * workflow, once with the seed's kubectl commands (the `get -o yaml | sed |
 * create -f -` pipeline per secret and namespace, then `kubectl patch`).
 * A third identical cluster gets the floor: the same writes (one create per
 * copy, one patch per service account, as the seed's commands send them) fired
 * straight at the API server at the product's concurrency, with no product
 * logic (no preview, freshness check, audit or retries). Prints the three wall
 * times, the load average at each, and the ratios from this one run.
 *
 *   npm run bench:copy -- [--namespaces 500] [--latency-ms 5] [--concurrency 16] [--skip-kubectl]
 *                         [--kubectl /usr/lib/google-cloud-sdk/bin/kubectl.1.29] [--cpu-profile dir]
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import inspector from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrismaAuditStore } from "../lib/audit/prisma-audit-store";
import { connectDatabase } from "../lib/db/client";
import { parseDatabaseUrl } from "../lib/db/database-url";
import { applyPendingMigrations } from "../lib/db/migrations";
import { buildIamApiKeyDockerConfigJson } from "../lib/registry/docker-config";
import { createPorts, workflowDeps } from "../lib/server/ports";
import { PreviewedPlans, runWorkflowToEnd } from "../lib/workflows";
import { DEMO_CLUSTER_SERVICE_IDS } from "../sim/demo-credentials";
import { startKubeSim, type KubeSim } from "../sim/kube";
import { MANAGED_BY_LABEL, PULLKEEPER_ANNOTATIONS, PULLKEEPER_MANAGER } from "../lib/kube/mappers";
import { PROVENANCE_ANNOTATIONS, provenanceAnnotations } from "../lib/provenance/annotations";
import { parsePullSecretData } from "../lib/registry/docker-config";
import pLimit from "p-limit";

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

/** CPU time of this process since `start`: the simulated API server runs in it too, so both runs include its share. */
const cpuSecondsSince = (start: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
};

const load = () => os.loadavg().map((value) => value.toFixed(2)).join(" ");

interface SimResponse {
  status: number;
  body: string;
}

/** One request straight to the simulator: bearer token, its CA, a keep-alive agent; no retries, no parsing beyond JSON. */
function send(sim: KubeSim, agent: https.Agent, method: string, path: string, body?: unknown, contentType = "application/json"): Promise<SimResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = https.request(
      new URL(path, sim.url),
      {
        method,
        agent,
        headers: {
          Authorization: `Bearer ${sim.tokens.admin}`,
          Accept: "application/json",
          ...(payload !== undefined ? { "Content-Type": contentType, "Content-Length": Buffer.byteLength(payload) } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    if (payload !== undefined) request.write(payload);
    request.end();
  });
}

/**
 * The floor: every copy's create (with the same labels and annotations the
 * product writes), then every service account's patch, at `concurrency`
 * requests in flight. The six sources are read once before the clock starts.
 */
async function floorRun(sim: KubeSim, namespaces: string[], concurrency: number): Promise<{ seconds: number; cpuSeconds: number; requests: number }> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ca: sim.caPem ?? undefined });
  const sources = await Promise.all(
    DOMAINS.map(async (domain) => {
      const response = await send(sim, agent, "GET", `/api/v1/namespaces/default/secrets/${secretName(domain)}`);
      return JSON.parse(response.body) as { type: string; data: Record<string, string>; metadata: { name: string; uid: string } };
    }),
  );
  const operationId = "floor-operation";
  const writes: (() => Promise<SimResponse>)[] = [];
  for (const namespace of namespaces) {
    for (const source of sources) {
      const fingerprint = parsePullSecretData({ type: source.type, data: source.data }).credentialFingerprint;
      const name = source.metadata.name.replace("default", namespace);
      const body = {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name,
          namespace,
          labels: { [MANAGED_BY_LABEL]: PULLKEEPER_MANAGER },
          annotations: {
            ...provenanceAnnotations({ operationId, origin: "secret", sourceCluster: sim.name }),
            [PROVENANCE_ANNOTATIONS.sourceUid]: source.metadata.uid,
            [PULLKEEPER_ANNOTATIONS.sourceNamespace]: "default",
            [PULLKEEPER_ANNOTATIONS.sourceName]: source.metadata.name,
            [PULLKEEPER_ANNOTATIONS.sourceFingerprint]: fingerprint,
            [PULLKEEPER_ANNOTATIONS.fingerprint]: fingerprint,
          },
        },
        type: source.type,
        data: source.data,
      };
      writes.push(() => send(sim, agent, "POST", `/api/v1/namespaces/${namespace}/secrets?fieldManager=pullkeeper`, body));
    }
  }
  const patches = namespaces.map((namespace) => () =>
    send(sim, agent, "PATCH", `/api/v1/namespaces/${namespace}/serviceaccounts/default?fieldManager=pullkeeper`, { imagePullSecrets: DOMAINS.map((domain) => ({ name: secretName(domain).replace("default", namespace) })) }, "application/strategic-merge-patch+json"),
  );
  const limit = pLimit(concurrency);
  const check = (response: SimResponse) => {
    if (response.status >= 300) throw new Error(`the floor run got ${response.status}: ${response.body.slice(0, 200)}`);
  };
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  await Promise.all(writes.map((write) => limit(async () => check(await write()))));
  await Promise.all(patches.map((patch) => limit(async () => check(await patch()))));
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSince(cpuStarted);
  agent.destroy();
  return { seconds, cpuSeconds, requests: writes.length + patches.length };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      namespaces: { type: "string", default: "500" },
      "latency-ms": { type: "string", default: "5" },
      kubectl: { type: "string", default: "/usr/lib/google-cloud-sdk/bin/kubectl.1.29" },
      concurrency: { type: "string", default: "16" },
      "skip-kubectl": { type: "boolean", default: false },
      "cpu-profile": { type: "string" },
    },
  });
  const concurrency = Number(values.concurrency);
  const count = Number(values.namespaces);
  const latencyMs = Number(values["latency-ms"]);
  const namespaces = Array.from({ length: count }, (_, index) => `team-${String(index).padStart(4, "0")}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-bench-copy-"));
  const [pullkeeperCluster, kubectlCluster, floorCluster] = await Promise.all(
    ["bench-pullkeeper", "bench-kubectl", "bench-floor"].map((name) => startKubeSim({ name, objects: clusterObjects(namespaces), faults: { latencyMs } })),
  );
  console.log(`three identical clusters: ${count} namespaces, 6 pull secrets in default, ${latencyMs} ms added latency per request; concurrency ${concurrency}`);

  // The floor first: the same writes, no product logic.
  const floor = await floorRun(floorCluster!, namespaces, concurrency);
  const floorLoad = load();
  console.log(`floor (${floor.requests} writes straight to the API server, ${concurrency} at once): ${floor.seconds.toFixed(2)} s, CPU ${floor.cpuSeconds.toFixed(2)} s (load ${floorLoad})`);

  // Pullkeeper: the copy workflow (preview, then apply), audited in a scratch SQLite store.
  const kubeconfig = path.join(dir, "pullkeeper.kubeconfig");
  fs.writeFileSync(kubeconfig, pullkeeperCluster!.kubeconfig());
  const database = parseDatabaseUrl(`file:${path.join(dir, "audit.db")}`);
  await applyPendingMigrations(database);
  const connection = await connectDatabase(database);
  const ports = createPorts({ kubeconfigPaths: [kubeconfig], iam: null, kubeConcurrency: concurrency });
  // As the server does: apply runs the previewed plan once its objects read the same (lib/workflows/engine/freshness.ts).
  const deps = workflowDeps(ports, createPrismaAuditStore(connection.prisma, connection.provider), concurrency, { previews: new PreviewedPlans() });
  const input = { cluster: "bench-pullkeeper", sourceNamespace: "default", secrets: DOMAINS.map(secretName), targets: { mode: "list", namespaces }, naming: "seed", attach: true, serviceAccount: "default", restartPods: false };
  pullkeeperCluster!.resetStats();
  const session = values["cpu-profile"] ? new inspector.Session() : null;
  if (session) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  const pullkeeperStarted = performance.now();
  const pullkeeperCpuStarted = process.cpuUsage();
  const { plan, result } = await runWorkflowToEnd("copy_pull_secrets", input, deps, { email: "bench@example.com", role: "operator" });
  const pullkeeperSeconds = (performance.now() - pullkeeperStarted) / 1000;
  const pullkeeperCpuSeconds = cpuSecondsSince(pullkeeperCpuStarted);
  const pullkeeperLoad = load();
  if (session) {
    const { profile } = await session.post("Profiler.stop");
    fs.mkdirSync(values["cpu-profile"]!, { recursive: true });
    const file = path.join(values["cpu-profile"]!, `copy-${Date.now()}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the Pullkeeper run: ${file}`);
  }
  const stats = pullkeeperCluster!.stats();
  if (result.status !== "succeeded") throw new Error(`Pullkeeper run ended ${result.status}: ${result.summary}`);
  const byKind = Object.entries(stats.byKey).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, n]) => `${key} ${n}`).join(", ");
  console.log(`Pullkeeper: ${pullkeeperSeconds.toFixed(2)} s, CPU ${pullkeeperCpuSeconds.toFixed(2)} s (load ${pullkeeperLoad}; ${plan.counts.change} changes, ${stats.total} API requests: ${byKind}; preview and audit included)`);
  console.log(`Pullkeeper / floor: ${(pullkeeperSeconds / floor.seconds).toFixed(2)}x the floor's wall time (target <= 1.5x), ${(pullkeeperCpuSeconds / floor.cpuSeconds).toFixed(2)}x its CPU time (simulator included in both)`);
  const floorConfig = path.join(dir, "floor.kubeconfig");
  fs.writeFileSync(floorConfig, floorCluster!.kubeconfig());
  if (values["skip-kubectl"]) {
    await sameEverywhere([kubeconfig, floorConfig], ["bench-pullkeeper", "bench-floor"]);
    await finish();
    return;
  }

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
  console.log(`kubectl (seed commands, ${path.basename(values.kubectl!)}): ${kubectlSeconds.toFixed(2)} s (load ${load()}; ${count * DOMAINS.length} pipelines + ${count} patches)`);

  await sameEverywhere([kubeconfig, kubectlConfig, floorConfig], ["bench-pullkeeper", "bench-kubectl", "bench-floor"]);
  console.log(`ratios from this run: Pullkeeper is ${(kubectlSeconds / pullkeeperSeconds).toFixed(1)}x faster than kubectl (target >= 50x) and ${(pullkeeperSeconds / floor.seconds).toFixed(2)}x the floor (target <= 1.5x)`);
  await finish();

  /** Every way must have produced the same thing: every copy, same content, attached once. */
  async function sameEverywhere(kubeconfigPaths: string[], clusters: string[]): Promise<void> {
    const all = createPorts({ kubeconfigPaths, iam: null });
    const inventories = await Promise.all(clusters.map((cluster) => all.kube.readPullSecretInventory(cluster)));
    all.close();
    const summary = (inventory: (typeof inventories)[number]) =>
      JSON.stringify(
        namespaces.map((ns) => [
          inventory.pullSecrets.filter((s) => s.namespace === ns).map((s) => `${s.name}:${s.credentialFingerprint}`).sort().join(","),
          inventory.serviceAccounts.find((sa) => sa.namespace === ns && sa.name === "default")?.imagePullSecrets.slice().sort().join(","),
        ]),
      );
    const expected = summary(inventories[0]!);
    if (inventories.some((inventory) => summary(inventory) !== expected)) throw new Error(`the clusters differ after the runs (${clusters.join(", ")}): the comparison is void`);
    console.log(`${clusters.join(", ")} now hold the same ${count * DOMAINS.length} copies, attached to every default service account`);
  }

  async function finish(): Promise<void> {
    ports.close();
    await connection.close();
    await Promise.all([pullkeeperCluster!.close(), kubectlCluster!.close(), floorCluster!.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});

/**
 * `npm run bench:keep`: how fast an enforce rule covers new namespaces.
 *
 * Starts the demo stack (the built bundle, SQLite, the simulated fleet with its
 * 2,000-namespace `large` cluster), stores an enforce rule for us.icr.io over
 * namespaces labelled `pullkeeper-bench=keep`, creates N such namespaces in
 * bursts, and follows every `default` service account with one watch until it
 * lists the copy. Reports p50/p95/max from creation to covered, the Kubernetes
 * API requests the app made per new namespace (the simulator's count minus the
 * benchmark's own), and the app's CPU time and peak memory, with the load average.
 * Needs `npm run build` first.
 *
 *   npm run bench:keep -- [--namespaces 500] [--burst 50] [--pause-ms 2000]
 */
import fs from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig, Watch, type V1ServiceAccount } from "@kubernetes/client-node";
import { Agent, fetch as undiciFetch } from "undici";
import { connectDatabase } from "../lib/db/client";
import { parseDatabaseUrl } from "../lib/db/database-url";
import { ruleSpecSchema } from "../lib/rules/spec";
import { createRuleStore } from "../lib/rules/store";
import { startDemoServer, sleep } from "./bench/demo-server";
import { loadAverage, watchProcess } from "./bench/process-sampler";

const CLUSTER = "large";
const LABEL = "pullkeeper-bench";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** The simulator's count of every request it answered (its TLS certificate is the kubeconfig's CA). */
async function simStats(server: string, ca: string, controlToken: string): Promise<number> {
  const response = await undiciFetch(`${server}/_sim/stats`, { headers: { authorization: `Bearer ${controlToken}` }, dispatcher: new Agent({ connect: { ca } }) });
  return ((await response.json()) as { total: number }).total;
}

async function main(): Promise<void> {
  const count = option("namespaces", 500);
  const burst = option("burst", 50);
  const pauseMs = option("pause-ms", 2000);
  console.log(`bench:keep: ${count} namespaces in bursts of ${burst}, ${pauseMs} ms apart, on the ${CLUSTER} cluster (load ${loadAverage()})`);
  const stack = await startDemoServer({ port: 3391, kubeBasePort: 17340, ibmPort: 17395, label: "bench-keep" });
  try {
    const database = await connectDatabase(parseDatabaseUrl(`file:${stack.dir}/pullkeeper.db`));
    const rules = createRuleStore(database.prisma);
    await rules.create({
      name: "bench-keep", description: "bench:keep", mode: "enforce",
      spec: ruleSpecSchema.parse({
        clusters: { mode: "list", names: [CLUSTER] }, namespaces: { match: { mode: "labels", labelSelector: `${LABEL}=keep` } }, registries: ["us.icr.io"],
        source: { namespace: "default", secrets: ["all-icr-io"] }, naming: "keep", serviceAccounts: { mode: "default" },
      }),
    }, "bench@pullkeeper.demo");
    const kc = new KubeConfig();
    kc.loadFromFile(path.join(stack.dir, "kubeconfig"));
    kc.setCurrentContext(CLUSTER);
    const cluster = kc.getCurrentCluster()!;
    const server = cluster.server;
    const fleet = JSON.parse(fs.readFileSync(path.join(stack.dir, "fleet.json"), "utf8")) as { clusters: { name: string; controlToken: string }[] };
    const controlToken = fleet.clusters.find((entry) => entry.name === CLUSTER)!.controlToken;
    const ca = cluster.caData ? Buffer.from(cluster.caData, "base64").toString("utf8") : fs.readFileSync(cluster.caFile!, "utf8");
    const api = kc.makeApiClient(CoreV1Api);
    // Let the app's watches finish their first lists before counting.
    await sleep(5000);

    const created = new Map<string, number>();
    const covered = new Map<string, number>();
    const watch = await new Watch(kc).watch("/api/v1/serviceaccounts", { fieldSelector: "metadata.name=default" }, (_type, account: V1ServiceAccount) => {
      const namespace = account.metadata?.namespace ?? "";
      if (created.has(namespace) && !covered.has(namespace) && account.imagePullSecrets?.some((ref) => ref.name === "all-icr-io")) covered.set(namespace, Date.now());
    }, () => undefined);
    const before = await simStats(server, ca, controlToken);
    const sampler = watchProcess(stack.pid);
    const started = Date.now();
    for (let i = 0; i < count; i += burst) {
      await Promise.all(
        Array.from({ length: Math.min(burst, count - i) }, async (_, j) => {
          const name = `bench-keep-${String(i + j).padStart(4, "0")}`;
          created.set(name, Date.now());
          await api.createNamespace({ body: { metadata: { name, labels: { [LABEL]: "keep" } } } });
        }),
      );
      if (i + burst < count) await sleep(pauseMs);
    }
    const deadline = Date.now() + 10 * 60_000;
    while (covered.size < count && Date.now() < deadline) await sleep(250);
    const usage = sampler.stop();
    const after = await simStats(server, ca, controlToken);
    watch.abort();
    // The benchmark's own requests: the namespace creations, the watch and the stats reads.
    const appRequests = after - before - count - 2;
    const latencies = [...covered].map(([namespace, at]) => at - created.get(namespace)!).sort((a, b) => a - b);
    console.log(`covered ${covered.size} of ${count} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`creation → covered: p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${latencies.at(-1)} ms`);
    console.log(`API requests by the app: ${appRequests} (${(appRequests / count).toFixed(1)} per new namespace)`);
    console.log(`app: ${usage.cpuSeconds.toFixed(1)} s CPU over ${usage.wallSeconds.toFixed(1)} s, peak RSS ${(usage.peakRssBytes / 2 ** 20).toFixed(0)} MiB; load average ${usage.loadAverage}`);
    await database.prisma.$disconnect();
  } finally {
    await stack.stop();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});

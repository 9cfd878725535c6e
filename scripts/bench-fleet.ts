/**
 * Benchmark: scanning a fleet of 50 simulated clusters of 200 namespaces plus the large one (2,000 namespaces),
 * with one cluster answering each request after 2 s and one never answering, through the product's scan cache
 * (lib/queries/cluster-scan: probes unbounded, inventory reads and models bounded by PULLKEEPER_SCAN_CONCURRENCY).
 *
 *   npm run bench:fleet -- [--clusters 50] [--namespaces 200] [--large 2000] [--concurrency 8,0] [--timeout-ms 15000]
 *   (= tsx --conditions=react-server scripts/bench-fleet.ts ...; 0 in --concurrency means unbounded)
 *
 * The simulators run in one child process and each measured setting in its own client process, so the memory
 * figures are the scanning process's own, and settings compare within one run: the first --concurrency value is
 * measured against the others. For each setting: cold (every cluster scanned, all asked at once in kubeconfig order,
 * as the fleet page asks) and warm (again, from the cache; a failed scan is kept 30 s, so the silent cluster is
 * probed again if the cold view took longer): when rows arrive (first, median, last of the answering ones,
 * the slow one and the silent one, with how many answering rows came before each), the total scan time, and peak
 * memory; each with the load average. The page itself, in Chromium, is `npm run bench:fleet-page`.
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    clusters: { type: "string", default: "50" },
    namespaces: { type: "string", default: "200" },
    large: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "8,0" },
    "timeout-ms": { type: "string", default: "15000" },
    serve: { type: "boolean", default: false },
    client: { type: "string" },
    kubeconfig: { type: "string" },
  },
});

const self = fileURLToPath(import.meta.url);
const count = Number(args.clusters);
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(", ");
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** Seconds, or milliseconds below a tenth of a second (a warm view answers in milliseconds). */
const ms = (t: number) => (t < 100 ? `${t.toFixed(1)} ms` : s(t));

interface Arrival {
  cluster: string;
  ms: number;
  status: string;
  namespaces: number | null;
}

interface ClientResult {
  concurrency: number;
  cold: Arrival[];
  warm: Arrival[];
  coldMs: number;
  warmMs: number;
  peakRssMiB: number;
  heapUsedMiB: number;
  load: string;
}

type Msg = { type: "ready"; kubeconfigPath: string; slow: string; silent: string } | { type: "result"; result: ClientResult };

async function serve(): Promise<void> {
  const { startDemoFleet } = await import("../sim/fleet");
  const { scaleClusterName } = await import("../sim/fleet/scale");
  const slow = scaleClusterName(6, count);
  const silent = scaleClusterName(12, count);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pk-bench-fleet-"));
  const kubeconfigPath = path.join(dir, "kubeconfig");
  const fleet = await startDemoFleet({
    clusters: ["large"],
    largeNamespaceCount: Number(args.large),
    scale: { count, namespaceCount: Number(args.namespaces) },
    faults: { [slow]: { latencyMs: 2_000 }, [silent]: { hang: true } },
    kubeconfigPath,
  });
  const stop = () => void fleet.close().then(() => process.exit(0));
  process.on("message", (m: { type: string }) => m.type === "stop" && stop());
  process.on("disconnect", stop);
  process.send?.({ type: "ready", kubeconfigPath, slow, silent } satisfies Msg);
}

/** One setting, in its own process: a cold scan of the fleet, then a warm one, as the fleet page's row stream asks. */
async function client(concurrency: number, kubeconfigPath: string): Promise<void> {
  const { createKubeGateway } = await import("../lib/kube");
  const { createClusterScanCache } = await import("../lib/queries/cluster-scan");
  const { fleetRow } = await import("../lib/queries/fleet");
  const gateway = createKubeGateway({ kubeconfigPaths: [kubeconfigPath], requestTimeoutMs: Number(args["timeout-ms"]), concurrency: 8 });
  const scans = createClusterScanCache(gateway, undefined, undefined, concurrency > 0 ? { concurrency } : {});
  const names = gateway.listClusters().map((c) => c.name);
  const view = async () => {
    const t0 = performance.now();
    const arrivals: Arrival[] = [];
    await Promise.all(
      names.map(async (name) => {
        const row = fleetRow((await scans.get(name)).value);
        arrivals.push({ cluster: name, ms: performance.now() - t0, status: row.status, namespaces: row.namespaceCount });
      }),
    );
    return { arrivals, ms: performance.now() - t0 };
  };
  const cold = await view();
  const warm = await view();
  gateway.close();
  const result: ClientResult = {
    concurrency,
    cold: cold.arrivals,
    warm: warm.arrivals,
    coldMs: cold.ms,
    warmMs: warm.ms,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
    load: load(),
  };
  process.send?.({ type: "result", result } satisfies Msg);
  // Requests to the silent cluster may still be open; the figures are out.
  process.exit(0);
}

function nextMessage<T extends Msg["type"]>(child: ReturnType<typeof fork>, type: T): Promise<Extract<Msg, { type: T }>> {
  return new Promise((resolve, reject) => {
    child.on("message", (m: Msg) => m.type === type && resolve(m as Extract<Msg, { type: T }>));
    child.once("exit", (code) => reject(new Error(`a benchmark process exited with ${code} before sending ${type}`)));
  });
}

function describeView(label: string, arrivals: Arrival[], totalMs: number, slow: string, silent: string): string {
  const answering = arrivals.filter((a) => a.cluster !== slow && a.cluster !== silent).map((a) => a.ms).sort((a, b) => a - b);
  const at = (name: string) => arrivals.find((a) => a.cluster === name);
  const before = (row: Arrival | undefined) => (row ? answering.filter((ms) => ms < row.ms).length : 0);
  const slowRow = at(slow);
  const silentRow = at(silent);
  return [
    `  ${label}: all rows ${s(totalMs)}; the ${answering.length} answering clusters: first ${ms(answering[0] ?? Number.NaN)}, median ${ms(answering[Math.floor(answering.length / 2)] ?? Number.NaN)}, last ${ms(answering.at(-1) ?? Number.NaN)}`,
    `    slow ${slow}: ${slowRow ? `${s(slowRow.ms)} (${slowRow.status}, ${slowRow.namespaces ?? "no"} namespaces), after ${before(slowRow)} of the answering rows` : "missing"}`,
    `    silent ${silent}: ${silentRow ? `${s(silentRow.ms)} (${silentRow.status}, at the request timeout), after ${before(silentRow)} of the answering rows` : "missing"}`,
  ].join("\n");
}

async function main(): Promise<void> {
  const started = Date.now();
  const sims = fork(self, ["--serve", "--clusters", String(args.clusters), "--namespaces", String(args.namespaces), "--large", String(args.large)], {
    execArgv: ["--conditions=react-server", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await nextMessage(sims, "ready");
  console.log(`${count} clusters of ${args.namespaces} namespaces + large (${args.large}) up in ${s(Date.now() - started)}; ${ready.slow} answers after 2 s, ${ready.silent} never answers; request timeout ${args["timeout-ms"]} ms`);
  const settings = String(args.concurrency)
    .split(",")
    .map((v) => Number(v.trim()));
  const results: ClientResult[] = [];
  try {
    for (const concurrency of settings) {
      const loadBefore = load();
      const child = fork(self, ["--client", String(concurrency), "--kubeconfig", ready.kubeconfigPath, "--timeout-ms", String(args["timeout-ms"])], {
        execArgv: ["--conditions=react-server", "--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      const { result } = await nextMessage(child, "result");
      results.push(result);
      console.log(`scan concurrency ${concurrency > 0 ? concurrency : "unbounded"} (load average before: ${loadBefore}; after: ${result.load}):`);
      console.log(describeView("cold", result.cold, result.coldMs, ready.slow, ready.silent));
      // A failed scan is kept 30 s only, so the silent cluster is probed again when the cold view took longer.
      console.log(describeView("warm", result.warm, result.warmMs, ready.slow, ready.silent));
      console.log(`  peak RSS ${result.peakRssMiB.toFixed(0)} MiB, heap used at the end ${result.heapUsedMiB.toFixed(0)} MiB`);
    }
  } finally {
    sims.send({ type: "stop" });
  }
  const [first, ...others] = results;
  if (first)
    for (const other of others) {
      const name = (c: number) => (c > 0 ? `concurrency ${c}` : "unbounded");
      console.log(
        `${name(first.concurrency)} vs ${name(other.concurrency)}, same run: cold ${s(first.coldMs)} vs ${s(other.coldMs)} (${(other.coldMs / first.coldMs).toFixed(2)}x), peak RSS ${first.peakRssMiB.toFixed(0)} vs ${other.peakRssMiB.toFixed(0)} MiB (${(other.peakRssMiB / first.peakRssMiB).toFixed(2)}x); load average now ${load()}`,
      );
    }
}

if (args.serve) void serve();
else if (args.client !== undefined)
  client(Number(args.client), String(args.kubeconfig)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
else
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });

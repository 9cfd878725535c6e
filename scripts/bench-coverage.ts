/**
 * Benchmark: read the pull-secret inventory of the simulated `large` cluster
 * (2,000 namespaces by default) through lib/kube and compute its coverage.
 *
 *   npm run bench:coverage -- [--namespaces 2000] [--runs 3] [--page-size 500] [--model-runs 5] [--baseline <checkout>]
 *   (= tsx --conditions=react-server scripts/bench-coverage.ts ...; the condition lets lib/ load its `server-only` guard)
 *
 * The simulator runs in a child process so the memory figures are the
 * client's own. Prints API requests (from the simulator's stats), wall and CPU
 * time of the read and of the coverage model, the model alone on the last
 * inventory (median of --model-runs), and peak memory, each with the load average.
 *
 * --baseline <checkout> runs this benchmark in that checkout (e.g. main's) and in
 * this one, alternately, --rounds times, and prints the medians side by side with
 * their ratios: on a shared machine only figures from the same run compare.
 */
import { fork, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import v8 from "node:v8";
import vm from "node:vm";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    namespaces: { type: "string", default: "2000" },
    runs: { type: "string", default: "3" },
    "page-size": { type: "string", default: "500" },
    "model-runs": { type: "string", default: "5" },
    baseline: { type: "string" },
    /** The checkout whose lib/ is measured (default this one); --baseline sets it for the baseline's runs. */
    "lib-root": { type: "string" },
    rounds: { type: "string", default: "2" },
    serve: { type: "boolean", default: false },
  },
});

type Msg = { type: "ready"; kubeconfigPath: string } | { type: "stats"; stats: { total: number; byKey: Record<string, number> } };

async function serve(): Promise<void> {
  const { startDemoFleet } = await import("../sim/fleet");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pk-bench-"));
  const kubeconfigPath = path.join(dir, "kubeconfig");
  const fleet = await startDemoFleet({ clusters: ["large"], largeNamespaceCount: Number(args.namespaces), kubeconfigPath });
  const sim = fleet.sims[0];
  if (!sim) throw new Error("the large cluster did not start");
  process.on("message", (m: { type: string }) => {
    if (m.type === "reset") sim.resetStats();
    if (m.type === "stats") process.send?.({ type: "stats", stats: sim.stats() } satisfies Msg);
    if (m.type === "stop") void fleet.close().then(() => process.exit(0));
  });
  // Never outlive the benchmark, whatever happens to it.
  process.on("disconnect", () => void fleet.close().then(() => process.exit(0)));
  process.send?.({ type: "ready", kubeconfigPath } satisfies Msg);
}

async function bench(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const startedAt = Date.now();
  const child = fork(self, ["--serve", "--namespaces", String(args.namespaces)], { execArgv: ["--conditions=react-server", "--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = <T extends Msg["type"]>(type: T) =>
    new Promise<Extract<Msg, { type: T }>>((resolve, reject) => {
      const on = (m: Msg) => {
        if (m.type === type) {
          child.off("message", on);
          resolve(m as Extract<Msg, { type: T }>);
        }
      };
      child.on("message", on);
      child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
    });
  const ready = await next("ready");
  console.log(`large cluster (${args.namespaces} namespaces) up in ${Date.now() - startedAt} ms`);

  // Product code is loaded only now, so the figures below are the client's.
  const root = args["lib-root"] ? path.resolve(args["lib-root"]) : path.resolve(path.dirname(self), "..");
  const { createKubeGateway } = (await import(pathToFileURL(path.join(root, "lib/kube/index.ts")).href)) as typeof import("../lib/kube");
  const { computeClusterCoverage } = (await import(pathToFileURL(path.join(root, "lib/coverage/index.ts")).href)) as typeof import("../lib/coverage");
  const gateway = createKubeGateway({ kubeconfigPaths: [ready.kubeconfigPath], pageSize: Number(args["page-size"]), concurrency: 4, requestTimeoutMs: 30_000 });
  // What the process holds before reading anything (runtime, the TypeScript loader, the modules): the floor of the peak.
  console.log(`RSS before the first read: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);

  const rows: string[] = [];
  let last: Awaited<ReturnType<typeof gateway.readPullSecretInventory>> | undefined;
  for (let run = 1; run <= Number(args.runs); run++) {
    child.send({ type: "reset" });
    last = undefined; // let the previous run's inventory go before this one is read
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const inv = await gateway.readPullSecretInventory("large");
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const cov = computeClusterCoverage(inv);
    const t2 = performance.now();
    const c2 = process.cpuUsage();
    last = inv;
    child.send({ type: "stats" });
    const { stats } = await next("stats");
    const mem = process.memoryUsage();
    rows.push(
      [
        `run ${run}: read ${(t1 - t0).toFixed(0)} ms + coverage ${(t2 - t1).toFixed(0)} ms = ${(t2 - t0).toFixed(0)} ms (CPU: read ${cpuMs(c0, c1)} ms, coverage ${cpuMs(c1, c2)} ms; load average ${load()})`,
        `  API requests: ${stats.total} (${Object.entries(stats.byKey)
          .map(([k, v]) => `${k}: ${v}`)
          .join(", ")})`,
        `  inventory: ${inv.namespaces.length} namespaces, ${inv.pullSecrets.length} pull secrets, ${inv.serviceAccounts.length} service accounts, ${inv.workloads.length} workloads; scope ${inv.scope}`,
        `  coverage: ${cov.domains.length} registries, ${cov.findings.length} findings; icr share covered ${((cov.summary.groups.find((g) => g.group === "icr")?.shareCovered ?? 0) * 100).toFixed(1)}%`,
        `  memory now: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB; peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
      ].join("\n"),
    );
  }
  gateway.close();
  console.log(rows.join("\n"));
  if (last) {
    // The model alone, on the last inventory: pure, so repeated runs measure only it.
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < Number(args["model-runs"]); i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      computeClusterCoverage(last);
      times.push(performance.now() - t);
      cpu.push(Number(cpuMs(c, process.cpuUsage())));
    }
    console.log(`model alone: median ${median(times).toFixed(0)} ms, CPU ${median(cpu).toFixed(0)} ms, of ${times.length} (${times.map((t) => t.toFixed(0)).join(", ")} ms; load average ${load()})`);
    // What the model's result holds, after a full collection (unlike the peak, it does not depend on when the collector ran).
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const held: { coverage?: ReturnType<typeof computeClusterCoverage> } = { coverage: computeClusterCoverage(last) };
    gc();
    const withBoth = process.memoryUsage().heapUsed;
    delete held.coverage;
    gc();
    const without = process.memoryUsage().heapUsed;
    console.log(`heap held by the coverage of the last inventory, after a full collection: ${((withBoth - without) / 2 ** 20).toFixed(1)} MiB`);
  }
  console.log(`peak RSS of the client process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  child.send({ type: "stop" });
}

const load = () => os.loadavg().map((n) => n.toFixed(2)).join(", ");
const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => ((b.user - a.user + b.system - a.system) / 1000).toFixed(0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Figures {
  read: number[];
  coverage: number[];
  total: number[];
  readCpu: number[];
  coverageCpu: number[];
  model: number[];
  modelCpu: number[];
  peakRss: number[];
}

const noFigures = (): Figures => ({ read: [], coverage: [], total: [], readCpu: [], coverageCpu: [], model: [], modelCpu: [], peakRss: [] });

/** Runs this benchmark in a checkout as its own process and reads its figures from what it prints. */
function runIn(checkout: string): Promise<{ output: string; figures: Figures }> {
  const pass = ["--namespaces", String(args.namespaces), "--runs", String(args.runs), "--page-size", String(args["page-size"]), "--model-runs", String(args["model-runs"])];
  return new Promise((resolve, reject) => {
    // This script, measuring the checkout's lib/; run from the checkout, its `@/` imports resolve there too.
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", fileURLToPath(import.meta.url), ...pass, "--lib-root", checkout], { cwd: checkout, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`the benchmark in ${checkout} exited with ${code}:\n${output}`));
      const figures = noFigures();
      for (const m of output.matchAll(/^run \d+: read (\d+) ms \+ coverage (\d+) ms = (\d+) ms \(CPU: read (\d+) ms, coverage (\d+) ms/gm)) {
        figures.read.push(Number(m[1]));
        figures.coverage.push(Number(m[2]));
        figures.total.push(Number(m[3]));
        figures.readCpu.push(Number(m[4]));
        figures.coverageCpu.push(Number(m[5]));
      }
      const model = /^model alone: median (\d+) ms, CPU (\d+) ms/m.exec(output);
      if (model) {
        figures.model.push(Number(model[1]));
        figures.modelCpu.push(Number(model[2]));
      }
      const peak = /^peak RSS of the client process: (\d+) MiB/m.exec(output);
      if (peak) figures.peakRss.push(Number(peak[1]));
      resolve({ output, figures });
    });
  });
}

async function compare(baseline: string): Promise<void> {
  const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const all = { baseline: noFigures(), current: noFigures() };
  for (let round = 1; round <= Number(args.rounds); round++) {
    // Alternate which goes first, so neither always meets the same neighbours' load.
    const order = round % 2 ? (["baseline", "current"] as const) : (["current", "baseline"] as const);
    for (const which of order) {
      const { output, figures } = await runIn(which === "baseline" ? path.resolve(baseline) : here);
      console.log(`--- round ${round}, ${which} (${which === "baseline" ? path.resolve(baseline) : here})\n${output.trim()}`);
      for (const k of Object.keys(figures) as (keyof Figures)[]) all[which][k].push(...figures[k]);
    }
  }
  console.log(`\n${args.namespaces} namespaces, medians over ${args.rounds} rounds x ${args.runs} runs (load average now ${load()}):`);
  const row = (label: string, k: keyof Figures, unit: string) => {
    const b = median(all.baseline[k]);
    const c = median(all.current[k]);
    console.log(`  ${label.padEnd(22)} baseline ${Number.isNaN(b) ? "n/a" : `${b.toFixed(0)} ${unit}`}, this checkout ${c.toFixed(0)} ${unit}${Number.isNaN(b) ? "" : ` (${(b / c).toFixed(2)}x)`}`);
  };
  row("read", "read", "ms");
  row("coverage (after read)", "coverage", "ms");
  row("read + coverage", "total", "ms");
  row("read, CPU", "readCpu", "ms");
  row("coverage, CPU", "coverageCpu", "ms");
  row("model alone", "model", "ms");
  row("model alone, CPU", "modelCpu", "ms");
  row("peak RSS", "peakRss", "MiB");
}

if (args.serve) void serve();
else if (args.baseline)
  compare(args.baseline).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
else
  bench().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });

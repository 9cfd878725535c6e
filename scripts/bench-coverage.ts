/**
 * Benchmark: read the pull-secret inventory of the simulated `large` cluster
 * (2,000 namespaces by default) through lib/kube and compute its coverage.
 *
 *   npm run bench:coverage -- [--namespaces 2000] [--runs 3] [--page-size 500]
 *   (= tsx --conditions=react-server scripts/bench-coverage.ts ...; the condition lets lib/ load its `server-only` guard)
 *
 * The simulator runs in a child process so the memory figures are the
 * client's own. Prints API requests (from the simulator's stats), wall time
 * and peak memory.
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    namespaces: { type: "string", default: "2000" },
    runs: { type: "string", default: "3" },
    "page-size": { type: "string", default: "500" },
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
  const { createKubeGateway } = await import("../lib/kube");
  const { computeClusterCoverage } = await import("../lib/coverage");
  const gateway = createKubeGateway({ kubeconfigPaths: [ready.kubeconfigPath], pageSize: Number(args["page-size"]), concurrency: 4, requestTimeoutMs: 30_000 });

  const rows: string[] = [];
  for (let run = 1; run <= Number(args.runs); run++) {
    child.send({ type: "reset" });
    const t0 = performance.now();
    const inv = await gateway.readPullSecretInventory("large");
    const t1 = performance.now();
    const cov = computeClusterCoverage(inv);
    const t2 = performance.now();
    child.send({ type: "stats" });
    const { stats } = await next("stats");
    const mem = process.memoryUsage();
    rows.push(
      [
        `run ${run}: read ${(t1 - t0).toFixed(0)} ms + coverage ${(t2 - t1).toFixed(0)} ms = ${(t2 - t0).toFixed(0)} ms`,
        `  API requests: ${stats.total} (${Object.entries(stats.byKey)
          .map(([k, v]) => `${k}: ${v}`)
          .join(", ")})`,
        `  inventory: ${inv.namespaces.length} namespaces, ${inv.pullSecrets.length} pull secrets, ${inv.serviceAccounts.length} service accounts, ${inv.workloads.length} workloads; scope ${inv.scope}`,
        `  coverage: ${cov.domains.length} registries, ${cov.findings.length} findings; icr share covered ${((cov.summary.groups.find((g) => g.group === "icr")?.shareCovered ?? 0) * 100).toFixed(1)}%`,
        `  memory now: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
      ].join("\n"),
    );
  }
  gateway.close();
  console.log(rows.join("\n"));
  console.log(`peak RSS of the client process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  child.send({ type: "stop" });
}

if (args.serve) void serve();
else
  bench().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });

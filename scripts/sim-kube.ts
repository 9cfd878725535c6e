/**
 * Starts N empty (or state-file backed) simulated clusters and writes a
 * kubeconfig with one context per cluster; stays up until SIGINT/SIGTERM.
 *
 *   tsx scripts/sim-kube.ts [--clusters a,b | --count 2] [--base-port 0] [--no-tls]
 *                           [--kubeconfig data/sim/kubeconfig] [--user admin] [--state-dir dir]
 *                           [--latency-ms N] [--error-rate F] [--rate-limit-rate F] [--conflict-rate F] [--drop-rate F]
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fleetKubeconfig, startKubeSim, type KubeSim, type KubeSimFaults } from "../sim/kube";

async function main() {
  const { values } = parseArgs({
    options: {
      clusters: { type: "string" },
      count: { type: "string", default: "1" },
      "base-port": { type: "string" },
      host: { type: "string" },
      "no-tls": { type: "boolean", default: false },
      kubeconfig: { type: "string", default: "data/sim/kubeconfig" },
      user: { type: "string", default: "admin" },
      "state-dir": { type: "string" },
      "latency-ms": { type: "string" },
      "error-rate": { type: "string" },
      "rate-limit-rate": { type: "string" },
      "conflict-rate": { type: "string" },
      "drop-rate": { type: "string" },
    },
  });
  const names = values.clusters ? values.clusters.split(",").map((c) => c.trim()).filter(Boolean) : Array.from({ length: Number(values.count) }, (_, i) => `cluster-${i + 1}`);
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const faults: KubeSimFaults = {
    latencyMs: num(values["latency-ms"]),
    errorRate: num(values["error-rate"]),
    rateLimitRate: num(values["rate-limit-rate"]),
    conflictRate: num(values["conflict-rate"]),
    dropRate: num(values["drop-rate"]),
  };
  if (values["state-dir"]) fs.mkdirSync(values["state-dir"], { recursive: true });
  const sims: KubeSim[] = [];
  for (const [i, name] of names.entries()) {
    sims.push(
      await startKubeSim({
        name,
        host: values.host,
        tls: !values["no-tls"],
        port: values["base-port"] ? Number(values["base-port"]) + i : 0,
        faults,
        stateFile: values["state-dir"] ? path.join(values["state-dir"], `${name}.json`) : undefined,
      }),
    );
  }
  const kubeconfigPath = path.resolve(values.kubeconfig!);
  fs.mkdirSync(path.dirname(kubeconfigPath), { recursive: true });
  fs.writeFileSync(kubeconfigPath, fleetKubeconfig(sims, { user: values.user }), { mode: 0o600 });
  console.log(`kubeconfig: ${kubeconfigPath}`);
  for (const s of sims) console.log(`  ${s.name} ${s.url} control-token=${s.controlToken}`);
  const stop = async () => {
    await Promise.all(sims.map((s) => s.close()));
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

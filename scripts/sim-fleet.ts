/**
 * Starts the demo fleet (legacy, regional, modern, large) and writes its
 * kubeconfig; stays up until SIGINT/SIGTERM.
 *
 *   tsx scripts/sim-fleet.ts [--clusters legacy,regional,modern,large] [--large-namespaces 2000]
 *                            [--kubeconfig data/demo/kubeconfig] [--base-port 0] [--no-tls]
 *
 * Next to the kubeconfig it writes `fleet.json` (URLs, user tokens and control tokens of
 * each simulated cluster) for benchmarks that read `/_sim/stats`.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEMO_CLUSTERS, startDemoFleet, type DemoClusterName } from "../sim/fleet";

async function main() {
  const { values } = parseArgs({
    options: {
      clusters: { type: "string" },
      "large-namespaces": { type: "string" },
      kubeconfig: { type: "string", default: "data/demo/kubeconfig" },
      "base-port": { type: "string" },
      host: { type: "string" },
      "no-tls": { type: "boolean", default: false },
    },
  });
  const clusters = (values.clusters ? values.clusters.split(",").map((c) => c.trim()) : DEMO_CLUSTERS) as DemoClusterName[];
  const unknown = clusters.filter((c) => !DEMO_CLUSTERS.includes(c));
  if (unknown.length) throw new Error(`unknown cluster(s): ${unknown.join(", ")} (choose from ${DEMO_CLUSTERS.join(", ")})`);
  const kubeconfigPath = path.resolve(values.kubeconfig!);
  const started = Date.now();
  const fleet = await startDemoFleet({
    clusters,
    largeNamespaceCount: values["large-namespaces"] ? Number(values["large-namespaces"]) : undefined,
    kubeconfigPath,
    tls: !values["no-tls"],
    host: values.host,
    basePort: values["base-port"] ? Number(values["base-port"]) : undefined,
  });
  const manifest = {
    kubeconfig: kubeconfigPath,
    clusters: fleet.sims.map((s) => ({ name: s.name, url: s.url, controlToken: s.controlToken, tokens: s.tokens })),
  };
  fs.writeFileSync(path.join(path.dirname(kubeconfigPath), "fleet.json"), JSON.stringify(manifest, null, 2), { mode: 0o600 });
  console.log(`demo fleet up in ${Date.now() - started} ms; kubeconfig: ${kubeconfigPath}`);
  for (const s of fleet.sims) console.log(`  ${s.name.padEnd(9)} ${s.url}`);
  console.log(`try: KUBECONFIG=${kubeconfigPath} kubectl --context regional get secrets -A`);
  const stop = async () => {
    await fleet.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

/**
 * The whole simulated world of the demo and the end-to-end tests: the four demo
 * clusters and IBM Cloud (IAM and the registries). Writes, into --dir:
 *   kubeconfig   one context per cluster (admin user)
 *   fleet.json   cluster URLs and control tokens (for benchmarks)
 *   demo.env     the variables that point Pullkeeper at these simulators
 * and stays up until SIGINT/SIGTERM.
 *
 * For the fleet page at scale: --scale-clusters 50 --scale-namespaces 200 adds clusters fleet-01…fleet-50;
 * --slow fleet-07 (each request answered after --slow-ms, default 2000) and --hanging fleet-13 (never answers)
 * start those clusters with that fault. Extra clusters take the ports after the demo ones.
 *
 * The clusters are also the demo account's IBM Cloud Kubernetes Service clusters (discovery, kubeconfigs,
 * IAM tokens at every master). --iam-token-ttl-seconds 60 (or SIM_IAM_TOKEN_TTL_SECONDS) makes IAM tokens
 * short-lived, to watch credentials being renewed (default 3600, as IAM's API-key tokens).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEMO_OPERATOR } from "../sim/demo-credentials";
import { startDemoFleet } from "../sim/fleet";
import { startIbmCloudSim } from "../sim/ibm-cloud";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: "string", default: "data/demo" },
      "kube-base-port": { type: "string", default: "0" },
      "ibm-port": { type: "string", default: "0" },
      "large-namespaces": { type: "string", default: "2000" },
      "scale-clusters": { type: "string", default: "0" },
      "scale-namespaces": { type: "string", default: "200" },
      slow: { type: "string", multiple: true, default: [] },
      "slow-ms": { type: "string", default: "2000" },
      "iam-token-ttl-seconds": { type: "string", default: process.env.SIM_IAM_TOKEN_TTL_SECONDS ?? "3600" },
      hanging: { type: "string", multiple: true, default: [] },
    },
  });
  const dir = path.resolve(values.dir!);
  fs.mkdirSync(dir, { recursive: true });
  const envFile = path.join(dir, "demo.env");
  fs.rmSync(envFile, { force: true });
  const started = Date.now();
  const tokenTtlSeconds = Number(values["iam-token-ttl-seconds"]);
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 1) throw new Error("--iam-token-ttl-seconds: expected a whole number of seconds");
  const ibm = await startIbmCloudSim({ port: Number(values["ibm-port"]), tokenTtlSeconds });
  const fleet = await startDemoFleet({
    kubeconfigPath: path.join(dir, "kubeconfig"),
    basePort: Number(values["kube-base-port"]) || undefined,
    largeNamespaceCount: Number(values["large-namespaces"]),
    // Pods pull through the simulated registries: failing workloads fail for the real reason and recover after a real fix.
    kubelet: { registryUrlTemplate: ibm.registryUrlTemplate },
    // Every master also takes the simulated IAM's tokens, as IKS masters do: the demo account's clusters are this fleet.
    iamIssuerUrl: ibm.iamIssuerUrl,
    scale: Number(values["scale-clusters"]) > 0 ? { count: Number(values["scale-clusters"]), namespaceCount: Number(values["scale-namespaces"]) } : undefined,
    faults: {
      ...Object.fromEntries(values.slow!.map((name) => [name, { latencyMs: Number(values["slow-ms"]) }])),
      ...Object.fromEntries(values.hanging!.map((name) => [name, { hang: true }])),
    },
  });
  ibm.setClusters(fleet.ibmClusters());
  fs.writeFileSync(
    path.join(dir, "fleet.json"),
    JSON.stringify({ clusters: fleet.sims.map((sim) => ({ name: sim.name, url: sim.url, controlToken: sim.controlToken })), ibmCloud: { url: ibm.url, controlToken: ibm.controlToken } }, null, 2),
    { mode: 0o600 },
  );
  // Written last: its presence tells the launcher everything is listening.
  const quote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;
  fs.writeFileSync(
    envFile,
    [
      `KUBECONFIG=${quote(path.join(dir, "kubeconfig"))}`,
      `IBMCLOUD_API_KEY=${quote(DEMO_OPERATOR.apiKey)}`,
      `IBMCLOUD_IAM_URL=${quote(ibm.url)}`,
      `IBMCLOUD_IAM_IDENTITY_URL=${quote(ibm.url)}`,
      `IBMCLOUD_IAM_POLICY_URL=${quote(ibm.url)}`,
      `IBMCLOUD_CONTAINERS_URL=${quote(`${ibm.url}/global`)}`,
      `IBMCLOUD_TAGGING_URL=${quote(ibm.url)}`,
      `REGISTRY_ENDPOINT_TEMPLATE=${quote(ibm.registryUrlTemplate)}`,
      // The simulated registries listen on loopback, which credential checks refuse unless listed.
      `PULLKEEPER_REGISTRY_ALLOWED_HOSTS=${quote(new URL(ibm.registryUrlTemplate.replace("{domain}", "registry")).host)}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  console.log(`simulated fleet and IBM Cloud up in ${Date.now() - started} ms`);
  for (const sim of fleet.sims) console.log(`  cluster ${sim.name.padEnd(9)} ${sim.url}`);
  console.log(`  IBM Cloud         ${ibm.url}`);
  const stop = async () => {
    await Promise.allSettled([fleet.close(), ibm.close()]);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * Before/after figures for the demo fleet: stale copies and red cells per
 * cluster, as seeded, then after rotating every cluster service ID's key
 * (which refreshes every provable copy) — while the old key waits, locked,
 * for its delete, and once it is deleted.
 *
 *   npm run report:coverage -- [--large-namespaces 2000] [--kube-base-port 0] [--ibm-port 0] [--grace 5]
 *   (= tsx --conditions=react-server scripts/report-coverage.ts ...)
 *
 * Starts the demo simulators as `npm run demo` does (IBM Cloud, the four
 * clusters, pods pulling through the simulated registries), and scans each
 * cluster with the facts the dashboard uses: IAM's word on every API key
 * (details lookup by value) and a registry verification of every distinct
 * credential. Coverage is lib/coverage's own computation, so "stale copies"
 * and "red cells" (`missing` where needed, plus `rejected`) are the numbers
 * the cluster page shows. Nothing is faked: the rotations run through the
 * workflow engine against the simulators, audited in a scratch SQLite
 * database (so provenance is proven as on a server), with a grace period of
 * `--grace` seconds that the script waits out before the old keys' delete.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { createPrismaAuditStore } from "../lib/audit/prisma-audit-store";
import { connectDatabase } from "../lib/db/client";
import { parseDatabaseUrl } from "../lib/db/database-url";
import { applyPendingMigrations } from "../lib/db/migrations";
import { computeClusterCoverage, verdictKey, type KeyOwnerFact, type RegistryVerdict } from "../lib/coverage";
import type { PullSecretInventory } from "../lib/kube/port";
import { parseAllowList } from "../lib/net/outbound";
import { createMemoryRunStateStore } from "../lib/workflows/engine/run-state";
import { createPorts, workflowDeps, type Ports } from "../lib/server/ports";
import { previewWorkflow, startWorkflow, type WorkflowDeps } from "../lib/workflows";
import { runWorkflowJob } from "../lib/workflows/run-job";
import { sweepClusterCredentials } from "../lib/workflows/verification-sweep";
import { DEMO_OPERATOR } from "../sim/demo-credentials";
import { startDemoFleet } from "../sim/fleet";
import { startIbmCloudSim } from "../sim/ibm-cloud";

const { values: args } = parseArgs({
  options: {
    "large-namespaces": { type: "string", default: "2000" },
    "kube-base-port": { type: "string", default: "0" },
    "ibm-port": { type: "string", default: "0" },
    grace: { type: "string", default: "5" },
  },
});

const ACTOR = { email: "report@example.com", role: "admin" };

interface Row {
  cluster: string;
  staleCopies: number;
  neededMissing: number;
  rejected: number;
  /** The stale copies themselves, when few enough to list. */
  stale: string[];
}

/** IAM's word on each API key the inventory holds, read by value from one secret holding it. */
async function keyOwners(ports: Ports, cluster: string, inventory: PullSecretInventory): Promise<Map<string, KeyOwnerFact>> {
  const holders = new Map<string, { namespace: string; name: string }>();
  for (const secret of inventory.pullSecrets) for (const entry of secret.registries) if (entry.credentialKind === "iam-api-key" && !holders.has(entry.fingerprint)) holders.set(entry.fingerprint, secret);
  const owners = new Map<string, KeyOwnerFact>();
  for (const [fingerprint, ref] of holders) {
    const lookup = await ports.kube.withPullSecretCredentials(cluster, ref, async (credentials) => {
      const credential = credentials.find((c) => c.credentialKind === "iam-api-key");
      return credential ? ports.iam!.identifyApiKey(credential.password) : null;
    });
    if (lookup?.status === "unknown") owners.set(fingerprint, { status: "unknown" });
    if (lookup?.status === "found") owners.set(fingerprint, { status: "found", serviceId: lookup.identity.owner.kind === "service_id" ? lookup.identity.owner.serviceId : null, disabled: lookup.identity.disabled });
  }
  return owners;
}

async function scan(ports: Ports, deps: WorkflowDeps): Promise<Row[]> {
  const rows: Row[] = [];
  for (const { name: cluster } of ports.kube.listClusters()) {
    const inventory = await ports.kube.readPullSecretInventory(cluster);
    const swept = await sweepClusterCredentials(deps, cluster, inventory);
    const checkedAt = new Date().toISOString();
    const registryVerdicts = new Map<string, RegistryVerdict>(swept.map((c) => [verdictKey(c.registry, c.username, c.fingerprint), { result: c.result, checkedAt, detail: null }]));
    const coverage = computeClusterCoverage(inventory, { keyOwners: await keyOwners(ports, cluster, inventory), registryVerdicts });
    const { staleCopies, neededMissing, rejected } = coverage.summary;
    const stale = coverage.findings.flatMap((f) => (f.type === "stale_copy" ? [`${f.namespace}/${f.secret} (copy of ${f.source.namespace}/${f.source.name} by ${f.evidence}${f.keyUnknownToIam ? ", key unknown to IAM" : ""})`] : []));
    rows.push({ cluster, staleCopies, neededMissing, rejected, stale: stale.length <= 5 ? stale : [] });
  }
  return rows;
}

function print(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.log("cluster    stale copies  red cells (needed missing + rejected)");
  for (const row of rows) {
    console.log(`${row.cluster.padEnd(10)} ${String(row.staleCopies).padStart(12)}  ${String(row.neededMissing + row.rejected).padStart(9)} (${row.neededMissing} + ${row.rejected})`);
    for (const line of row.stale) console.log(`             stale: ${line}`);
  }
  const sum = (pick: (row: Row) => number) => rows.reduce((total, row) => total + pick(row), 0);
  console.log(`${"fleet".padEnd(10)} ${String(sum((r) => r.staleCopies)).padStart(12)}  ${String(sum((r) => r.neededMissing + r.rejected)).padStart(9)} (${sum((r) => r.neededMissing)} + ${sum((r) => r.rejected)})`);
}

/** The service IDs whose keys the clusters' `default` secrets hold: the keys IBM's runbook rotates. */
async function clusterServiceIds(ports: Ports): Promise<string[]> {
  const ids = new Set<string>();
  for (const { name: cluster } of ports.kube.listClusters()) {
    const inventory = await ports.kube.readPullSecretInventory(cluster);
    for (const secret of inventory.pullSecrets.filter((s) => s.namespace === "default" && s.registries.some((e) => e.credentialKind === "iam-api-key"))) {
      const lookup = await ports.kube.withPullSecretCredentials(cluster, secret, async (credentials) => {
        const credential = credentials.find((c) => c.credentialKind === "iam-api-key");
        return credential ? ports.iam!.identifyApiKey(credential.password) : null;
      });
      if (lookup?.status === "found" && lookup.identity.owner.kind === "service_id") ids.add(lookup.identity.iamId);
    }
  }
  return [...ids].sort();
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pk-report-"));
  const ibm = await startIbmCloudSim({ port: Number(args["ibm-port"]) });
  const fleet = await startDemoFleet({
    kubeconfigPath: path.join(dir, "kubeconfig"),
    basePort: Number(args["kube-base-port"]) || undefined,
    largeNamespaceCount: Number(args["large-namespaces"]),
    kubelet: { registryUrlTemplate: ibm.registryUrlTemplate },
  });
  const ports = createPorts({
    kubeconfigPaths: [path.join(dir, "kubeconfig")],
    iam: { apiKey: DEMO_OPERATOR.apiKey, iamUrl: ibm.url, identityUrl: ibm.url, policyUrl: ibm.url },
    registryEndpointTemplate: ibm.registryUrlTemplate,
    registryAllowedHosts: parseAllowList(new URL(ibm.url).host),
    verifyTimeoutMs: 10_000,
  });
  const target = parseDatabaseUrl(`file:${path.join(dir, "report.db")}`);
  await applyPendingMigrations(target);
  const database = await connectDatabase(target);
  // Runs stored in memory and driven here, as the job worker drives them on a server.
  const runs = createMemoryRunStateStore();
  const deps = workflowDeps(ports, createPrismaAuditStore(database.prisma, database.provider), 8, { runs, runQueue: { enqueue: async () => undefined } });
  const t0 = Date.now();
  try {
    console.log(`demo fleet: ${fleet.sims.map((sim) => sim.name).join(", ")} (large: ${args["large-namespaces"]} namespaces); load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    print("Before (as seeded)", await scan(ports, deps));

    const rotations: Array<{ operationId: string; dueAt: Date }> = [];
    for (const serviceIamId of await clusterServiceIds(ports)) {
      // The cluster the rotation is recorded under: any will do, it spans the fleet.
      const input = { cluster: ports.kube.listClusters()[0]!.name, from: "service_id", serviceIamId, graceSeconds: Number(args.grace) };
      const plan = await previewWorkflow("rotate_api_key", input, deps, ACTOR);
      const writes = plan.steps.filter((step) => step.op.type === "secret.rotate_key" && step.status === "change").length;
      if (!writes) continue;
      const started = await startWorkflow("rotate_api_key", input, plan.digest, deps, ACTOR);
      if (!started.ok) throw new Error(started.message);
      const outcome = await runWorkflowJob(started.operationId, { ...deps, runs }, { chunkMs: 600_000 });
      if (outcome.closed || !outcome.resumeAt) throw new Error(`rotation of ${serviceIamId} did not wait for its grace period: ${outcome.closed?.summary ?? "no due time"}`);
      console.log(`rotated ${serviceIamId}: ${writes} secrets written (operation ${started.operationId})`);
      rotations.push({ operationId: started.operationId, dueAt: outcome.resumeAt });
    }
    print("After rotating every cluster service ID's key (old keys locked, delete pending)", await scan(ports, deps));

    for (const { operationId, dueAt } of rotations) {
      await sleep(Math.max(0, dueAt.getTime() - Date.now()));
      const outcome = await runWorkflowJob(operationId, { ...deps, runs }, { chunkMs: 600_000 });
      console.log(`rotation ${operationId}: ${outcome.closed?.status ?? "still open"}`);
    }
    print("After the old keys' delete", await scan(ports, deps));
    console.log(`\n${((Date.now() - t0) / 1000).toFixed(1)} s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  } finally {
    ports.close();
    await database.close();
    await fleet.close();
    await ibm.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

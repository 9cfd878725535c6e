/**
 * /api/metrics as Prometheus sees it: the route handler, wired by the
 * composition root exactly as in the server, over the demo fleet simulators
 * (three clusters and one that does not answer), parsed by a real Prometheus
 * text-format parser. The values are checked against what the fleet holds and
 * what the test did (one copy run with an injected rate limit, one registry check).
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeClusterCoverage } from "@/lib/coverage";
import { createKubeGateway } from "@/lib/kube";
import { CREDENTIAL_CANARY, DEMO_CLUSTER_SERVICE_IDS, DEMO_OPERATOR } from "@/sim/demo-credentials";
import { demoClusterSpec, startDemoFleet, type DemoFleet } from "@/sim/fleet";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { parseScrape } from "../support/prometheus-text";

const TOKEN = "metrics-test-token-0123456789abcdef";
const LARGE_NAMESPACES = 120;
const CLUSTERS = ["regional", "modern", "large"] as const;

let dir: string;
let fleet: DemoFleet;
let ibm: IbmCloudSim;
let GET: (request: Request) => Promise<Response>;

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const scrape = (authorization?: string) => GET(new Request("http://pullkeeper.test/api/metrics", authorization ? { headers: { authorization } } : {}));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-metrics-"));
  fleet = await startDemoFleet({ clusters: [...CLUSTERS], kubeconfigPath: path.join(dir, "fleet"), largeNamespaceCount: LARGE_NAMESPACES });
  ibm = await startIbmCloudSim({});
  const offline = `apiVersion: v1
kind: Config
clusters: [{ name: offline, cluster: { server: "https://127.0.0.1:${await closedPort()}", insecure-skip-tls-verify: true } }]
users: [{ name: offline, user: { token: ${CREDENTIAL_CANARY}-offline-token } }]
contexts: [{ name: offline, context: { cluster: offline, user: offline } }]
current-context: offline
`;
  fs.writeFileSync(path.join(dir, "offline"), offline);
  Object.assign(process.env, {
    DATABASE_URL: `file:${dir}/pullkeeper.db`,
    AUTH_SECRET: "metrics-test-secret-0123456789abcdef",
    PULLKEEPER_PUBLIC_URL: "http://pullkeeper.test",
    LOG_LEVEL: "silent",
    KUBECONFIG: `${path.join(dir, "fleet")}:${path.join(dir, "offline")}`,
    PULLKEEPER_IN_CLUSTER: "false",
    PULLKEEPER_KUBE_TIMEOUT_MS: "3000",
    PULLKEEPER_METRICS_TOKEN: TOKEN,
    IBMCLOUD_API_KEY: DEMO_OPERATOR.apiKey,
    IBMCLOUD_IAM_URL: ibm.url,
    IBMCLOUD_IAM_IDENTITY_URL: ibm.url,
    IBMCLOUD_IAM_POLICY_URL: ibm.url,
    REGISTRY_ENDPOINT_TEMPLATE: ibm.registryUrlTemplate,
    PULLKEEPER_REGISTRY_ALLOWED_HOSTS: new URL(ibm.url).host,
  });
  // Imported only now: the environment is read once, on first use.
  ({ GET } = await import("@/app/api/metrics/route"));
});

afterAll(async () => {
  await fleet?.close();
  await ibm?.close();
});

describe("/api/metrics access", () => {
  it("answers 401 without the bearer token, with a wrong one, or with another scheme", async () => {
    for (const authorization of [undefined, "Bearer wrong-token-0123456789abcdefghij", `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`, TOKEN, "Bearer "]) {
      const response = await scrape(authorization);
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(await response.text()).not.toMatch(/pullkeeper_/);
    }
  });
});

describe("/api/metrics on the demo fleet", () => {
  let stopWork: ((timeoutMs: number) => Promise<void>) | undefined;
  afterAll(async () => stopWork?.(1_000));
  let text: string;
  let metrics: ReturnType<typeof parseScrape>;

  beforeAll(async () => {
    const { serverRoot } = await import("@/lib/server/root");
    const { serverWorkflowDeps } = await import("@/lib/server/context");
    const { previewWorkflow, startWorkflow } = await import("@/lib/workflows");
    const { startJobWorkers } = await import("@/lib/server/job-workers");
    const root = serverRoot();
    // As the server does at start: the run is a job, taken by this process's worker.
    stopWork = await startJobWorkers();

    // One copy into one namespace: its first request meets four 429s, more than the transport retries, so the step is retried once.
    const deps = await serverWorkflowDeps();
    const regional = fleet.sims.find((sim) => sim.name === "regional")!;
    const input = { cluster: "regional", sourceNamespace: "default", secrets: ["default-us-icr-io"], targets: { mode: "list", namespaces: ["shipping"] }, naming: "seed", attach: true, serviceAccount: "default", restartPods: false };
    const actor = { email: "operator@example.com", role: "operator" };
    // Each chunk of a queued run checks its actor is still allowed (lib/auth/run-authorisation.ts): the actor is a real user.
    const { authService } = await import("@/lib/auth/service");
    await (await authService()).users.createLocalUser({ email: actor.email, name: "Operator", role: "operator", clusters: null, password: "scrape counting passphrase" });
    const plan = await previewWorkflow("copy_pull_secrets", input, deps, actor);
    const rateLimitedOnceStarted = {
      ...deps,
      audit: {
        ...deps.audit,
        startOperation: async (operation: Parameters<typeof deps.audit.startOperation>[0]) => {
          const started = await deps.audit.startOperation(operation);
          regional.setFaults({ rateLimitNext: 4, retryAfterSeconds: 0 });
          return started;
        },
      },
    };
    const start = await startWorkflow("copy_pull_secrets", input, plan.digest, rateLimitedOnceStarted, actor);
    if (!start.ok) throw new Error(start.message);
    expect((await start.done).status).toBe("succeeded");
    regional.setFaults({});
    // What the background refresher does while metrics are on (lib/queries/scan-refresh.ts); the run's end dropped the cached scan.
    for (const cluster of [...CLUSTERS, "offline"]) await root.scans().get(cluster);

    const verification = await root.ports().verifyRegistry({ domain: "us.icr.io", username: "iamapikey", password: DEMO_CLUSTER_SERVICE_IDS.regional.apiKey });
    expect(verification.result).toBe("valid");

    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    text = await response.text();
    metrics = parseScrape(text);
  });

  it("reports each cluster's reachability and when it was scanned", () => {
    for (const cluster of CLUSTERS) {
      expect(metrics.value("pullkeeper_cluster_up", { cluster })).toBe(1);
      expect(metrics.value("pullkeeper_cluster_scan_success", { cluster })).toBe(1);
    }
    expect(metrics.value("pullkeeper_cluster_up", { cluster: "offline" })).toBe(0);
    expect(metrics.value("pullkeeper_cluster_scan_success", { cluster: "offline" })).toBe(0);
    const scannedAt = metrics.value("pullkeeper_cluster_last_scan_timestamp_seconds", { cluster: "large" })!;
    expect(Math.abs(scannedAt - Date.now() / 1000)).toBeLessThan(120);
    expect(metrics.value("pullkeeper_cluster_namespaces", { cluster: "offline" })).toBeUndefined();
  });

  it("counts namespaces per cluster, registry and coverage state as the fleet holds them", async () => {
    // The seed's namespaces plus the ones every API server has (the simulator creates them as Kubernetes does).
    const seededNamespaces = (name: (typeof CLUSTERS)[number]) =>
      new Set([
        ...demoClusterSpec(name, { largeNamespaceCount: LARGE_NAMESPACES }).objects.filter((object) => object.kind === "Namespace").map((object) => object.metadata.name),
        "default", "kube-system", "kube-public", "kube-node-lease",
      ]).size;
    expect(metrics.value("pullkeeper_cluster_namespaces", { cluster: "large" })).toBe(seededNamespaces("large"));
    expect(metrics.value("pullkeeper_cluster_namespaces", { cluster: "modern" })).toBe(seededNamespaces("modern"));
    // Read independently of the server's ports, after the copy: the scan was taken before it, so regional is compared with its seed.
    const gateway = createKubeGateway({ kubeconfigPaths: [path.join(dir, "fleet")] });
    try {
      for (const cluster of ["modern", "large"] as const) {
        const coverage = computeClusterCoverage(await gateway.readPullSecretInventory(cluster));
        for (const domain of coverage.summary.domains) {
          for (const [state, count] of Object.entries(domain.counts)) {
            expect(metrics.value("pullkeeper_coverage_namespaces", { cluster, registry: domain.registry, state }), `${cluster} ${domain.registry} ${state}`).toBe(count);
          }
        }
        expect(metrics.value("pullkeeper_coverage_findings", { cluster, finding: "image_pull_at_risk" })).toBe(coverage.summary.workloadsAtRisk);
      }
    } finally {
      gateway.close();
    }
    // Every namespace is in exactly one state per registry.
    const states = metrics.family("pullkeeper_coverage_namespaces").metrics.filter((m) => m.labels?.cluster === "large" && m.labels.registry === "us.icr.io");
    expect(states.map((m) => m.labels!.state).sort()).toEqual(["covered", "legacy_only", "missing", "not_attached", "not_needed", "rejected"]);
    expect(states.reduce((sum, m) => sum + Number(m.value), 0)).toBe(seededNamespaces("large"));
    expect(metrics.value("pullkeeper_coverage_namespaces", { cluster: "large", registry: "us.icr.io", state: "covered" })).toBeGreaterThan(0);
  });

  it("counts Kubernetes API requests per cluster by status code, and scan durations", () => {
    expect(metrics.sum("pullkeeper_kube_requests_total", { cluster: "large", method: "GET", code: "200" })).toBeGreaterThan(5);
    expect(metrics.value("pullkeeper_kube_requests_total", { cluster: "regional", method: "GET", code: "429" })).toBe(4);
    expect(metrics.sum("pullkeeper_kube_requests_total", { cluster: "offline", code: "unavailable" })).toBeGreaterThan(0);
    expect(metrics.sum("pullkeeper_kube_requests_total", { cluster: "offline", code: "200" })).toBe(0);
    expect(metrics.value("pullkeeper_cluster_scan_duration_seconds", { cluster: "large", outcome: "success" })).toBe(1);
    expect(metrics.value("pullkeeper_cluster_scan_duration_seconds", { cluster: "offline", outcome: "failure" })).toBe(1);
    expect(metrics.family("pullkeeper_cluster_scan_duration_seconds").type).toBe("HISTOGRAM");
    // Buckets are cumulative and end in +Inf, which equals the count.
    const buckets = metrics.histogramSeries("pullkeeper_cluster_scan_duration_seconds", "bucket").filter((m) => m.labels?.cluster === "large");
    const counts = buckets.map((m) => Number(m.value));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(buckets.at(-1)?.labels?.le).toBe("+Inf");
    expect(counts.at(-1)).toBe(1);
  });

  it("counts workflow runs by kind and outcome, steps, retries and runs in progress", () => {
    expect(metrics.value("pullkeeper_workflow_runs_total", { kind: "copy_pull_secrets", outcome: "succeeded" })).toBe(1);
    expect(metrics.sum("pullkeeper_workflow_runs_total")).toBe(1);
    expect(metrics.value("pullkeeper_workflow_runs_in_progress", { kind: "copy_pull_secrets" })).toBe(0);
    expect(metrics.value("pullkeeper_workflow_steps_total", { action: "secret.copied", outcome: "succeeded" })).toBe(1);
    expect(metrics.value("pullkeeper_workflow_steps_total", { action: "service_account.patched", outcome: "succeeded" })).toBe(1);
    expect(metrics.value("pullkeeper_workflow_step_retries_total", { action: "secret.copied" })).toBe(1);
    expect(metrics.value("pullkeeper_workflow_run_duration_seconds", { kind: "copy_pull_secrets" })).toBe(1);
  });

  it("reports every job queue's depth, running jobs and oldest wait, from the queue's own table", () => {
    for (const queue of ["workflow-run", "webhook-delivery", "verification-sweep"]) {
      expect(metrics.value("pullkeeper_jobs_waiting", { queue }), queue).toBe(0);
      expect(metrics.value("pullkeeper_jobs_active", { queue }), queue).toBe(0);
      expect(metrics.value("pullkeeper_jobs_oldest_waiting_seconds", { queue }), queue).toBe(0);
    }
  });

  it("counts registry checks by registry and result, and exports the process's default metrics", () => {
    expect(metrics.value("pullkeeper_registry_verifications_total", { registry: "us.icr.io", result: "valid" })).toBe(1);
    for (const name of ["process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes"]) expect(metrics.has(name), name).toBe(true);
  });

  it("has every series the example alerts (deploy/components/metrics/prometheusrule.yaml) use", () => {
    const rules = fs.readFileSync(path.join(import.meta.dirname, "..", "..", "deploy", "components", "metrics", "prometheusrule.yaml"), "utf8");
    const used = new Set(rules.match(/pullkeeper_[a-z_]+/g));
    expect(used.size).toBeGreaterThanOrEqual(6);
    for (const name of used) expect(metrics.has(name), name).toBe(true);
    // The label values the alerts match on exist too.
    expect(metrics.sum("pullkeeper_coverage_namespaces", { state: "covered" })).toBeGreaterThan(0);
    expect(metrics.has("pullkeeper_coverage_findings") && metrics.value("pullkeeper_coverage_findings", { cluster: "large", finding: "image_pull_at_risk" })).not.toBeUndefined();
  });

  it("follows Prometheus naming and keeps labels bounded: no namespace, user or credential", () => {
    const allowedLabels = new Set(["cluster", "registry", "state", "finding", "method", "code", "outcome", "kind", "action", "result", "queue", "le", "rule", "mode", "resource", "reason", "cause"]);
    for (const family of metrics.families.filter((f) => f.name.startsWith("pullkeeper_"))) {
      expect(family.name).toMatch(/^pullkeeper_[a-z_]+$/);
      if (family.type === "COUNTER") expect(family.name).toMatch(/_total$/);
      if (family.type === "HISTOGRAM") expect(family.name).toMatch(/_seconds$/);
      expect(family.help.length).toBeGreaterThan(10);
      const samples = family.type === "HISTOGRAM" ? metrics.histogramSeries(family.name, "bucket") : family.metrics;
      for (const metric of samples) for (const label of Object.keys(metric.labels ?? {})) expect(allowedLabels.has(label), `${family.name} ${label}`).toBe(true);
    }
    expect(text).not.toMatch(/namespace="/);
    expect(text).not.toContain(CREDENTIAL_CANARY);
    expect(text).not.toContain("operator@example.com");
    expect(text).not.toContain("shipping");
  });
});

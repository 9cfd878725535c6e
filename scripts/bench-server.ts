/**
 * Memory (RSS) and CPU of the production server (`node scripts/start.mjs`, the
 * standalone bundle) while a copy of 6 pull secrets into 500 namespaces of the
 * simulated 2,000-namespace cluster is driven over HTTP exactly as the workflow
 * page drives it: sign in, preview and apply through the page's server actions,
 * follow the run through /api/operations/<id>. Reports idle (after serving the
 * pages once), during the copy (peak RSS, CPU seconds) and a minute after, each
 * with the machine's load average (the simulators run on the same machine).
 *
 *   npm run build && npm run bench:server -- [--port 3203] [--kube-base-port 17640] [--ibm-port 17680] [--namespaces 500] [--idle-seconds 30] [--after-seconds 60]
 */
import { parseArgs } from "node:util";
import { operation, previewAndApply, serverActionIds, signIn, type AppSession } from "./bench/app-client";
import { BUNDLE, DEMO_ADMIN, sleep, startDemoServer } from "./bench/demo-server";
import { loadAverage, sampleProcess, watchProcess } from "./bench/process-sampler";

const SECRETS = ["all-icr-io"];
const MiB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** What a person does first: the fleet page and the large cluster's page, so the idle figure is a warmed-up server. */
async function browse(session: AppSession): Promise<void> {
  for (const page of ["/", "/clusters/large", "/clusters/large/workflows/copy", "/audit"]) {
    const response = await fetch(`${session.baseUrl}${page}`, { headers: { Cookie: session.cookie } });
    await response.text();
    if (!response.ok) throw new Error(`${page} answered HTTP ${response.status}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "3203" },
      "kube-base-port": { type: "string", default: "17640" },
      "ibm-port": { type: "string", default: "17680" },
      namespaces: { type: "string", default: "500" },
      "idle-seconds": { type: "string", default: "30" },
      "after-seconds": { type: "string", default: "60" },
    },
  });
  const stack = await startDemoServer({ port: Number(values.port), kubeBasePort: Number(values["kube-base-port"]), ibmPort: Number(values["ibm-port"]), label: "bench-server" });
  try {
    const { baseUrl, pid } = stack;
    console.log(`server pid ${pid} on ${baseUrl}; started at ${MiB(sampleProcess(pid).rssBytes)} RSS (load average ${loadAverage()})`);

    const session = await signIn(baseUrl, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await browse(session);
    const idle = watchProcess(pid);
    await sleep(Number(values["idle-seconds"]) * 1000);
    const idleFigures = idle.stop();

    const namespaces = Array.from({ length: Number(values.namespaces) }, (_, index) => `app-${String(index + 1).padStart(4, "0")}`);
    const during = watchProcess(pid);
    const started = Date.now();
    const input = { cluster: "large", sourceNamespace: "default", secrets: SECRETS, targets: { mode: "list", namespaces }, naming: "keep", attach: true, serviceAccount: "default", restartPods: false };
    const run = await previewAndApply(session, serverActionIds(BUNDLE), { kind: "copy_pull_secrets", slug: "copy" }, input);
    const previewAndStartSeconds = (Date.now() - started) / 1000;
    let status = await operation(session, run.operationId);
    while (status.status === "running") {
      await sleep(500);
      status = await operation(session, run.operationId);
    }
    const duringFigures = during.stop();

    const after = watchProcess(pid);
    await sleep(Number(values["after-seconds"]) * 1000);
    const afterFigures = after.stop();

    const millicores = (figures: { cpuSeconds: number; wallSeconds: number }) => `${Math.round((figures.cpuSeconds / figures.wallSeconds) * 1000)} millicores`;
    console.log(`\ncopy of ${SECRETS.length} secret(s) into ${namespaces.length} namespaces of "large" with attach: ${run.changes} changes, ${status.status} (${status.summary})`);
    console.log(`| Phase | RSS | CPU | Load average (1, 5, 15 min) |`);
    console.log(`| --- | --- | --- | --- |`);
    console.log(`| idle ${idleFigures.wallSeconds.toFixed(0)} s after serving the pages | ${MiB(idleFigures.lastRssBytes)} (peak ${MiB(idleFigures.peakRssBytes)}) | ${idleFigures.cpuSeconds.toFixed(2)} CPU-s, ${millicores(idleFigures)} | ${idleFigures.loadAverage} |`);
    console.log(`| copy: preview + apply + run, ${duringFigures.wallSeconds.toFixed(1)} s (preview and start ${previewAndStartSeconds.toFixed(1)} s) | peak ${MiB(duringFigures.peakRssBytes)} | ${duringFigures.cpuSeconds.toFixed(1)} CPU-s, ${millicores(duringFigures)} | ${duringFigures.loadAverage} |`);
    console.log(`| ${afterFigures.wallSeconds.toFixed(0)} s after the copy | ${MiB(afterFigures.lastRssBytes)} | ${afterFigures.cpuSeconds.toFixed(2)} CPU-s, ${millicores(afterFigures)} | ${afterFigures.loadAverage} |`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * Load on the production server (the standalone bundle) with signed-in
 * sessions, on the demo stack (simulators on the same machine), in two mixes:
 *  - heavy: a closed loop weighted toward the 2,000-namespace cluster's pages, no think time;
 *  - browsing: every page and API (the audit CSV export included), 0–500 ms think time;
 * at 10, 30 and 50 users each. Reports p50/p95/p99 per page type, throughput,
 * errors, the server's CPU (millicores, and CPU time per request: the figure that
 * compares runs on a shared machine, where the server gets whatever share of the cores
 * the others leave) and memory before, at peak and after, each with the load average.
 *
 *   npm run build && npm run bench:load -- [--seconds 20] [--users 10,30,50] [--mixes heavy,browsing] [--after-seconds 30]
 *     [--port 3203] [--kube-base-port 17640] [--ibm-port 17680] [--cpu-prof DIR] [--bundle DIR]
 *     [--per-type-seconds 10] [--per-type-users 4] [--server-node-args="--max-semi-space-size=32"] (a later flag wins over npm start's)
 *
 * Before the mixes, each page type alone (--per-type-users closed-loop users, no think time,
 * --per-type-seconds each; 0 skips it): the server's CPU milliseconds per request and the
 * decoded bytes per response of that type, the figures to compare a change by while the
 * machine is shared.
 *
 * --cpu-prof writes the server's V8 CPU profile (.cpuprofile, open it in Chrome's
 * DevTools or summarise it with scripts/bench/profile-summary.ts) into DIR when it stops,
 * with page-type-windows.json beside it: when each page type ran alone, so that
 * `profile-summary.ts PROFILE --windows DIR/page-type-windows.json` shows what each type spends its CPU on.
 * --bundle runs another assembled bundle (a copy of .next/standalone from an earlier
 * build), to measure before and after a change back to back on the same machine.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { signIn, type AppSession } from "./bench/app-client";
import { DEMO_ADMIN, sleep, startDemoServer } from "./bench/demo-server";
import { measurePageTypes } from "./bench/page-type-cpu";
import { loadAverage, sampleProcess, watchProcess } from "./bench/process-sampler";

const OPERATOR = { email: "demo-operator@pullkeeper.demo", password: "operator-demo-passphrase" };
const MiB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

interface Request {
  type: string;
  path: () => string;
  weight: number;
}

const largeNamespace = () => `app-${String(1 + Math.floor(Math.random() * 2000)).padStart(4, "0")}`;

const MIXES: Record<string, { thinkMs: [number, number]; requests: Request[] }> = {
  heavy: {
    thinkMs: [0, 0],
    requests: [
      { type: "cluster page (large)", path: () => "/clusters/large", weight: 4 },
      { type: "namespace page (large)", path: () => `/clusters/large/namespaces/${largeNamespace()}`, weight: 3 },
      { type: "namespace API (large)", path: () => `/api/clusters/large/namespaces/${largeNamespace()}`, weight: 2 },
      { type: "fleet page", path: () => "/", weight: 1 },
    ],
  },
  browsing: {
    thinkMs: [0, 500],
    requests: [
      { type: "fleet page", path: () => "/", weight: 3 },
      { type: "cluster page", path: () => ["/clusters/regional", "/clusters/legacy", "/clusters/modern"][Math.floor(Math.random() * 3)]!, weight: 3 },
      { type: "cluster page (large)", path: () => "/clusters/large", weight: 1 },
      { type: "namespace page", path: () => ["/clusters/regional/namespaces/payments", "/clusters/legacy/namespaces/default", "/clusters/modern/namespaces/default"][Math.floor(Math.random() * 3)]!, weight: 2 },
      { type: "clusters API", path: () => "/api/clusters", weight: 2 },
      { type: "namespace API", path: () => "/api/clusters/regional/namespaces/payments", weight: 2 },
      { type: "audit page", path: () => "/audit", weight: 2 },
      { type: "workflow page", path: () => "/clusters/regional/workflows/copy", weight: 1 },
      { type: "settings page", path: () => "/settings", weight: 1 },
      { type: "audit CSV export", path: () => "/api/audit/export?format=csv", weight: 0.3 },
    ],
  },
};

function pick(requests: Request[]): Request {
  const total = requests.reduce((sum, request) => sum + request.weight, 0);
  let roll = Math.random() * total;
  for (const request of requests) if ((roll -= request.weight) <= 0) return request;
  return requests[requests.length - 1]!;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function runLevel(sessions: AppSession[], mix: (typeof MIXES)[string], users: number, seconds: number) {
  const latencies = new Map<string, number[]>();
  let errors = 0;
  let bytes = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      const session = sessions[user % sessions.length]!;
      while (Date.now() < deadline) {
        const request = pick(mix.requests);
        const started = performance.now();
        try {
          const response = await fetch(`${session.baseUrl}${request.path()}`, { headers: { Cookie: session.cookie } });
          bytes += (await response.arrayBuffer()).byteLength;
          if (!response.ok) errors++;
        } catch {
          errors++;
        }
        const list = latencies.get(request.type) ?? [];
        list.push(performance.now() - started);
        latencies.set(request.type, list);
        const [low, high] = mix.thinkMs;
        if (high > 0) await sleep(low + Math.random() * (high - low));
      }
    }),
  );
  return { latencies, errors, bytes };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "20" },
      users: { type: "string", default: "10,30,50" },
      "after-seconds": { type: "string", default: "30" },
      port: { type: "string", default: "3203" },
      "kube-base-port": { type: "string", default: "17640" },
      "ibm-port": { type: "string", default: "17680" },
      mixes: { type: "string", default: Object.keys(MIXES).join(",") },
      "cpu-prof": { type: "string" },
      "per-type-seconds": { type: "string", default: "10" },
      "per-type-users": { type: "string", default: "4" },
      bundle: { type: "string" },
      "server-node-args": { type: "string", default: "" },
    },
  });
  const levels = values.users.split(",").map(Number);
  const seconds = Number(values.seconds);
  const stack = await startDemoServer({ port: Number(values.port), kubeBasePort: Number(values["kube-base-port"]), ibmPort: Number(values["ibm-port"]), label: "bench-load",
    ...(values.bundle ? { bundle: values.bundle } : {}),
    serverNodeArgs: [...values["server-node-args"].split(" ").filter(Boolean), ...(values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [])],
  });
  try {
    const sessions = [await signIn(stack.baseUrl, DEMO_ADMIN.email, DEMO_ADMIN.password), await signIn(stack.baseUrl, OPERATOR.email, OPERATOR.password)];
    // Warm up: every page once, so the first level does not measure compilation of routes or cold scans.
    await runLevel(sessions, { thinkMs: [0, 0], requests: [...MIXES.heavy!.requests, ...MIXES.browsing!.requests] }, 2, 10);
    const before = sampleProcess(stack.pid);
    console.log(`bench:load — ${seconds} s per level; server RSS before ${MiB(before.rssBytes)} (load average ${loadAverage()})`);
    let peakRss = before.rssBytes;
    if (Number(values["per-type-seconds"]) > 0) {
      const perType = await measurePageTypes(
        [...MIXES.heavy!.requests, ...MIXES.browsing!.requests],
        (requests, users, typeSeconds) => runLevel(sessions, { thinkMs: [0, 0], requests }, users, typeSeconds),
        { pid: stack.pid, users: Number(values["per-type-users"]), seconds: Number(values["per-type-seconds"]), ...(values["cpu-prof"] ? { windowsFile: path.join(values["cpu-prof"], "page-type-windows.json") } : {}) },
      );
      peakRss = Math.max(peakRss, perType.peakRssBytes);
    }
    for (const [name, mix] of Object.entries(MIXES).filter(([mixName]) => values.mixes.split(",").includes(mixName))) {
      for (const users of levels) {
        const watch = watchProcess(stack.pid);
        const started = Date.now();
        const { latencies, errors } = await runLevel(sessions, mix, users, seconds);
        const figures = watch.stop();
        peakRss = Math.max(peakRss, figures.peakRssBytes);
        const wall = (Date.now() - started) / 1000;
        const count = [...latencies.values()].reduce((sum, list) => sum + list.length, 0);
        const all = [...latencies.values()].flat().sort((a, b) => a - b);
        console.log(`\n${name}, ${users} users: ${(count / wall).toFixed(1)} req/s, ${errors} errors, p50 ${percentile(all, 50).toFixed(0)} ms, p95 ${percentile(all, 95).toFixed(0)} ms, p99 ${percentile(all, 99).toFixed(0)} ms; server ${Math.round((figures.cpuSeconds / figures.wallSeconds) * 1000)} millicores, ${((figures.cpuSeconds * 1000) / Math.max(1, count)).toFixed(0)} ms CPU per request, peak ${MiB(figures.peakRssBytes)} (load average ${figures.loadAverage})`);
        console.log(`| page type | requests | p50 ms | p95 ms | p99 ms |`);
        console.log(`| --- | --- | --- | --- | --- |`);
        for (const [type, list] of [...latencies.entries()].sort()) {
          const sorted = list.sort((a, b) => a - b);
          console.log(`| ${type} | ${sorted.length} | ${percentile(sorted, 50).toFixed(0)} | ${percentile(sorted, 95).toFixed(0)} | ${percentile(sorted, 99).toFixed(0)} |`);
        }
      }
    }
    await sleep(Number(values["after-seconds"]) * 1000);
    console.log(`\nserver RSS: before ${MiB(before.rssBytes)}, peak ${MiB(peakRss)}, ${values["after-seconds"]} s after ${MiB(sampleProcess(stack.pid).rssBytes)} (load average ${loadAverage()})`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

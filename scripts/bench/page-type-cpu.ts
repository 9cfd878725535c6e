import fs from "node:fs";
import path from "node:path";
import { loadAverage, watchProcess } from "./process-sampler";

/** When one page type ran alone, on the clock V8's CPU profiles use (CLOCK_MONOTONIC, in microseconds). */
export interface PageTypeWindow {
  type: string;
  startMicros: number;
  endMicros: number;
}

interface TypedRequest {
  type: string;
}

type RunAlone<R extends TypedRequest> = (requests: R[], users: number, seconds: number) => Promise<{ latencies: Map<string, number[]>; errors: number; bytes: number }>;

/** process.hrtime is CLOCK_MONOTONIC on Linux, the clock of V8's profile timestamps in the server process. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Runs each page type alone and prints the server's CPU time per request and the
 * decoded bytes per response: figures that depend little on how much of the
 * machine the server gets, unlike latency. Types sharing a name (the same page in
 * two mixes) are measured once. With `windowsFile`, writes when each type ran, for
 * profile-summary.ts --windows.
 */
export async function measurePageTypes<R extends TypedRequest>(
  requests: R[],
  runAlone: RunAlone<R>,
  options: { pid: number; users: number; seconds: number; windowsFile?: string },
): Promise<{ peakRssBytes: number }> {
  const byType = new Map<string, R>();
  for (const request of requests) if (!byType.has(request.type)) byType.set(request.type, request);
  const windows: PageTypeWindow[] = [];
  let peakRssBytes = 0;
  console.log(`\nper page type, alone: ${options.users} users, no think time, ${options.seconds} s each (load average ${loadAverage()})`);
  console.log(`| page type | requests | req/s | errors | server CPU ms per request | KB per response | p50 ms | load average |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const [type, request] of byType) {
    const watch = watchProcess(options.pid);
    const startMicros = monotonicMicros();
    const { latencies, errors, bytes } = await runAlone([request], options.users, options.seconds);
    const endMicros = monotonicMicros();
    const figures = watch.stop();
    peakRssBytes = Math.max(peakRssBytes, figures.peakRssBytes);
    windows.push({ type, startMicros, endMicros });
    const sorted = [...(latencies.get(type) ?? [])].sort((a, b) => a - b);
    const count = Math.max(1, sorted.length);
    const p50 = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    console.log(
      `| ${type} | ${sorted.length} | ${(sorted.length / figures.wallSeconds).toFixed(1)} | ${errors} | ${((figures.cpuSeconds * 1000) / count).toFixed(1)} | ${(bytes / 1024 / count).toFixed(1)} | ${p50.toFixed(0)} | ${figures.loadAverage} |`,
    );
  }
  if (options.windowsFile) {
    fs.mkdirSync(path.dirname(options.windowsFile), { recursive: true });
    fs.writeFileSync(options.windowsFile, JSON.stringify(windows, null, 2));
  }
  return { peakRssBytes };
}

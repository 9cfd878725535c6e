import fs from "node:fs";
import os from "node:os";

/** Resident memory and CPU time of one process, read from /proc (Linux), as `ps` and the kubelet see them. */
export interface ProcessSample {
  at: number;
  rssBytes: number;
  cpuSeconds: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function sampleProcess(pid: number): ProcessSample {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // Fields after the command name (which may hold spaces) start at ")" : utime and stime are the 12th and 13th of them.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { at: Date.now(), rssBytes: rssKb * 1024, cpuSeconds: ticks / TICKS_PER_SECOND };
}

/** The machine's 1/5/15-minute load averages, as `uptime` prints them. */
export const loadAverage = (): string => os.loadavg().map((value) => value.toFixed(2)).join(", ");

/** Samples every `intervalMs` until stopped; reports the peak RSS and the CPU used between start and stop. */
export function watchProcess(pid: number, intervalMs = 250) {
  const first = sampleProcess(pid);
  let peak = first;
  const timer = setInterval(() => {
    try {
      const sample = sampleProcess(pid);
      if (sample.rssBytes > peak.rssBytes) peak = sample;
    } catch {
      // The process exited; stop() reports what was seen.
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const last = sampleProcess(pid);
      if (last.rssBytes > peak.rssBytes) peak = last;
      const seconds = (last.at - first.at) / 1000;
      return { peakRssBytes: peak.rssBytes, lastRssBytes: last.rssBytes, cpuSeconds: last.cpuSeconds - first.cpuSeconds, wallSeconds: seconds, loadAverage: loadAverage() };
    },
  };
}

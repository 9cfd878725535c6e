/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. from `npm run bench:load -- --cpu-prof DIR`):
 * the functions with the most self time, and the most total (inclusive) time, as shares of the busy
 * (non-idle) time, with the file each lives in. Enough to see what dominates without opening DevTools.
 *
 *   npx tsx scripts/bench/profile-summary.ts DIR/CPU.….cpuprofile [--top 30] [--match app/] [--windows DIR/page-type-windows.json]
 *
 * --windows (written by `bench:load -- --cpu-prof DIR`) prints one summary per page type, from the samples taken while that type ran alone.
 */
import fs from "node:fs";
import { SourceMap } from "node:module";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const IDLE = new Set(["(idle)", "(program)", "(garbage collector)"]);

const sourceMaps = new Map<string, SourceMap | null>();

/** The bundle's source map beside a chunk (`next build` writes them), so frames name the source file, not the chunk. */
function sourceMapOf(file: string): SourceMap | null {
  if (!sourceMaps.has(file)) {
    let map: SourceMap | null = null;
    // The assembled bundle (.next/standalone/.next/…) leaves the maps behind in the build directory.
    const candidates = [`${file}.map`, `${file.replace("/.next/standalone/.next/", "/.next/")}.map`];
    try {
      const found = candidates.find((candidate) => fs.existsSync(candidate));
      if (found) map = new SourceMap(JSON.parse(fs.readFileSync(found, "utf8")) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      // No map (Node's own modules, dependencies outside the bundle): the chunk position is shown.
    }
    sourceMaps.set(file, map);
  }
  return sourceMaps.get(file)!;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, "");
  // findEntry answers {} where the map has no mapping.
  const entry = (file ? sourceMapOf(file)?.findEntry(lineNumber, columnNumber) : undefined) as { originalSource?: string; originalLine: number } | undefined;
  const where =
    entry?.originalSource
      ? `${entry.originalSource.replace(/^.*\[project\]\//, "").replace(/^.*\/node_modules\//, "node_modules/")}:${entry.originalLine + 1}`
      : file
        ? `${file.replace(/^.*\/(node_modules|\.next)\//, "$1/")}:${lineNumber + 1}`
        : "";
  return `${functionName || "(anonymous)"} ${where}`.trim();
}

interface Window {
  type: string;
  startMicros: number;
  endMicros: number;
}

/** Self and inclusive time per function over the samples taken inside [from, to) (microseconds on the profile's clock). */
function summarise(profile: Profile, from = -Infinity, to = Infinity) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  let gc = 0;
  let wall = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    at += micros;
    if (at < from || at >= to) return;
    wall += micros;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === "(garbage collector)") gc += micros;
    if (IDLE.has(node.callFrame.functionName)) return;
    busy += micros;
    self.set(label(node), (self.get(label(node)) ?? 0) + micros);
    // Inclusive time: once per distinct function on the stack (recursion counted once).
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const name = label(byId.get(up)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + micros);
    }
  });
  return { self, total, busy, gc, wall };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: "string", default: "30" }, match: { type: "string" }, windows: { type: "string" } },
  });
  if (!positionals[0]) throw new Error("usage: profile-summary.ts FILE.cpuprofile [--top N] [--match TEXT] [--windows page-type-windows.json]");
  const profile = JSON.parse(fs.readFileSync(positionals[0], "utf8")) as Profile;
  const top = Number(values.top);
  const print = (title: string, table: Map<string, number>, busy: number) => {
    console.log(`\n${title}`);
    [...table.entries()]
      .filter(([name]) => !values.match || name.includes(values.match))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([name, micros]) => console.log(`${((micros / busy) * 100).toFixed(1).padStart(5)} %  ${(micros / 1e6).toFixed(2).padStart(6)} s  ${name}`));
  };
  // With --windows (written by bench:load --cpu-prof), one summary per page type, from the samples taken while it ran alone.
  const windows: Window[] = values.windows ? (JSON.parse(fs.readFileSync(values.windows, "utf8")) as Window[]) : [{ type: "whole profile", startMicros: -Infinity, endMicros: Infinity }];
  for (const window of windows) {
    const { self, total, busy, gc, wall } = summarise(profile, window.startMicros, window.endMicros);
    console.log(`\n## ${window.type}: busy ${(busy / 1e6).toFixed(1)} s of ${(wall / 1e6).toFixed(1)} s sampled; garbage collection ${(gc / 1e6).toFixed(1)} s`);
    print("self time (share of busy time)", self, busy);
    print("total time (share of busy time)", total, busy);
  }
}

main();

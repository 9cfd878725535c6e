import "server-only";
import fs from "node:fs";
import path from "node:path";
import { mergeKubeconfigs, readKubeconfigFile, type LoadedContext, type ParsedKubeconfig } from "./kubeconfig";
import type { InClusterOptions, TokenSourceCluster } from "./port-options";

export interface LiveClusterSetOptions {
  /** The kubeconfig files, merged in order; a function is asked again at every reload (a mounted directory gains files). */
  kubeconfigPaths: () => string[];
  inCluster?: InClusterOptions;
  tokenClusters?: TokenSourceCluster[];
  /** Re-read the files when they change: fs.watch on their directories, and a poll of their stat as the fallback. */
  watch?: { pollMs?: number; debounceMs?: number };
}

/** What one change of the set did, by cluster name. */
export interface ClusterSetChange {
  added: string[];
  /** Same name, new server, CA or credentials. */
  replaced: string[];
  removed: string[];
  /** Only from `setDisabled`: clusters that left scans, rules, the fleet and the watches, or came back to them. */
  disabled?: string[];
  enabled?: string[];
}

interface FileState {
  stamp: string;
  /** The last version of the file that parsed; kept through a broken edit. */
  good: ParsedKubeconfig | null;
  problem: string | null;
}

const stampOf = (file: string): string | null => {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return null;
  }
};

/**
 * The clusters the gateway can reach right now: kubeconfig contexts (re-read when their files change),
 * the pod's own cluster, and token-source clusters set by the caller (stored IBM Cloud and registered
 * clusters). A file that stops parsing keeps the contexts it had before the edit, and says so in
 * `problems()`; a deleted file takes its contexts with it. Listeners hear which names changed, so the
 * gateway can rebuild or close their transports.
 */
export class LiveClusterSet {
  private files = new Map<string, FileState>();
  private tokenClusters: TokenSourceCluster[];
  private contexts = new Map<string, LoadedContext>();
  private problemList: string[] = [];
  private disabled = new Set<string>();
  private readonly listeners = new Set<(change: ClusterSetChange) => void>();
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private poll: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;

  constructor(private readonly options: LiveClusterSetOptions) {
    this.tokenClusters = options.tokenClusters ?? [];
    this.reload();
    if (options.watch) this.startWatching(options.watch);
  }

  /** Every cluster, disabled ones included. */
  all(): LoadedContext[] {
    return [...this.contexts.values()];
  }

  get(name: string): LoadedContext | undefined {
    return this.contexts.get(name);
  }

  isDisabled(name: string): boolean {
    return this.disabled.has(name);
  }

  problems(): string[] {
    return [...this.problemList];
  }

  onChange(listener: (change: ClusterSetChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setTokenClusters(clusters: TokenSourceCluster[]): ClusterSetChange {
    this.tokenClusters = clusters;
    return this.rebuild();
  }

  /** Disabled clusters stay reachable by name (a connection test) but leave scans, rules and the fleet. */
  setDisabled(names: Iterable<string>): void {
    const next = new Set(names);
    const change: ClusterSetChange = { added: [], replaced: [], removed: [], disabled: [...next].filter((n) => !this.disabled.has(n)), enabled: [...this.disabled].filter((n) => !next.has(n)) };
    this.disabled = next;
    if (change.disabled!.length + change.enabled!.length > 0) this.tell(change);
  }

  /** Re-reads the files whose stat changed (all of them the first time) and rebuilds the set. */
  reload(): ClusterSetChange {
    const next = new Map<string, FileState>();
    for (const file of this.options.kubeconfigPaths()) {
      if (next.has(file)) continue;
      const stamp = stampOf(file);
      if (stamp === null) continue;
      const before = this.files.get(file);
      if (before && before.stamp === stamp) {
        next.set(file, before);
        continue;
      }
      const parsed = readKubeconfigFile(file);
      if (parsed === null) continue;
      if ("problem" in parsed) {
        const kept = before?.good ?? null;
        next.set(file, { stamp, good: kept, problem: kept ? `${parsed.problem} The clusters it defined before this edit are kept until it reads again.` : parsed.problem });
      } else next.set(file, { stamp, good: parsed, problem: null });
    }
    this.files = next;
    return this.rebuild();
  }

  close(): void {
    if (this.poll) clearInterval(this.poll);
    if (this.debounce) clearTimeout(this.debounce);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.listeners.clear();
  }

  private rebuild(): ClusterSetChange {
    const parsed = [...this.files.values()].flatMap((f) => (f.good ? [f.good] : []));
    const merged = mergeKubeconfigs(parsed, { ...(this.options.inCluster ? { inCluster: this.options.inCluster } : {}), tokenClusters: this.tokenClusters });
    const fileProblems = [...this.files.values()].flatMap((f) => (f.problem ? [f.problem] : []));
    const next = new Map(merged.contexts.map((c) => [c.info.name, c]));
    const change: ClusterSetChange = { added: [], replaced: [], removed: [] };
    for (const [name, ctx] of next) {
      const before = this.contexts.get(name);
      if (!before) change.added.push(name);
      else if (before.revision !== ctx.revision) change.replaced.push(name);
      // Unchanged: keep the old object, so nothing that holds it has to let go.
      else next.set(name, before);
    }
    for (const name of this.contexts.keys()) if (!next.has(name)) change.removed.push(name);
    this.contexts = next;
    this.problemList = [...fileProblems, ...merged.problems];
    if (change.added.length + change.replaced.length + change.removed.length > 0) this.tell(change);
    return change;
  }

  private tell(change: ClusterSetChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure must not stop the others hearing of the change.
      }
    }
  }

  private startWatching(watch: NonNullable<LiveClusterSetOptions["watch"]>): void {
    const soon = () => {
      if (this.debounce) clearTimeout(this.debounce);
      // Editors write in steps (truncate, write, rename): read once they are done.
      this.debounce = setTimeout(() => {
        this.debounce = null;
        this.reload();
        this.watchDirectories(soon);
      }, watch.debounceMs ?? 200);
      this.debounce.unref();
    };
    this.watchDirectories(soon);
    // fs.watch misses changes on some filesystems (network mounts, some containers): a stat poll catches them.
    this.poll = setInterval(() => {
      this.reload();
      this.watchDirectories(soon);
    }, watch.pollMs ?? 5_000);
    this.poll.unref();
  }

  /** Watches each file's directory (catching atomic replacement and Kubernetes' `..data` swaps), once per directory. */
  private watchDirectories(onEvent: () => void): void {
    for (const file of this.options.kubeconfigPaths()) {
      const dir = path.dirname(file);
      if (this.watchers.has(dir) || !fs.existsSync(dir)) continue;
      try {
        const watcher = fs.watch(dir, { persistent: false }, onEvent);
        watcher.on("error", () => {
          watcher.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, watcher);
      } catch {
        // The poll covers a directory that cannot be watched.
      }
    }
  }
}

import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig, type Cluster, type Context, type User } from "@kubernetes/client-node";
import type { ClusterInfo } from "./port";

export interface LoadedContext {
  info: ClusterInfo;
  /** A KubeConfig holding just this context, so per-request auth never depends on a shared current-context. */
  kc: KubeConfig;
}

export interface LoadedKubeconfig {
  contexts: LoadedContext[];
  /** Files that could not be read or parsed, with the reason (never their content). */
  problems: string[];
}

export const IN_CLUSTER_CONTEXT = "in-cluster";

/** `~/.kube/config`, kubectl's default when no file list is given. */
export function defaultKubeconfigPath(): string {
  return path.join(os.homedir(), ".kube", "config");
}

/**
 * Loads kubeconfig files the way kubectl merges a KUBECONFIG list: files are
 * read in order, missing files are skipped, and for clusters, users and
 * contexts with the same name the first file wins. Every context becomes a
 * cluster entry; contexts whose cluster or user is missing are reported in
 * `problems` and skipped. `inCluster` adds the pod's own service account
 * (client-node reads the service host/port and token files for that).
 */
export function loadKubeconfigs(opts: { paths?: string[]; inCluster?: boolean }): LoadedKubeconfig {
  const problems: string[] = [];
  const clusters = new Map<string, { c: Cluster; file: string }>();
  const users = new Map<string, User>();
  const contexts = new Map<string, { ctx: Context; file: string }>();
  const paths = opts.paths ?? (opts.inCluster ? [] : [defaultKubeconfigPath()]);

  for (const file of paths) {
    if (!fs.existsSync(file)) continue;
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file, { onInvalidEntry: "filter" });
    } catch (e) {
      problems.push(`Kubeconfig ${file} could not be read: ${e instanceof Error ? e.message.split("\n")[0] : "unknown error"}`);
      continue;
    }
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, { c, file });
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const ctx of kc.getContexts()) if (!contexts.has(ctx.name)) contexts.set(ctx.name, { ctx, file });
  }

  const out: LoadedContext[] = [];
  for (const { ctx, file } of contexts.values()) {
    const cluster = clusters.get(ctx.cluster)?.c;
    const user = ctx.user ? users.get(ctx.user) : undefined;
    if (!cluster) {
      problems.push(`Context "${ctx.name}" in ${file} names cluster "${ctx.cluster}", which no kubeconfig defines.`);
      continue;
    }
    if (!user) {
      problems.push(`Context "${ctx.name}" in ${file} names user "${ctx.user}", which no kubeconfig defines.`);
      continue;
    }
    const kc = new KubeConfig();
    kc.loadFromOptions({ clusters: [cluster], users: [user], contexts: [ctx], currentContext: ctx.name });
    out.push({
      kc,
      info: { name: ctx.name, clusterEntry: cluster.name, server: cluster.server, user: user.name, namespace: ctx.namespace ?? null, sourceFile: file },
    });
  }

  if (opts.inCluster) {
    try {
      const kc = new KubeConfig();
      kc.loadFromCluster();
      const cluster = kc.getCurrentCluster();
      const ctx = kc.getContextObject(kc.getCurrentContext());
      if (!cluster) throw new Error("no in-cluster configuration");
      const renamed = new KubeConfig();
      renamed.loadFromOptions({
        clusters: kc.getClusters(),
        users: kc.getUsers(),
        contexts: [{ ...(ctx ?? { cluster: cluster.name, user: kc.getUsers()[0]?.name ?? "" }), name: IN_CLUSTER_CONTEXT }],
        currentContext: IN_CLUSTER_CONTEXT,
      });
      out.push({
        kc: renamed,
        info: { name: IN_CLUSTER_CONTEXT, clusterEntry: cluster.name, server: cluster.server, user: kc.getCurrentUser()?.name ?? "service-account", namespace: ctx?.namespace ?? null, sourceFile: null },
      });
    } catch (e) {
      problems.push(`In-cluster configuration is not available: ${e instanceof Error ? e.message : "unknown error"}`);
    }
  }
  return { contexts: out, problems };
}

import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig, type Cluster, type Context, type User } from "@kubernetes/client-node";
import type { ClusterInfo, InClusterOptions } from "./port";
import { TOKEN_FILE_PROVIDER, TOKEN_SOURCE_PROVIDER, TokenFileAuth, TokenSourceAuth } from "./token-file-auth";
import type { TokenSourceCluster } from "./port-options";

export interface LoadedContext {
  info: ClusterInfo;
  /** A KubeConfig holding just this context, so per-request auth never depends on a shared current-context. */
  kc: KubeConfig;
  /** Changes whenever the server, CA or credentials change, so the gateway knows to reconnect. */
  revision: string;
}

export interface LoadedKubeconfig {
  contexts: LoadedContext[];
  /** Files that could not be read or parsed, with the reason (never their content). */
  problems: string[];
}

/** `~/.kube/config`, kubectl's default when no file list is given. */
export function defaultKubeconfigPath(): string {
  return path.join(os.homedir(), ".kube", "config");
}

/**
 * Loads kubeconfig files the way kubectl merges a KUBECONFIG list: files are
 * read in order, missing files are skipped, and for clusters, users and
 * contexts with the same name the first file wins. Every context becomes a
 * cluster entry; contexts whose cluster or user is missing are reported in
 * `problems` and skipped. `inCluster` adds the pod's own service account.
 */
export function loadKubeconfigs(opts: { paths?: string[]; inCluster?: InClusterOptions; tokenClusters?: TokenSourceCluster[] }): LoadedKubeconfig {
  const problems: string[] = [];
  const files: ParsedKubeconfig[] = [];
  for (const file of opts.paths ?? (opts.inCluster ? [] : [defaultKubeconfigPath()])) {
    const parsed = readKubeconfigFile(file);
    if (parsed === null) continue;
    if ("problem" in parsed) problems.push(parsed.problem);
    else files.push(parsed);
  }
  const merged = mergeKubeconfigs(files, opts);
  return { contexts: merged.contexts, problems: [...problems, ...merged.problems] };
}

/** One kubeconfig file as read, before merging. */
export interface ParsedKubeconfig {
  file: string;
  kc: KubeConfig;
}

/** Reads one kubeconfig file: null when it does not exist, a problem (never its content) when it cannot be parsed. */
export function readKubeconfigFile(file: string): ParsedKubeconfig | { problem: string } | null {
  if (!fs.existsSync(file)) return null;
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file, { onInvalidEntry: "filter" });
  } catch (e) {
    return { problem: `Kubeconfig ${file} could not be read: ${e instanceof Error ? e.message.split("\n")[0] : "unknown error"}` };
  }
  return { file, kc };
}

/**
 * Merges parsed files the way kubectl merges a KUBECONFIG list (first definition wins), then adds the
 * in-cluster service account and the token-source clusters; a name used twice is a problem, not a cluster.
 */
export function mergeKubeconfigs(files: ParsedKubeconfig[], opts: { inCluster?: InClusterOptions; tokenClusters?: TokenSourceCluster[] }): LoadedKubeconfig {
  const problems: string[] = [];
  const clusters = new Map<string, { c: Cluster; file: string }>();
  const users = new Map<string, User>();
  const contexts = new Map<string, { ctx: Context; file: string }>();
  for (const { file, kc } of files) {
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
      revision: revisionOf({ cluster, user, ctx }),
    });
  }

  if (opts.inCluster) {
    const inCluster = loadInCluster(opts.inCluster);
    if ("problem" in inCluster) problems.push(inCluster.problem);
    else if (out.some((c) => c.info.name === inCluster.info.name)) problems.push(`The in-cluster service account is named "${inCluster.info.name}", which a kubeconfig context already uses; set PULLKEEPER_IN_CLUSTER_NAME to another name.`);
    else out.push(inCluster);
  }
  for (const cluster of opts.tokenClusters ?? []) {
    if (out.some((c) => c.info.name === cluster.name)) problems.push(`Cluster "${cluster.name}" is named like a kubeconfig context; it was left out.`);
    else out.push(contextFromTokenSource(cluster));
  }
  return { contexts: out, problems };
}

/** A digest of everything a context connects with (credentials included, never kept): a change means a new transport. */
function revisionOf(entries: unknown): string {
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex").slice(0, 16);
}

/**
 * A cluster reached with a token from a function (an IAM token kept fresh by lib/iks),
 * asked for on every request (TokenSourceAuth), so a renewed token is used from the next
 * request on and an expired one is never sent while a fresh one exists.
 */
export function contextFromTokenSource(cluster: TokenSourceCluster): LoadedContext {
  const kc = new KubeConfig();
  const user = `${cluster.name}-token-source`;
  kc.loadFromOptions({
    clusters: [{ name: cluster.name, server: cluster.server, ...(cluster.caPem ? { caData: Buffer.from(cluster.caPem).toString("base64") } : {}), skipTLSVerify: false }],
    users: [{ name: user, authProvider: { name: TOKEN_SOURCE_PROVIDER, config: {} } }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user, ...(cluster.namespace ? { namespace: cluster.namespace } : {}) }],
    currentContext: cluster.name,
  });
  kc.addAuthenticator(new TokenSourceAuth(cluster.token));
  return {
    kc,
    info: { name: cluster.name, clusterEntry: cluster.name, server: cluster.server, user, namespace: cluster.namespace ?? null, sourceFile: null },
    revision: revisionOf([cluster.server, cluster.caPem, cluster.namespace ?? null, cluster.revision ?? ""]),
  };
}

/**
 * The pod's own service account as one cluster. The token is read from its
 * file, not copied into the config, and re-read every few seconds
 * (TokenFileAuth), so a projected token the kubelet rotates is picked up
 * without a restart. The host and port come from the caller (lib/env.ts maps
 * KUBERNETES_SERVICE_HOST/PORT), the CA and namespace from the mounted files.
 */
export function loadInCluster(options: InClusterOptions): LoadedContext | { problem: string } {
  const file = (name: string) => path.join(options.serviceAccountDir, name);
  if (!options.host) return { problem: "In-cluster service account: KUBERNETES_SERVICE_HOST is not set (the kubelet sets it in every pod)." };
  for (const name of ["token", "ca.crt"]) {
    if (!fs.existsSync(file(name))) {
      return { problem: `In-cluster service account: ${file(name)} does not exist (is automountServiceAccountToken false, or the projected volume missing?).` };
    }
  }
  const host = options.host.includes(":") && !options.host.startsWith("[") ? `[${options.host}]` : options.host;
  const server = `https://${host}:${options.port}`;
  const namespace = fs.existsSync(file("namespace")) ? fs.readFileSync(file("namespace"), "utf8").trim() || null : null;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: options.name, server, caFile: file("ca.crt"), skipTLSVerify: false }],
    users: [{ name: "service-account", authProvider: { name: TOKEN_FILE_PROVIDER, config: { path: file("token") } } }],
    contexts: [{ name: options.name, cluster: options.name, user: "service-account", ...(namespace ? { namespace } : {}) }],
    currentContext: options.name,
  });
  kc.addAuthenticator(new TokenFileAuth());
  return { kc, info: { name: options.name, clusterEntry: options.name, server, user: "service-account", namespace, sourceFile: null }, revision: revisionOf([server, namespace, options.serviceAccountDir]) };
}

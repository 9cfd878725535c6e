import "server-only";
import { credentialKindOf } from "@/lib/registry/docker-config";
import { isKubeError, KubeError } from "./errors";
import { readInventory } from "./inventory";
import { readObjects } from "./object-reads";
import { loadKubeconfigs, type LoadedContext } from "./kubeconfig";
import type { AccessCheck, AccessDecision, ClusterInfo, KubeGateway, KubeGatewayOptions, ProbeResult, ProbeStatus, RetryOptions } from "./port";
import { refreshSecretCopy } from "./refresh-copy";
import { ClusterTransport } from "./transport";
import * as writes from "./writes";

const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };

export interface KubeGatewayExtras {
  /** Kubeconfig problems found while loading (unreadable files, contexts naming missing entries). */
  configProblems(): string[];
}

/**
 * Builds the Kubernetes gateway from kubeconfig files (or in-cluster config).
 * Configuration arrives as options: the caller maps environment variables.
 */
export function createKubeGateway(options: KubeGatewayOptions = {}): KubeGateway & KubeGatewayExtras {
  const loaded = loadKubeconfigs({ ...(options.kubeconfigPaths ? { paths: options.kubeconfigPaths } : {}), ...(options.inCluster ? { inCluster: options.inCluster } : {}) });
  const byName = new Map<string, LoadedContext>(loaded.contexts.map((c) => [c.info.name, c]));
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...(options.retry ?? {}) };
  const transportOpts = {
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    concurrency: options.concurrency ?? 4,
    retry,
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  };
  const transports = new Map<string, ClusterTransport>();
  const fieldManager = options.fieldManager ?? "pullkeeper";
  const pageSize = options.pageSize ?? 500;

  function context(cluster: string): LoadedContext {
    const c = byName.get(cluster);
    if (!c) throw new KubeError("not_found", `No kubeconfig context is named "${cluster}".`, { cluster });
    return c;
  }
  function transport(cluster: string): ClusterTransport {
    let t = transports.get(cluster);
    if (!t) {
      t = new ClusterTransport(cluster, context(cluster).kc, transportOpts);
      transports.set(cluster, t);
    }
    return t;
  }
  const w = (cluster: string): writes.WriteContext => ({ t: transport(cluster), fieldManager, conflictAttempts: Math.max(retry.attempts, 5) });

  async function probe(cluster: string): Promise<ProbeResult> {
    const started = Date.now();
    const ctx = context(cluster);
    const t = transport(cluster);
    const done = (status: ProbeStatus, message: string, serverVersion: string | null, identity: ProbeResult["identity"]): ProbeResult => ({
      cluster,
      status,
      message,
      serverVersion,
      identity,
      latencyMs: Date.now() - started,
      checkedAt: new Date().toISOString(),
    });
    const fail = (e: unknown, serverVersion: string | null): ProbeResult => {
      if (!isKubeError(e)) throw e;
      const status: ProbeStatus = e.kind === "unauthorized" ? "unauthorized" : e.kind === "forbidden" ? "forbidden" : e.kind === "tls_error" ? "tls_error" : "unreachable";
      return done(status, e.message, serverVersion, null);
    };
    let version: string | null = null;
    try {
      const v = await t.request<{ gitVersion?: string }>({ method: "GET", path: "/version", ctx: { object: "version" }, idempotent: false });
      version = v.gitVersion ?? null;
    } catch (e) {
      // Some servers refuse /version to anonymous or restricted callers; identity below tells us more.
      if (!isKubeError(e) || (e.kind !== "forbidden" && e.kind !== "not_found")) return fail(e, null);
    }
    try {
      const ssr = await t.request<{ status?: { userInfo?: { username?: string; groups?: string[] } } }>({
        method: "POST",
        path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
        ctx: { object: "selfsubjectreviews" },
        idempotent: false,
      });
      const username = ssr.status?.userInfo?.username;
      if (username) return done("reachable", `Connected to ${t.server} as ${username}.`, version, { username, groups: ssr.status?.userInfo?.groups ?? [], source: "self-subject-review" });
    } catch (e) {
      if (!isKubeError(e) || (e.kind !== "not_found" && e.kind !== "invalid")) return fail(e, version);
    }
    // No SelfSubjectReview API (before 1.28): an access review still proves the credentials are accepted.
    try {
      await accessReview(cluster, { verb: "list", resource: "namespaces" });
    } catch (e) {
      return fail(e, version);
    }
    return done("reachable", `Connected to ${t.server}; the server cannot say who we are, so the kubeconfig user "${ctx.info.user}" is shown.`, version, { username: ctx.info.user, groups: [], source: "kubeconfig" });
  }

  async function accessReview(cluster: string, check: AccessCheck): Promise<AccessDecision> {
    const res = await transport(cluster).request<{ status?: { allowed?: boolean; reason?: string; denied?: boolean } }>({
      method: "POST",
      path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      body: {
        apiVersion: "authorization.k8s.io/v1",
        kind: "SelfSubjectAccessReview",
        spec: {
          resourceAttributes: {
            verb: check.verb,
            resource: check.resource,
            group: check.group ?? (check.resource === "deployments" ? "apps" : ""),
            ...(check.namespace ? { namespace: check.namespace } : {}),
            ...(check.name ? { name: check.name } : {}),
          },
        },
      },
      ctx: { object: "selfsubjectaccessreviews", ...(check.namespace ? { namespace: check.namespace } : {}) },
      // Creating an access review changes nothing, so it is safe to retry.
      idempotent: true,
    });
    return { allowed: res.status?.allowed === true, reason: res.status?.reason || null };
  }

  return {
    listClusters: (): ClusterInfo[] => loaded.contexts.map((c) => ({ ...c.info })),
    configProblems: () => [...loaded.problems],
    probe,
    readPullSecretInventory: (cluster, opts) =>
      readInventory(transport(cluster), { pageSize, contextNamespace: context(cluster).info.namespace, ...(opts?.knownNamespaces ? { knownNamespaces: opts.knownNamespaces } : {}) }),
    readObjects: (cluster, keys) => readObjects(transport(cluster), keys),
    createPullSecret: (cluster, secret) => writes.createPullSecret(w(cluster), secret),
    copySecret: (cluster, from, to, opts) => writes.copySecret(w(cluster), from, to, opts),
    refreshSecretCopy: (cluster, from, to, opts) => refreshSecretCopy(w(cluster), from, to, opts),
    addImagePullSecrets: (cluster, ns, sa, names) => writes.addImagePullSecrets(w(cluster), ns, sa, names),
    removeImagePullSecrets: (cluster, ns, sa, names) => writes.removeImagePullSecrets(w(cluster), ns, sa, names),
    setDeploymentImages: (cluster, ref, rewrite) => writes.setDeploymentImages(w(cluster), ref, rewrite),
    restartDeployment: (cluster, ref, opts) => writes.restartDeployment(w(cluster), ref, opts),
    deleteSecret: (cluster, ref, opts) => writes.deleteSecret(w(cluster), ref, opts),
    canI: accessReview,
    async withPullSecretCredentials(cluster, ref, consume) {
      const creds = await writes.readPullSecretCredentials(w(cluster), ref);
      return consume(creds.map((c) => ({ registry: c.registry, username: c.username, password: c.password, credentialKind: credentialKindOf(c.username) })));
    },
    close() {
      for (const t of transports.values()) t.close();
      transports.clear();
    },
  };
}

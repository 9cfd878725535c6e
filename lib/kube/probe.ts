import "server-only";
import { isKubeError } from "./errors";
import type { AccessCheck, AccessDecision, ProbeResult, ProbeStatus } from "./port";
import type { ClusterTransport } from "./transport";

/**
 * Reachability, server version and identity of one cluster. Cluster-side failures are the result, never thrown.
 * `kubeconfigUser` is shown as the identity when the server cannot say who we are (no SelfSubjectReview before 1.27);
 * null (a token Pullkeeper keeps, whose kubeconfig user name is internal) shows none.
 */
export async function probeCluster(t: ClusterTransport, kubeconfigUser: string | null): Promise<ProbeResult> {
  const started = Date.now();
  const cluster = t.cluster;
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
  // SelfSubjectReview is authentication.k8s.io/v1 from 1.28 and v1beta1 (on by default) in 1.27; kubectl auth whoami tries them in this order too.
  for (const reviewVersion of ["v1", "v1beta1"]) {
    try {
      const ssr = await t.request<{ status?: { userInfo?: { username?: string; groups?: string[] } } }>({
        method: "POST",
        path: `/apis/authentication.k8s.io/${reviewVersion}/selfsubjectreviews`,
        body: { apiVersion: `authentication.k8s.io/${reviewVersion}`, kind: "SelfSubjectReview" },
        ctx: { object: "selfsubjectreviews" },
        idempotent: false,
      });
      const username = ssr.status?.userInfo?.username;
      if (username) return done("reachable", `Connected to ${t.server} as ${username}.`, version, { username, groups: ssr.status?.userInfo?.groups ?? [], source: "self-subject-review" });
      break;
    } catch (e) {
      if (!isKubeError(e) || (e.kind !== "not_found" && e.kind !== "invalid")) return fail(e, version);
    }
  }
  // No SelfSubjectReview API (before 1.27): an access review still proves the credentials are accepted.
  try {
    await accessReview(t, { verb: "list", resource: "namespaces" });
  } catch (e) {
    return fail(e, version);
  }
  if (kubeconfigUser === null) return done("reachable", `Connected to ${t.server}; the server cannot say who we are.`, version, null);
  return done("reachable", `Connected to ${t.server}; the server cannot say who we are, so the kubeconfig user "${kubeconfigUser}" is shown.`, version, { username: kubeconfigUser, groups: [], source: "kubeconfig" });
}

/** SelfSubjectAccessReview: may the credentials of `t` do `check`? */
export async function accessReview(t: ClusterTransport, check: AccessCheck): Promise<AccessDecision> {
  const res = await t.request<{ status?: { allowed?: boolean; reason?: string; denied?: boolean } }>({
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

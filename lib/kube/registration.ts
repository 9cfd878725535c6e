import "server-only";
import { KubeConfig, dumpYaml, loadYaml } from "@kubernetes/client-node";
import { inspectImportedKubeconfig } from "./imported-kubeconfig";
import { accessReview } from "./probe";
import { ClusterTransport } from "./transport";
import { isKubeError } from "./errors";
import type { AccessCheck, AccessDecision } from "./port";

/**
 * A cluster reached for registering (or removing) Pullkeeper's own identity in it: from an admin's
 * kubeconfig context, used for this one task and never stored, or from a token (the new service
 * account's, to verify it). The objects are the four kinds a registration writes; reads return only
 * metadata and the parts a plan compares (rules, roleRef, subjects), never a Secret's data, except
 * `readServiceAccountToken`, the one path to the new token.
 */

export type RegistrationKind = "ServiceAccount" | "Secret" | "ClusterRole" | "ClusterRoleBinding";

export interface RegistrationObjectRef {
  kind: RegistrationKind;
  namespace?: string;
  name: string;
}

export interface ObservedRegistrationObject extends RegistrationObjectRef {
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** ClusterRole: its rules. */
  rules?: unknown;
  /** ClusterRoleBinding: role and subjects. */
  roleRef?: unknown;
  subjects?: unknown;
  /** Secret: its type (a token Secret's data is never returned here). */
  type?: string;
}

export interface RegistrationTarget {
  /** The API server URL and the CA the kubeconfig trusts (null: the system's CAs). */
  readonly server: string;
  readonly caPem: string | null;
  read(ref: RegistrationObjectRef): Promise<ObservedRegistrationObject | null>;
  /** POST; throws KubeError `already_exists` when the name is taken, `forbidden` with the server's text. */
  create(ref: RegistrationObjectRef, body: Record<string, unknown>): Promise<ObservedRegistrationObject>;
  /** DELETE with a uid precondition: "gone" when it no longer exists, "changed" when the name now holds another object. */
  remove(ref: RegistrationObjectRef, uid: string): Promise<"deleted" | "gone" | "changed">;
  review(check: AccessCheck): Promise<AccessDecision>;
  /** The token and CA a service-account token Secret holds once the token controller filled it; null before. */
  readServiceAccountToken(namespace: string, name: string): Promise<{ token: string; caPem: string | null } | null>;
  /** One read of each list the scan starts with (namespaces, secrets), limit 1: proves the identity can read. */
  probeReads(): Promise<void>;
}

const PATHS: Record<RegistrationKind, (namespace?: string) => string> = {
  ServiceAccount: (ns) => `/api/v1/namespaces/${ns}/serviceaccounts`,
  Secret: (ns) => `/api/v1/namespaces/${ns}/secrets`,
  ClusterRole: () => "/apis/rbac.authorization.k8s.io/v1/clusterroles",
  ClusterRoleBinding: () => "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
};

const TRANSPORT = { requestTimeoutMs: 15_000, concurrency: 2, retry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 } };

type Wire = { metadata?: { uid?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; rules?: unknown; roleRef?: unknown; subjects?: unknown; type?: string; data?: Record<string, string> };

function observed(ref: RegistrationObjectRef, o: Wire): ObservedRegistrationObject {
  return {
    ...ref,
    uid: o.metadata?.uid ?? "",
    labels: o.metadata?.labels ?? {},
    // last-applied-configuration can embed a Secret's data: annotations of a Secret are not kept.
    annotations: ref.kind === "Secret" ? {} : (o.metadata?.annotations ?? {}),
    ...(ref.kind === "ClusterRole" ? { rules: o.rules ?? [] } : {}),
    ...(ref.kind === "ClusterRoleBinding" ? { roleRef: o.roleRef, subjects: o.subjects ?? [] } : {}),
    ...(ref.kind === "Secret" ? { type: o.type } : {}),
  };
}

function targetOver(t: ClusterTransport, server: string, caPem: string | null): RegistrationTarget {
  const objectPath = (ref: RegistrationObjectRef) => `${PATHS[ref.kind](ref.namespace)}/${encodeURIComponent(ref.name)}`;
  const ctx = (ref: RegistrationObjectRef) => ({ object: `${ref.kind}/${ref.name}`, ...(ref.namespace ? { namespace: ref.namespace } : {}) });
  return {
    server,
    caPem,
    async read(ref) {
      try {
        return observed(ref, await t.request<Wire>({ method: "GET", path: objectPath(ref), ctx: ctx(ref), idempotent: true }));
      } catch (e) {
        if (isKubeError(e, "not_found")) return null;
        throw e;
      }
    },
    async create(ref, body) {
      // Not idempotent: a repeated POST after a lost answer would meet its own object as `already_exists`.
      return observed(ref, await t.request<Wire>({ method: "POST", path: PATHS[ref.kind](ref.namespace), body, ctx: ctx(ref), idempotent: false }));
    },
    async remove(ref, uid) {
      try {
        await t.request({ method: "DELETE", path: objectPath(ref), body: { apiVersion: "v1", kind: "DeleteOptions", preconditions: { uid } }, ctx: ctx(ref), idempotent: true });
        return "deleted";
      } catch (e) {
        if (isKubeError(e, "not_found")) return "gone";
        if (isKubeError(e, "conflict")) return "changed";
        throw e;
      }
    },
    review: (check) => accessReview(t, check),
    async readServiceAccountToken(namespace, name) {
      const ref: RegistrationObjectRef = { kind: "Secret", namespace, name };
      const s = await t.request<Wire>({ method: "GET", path: objectPath(ref), ctx: ctx(ref), idempotent: true });
      const token = s.data?.token ? Buffer.from(s.data.token, "base64").toString("utf8") : "";
      if (!token) return null;
      return { token, caPem: s.data?.["ca.crt"] ? Buffer.from(s.data["ca.crt"], "base64").toString("utf8") : null };
    },
    async probeReads() {
      await t.request({ method: "GET", path: "/api/v1/namespaces", query: { limit: 1 }, ctx: { object: "namespaces" }, idempotent: true });
      await t.request({ method: "GET", path: "/api/v1/secrets", query: { limit: 1 }, ctx: { object: "secrets" }, idempotent: true });
    },
  };
}

/**
 * Opens the context an admin uploaded (or named from KUBECONFIG's text). The kubeconfig is first checked by
 * `inspectImportedKubeconfig` (no exec plugin, no auth provider but oidc, no file reference: refused with the reason),
 * then only that context's cluster, user and context are loaded, so nothing else in the file is ever acted on.
 */
export function openRegistrationTarget(kubeconfigText: string, context?: string): { ok: true; target: RegistrationTarget; contextName: string } | { ok: false; reason: string } {
  const inspected = inspectImportedKubeconfig(kubeconfigText, {}, context);
  if (!inspected.ok) return inspected;
  // Only the chosen context's three entries reach KubeConfig: parsing a whole file would read other users' token files.
  const doc = loadYaml<Record<string, unknown>>(kubeconfigText);
  const entry = (list: unknown, name: unknown) => (Array.isArray(list) ? list.find((e: { name?: unknown }) => e?.name === name) : undefined);
  const ctxEntry = entry(doc.contexts, inspected.contextName) as { context?: { user?: unknown } } | undefined;
  const single = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [entry(doc.clusters, inspected.clusterName)],
    users: [entry(doc.users, ctxEntry?.context?.user) ?? { name: "anonymous", user: {} }],
    contexts: [ctxEntry?.context?.user ? ctxEntry : { ...ctxEntry, context: { ...ctxEntry?.context, user: "anonymous" } }],
    "current-context": inspected.contextName,
  };
  const kc = new KubeConfig();
  try {
    kc.loadFromString(dumpYaml(single));
  } catch (e) {
    return { ok: false, reason: `The kubeconfig could not be read: ${e instanceof Error ? e.message.split("\n")[0] : "unknown error"}` };
  }
  const ctx = kc.getContextObject(inspected.contextName);
  if (!ctx) return { ok: false, reason: `Context "${inspected.contextName}" could not be loaded.` };
  return { ok: true, contextName: ctx.name, target: targetOver(new ClusterTransport(ctx.name, kc, TRANSPORT), inspected.server, inspected.caPem) };
}

/** The cluster as a bearer token sees it (the new service account's, to verify it before it is kept). */
export function openTokenTarget(name: string, server: string, caPem: string | null, token: string): RegistrationTarget {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server, ...(caPem ? { caData: Buffer.from(caPem).toString("base64") } : {}), skipTLSVerify: false }],
    users: [{ name: `${name}-token`, token }],
    contexts: [{ name, cluster: name, user: `${name}-token` }],
    currentContext: name,
  });
  return targetOver(new ClusterTransport(name, kc, TRANSPORT), server, caPem);
}

/** The contexts of a kubeconfig text (for the admin to choose one), without checking or loading any of them. */
export function kubeconfigContexts(kubeconfigText: string): { names: string[]; current: string | null } | { error: string } {
  let doc: unknown;
  try {
    doc = loadYaml<unknown>(kubeconfigText);
  } catch {
    doc = null;
  }
  const contexts = (doc as { contexts?: unknown } | null)?.contexts;
  if (!Array.isArray(contexts)) return { error: "The file is not a kubeconfig (YAML with clusters, users and contexts)." };
  const names = contexts.map((c: { name?: unknown }) => c?.name).filter((n): n is string => typeof n === "string" && n !== "");
  const current = (doc as { "current-context"?: unknown })["current-context"];
  return { names, current: typeof current === "string" && names.includes(current) ? current : null };
}

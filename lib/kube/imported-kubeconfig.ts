import "server-only";
import { loadYaml } from "@kubernetes/client-node";

/**
 * Checks a kubeconfig that comes from outside the server's own configuration (the IBM
 * Cloud Kubernetes Service API's ZIP, later an admin's upload) before anything is taken
 * from it. It is read as plain YAML, never loaded with client-node's KubeConfig, which
 * would read a `token-file` from disk while parsing. Refused, with the reason:
 * - an `exec` credential plugin (the server will not run a user's programs);
 * - an auth provider other than `oidc` (gcp, azure: each runs its own login);
 * - a file reference (`certificate-authority`, `client-certificate`, `client-key`,
 *   `token-file`) that is not one of the files shipped with it (`bundled`, e.g. the CA
 *   next to the kubeconfig in IBM's ZIP): the server will not read someone's disk.
 * Only the context used (the given one, else `current-context`, else the only one) is checked.
 */

export type ImportedKubeconfig =
  | {
      ok: true;
      contextName: string;
      clusterName: string;
      server: string;
      caPem: string | null;
      insecureSkipTlsVerify: boolean;
      authentication: "oidc" | "token" | "client-certificate" | "none";
    }
  | { ok: false; reason: string };

type Named = { name?: unknown; [k: string]: unknown };

const asRecord = (v: unknown): Record<string, unknown> | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function findNamed(list: unknown, name: string, key: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = (list as Named[]).find((e) => asRecord(e)?.name === name);
  return asRecord(asRecord(entry)?.[key]);
}

export function inspectImportedKubeconfig(text: string, bundled: Readonly<Record<string, string>> = {}, context?: string): ImportedKubeconfig {
  let doc: Record<string, unknown> | undefined;
  try {
    doc = asRecord(loadYaml<unknown>(text));
  } catch {
    return { ok: false, reason: "The kubeconfig is not valid YAML." };
  }
  if (!doc) return { ok: false, reason: "The kubeconfig is empty or not a mapping." };
  const contexts = Array.isArray(doc.contexts) ? (doc.contexts as Named[]) : [];
  const contextName = context ?? str(doc["current-context"]) ?? (contexts.length === 1 ? str(asRecord(contexts[0])?.name) : undefined);
  if (!contextName) return { ok: false, reason: "The kubeconfig names no current context and has more than one (or none)." };
  const ctx = findNamed(doc.contexts, contextName, "context");
  if (!ctx) return { ok: false, reason: `The kubeconfig has no context "${contextName}".` };
  const clusterName = str(ctx.cluster);
  const cluster = clusterName ? findNamed(doc.clusters, clusterName, "cluster") : undefined;
  if (!clusterName || !cluster) return { ok: false, reason: `Context "${contextName}" names a cluster the kubeconfig does not define.` };
  const userName = str(ctx.user);
  const user = userName ? (findNamed(doc.users, userName, "user") ?? {}) : {};

  const server = str(cluster.server);
  let url: URL | undefined;
  try {
    url = server ? new URL(server) : undefined;
  } catch {
    url = undefined;
  }
  if (!server || !url || (url.protocol !== "https:" && url.protocol !== "http:")) return { ok: false, reason: `Cluster "${clusterName}" has no valid https server URL.` };

  const fromBundle = (field: string, path: string): string | { reason: string } => {
    const content = bundled[path];
    return content ?? { reason: `The kubeconfig reads the file "${path}" (${field}) from disk; the server does not read files named in a kubeconfig. Inline the data (${field}-data) instead.` };
  };

  let caPem: string | null = null;
  const caData = str(cluster["certificate-authority-data"]);
  const caFile = str(cluster["certificate-authority"]);
  if (caData) caPem = Buffer.from(caData, "base64").toString("utf8");
  else if (caFile) {
    const ca = fromBundle("certificate-authority", caFile);
    if (typeof ca !== "string") return { ok: false, reason: ca.reason };
    caPem = ca;
  }

  const exec = asRecord(user.exec);
  if (exec) {
    const command = str(exec.command) ?? "(unnamed)";
    return { ok: false, reason: `The kubeconfig's user runs the program "${command}" to get a credential (an exec plugin); the server will not run a user's programs. Use a kubeconfig with a token, or register the cluster with a service account.` };
  }
  const provider = asRecord(user["auth-provider"]);
  const providerName = provider ? (str(provider.name) ?? "(unnamed)") : undefined;
  if (providerName !== undefined && providerName !== "oidc") {
    return { ok: false, reason: `The kubeconfig's user logs in through the "${providerName}" auth provider, which runs its own login on the machine; the server cannot use it. Use a kubeconfig with a token.` };
  }
  for (const field of ["token-file", "tokenFile", "client-certificate", "client-key"]) {
    const path = str(user[field]);
    if (path && !(path in bundled)) return { ok: false, reason: `The kubeconfig reads the file "${path}" (${field}) from disk; the server does not read files named in a kubeconfig.` };
  }
  const authentication = providerName === "oidc" ? "oidc" : str(user.token) || str(user["token-file"]) ? "token" : str(user["client-certificate-data"]) || str(user["client-certificate"]) ? "client-certificate" : "none";
  return { ok: true, contextName, clusterName, server, caPem, insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true, authentication };
}

import "server-only";
import { inspectImportedKubeconfig } from "@/lib/kube/imported-kubeconfig";
import { IksError, kindForStatus, type IksOperation } from "./errors";
import { readKubeconfigZip, MAX_ZIP_BYTES } from "./kubeconfig-zip";
import { crnOf, toIksCluster } from "./mappers";
import type { IamTokenSource, IksClusterAccess, IksEndpoint, KubernetesServicePort } from "./port";

export interface KubernetesServiceClientOptions {
  /** `https://containers.cloud.ibm.com/global` (the simulator: `<url>/global`). */
  apiUrl: string;
  /** Global Tagging API, `https://tags.global-search-tagging.cloud.ibm.com` (the simulator: its own URL). */
  tagsUrl: string;
  tokens: IamTokenSource;
  /** Per request; default 30 s (kubeconfig generation can be slow). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** What IBM says went wrong, from the Kubernetes Service body (`{code, description}`) or IAM's (`errorCode`, `errorMessage`). */
function ibmProblem(body: unknown): { code?: string; text?: string } {
  const b = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof b.code === "string" ? b.code : typeof b.errorCode === "string" ? b.errorCode : undefined;
  const text = typeof b.description === "string" ? b.description : typeof b.errorMessage === "string" ? b.errorMessage : undefined;
  return { ...(code ? { code } : {}), ...(text ? { text } : {}) };
}

export function createKubernetesServiceClient(options: KubernetesServiceClientOptions): KubernetesServicePort {
  const doFetch = options.fetch ?? fetch;
  const apiUrl = options.apiUrl.replace(/\/+$/, "");
  const tagsUrl = options.tagsUrl.replace(/\/+$/, "");

  async function request(operation: IksOperation, url: string, init: RequestInit & { headers?: Record<string, string> }, cluster?: string): Promise<Response> {
    const token = await options.tokens.accessToken();
    let res: Response;
    try {
      res = await doFetch(url, { ...init, headers: { Accept: "application/json", ...init.headers, Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
      throw new IksError({ kind: "unavailable", operation, message: timedOut ? "The IBM Cloud Kubernetes Service API did not answer in time." : "The IBM Cloud Kubernetes Service API could not be reached.", ...(cluster ? { cluster } : {}) });
    }
    if (res.ok) return res;
    let body: unknown;
    try {
      body = JSON.parse(await res.text());
    } catch {
      body = undefined;
    }
    const { code, text } = ibmProblem(body);
    const kind = kindForStatus(res.status);
    const retryAfter = Number(res.headers.get("retry-after"));
    const fallback: Record<string, string> = {
      unauthorized: "IBM Cloud did not accept the IAM token for the Kubernetes Service API.",
      forbidden: "The API key has no access to this through the Kubernetes Service.",
      not_found: cluster ? `The Kubernetes Service does not know the cluster "${cluster}" (deleted, or in another account).` : "Not found.",
      rate_limited: "The Kubernetes Service API is rate-limiting requests.",
      unavailable: `The Kubernetes Service API answered ${res.status}.`,
      invalid: `The Kubernetes Service API refused the request (${res.status}).`,
    };
    throw new IksError({ kind, operation, status: res.status, message: text ?? fallback[kind]!, ...(code ? { ibmCode: code } : {}), ...(cluster ? { cluster } : {}), ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) });
  }

  async function tagsOf(crn: string): Promise<string[]> {
    if (!crn) return [];
    const res = await request("list_tags", `${tagsUrl}/v3/tags?${new URLSearchParams({ attached_to: crn })}`, { method: "GET" });
    const body = (await res.json()) as { items?: Array<{ name?: unknown }> };
    return (body.items ?? []).map((t) => t.name).filter((n): n is string => typeof n === "string");
  }

  return {
    async listClusters(opts = {}) {
      const res = await request("list_clusters", `${apiUrl}/v2/getClusters`, { method: "GET", headers: opts.resourceGroupId ? { "X-Auth-Resource-Group": opts.resourceGroupId } : {} });
      const raw = (await res.json()) as unknown;
      if (!Array.isArray(raw)) throw new IksError({ kind: "invalid", operation: "list_clusters", status: res.status, message: "The Kubernetes Service API answered the cluster list with something other than a list." });
      const out = [];
      for (const item of raw) out.push(toIksCluster(item, await tagsOf(crnOf(item))));
      return out.sort((a, b) => a.name.localeCompare(b.name));
    },

    async getClusterAccess(cluster: string, opts: { endpoint?: IksEndpoint } = {}): Promise<IksClusterAccess> {
      const refreshToken = await options.tokens.refreshToken();
      const res = await request(
        "get_kubeconfig",
        `${apiUrl}/v2/applyRBACAndGetKubeconfig`,
        {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Auth-Refresh-Token": refreshToken, Accept: "application/zip" },
          body: JSON.stringify({ cluster, format: "zip", ...(opts.endpoint === "private" ? { endpointType: "private" } : {}) }),
        },
        cluster,
      );
      const data = new Uint8Array(await res.arrayBuffer());
      if (data.byteLength > MAX_ZIP_BYTES) throw new IksError({ kind: "invalid", operation: "get_kubeconfig", cluster, message: "The kubeconfig archive is larger than 1 MiB." });
      const zip = readKubeconfigZip(data);
      if (!zip.ok) throw new IksError({ kind: "invalid", operation: "get_kubeconfig", cluster, message: zip.reason });
      const config = inspectImportedKubeconfig(zip.kubeconfig, zip.files);
      if (!config.ok) throw new IksError({ kind: "invalid", operation: "get_kubeconfig", cluster, message: `The kubeconfig IBM Cloud returned for "${cluster}" cannot be used: ${config.reason}` });
      const [name, id] = config.clusterName.split("/");
      return { clusterId: id ?? cluster, clusterName: name ?? cluster, server: config.server, caPem: config.caPem, authentication: config.authentication };
    },
  };
}

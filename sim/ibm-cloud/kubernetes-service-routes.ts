import { randomBytes, randomUUID } from "node:crypto";
import https from "node:https";
import { zipSync, strToU8 } from "fflate";
import { hasAccess } from "./authz";
import { clusterCrn, clusterView, kubeconfigFileNames, renderIksKubeconfig, type SimCluster } from "./clusters";
import { asRecord, authenticate, header, isResponse, json, optionalString, type Caller, type Route, type SimContext, type SimRequest, type SimResponse } from "./http";
import { signIamJwt } from "./jwt";

/**
 * The IBM Cloud Kubernetes Service API (`https://containers.cloud.ibm.com/global`) for
 * discovering clusters and getting a kubeconfig, and the Global Tagging API's tag lookup.
 * Errors use the Kubernetes Service shape `{incidentID, code, description, type}` [I: codes].
 */

export const KS_SERVICE = "containers-kubernetes";
const LIST_ROLES = ["Viewer", "Operator", "Editor", "Administrator", "Reader", "Writer", "Manager"] as const;

function ksError(status: number, code: string, description: string, type: string): SimResponse {
  return json(status, { incidentID: randomUUID(), code, description, type });
}

/** Visible when the caller has any Kubernetes Service role account-wide or in the cluster's region [I: resource-group scopes]. */
function canSee(ctx: SimContext, caller: Caller, c: SimCluster, roles: readonly string[]): boolean {
  if (c.accountId !== caller.accountId) return false;
  const policies = ctx.store.activePolicies();
  return (
    hasAccess(policies, { iamId: caller.iamId, accountId: c.accountId, serviceName: KS_SERVICE, anyOfRoles: roles, scope: "account" }) ||
    hasAccess(policies, { iamId: caller.iamId, accountId: c.accountId, serviceName: KS_SERVICE, anyOfRoles: roles, scope: { region: c.region } })
  );
}

function strongestServiceRole(ctx: SimContext, caller: Caller, c: SimCluster): "Manager" | "Writer" | "Reader" | undefined {
  for (const role of ["Manager", "Writer", "Reader"] as const) if (canSee(ctx, caller, c, [role])) return role;
  return undefined;
}

/**
 * `GET /global/v2/getClusters` (provider-neutral; `?provider=` narrows it), and the
 * provider-specific `GET /global/v2/vpc/getClusters` and `/global/v2/classic/getClusters`.
 * Sources: IBM-Cloud/container-services-go-sdk kubernetesserviceapiv1 `VpcGetClusters`
 * (`/v2/vpc/getClusters`, header `X-Auth-Resource-Group`, query `location`, `provider`) and
 * `ClassicGetClusters` (`/v2/classic/getClusters`), both returning a JSON array of
 * `GetClustersResponse`; IBM-Cloud/bluemix-go api/container/containerv2/clusters.go `List`
 * (`/v2/vpc/getClusters?provider=…`, headers `X-Auth-Resource-Account`, `X-Auth-Resource-Group`);
 * ibm-cloud-docs containers `cs_api_install` (v2 is RPC style, provider-neutral requests take a
 * `provider` filter). "Without the resource-group header, all the clusters in the account that you
 * have access to are listed" (SDK `GetClustersOptions`): clusters the caller may not see are
 * left out, so a key without Kubernetes Service access gets `[]`, not a 403.
 */
function listClusters(fixedProvider: string | undefined) {
  return (req: SimRequest, ctx: SimContext): SimResponse => {
    const caller = authenticate(req, ctx, "incoming.Containers_GetClusters");
    if (isResponse(caller)) return caller;
    const provider = fixedProvider ?? req.url.searchParams.get("provider") ?? undefined;
    const location = req.url.searchParams.get("location") ?? undefined;
    const resourceGroup = header(req, "x-auth-resource-group");
    const items = ctx.clusters().filter(
      (c) =>
        canSee(ctx, caller, c, LIST_ROLES) &&
        (provider === undefined || c.provider === provider || (provider === "vpc" && c.provider.startsWith("vpc"))) &&
        (location === undefined || c.region === location || c.datacenter === location) &&
        (resourceGroup === undefined || c.resourceGroup === resourceGroup),
    );
    return json(200, items.map(clusterView));
  };
}

/** What `applyRBACAndGetKubeconfig` writes into the cluster: the IAM service role as RBAC (docs: containers understand-rbac). */
async function syncRbac(c: SimCluster, username: string, role: "Manager" | "Writer" | "Reader"): Promise<void> {
  if (!c.rbacSync) return;
  const body = JSON.stringify({ username, role });
  await new Promise<void>((resolve, reject) => {
    const req = https.request(
      `${c.serverUrl}/_sim/iam-rbac`,
      { method: "POST", ca: c.caPem, headers: { Authorization: `Bearer ${c.rbacSync!.controlToken}`, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) }, timeout: 5000 },
      (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`RBAC sync answered ${res.statusCode}`))));
      },
    );
    req.on("timeout", () => req.destroy(new Error("RBAC sync timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * `POST /global/v2/applyRBACAndGetKubeconfig`. Sources: IBM-Cloud/container-services-go-sdk
 * `ApplyRBACAndGetKubeconfigWithContext` (JSON body `admin`, `cluster`, `endpointType`, `format`,
 * `network`; header `X-Auth-Refresh-Token` required, `X-Auth-Resource-Group` optional);
 * IBM-Cloud/bluemix-go containerv2 `GetClusterConfigDetail` (`format: "zip"`, unzips a `*.yaml`
 * kubeconfig and `ca*.pem`, reads `auth-provider.config.id-token`); IBM-Cloud/terraform-provider-ibm
 * data_source_ibm_container_cluster_config.go (`endpoint_type` "private" picks the private service
 * endpoint); the captured flow in gist.github.com/amitpj/7d5e1b3c7baacbfff638850f7d8a86ec (without
 * `format` the answer is the kubeconfig as JSON, with `certificate-authority-data` and `id-token`; the
 * call "also syncs RBAC from IBM IAM to the cluster", without which the cluster refuses the token).
 * The docs' action table (containers-kubernetes.cluster.create) names it "Apply IAM roles to the cluster,
 * then retrieve the cluster's kubeconfig file".
 */
async function applyRbacAndGetKubeconfig(req: SimRequest, ctx: SimContext): Promise<SimResponse> {
  const caller = authenticate(req, ctx, "incoming.Containers_ApplyRBAC");
  if (isResponse(caller)) return caller;
  const refresh = header(req, "x-auth-refresh-token");
  const refreshEntry = refresh ? ctx.refreshTokens.get(refresh) : undefined;
  const refreshKey = refreshEntry ? ctx.store.data.apiKeys.find((k) => k.id === refreshEntry.apiKeyId) : undefined;
  if (!refresh) return ksError(400, "E0052", "The X-Auth-Refresh-Token header is missing. Log in again to get an IAM refresh token.", "Authentication");
  if (!refreshEntry || refreshEntry.expiresAt <= ctx.now().getTime() / 1000 || refreshKey?.iam_id !== caller.iamId) {
    return ksError(401, "E0053", "The IAM refresh token is not valid, has expired, or belongs to another identity.", "Authentication");
  }
  const body = asRecord(req.body) ?? {};
  const wanted = optionalString(body.cluster);
  if (!wanted) return ksError(400, "E0040", "The 'cluster' property is required.", "BadRequest");
  const cluster = ctx.clusters().find((c) => c.accountId === caller.accountId && (c.id === wanted || c.name === wanted));
  if (!cluster || !canSee(ctx, caller, cluster, LIST_ROLES)) {
    return ksError(404, "G0004", `The specified cluster could not be found. Cluster: '${wanted}'.`, "General");
  }
  if (body.admin === true) {
    return ksError(400, "E0041", "Admin kubeconfigs (client certificates) are not simulated; request the IAM kubeconfig.", "BadRequest");
  }
  const role = strongestServiceRole(ctx, caller, cluster);
  if (!role) {
    return ksError(403, "E0035", `You do not have the required IAM service access role for cluster '${cluster.name}'. Ask an account administrator for the Reader, Writer or Manager service access role on Kubernetes Service for this cluster.`, "Authorization");
  }
  const endpointType = optionalString(body.endpointType);
  let server = cluster.serverUrl;
  if (endpointType === "private") {
    if (!cluster.privateServerUrl) return ksError(400, "E0042", `Cluster '${cluster.name}' has no private service endpoint.`, "BadRequest");
    server = cluster.privateServerUrl;
  } else if (endpointType !== undefined && endpointType !== "public") {
    return ksError(400, "E0043", `endpointType '${endpointType}' is not supported for this cluster.`, "BadRequest");
  }
  const user = ctx.store.findUser(caller.iamId);
  const username = user ? user.email : caller.iamId;
  try {
    await syncRbac(cluster, `IAM#${username}`, role);
  } catch {
    return ksError(500, "E0044", `RBAC could not be applied to cluster '${cluster.name}'. Try again later.`, "General");
  }
  const iat = Math.floor(ctx.now().getTime() / 1000);
  const idToken = signIamJwt(
    {
      iam_id: caller.iamId,
      id: caller.iamId,
      account: { valid: true, bss: caller.accountId },
      iat,
      exp: iat + ctx.tokenTtlSeconds,
      iss: `${ctx.baseUrl()}/identity`,
      aud: "kube",
      sub: user ? user.email : caller.iamId,
      ...(user ? { email: user.email, name: user.name } : {}),
      client_id: "kube",
      jti: randomUUID(),
    },
    ctx.iamKey,
  );
  const kubeRefresh = randomBytes(24).toString("base64url");
  ctx.refreshTokens.set(kubeRefresh, { apiKeyId: refreshEntry.apiKeyId, expiresAt: iat + ctx.refreshTokenTtlSeconds });
  const kubeUser = { name: username, idToken, refreshToken: kubeRefresh, issuerUrl: `${ctx.baseUrl()}/identity` };
  if (optionalString(body.format) === "zip") {
    const names = kubeconfigFileNames(cluster);
    const archive = zipSync({
      [names.kubeconfig]: strToU8(renderIksKubeconfig(cluster, kubeUser, { server, caFile: names.ca })),
      [names.ca]: strToU8(cluster.caPem),
    });
    return { status: 200, raw: { contentType: "application/zip", data: Buffer.from(archive) } };
  }
  const context = `${cluster.name}/${cluster.id}`;
  const userName = `${username}/${cluster.id}`;
  return json(200, {
    kind: "Config",
    apiVersion: "v1",
    preferences: {},
    clusters: [{ name: context, cluster: { server, "certificate-authority-data": Buffer.from(cluster.caPem).toString("base64") } }],
    users: [{ name: userName, user: { "auth-provider": { name: "oidc", config: { "client-id": "kube", "client-secret": "kube", "id-token": idToken, "idp-issuer-url": kubeUser.issuerUrl, "refresh-token": kubeRefresh } } } }],
    contexts: [{ name: context, context: { cluster: context, user: userName, namespace: "default" } }],
    "current-context": context,
  });
}

/**
 * Global Tagging API `GET /v3/tags?attached_to=<crn>` (IBM platform-services GlobalTaggingV1
 * `listTags`: `{total_count, offset, limit, items: [{name}]}`), on the same port as the rest.
 * Only clusters carry tags here.
 */
function listTags(req: SimRequest, ctx: SimContext): SimResponse {
  const caller = authenticate(req, ctx, "incoming.Tags_List");
  if (isResponse(caller)) return caller;
  const attachedTo = req.url.searchParams.get("attached_to");
  const cluster = attachedTo ? ctx.clusters().find((c) => clusterCrn(c) === attachedTo && canSee(ctx, caller, c, LIST_ROLES)) : undefined;
  const items = (cluster?.tags ?? []).map((name) => ({ name }));
  return json(200, { total_count: items.length, offset: 0, limit: 100, items });
}

export const kubernetesServiceRoutes: Route[] = [
  { method: "GET", pattern: /^\/global\/v2\/getClusters$/, name: "GET /global/v2/getClusters", handle: listClusters(undefined) },
  { method: "GET", pattern: /^\/global\/v2\/vpc\/getClusters$/, name: "GET /global/v2/vpc/getClusters", handle: listClusters("vpc") },
  { method: "GET", pattern: /^\/global\/v2\/classic\/getClusters$/, name: "GET /global/v2/classic/getClusters", handle: listClusters("classic") },
  { method: "POST", pattern: /^\/global\/v2\/applyRBACAndGetKubeconfig$/, name: "POST /global/v2/applyRBACAndGetKubeconfig", handle: applyRbacAndGetKubeconfig },
  { method: "GET", pattern: /^\/v3\/tags$/, name: "GET /v3/tags", handle: listTags },
];

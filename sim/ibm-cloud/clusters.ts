import { createHash } from "node:crypto";

/**
 * The IBM Cloud Kubernetes Service clusters of a simulated account. They are
 * not part of the persisted IAM state: a cluster's API server is a sim/kube
 * server whose URL and CA change on every start, so scripts and tests hand
 * them over at start (`clusters` option) or later (`setClusters`).
 */
export interface SimCluster {
  id: string;
  name: string;
  accountId: string;
  /** `us-south`, `eu-de`, … */
  region: string;
  /** Zone or data center, e.g. `dal10`, `fra02`. */
  datacenter: string;
  /** `<major.minor.patch>_<build>` like IKS (`1.29.10_1545`); OpenShift: `4.15.20_1547_openshift`. */
  masterKubeVersion: string;
  type: "kubernetes" | "openshift";
  provider: "classic" | "vpc-gen2";
  /** Lifecycle state (`normal`, `warning`, `critical`, `deploying`, `deleting`, …). */
  state: string;
  resourceGroup: string;
  resourceGroupName: string;
  tags: string[];
  createdDate: string;
  workerCount: number;
  /** The public service endpoint: where the master answers. */
  serverUrl: string;
  /** The private service endpoint (only reachable from IBM Cloud's private network in reality). */
  privateServerUrl?: string;
  /** PEM of the CA that signed the master's certificate. */
  caPem: string;
  /**
   * Where `applyRBACAndGetKubeconfig` writes the caller's IAM role as RBAC (sim/kube's
   * `POST /_sim/iam-rbac`, over HTTPS with `caPem`). Without it, no RBAC is synced.
   */
  rbacSync?: { controlToken: string };
}

/** A stable 20-character cluster id derived from its name, like IKS's `c5…` ids. */
export function simClusterId(accountId: string, name: string): string {
  return `c${createHash("sha256").update(`${accountId}/${name}`).digest("hex").slice(0, 19)}`;
}

export function clusterCrn(c: SimCluster): string {
  return `crn:v1:bluemix:public:containers-kubernetes:${c.region}:a/${c.accountId}:${c.id}::`;
}

/**
 * One item of `GET /v2/getClusters`: the generated SDK's `GetClustersResponse`
 * (IBM-Cloud/container-services-go-sdk kubernetesserviceapiv1, fields id, name, region,
 * location, datacenter, masterKubeVersion, targetVersion, resourceGroup, resourceGroupName,
 * state, status, type, provider, workerCount, createdDate, masterURL, isPaid, …) plus the
 * fields bluemix-go's containerv2 `ClusterInfo` reads from the same list (`crn`,
 * `serviceEndpoints`, `lifecycle`, `features`). Tags are not in it: they live in the
 * Global Tagging API (`GET /v3/tags?attached_to=<crn>`).
 */
export function clusterView(c: SimCluster) {
  const kubeVersion = c.masterKubeVersion;
  return {
    id: c.id,
    name: c.name,
    crn: clusterCrn(c),
    region: c.region,
    location: c.datacenter,
    datacenter: c.datacenter,
    dataCenter: c.datacenter,
    resourceGroup: c.resourceGroup,
    resourceGroupName: c.resourceGroupName,
    masterKubeVersion: kubeVersion,
    targetVersion: kubeVersion,
    type: c.type,
    provider: c.provider,
    state: c.state,
    status: c.state === "normal" ? "All Workers Normal" : c.state,
    createdDate: c.createdDate,
    workerCount: c.workerCount,
    isPaid: true,
    multiAzCapable: c.provider === "vpc-gen2",
    entitlement: "",
    masterURL: c.serverUrl,
    serverURL: c.serverUrl,
    serviceEndpoints: {
      publicServiceEndpointEnabled: true,
      publicServiceEndpointURL: c.serverUrl,
      privateServiceEndpointEnabled: c.privateServerUrl !== undefined,
      privateServiceEndpointURL: c.privateServerUrl ?? "",
    },
    lifecycle: {
      masterStatus: "Ready",
      masterState: "deployed",
      masterHealth: c.state === "normal" ? "normal" : c.state,
      modifiedDate: c.createdDate,
    },
    features: { keyProtectEnabled: false, pullSecretApplied: true },
    ingress: { hostname: `${c.name}.${c.region}.containers.appdomain.cloud`, secretName: c.name },
    addons: [],
  };
}

/** `kube-config-<dc>-<cluster>.yaml` + `ca-<dc>-<cluster>.pem`, the files bluemix-go's containerv2 reads from the ZIP. */
export function kubeconfigFileNames(c: SimCluster): { kubeconfig: string; ca: string } {
  return { kubeconfig: `kube-config-${c.datacenter}-${c.name}.yaml`, ca: `ca-${c.datacenter}-${c.name}.pem` };
}

const q = (s: string) => JSON.stringify(s);

export interface KubeconfigUser {
  name: string;
  idToken: string;
  refreshToken: string;
  issuerUrl: string;
}

/**
 * The kubeconfig IKS hands out for a non-admin user: the `oidc` auth provider with the IAM
 * `id-token` and `refresh-token` (bluemix-go containerv1 `ConfigFile` reads
 * `users[0].user.auth-provider.config.id-token`; the JSON form, captured in
 * gist.github.com/amitpj/7d5e1b3c7baacbfff638850f7d8a86ec, has `certificate-authority-data`).
 * In the ZIP the CA is a file next to the kubeconfig (`certificate-authority: ca-….pem`).
 */
export function renderIksKubeconfig(c: SimCluster, user: KubeconfigUser, opts: { server: string; caFile?: string }): string {
  const context = `${c.name}/${c.id}`;
  const userName = `${user.name}/${c.id}`;
  const ca = opts.caFile ? `    certificate-authority: ${q(opts.caFile)}` : `    certificate-authority-data: ${Buffer.from(c.caPem).toString("base64")}`;
  return [
    "apiVersion: v1",
    "kind: Config",
    "preferences: {}",
    "clusters:",
    `- name: ${q(context)}`,
    "  cluster:",
    ca,
    `    server: ${q(opts.server)}`,
    "contexts:",
    `- name: ${q(context)}`,
    "  context:",
    `    cluster: ${q(context)}`,
    `    user: ${q(userName)}`,
    "    namespace: default",
    `current-context: ${q(context)}`,
    "users:",
    `- name: ${q(userName)}`,
    "  user:",
    "    auth-provider:",
    "      name: oidc",
    "      config:",
    "        client-id: kube",
    "        client-secret: kube",
    `        id-token: ${q(user.idToken)}`,
    `        idp-issuer-url: ${q(user.issuerUrl)}`,
    `        refresh-token: ${q(user.refreshToken)}`,
    "",
  ].join("\n");
}

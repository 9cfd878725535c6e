/**
 * The IBM Cloud Kubernetes Service API as Pullkeeper uses it: discover an account's
 * clusters and get what is needed to reach one (the API server and its CA). Every DTO is
 * plain data without any credential; the bearer token a cluster is reached with comes from
 * the token keeper ({@link IamTokenSource}) on every request.
 */

export interface IksCluster {
  id: string;
  name: string;
  /** `us-south`, `eu-de`, … */
  region: string;
  /** Zone or data center (`dal10`, `fra02`). */
  location: string;
  /** `1.29.10` (IKS's `masterKubeVersion` without its build suffix). */
  kubeVersion: string;
  type: "kubernetes" | "openshift";
  provider: string;
  /** `normal`, `warning`, `critical`, `deploying`, `deleting`, … */
  state: string;
  resourceGroupId: string;
  resourceGroupName: string;
  tags: string[];
  createdAt: string;
  workerCount: number;
  publicEndpoint: string | null;
  privateEndpoint: string | null;
}

export type IksEndpoint = "public" | "private";

/** What a kubeconfig from `applyRBACAndGetKubeconfig` says about reaching the cluster (no credential). */
export interface IksClusterAccess {
  clusterId: string;
  clusterName: string;
  server: string;
  caPem: string | null;
  /** How the kubeconfig's user authenticated: IKS hands out `oidc` (IAM id-token + refresh token). */
  authentication: "oidc" | "token" | "client-certificate" | "none";
}

/** Hands out the current IAM access token (refreshed before it expires) and the matching refresh token. */
export interface IamTokenSource {
  accessToken(): Promise<string>;
  refreshToken(): Promise<string>;
}

export interface KubernetesServicePort {
  /**
   * Every Kubernetes Service and OpenShift cluster the key may see (`GET /v2/getClusters`), with
   * their tags (Global Tagging API, `GET /v3/tags?attached_to=<crn>`). A key without any Kubernetes
   * Service role sees none: IBM answers an empty list, not a refusal.
   * @throws IksError `unauthorized` (IAM refused the key), `rate_limited`, `unavailable`, `invalid`.
   */
  listClusters(options?: { resourceGroupId?: string }): Promise<IksCluster[]>;
  /**
   * Applies the key's IAM service role to the cluster as RBAC and returns where the cluster
   * answers (`POST /v2/applyRBACAndGetKubeconfig`, `format: "zip"`). The kubeconfig is checked with
   * the same rules as an uploaded one (no exec plugin, no file outside the ZIP).
   * @throws IksError `forbidden` (no Kubernetes Service service role: the message says what to grant),
   *   `not_found`, `invalid` (an unusable kubeconfig, with the reason), `unauthorized`, `unavailable`.
   */
  getClusterAccess(cluster: string, options?: { endpoint?: IksEndpoint }): Promise<IksClusterAccess>;
}

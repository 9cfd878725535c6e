import type { IksCluster } from "./port";

/**
 * From one item of `GET /v2/getClusters` (container-services-go-sdk `GetClustersResponse`,
 * bluemix-go containerv2 `ClusterInfo`) to the port's DTO. Pure; unknown or missing fields
 * become empty values rather than failures, since IBM adds fields over time.
 */

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const rec = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** `1.29.10_1546` → `1.29.10`; OpenShift's `4.15.20_1547_openshift` → `4.15.20`. */
export function kubeVersionOf(masterKubeVersion: string): string {
  return masterKubeVersion.split("_")[0] ?? "";
}

export function toIksCluster(raw: unknown, tags: string[] = []): IksCluster {
  const c = rec(raw);
  const endpoints = rec(c.serviceEndpoints);
  const publicUrl = str(endpoints.publicServiceEndpointURL) || str(c.masterURL) || str(c.serverURL);
  const privateUrl = endpoints.privateServiceEndpointEnabled === true ? str(endpoints.privateServiceEndpointURL) : "";
  return {
    id: str(c.id),
    name: str(c.name),
    region: str(c.region),
    location: str(c.location) || str(c.datacenter) || str(c.dataCenter),
    kubeVersion: kubeVersionOf(str(c.masterKubeVersion)),
    type: str(c.type) === "openshift" ? "openshift" : "kubernetes",
    provider: str(c.provider),
    state: str(c.state),
    resourceGroupId: str(c.resourceGroup),
    resourceGroupName: str(c.resourceGroupName),
    tags: [...tags].sort(),
    createdAt: str(c.createdDate),
    workerCount: typeof c.workerCount === "number" ? c.workerCount : 0,
    publicEndpoint: publicUrl || null,
    privateEndpoint: privateUrl || null,
  };
}

export function crnOf(raw: unknown): string {
  return str(rec(raw).crn);
}

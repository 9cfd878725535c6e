import "server-only";
import { databaseDescription } from "@/lib/db";
import { env } from "@/lib/env";
import { portsConfigFromEnv, ports } from "./context";

/**
 * What this process connects to, for the one "pullkeeper started" log line:
 * hosts, names and counts only. The database password is masked by
 * databaseDescription; no token, key or kubeconfig content is read here.
 */
export function startupSummary(): Record<string, unknown> {
  const settings = env();
  const config = portsConfigFromEnv();
  const kube = ports().kube;
  return {
    database: databaseDescription(),
    migrate: settings.PULLKEEPER_MIGRATE,
    clusters: kube.listClusters().map((cluster) => ({ name: cluster.name, server: cluster.server, inCluster: cluster.sourceFile === null })),
    kubeconfigFiles: config.kubeconfigPaths?.length ?? 0,
    kubeconfigProblems: kube.configProblems().length,
    ibmCloud: config.iam ? { iam: config.iam.iamUrl ?? "https://iam.cloud.ibm.com" } : "not configured",
    registryEndpoint: settings.REGISTRY_ENDPOINT_TEMPLATE ?? "https://{domain}",
    publicUrl: settings.PULLKEEPER_PUBLIC_URL ?? null,
    metrics: settings.PULLKEEPER_METRICS_TOKEN ? "/api/metrics (bearer token)" : "off",
    demo: settings.PULLKEEPER_DEMO,
  };
}

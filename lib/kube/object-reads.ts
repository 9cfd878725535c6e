import "server-only";
import { isKubeError } from "./errors";
import type { V1Deployment, V1Secret, V1ServiceAccount } from "@kubernetes/client-node";
import { toPullSecretDto, toServiceAccountDto, toWorkloadDto, type Wire } from "./mappers";
import { WORKLOAD_RESOURCES, workloadPath } from "./workloads";
import type { ObjectKey, ObservedObject } from "./port";
import type { ClusterTransport } from "./transport";

const PATHS: Record<ObjectKey["kind"], (namespace: string, name: string) => string> = {
  Secret: (ns, name) => `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(name)}`,
  ServiceAccount: (ns, name) => `/api/v1/namespaces/${encodeURIComponent(ns)}/serviceaccounts/${encodeURIComponent(name)}`,
  Deployment: (namespace, name) => workloadPath({ kind: "Deployment", namespace, name }),
  StatefulSet: (namespace, name) => workloadPath({ kind: "StatefulSet", namespace, name }),
  DaemonSet: (namespace, name) => workloadPath({ kind: "DaemonSet", namespace, name }),
};

const RESOURCES: Record<ObjectKey["kind"], string> = { Secret: "secrets", ServiceAccount: "serviceaccounts", ...WORKLOAD_RESOURCES };

/**
 * Reads named objects one GET each, mapped by the same mappers as the
 * inventory, so an object unchanged since an inventory read maps to an equal
 * DTO; the transport bounds how many run at once. Absent objects (404) and secrets that are not pull secrets (which the
 * inventory does not list either) read as null.
 */
export async function readObjects(t: ClusterTransport, keys: readonly ObjectKey[]): Promise<ObservedObject[]> {
  return Promise.all(
    keys.map((key) =>
      (async (): Promise<ObservedObject> => {
        try {
          const item = await t.request<unknown>({
            method: "GET",
            path: PATHS[key.kind](key.namespace, key.name),
            ctx: { namespace: key.namespace, object: `${RESOURCES[key.kind]}/${key.name}` },
            idempotent: true,
          });
          if (key.kind === "Secret") return toPullSecretDto(t.cluster, item as Wire<V1Secret>) ?? null;
          if (key.kind === "ServiceAccount") return toServiceAccountDto(t.cluster, item as Wire<V1ServiceAccount>);
          return toWorkloadDto(t.cluster, key.kind, item as Wire<V1Deployment>);
        } catch (error) {
          if (isKubeError(error) && error.kind === "not_found") return null;
          throw error;
        }
      })(),
    ),
  );
}

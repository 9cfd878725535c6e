import "server-only";
import { KubeConfig, Watch } from "@kubernetes/client-node";
import type { V1ObjectMeta } from "@kubernetes/client-node";
import type { Wire } from "../mappers";
import type { PullSecretType, WatchChange, WatchedResource } from "./port";

/** An object as a list item or watch event carries it; an ERROR event carries a Status (`code`). */
export interface WireObject {
  metadata?: Wire<V1ObjectMeta>;
  code?: number;
}

/**
 * What is watched for each resource: the cluster-wide collection path, the
 * field selector, and whether only metadata may cross the wire. Secrets are
 * watched once per pull-secret type with `as=PartialObjectMetadata`, so their
 * data never reaches Pullkeeper through a watch (the server still knows the
 * type from the selector).
 */

export interface WatchSource {
  resource: WatchedResource;
  path: string;
  fieldSelector?: string;
  secretType?: PullSecretType;
  metadataOnly: boolean;
  /** Changes found by a list carry the object too (pods: their pull state is in their status, and a relist must see it). */
  listsCarryObjects?: boolean;
  toChange(cluster: string, type: WatchChange["type"], via: WatchChange["via"], obj: WireObject, withObject: boolean): WatchChange;
}

const PULL_SECRET_TYPES: PullSecretType[] = ["kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg"];
const PATHS: Record<WatchedResource, string> = {
  namespaces: "/api/v1/namespaces",
  serviceaccounts: "/api/v1/serviceaccounts",
  secrets: "/api/v1/secrets",
  pods: "/api/v1/pods",
};

function baseChange(cluster: string, resource: WatchedResource, type: WatchChange["type"], via: WatchChange["via"], meta: Wire<V1ObjectMeta>): WatchChange {
  return {
    cluster,
    resource,
    type,
    via,
    namespace: meta.namespace ?? null,
    name: String(meta.name ?? ""),
    uid: String(meta.uid ?? ""),
    resourceVersion: String(meta.resourceVersion ?? ""),
  };
}

/**
 * A secret's metadata without annotations: `kubectl.kubernetes.io/last-applied-configuration`
 * embeds the data, so like the inventory's DTOs only labels and identity cross this boundary.
 */
function secretMetadata(meta: Wire<V1ObjectMeta>): Wire<V1ObjectMeta> {
  const { annotations: _annotations, managedFields: _managedFields, ...rest } = meta;
  return rest;
}

export function sourcesFor(resources: readonly WatchedResource[]): WatchSource[] {
  const out: WatchSource[] = [];
  for (const resource of resources) {
    if (resource === "secrets") {
      for (const secretType of PULL_SECRET_TYPES) {
        out.push({
          resource,
          path: PATHS.secrets,
          fieldSelector: `type=${secretType}`,
          secretType,
          metadataOnly: true,
          toChange: (cluster, type, via, obj) => ({ ...baseChange(cluster, resource, type, via, obj.metadata ?? {}), secretType, ...(obj.metadata ? { metadata: secretMetadata(obj.metadata) } : {}) }),
        });
      }
      continue;
    }
    out.push({
      resource,
      path: PATHS[resource],
      metadataOnly: false,
      ...(resource === "pods" ? { listsCarryObjects: true } : {}),
      toChange: (cluster, type, via, obj, withObject) => ({ ...baseChange(cluster, resource, type, via, obj.metadata ?? {}), ...(withObject ? { object: obj as NonNullable<WatchChange["object"]> } : {}) }),
    });
  }
  return out;
}

const METADATA_WATCH_ACCEPT = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

/**
 * client-node's Watch takes its headers from the KubeConfig it is given; for
 * metadata-only watches it is given a view of the same KubeConfig that adds
 * the PartialObjectMetadata Accept header (everything else, auth included, is the original's).
 */
export function watchFor(kc: KubeConfig, metadataOnly: boolean): Watch {
  if (!metadataOnly) return new Watch(kc);
  const view = Object.create(kc) as KubeConfig;
  view.applyToFetchOptions = (opts) => kc.applyToFetchOptions({ ...opts, headers: { ...(opts.headers ?? {}), Accept: METADATA_WATCH_ACCEPT } });
  return new Watch(view);
}

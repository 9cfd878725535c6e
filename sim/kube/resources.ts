/**
 * The resource kinds the simulator serves, described as data: discovery,
 * routing, errors and tables all read this registry.
 */

export type StoredResource = "namespaces" | "secrets" | "serviceaccounts" | "pods" | "deployments" | "events" | RbacResource;
/** rbac.authorization.k8s.io/v1 kinds (rbac-bindings.ts turns them into rules). */
export type RbacResource = "clusterroles" | "clusterrolebindings" | "roles" | "rolebindings";

export interface ResourceDef {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
  /** Stored in the simulator (CRUD); otherwise served as an always-empty list. */
  stored: boolean;
}

const RW = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export const RESOURCES: ResourceDef[] = [
  {
    group: "", version: "v1", plural: "namespaces", singular: "namespace", kind: "Namespace", listKind: "NamespaceList",
    namespaced: false, verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], shortNames: ["ns"],
    storageVersionHash: "Q3oi5N2YM8M=", stored: true,
  },
  {
    group: "", version: "v1", plural: "secrets", singular: "secret", kind: "Secret", listKind: "SecretList",
    namespaced: true, verbs: RW, storageVersionHash: "S6u1pOWzb84=", stored: true,
  },
  {
    group: "", version: "v1", plural: "serviceaccounts", singular: "serviceaccount", kind: "ServiceAccount",
    listKind: "ServiceAccountList", namespaced: true, verbs: RW, shortNames: ["sa"], storageVersionHash: "pbx9ZvyFpBE=",
    stored: true,
  },
  {
    group: "", version: "v1", plural: "pods", singular: "pod", kind: "Pod", listKind: "PodList", namespaced: true,
    verbs: RW, shortNames: ["po"], categories: ["all"], storageVersionHash: "xPOwRZ+Yhw8=", stored: true,
  },
  {
    group: "", version: "v1", plural: "events", singular: "event", kind: "Event", listKind: "EventList",
    namespaced: true, verbs: RW, shortNames: ["ev"], storageVersionHash: "r2yiGXH7wu8=", stored: true,
  },
  {
    group: "apps", version: "v1", plural: "deployments", singular: "deployment", kind: "Deployment",
    listKind: "DeploymentList", namespaced: true, verbs: RW, shortNames: ["deploy"], categories: ["all"],
    storageVersionHash: "8aSe+NMegvE=", stored: true,
  },
  ...rbacResources(),
];

export const STORED: Record<StoredResource, ResourceDef> = Object.fromEntries(
  RESOURCES.filter((r) => r.stored).map((r) => [r.plural, r]),
) as Record<StoredResource, ResourceDef>;

export function findResource(group: string, version: string, plural: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function resourceForKind(apiVersion: string | undefined, kind: string | undefined): ResourceDef | undefined {
  return RESOURCES.find((r) => r.kind === kind && (apiVersion === undefined || apiVersion === gv(r)));
}

export const gv = (r: ResourceDef) => (r.group ? `${r.group}/${r.version}` : r.version);
export const gr = (r: ResourceDef) => ({ group: r.group, resource: r.plural });

/** Namespaces a real cluster refuses to delete. */
export const IMMORTAL_NAMESPACES = new Set(["default", "kube-system", "kube-public"]);
/** Namespaces every fresh cluster has. */
export const SYSTEM_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"];

function rbacResources(): ResourceDef[] {
  const rbac = (plural: string, kind: string, namespaced: boolean, storageVersionHash: string): ResourceDef => ({
    group: "rbac.authorization.k8s.io", version: "v1", plural, singular: plural.slice(0, -1), kind, listKind: `${kind}List`,
    namespaced, verbs: RW, storageVersionHash, stored: true,
  });
  return [
    rbac("clusterrolebindings", "ClusterRoleBinding", false, "48tpQ8gZHFc="),
    rbac("clusterroles", "ClusterRole", false, "bYE5ZWDrJ44="),
    rbac("rolebindings", "RoleBinding", true, "eGsCzGH6b1g="),
    rbac("roles", "Role", true, "7FuwZcIIItM="),
  ];
}

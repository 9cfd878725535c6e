/**
 * What Pullkeeper's own identity in a cluster may do: the one list of RBAC rules that the in-cluster
 * deployment's ClusterRole (deploy/base/clusterrole.yaml, and the read-only component's patch) and a
 * registered cluster's `pullkeeper` ClusterRole both hold (`pullkeeper-rbac.test.ts` compares them).
 * Exactly what lib/kube calls (inventory.ts, writes.ts, object-reads.ts, refresh-copy.ts, rotate-key.ts, restart-workload.ts);
 * tests/deploy/rbac.test.ts proves every rule is needed and that they suffice. No wildcard verb, group or
 * resource. Access reviews need no rule (`system:basic-user` grants them to every authenticated identity).
 * A new call in lib/kube that needs another permission adds it here and in deploy/.
 */

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export type RegistrationAccess = "full" | "read-only";

// watch: the cluster watches of keeping rules and pull failures (lib/kube/watch).
export const PULLKEEPER_RULES: readonly PolicyRule[] = [
  { apiGroups: [""], resources: ["namespaces"], verbs: ["list", "watch"] },
  { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch", "create", "update", "delete"] },
  { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get", "list", "watch", "patch"] },
  // delete: an OrderedReady StatefulSet's pods stuck on image pulls, at its restart (restart-workload.ts).
  { apiGroups: [""], resources: ["pods"], verbs: ["list", "watch", "delete"] },
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets"], verbs: ["get", "list", "patch"] },
];

/** Coverage, findings and the audit log only: every write a workflow previews is refused with the permission it lacks. */
export const PULLKEEPER_READ_ONLY_RULES: readonly PolicyRule[] = [
  { apiGroups: [""], resources: ["namespaces", "secrets", "serviceaccounts", "pods"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets"], verbs: ["get", "list", "watch"] },
];

export const rulesFor = (access: RegistrationAccess): readonly PolicyRule[] => (access === "full" ? PULLKEEPER_RULES : PULLKEEPER_READ_ONLY_RULES);

/** Every (group, resource, verb) a rule list grants, for access reviews of the new identity. */
export function grantedPermissions(rules: readonly PolicyRule[]): { group: string; resource: string; verb: string }[] {
  return rules.flatMap((r) => r.apiGroups.flatMap((group) => r.resources.flatMap((resource) => r.verbs.map((verb) => ({ group, resource, verb })))));
}

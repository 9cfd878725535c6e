import { isDeepStrictEqual } from "node:util";
import { rulesFor, type RegistrationAccess } from "@/lib/kube/pullkeeper-rbac";
import type { ObservedRegistrationObject, RegistrationObjectRef } from "@/lib/kube/registration";

/**
 * The objects a registration writes in the target cluster, as data: names, labels and bodies. Named apart
 * from the in-cluster deployment's `pullkeeper` ClusterRole (deploy/base) so both can live in one cluster.
 */

export const REGISTRATION_NAMESPACE = "kube-system";
export const SERVICE_ACCOUNT_NAME = "pullkeeper";
export const TOKEN_SECRET_NAME = "pullkeeper-token";
export const roleName = (access: RegistrationAccess) => (access === "full" ? "pullkeeper-registered" : "pullkeeper-registered-read-only");

/** What marks an object as made by a registration (labels are what `kubectl get -l` and the plan look for). */
export const REGISTRATION_LABELS = { "app.kubernetes.io/managed-by": "pullkeeper", "app.kubernetes.io/component": "cluster-registration" } as const;
export const REGISTERED_AS_ANNOTATION = "pullkeeper.io/registered-as";

export interface RegistrationObject {
  ref: RegistrationObjectRef;
  body: Record<string, unknown>;
  /** Whether an existing object with this name is the one this registration would create. */
  sameAs(existing: ObservedRegistrationObject): boolean;
}

export const isOurs = (o: ObservedRegistrationObject) => Object.entries(REGISTRATION_LABELS).every(([k, v]) => o.labels[k] === v);

/** In creation order: the account first (it is what a concurrent registration collides on), the token last. */
export function registrationObjects(clusterName: string, access: RegistrationAccess): RegistrationObject[] {
  const role = roleName(access);
  const metadata = (name: string, namespace?: string, extra: Record<string, string> = {}) => ({
    name,
    ...(namespace ? { namespace } : {}),
    labels: { ...REGISTRATION_LABELS },
    annotations: { [REGISTERED_AS_ANNOTATION]: clusterName, ...extra },
  });
  const subjects = [{ kind: "ServiceAccount", name: SERVICE_ACCOUNT_NAME, namespace: REGISTRATION_NAMESPACE }];
  const roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role };
  const rules = rulesFor(access).map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] }));
  return [
    {
      ref: { kind: "ServiceAccount", namespace: REGISTRATION_NAMESPACE, name: SERVICE_ACCOUNT_NAME },
      body: { apiVersion: "v1", kind: "ServiceAccount", metadata: metadata(SERVICE_ACCOUNT_NAME, REGISTRATION_NAMESPACE), automountServiceAccountToken: false },
      sameAs: isOurs,
    },
    {
      ref: { kind: "ClusterRole", name: role },
      body: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: metadata(role), rules },
      sameAs: (o) => isOurs(o) && isDeepStrictEqual(o.rules, rules),
    },
    {
      ref: { kind: "ClusterRoleBinding", name: role },
      body: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: metadata(role), roleRef, subjects },
      sameAs: (o) => isOurs(o) && isDeepStrictEqual(o.roleRef, roleRef) && isDeepStrictEqual(o.subjects, subjects),
    },
    {
      ref: { kind: "Secret", namespace: REGISTRATION_NAMESPACE, name: TOKEN_SECRET_NAME },
      body: {
        apiVersion: "v1",
        kind: "Secret",
        type: "kubernetes.io/service-account-token",
        metadata: metadata(TOKEN_SECRET_NAME, REGISTRATION_NAMESPACE, { "kubernetes.io/service-account.name": SERVICE_ACCOUNT_NAME }),
      },
      sameAs: (o) => isOurs(o) && o.type === "kubernetes.io/service-account-token",
    },
  ];
}

export const describeRef = (ref: RegistrationObjectRef) => `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;

/** The plural and group an access review and a denial name for each kind. */
export const RESOURCE_OF: Record<RegistrationObjectRef["kind"], { group: string; resource: string }> = {
  ServiceAccount: { group: "", resource: "serviceaccounts" },
  Secret: { group: "", resource: "secrets" },
  ClusterRole: { group: "rbac.authorization.k8s.io", resource: "clusterroles" },
  ClusterRoleBinding: { group: "rbac.authorization.k8s.io", resource: "clusterrolebindings" },
};

/** Every name a registration of either access may have used, in the order a removal deletes them (binding first, account last). */
export function possibleRegistrationRefs(): RegistrationObjectRef[] {
  const roles = [roleName("full"), roleName("read-only")];
  return [
    ...roles.map((name): RegistrationObjectRef => ({ kind: "ClusterRoleBinding", name })),
    ...roles.map((name): RegistrationObjectRef => ({ kind: "ClusterRole", name })),
    { kind: "Secret", namespace: REGISTRATION_NAMESPACE, name: TOKEN_SECRET_NAME },
    { kind: "ServiceAccount", namespace: REGISTRATION_NAMESPACE, name: SERVICE_ACCOUNT_NAME },
  ];
}

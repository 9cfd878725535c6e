/**
 * Namespaces the platform owns: Kubernetes' `kube-*`, IKS's `ibm-*`,
 * OpenShift's `openshift-*`, and Calico's `calico-*` and `tigera-operator`
 * (IKS runs Calico through the Tigera operator). Their images come with the
 * platform's own pull access: the IKS convention asks for no copies there, and
 * keeping rules leave them out unless told otherwise. One definition for both.
 */
const SYSTEM_PREFIXES = ["kube-", "ibm-", "openshift-", "calico-"] as const;
const SYSTEM_NAMES: ReadonlySet<string> = new Set(["tigera-operator"]);

/** The same list as people read it, for labels and hints. */
export const SYSTEM_NAMESPACES_DESCRIPTION = [...SYSTEM_PREFIXES.map((prefix) => `${prefix}*`), ...SYSTEM_NAMES].join(", ");

export function isSystemNamespace(name: string): boolean {
  return SYSTEM_NAMES.has(name) || SYSTEM_PREFIXES.some((prefix) => name.startsWith(prefix));
}

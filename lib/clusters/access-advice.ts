import type { CloudAccountRecord } from "./types";

/**
 * What to grant, or do, when an account's key cannot reach a cluster, written for the admin who has to
 * ask an IBM Cloud account administrator for it. Pure: the reason comes from lib/iks (adding a cluster)
 * or from a probe of the cluster through the gateway (an added cluster), the owner from the account.
 */

export type AccessProblem =
  /** Adding: `applyRBACAndGetKubeconfig` said the key has no Kubernetes Service service role on the cluster. */
  | "no_service_role"
  /** Adding: the account does not list the cluster (deleted, or the key lost its platform role). */
  | "cluster_gone"
  /** Adding: IAM no longer gives the key a token (deleted or disabled key). */
  | "key_refused"
  /** Adding: IBM's kubeconfig cannot be used (an exec plugin, a private endpoint that does not exist). */
  | "kubeconfig_unusable"
  /** Adding: a kubeconfig context or another stored cluster has the name, or the cluster is already added. */
  | "name_taken"
  /** Adding: IBM Cloud did not answer, or asked us to slow down. */
  | "ibm_unavailable"
  /** An added cluster answered 403: IBM has not written the key's service role into the cluster's RBAC (yet). */
  | "rbac_not_synced"
  /** An added cluster answered 401: it does not accept the account's IAM token. */
  | "token_refused"
  /** An added cluster's API server does not answer (deleted, stopped, or a private endpoint out of reach). */
  | "unreachable"
  /** Discovery: the key sees no cluster at all. */
  | "sees_no_cluster";

/** The key's owner as IAM named it, for "give <owner> …". */
export function ownerLabel(account: Pick<CloudAccountRecord, "ownerKind" | "ownerName" | "ownerIamId">): string {
  if (account.ownerKind === "service_id") return account.ownerName ? `the service ID "${account.ownerName}" (${account.ownerIamId})` : `the service ID ${account.ownerIamId}`;
  if (account.ownerKind === "user") return `the user ${account.ownerIamId}`;
  return account.ownerIamId;
}

const WRITER = "the Writer service access role on Kubernetes Service";

/** One sentence (or two) saying what to grant or do about the problem. */
export function accessAdvice(problem: AccessProblem, account: Pick<CloudAccountRecord, "ownerKind" | "ownerName" | "ownerIamId">, cluster?: string): string {
  const owner = ownerLabel(account);
  const on = cluster ? ` for the cluster ${cluster}` : "";
  switch (problem) {
    case "no_service_role":
      return `In IBM Cloud IAM, give ${owner} ${WRITER}${on} (Manage > Access (IAM) > Service IDs or Users > Assign access > Kubernetes Service; Reader only lets Pullkeeper look, not fix pull secrets), then add the cluster again.`;
    case "cluster_gone":
      return `The account no longer lists this cluster: check that it still exists, and that ${owner} keeps at least the Viewer platform access role on Kubernetes Service in its region or resource group.`;
    case "key_refused":
      return `IAM no longer accepts the account's API key (deleted or disabled): enable it again, or remove this account and connect it with a new key of ${owner}.`;
    case "kubeconfig_unusable":
      return "Pullkeeper cannot use the kubeconfig IBM Cloud returned for this cluster (reason above); for a private service endpoint, check that the cluster has one and that Pullkeeper's network reaches it, or choose the public endpoint.";
    case "name_taken":
      return "Another cluster already has this name or this cluster was added already: add it under another name, or remove the other one first.";
    case "ibm_unavailable":
      return "IBM Cloud did not answer or asked to slow down; nothing was stored. Try again in a minute.";
    case "rbac_not_synced":
      return `The cluster does not yet let ${owner} in: IBM writes the key's service role into the cluster's RBAC when Pullkeeper asks for its kubeconfig. Give ${owner} ${WRITER}${on} if it lacks it, then use "Sync access" (IAM changes can take a few minutes to reach the cluster).`;
    case "token_refused":
      return `The cluster refuses the account's IAM token: the key may have been disabled or deleted (check the account's token state above), or the cluster does not trust IBM Cloud IAM. Re-enable the key, or connect the account again with a new key of ${owner}.`;
    case "unreachable":
      return "The cluster's API server does not answer: it may be deleted or stopped, or it was added with its private service endpoint and Pullkeeper runs outside IBM Cloud's private network (add it again with the public endpoint).";
    case "sees_no_cluster":
      return `The key sees no cluster. In IBM Cloud IAM, give ${owner} the Viewer platform access role and ${WRITER} (account-wide, or for a region or resource group), then look again.`;
  }
}

/** The problem behind a failure to add a cluster, from the error's source and kind (lib/iks `IksError`, lib/clusters `PullkeeperError`). */
export function addProblemOf(source: string, kind: string): AccessProblem {
  if (source === "clusters") return kind === "not_found" ? "cluster_gone" : "name_taken";
  if (kind === "forbidden") return "no_service_role";
  if (kind === "not_found") return "cluster_gone";
  if (kind === "unauthorized") return "key_refused";
  if (kind === "invalid") return "kubeconfig_unusable";
  return "ibm_unavailable";
}

/** The problem behind a probe of an added cluster, or null when it answered. */
export function probeProblemOf(status: "reachable" | "unauthorized" | "forbidden" | "unreachable" | "tls_error"): AccessProblem | null {
  if (status === "reachable") return null;
  if (status === "forbidden") return "rbac_not_synced";
  if (status === "unauthorized") return "token_refused";
  return "unreachable";
}

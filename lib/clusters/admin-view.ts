/**
 * The admin clusters page's rows: every cluster Pullkeeper knows, whatever its source, joined from the gateway's
 * live set and the stored clusters. Pure, and free of credentials by construction: its inputs carry none.
 */
import type { ClusterAuthKind } from "@/lib/kube/auth-kind";
import type { ClusterInfo, ProbeStatus } from "@/lib/kube/port";
import type { CloudAccountRecord, StoredClusterRecord } from "./types";

export type AdminClusterSource = "kubeconfig" | "in-cluster" | "ibm" | "registered";

/** The newest thing known about reaching the cluster: its last scan's probe, or a connection test. */
export interface Reachability {
  status: ProbeStatus;
  message: string;
  checkedAt: string;
}

export interface AdminClusterRow {
  name: string;
  displayName: string;
  labels: Record<string, string>;
  source: AdminClusterSource;
  /** Where it comes from, for the admin: the kubeconfig file, the IBM Cloud account and region, … */
  origin: string;
  /** How Pullkeeper authenticates to it, in words (never the credential). */
  authentication: string;
  server: string | null;
  disabled: boolean;
  /** Whether the gateway holds it now (a stored cluster whose credential cannot be opened does not). */
  connected: boolean;
  lastRefreshAt: string | null;
  credentialExpiresAt: string | null;
  /** What the admin should know about the credential's lifetime when there is no expiry date. */
  credentialNote: string | null;
  lastError: string | null;
  reachability: Reachability | null;
  /** The stored row's version for compare-and-set; 0 when nothing is stored yet (a kubeconfig context never edited). */
  version: number;
  /** How it is removed: `ibm` here, `registered` with its objects; null with the reason in `removalNote`. */
  removal: "ibm" | "registered" | null;
  removalNote: string | null;
}

/** The outcome of "Test connection": a real request through the live gateway, or why there is none to make. */
export interface ConnectionTest {
  cluster: string;
  status: ProbeStatus | "not_connected";
  message: string;
  serverVersion: string | null;
  identity: string | null;
  latencyMs: number | null;
  checkedAt: string;
}

export type GatewayCluster = ClusterInfo & { disabled: boolean; auth: ClusterAuthKind };

const AUTH_WORDS: Record<ClusterAuthKind, string> = {
  token: "a bearer token",
  "client-certificate": "a client certificate",
  basic: "a user name and password",
  exec: "a program it runs (exec plugin)",
  "auth-provider": "an auth provider (e.g. OIDC)",
  "service-account-token-file": "a service-account token file",
  "token-source": "a token Pullkeeper keeps",
  none: "no credentials",
};

const KUBECONFIG_REMOVAL = "A context of a kubeconfig file Pullkeeper reads (KUBECONFIG): it is removed by editing that file, which Pullkeeper never writes. Disable it to leave it out of scans, rules and the fleet.";
const IN_CLUSTER_REMOVAL = "The cluster Pullkeeper runs in, reached with its own service account: it cannot be removed here. Disable it to leave it out of scans, rules and the fleet.";

function sourceOf(live: GatewayCluster | undefined, stored: StoredClusterRecord | undefined): AdminClusterSource {
  if (stored && stored.source !== "kubeconfig") return stored.source;
  if (live && live.sourceFile === null && live.auth === "service-account-token-file") return "in-cluster";
  return "kubeconfig";
}

function describe(source: AdminClusterSource, live: GatewayCluster | undefined, stored: StoredClusterRecord | undefined, accounts: Map<string, CloudAccountRecord>) {
  if (source === "ibm" && stored) {
    const account = stored.accountId ? accounts.get(stored.accountId) : undefined;
    const where = [stored.iksRegion, stored.iksResourceGroup ? `resource group ${stored.iksResourceGroup}` : null].filter(Boolean).join(", ");
    return {
      origin: `IBM Cloud account "${account?.displayName ?? "(removed)"}"${where ? `, ${where}` : ""}${stored.joinedBy.startsWith("rule:") ? ", added by a join rule" : ""}`,
      authentication: `IBM Cloud IAM token of account "${account?.displayName ?? "(removed)"}", renewed before it expires (${stored.endpoint} endpoint)`,
      credentialNote: null,
    };
  }
  if (source === "registered") {
    return {
      origin: `Registered by ${stored?.createdBy ?? "an admin"}`,
      authentication: "Token of the pullkeeper service account (kube-system) its registration created",
      credentialNote: "A service-account token Secret does not expire; removing the cluster with its objects revokes it.",
    };
  }
  if (source === "in-cluster") {
    return { origin: "The cluster Pullkeeper runs in", authentication: "Pullkeeper's own service-account token, re-read from its file as the kubelet rotates it", credentialNote: "Rotated by the kubelet." };
  }
  return {
    origin: live ? `Context of ${live.sourceFile ?? "a kubeconfig file"}` : "A kubeconfig context no longer in any file Pullkeeper reads",
    authentication: live ? `Kubeconfig user "${live.user}" with ${AUTH_WORDS[live.auth]}` : "Unknown: the context is gone",
    credentialNote: live ? "Managed in the kubeconfig file; a change to the file is picked up without a restart." : null,
  };
}

/** One row per cluster name, sorted by name: the gateway's clusters first joined to their stored row, then stored clusters the gateway does not hold. */
export function adminClusterRows(
  gateway: readonly GatewayCluster[],
  stored: readonly StoredClusterRecord[],
  accounts: readonly CloudAccountRecord[],
  reachabilityOf: (name: string) => Reachability | null,
): AdminClusterRow[] {
  const byName = new Map(stored.map((s) => [s.name, s]));
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  const live = new Map(gateway.map((g) => [g.name, g]));
  const names = [...new Set([...live.keys(), ...byName.keys()])].sort((a, b) => a.localeCompare(b));
  return names.map((name) => {
    const g = live.get(name);
    const s = byName.get(name);
    const source = sourceOf(g, s);
    const words = describe(source, g, s, accountById);
    return {
      name,
      displayName: s?.displayName ?? "",
      labels: s?.labels ?? {},
      source,
      ...words,
      server: g?.server ?? s?.server ?? null,
      disabled: s?.disabled ?? g?.disabled ?? false,
      connected: g !== undefined,
      lastRefreshAt: s?.lastRefreshAt ?? null,
      credentialExpiresAt: s?.credentialExpiresAt ?? null,
      lastError: s?.lastError ?? (g || source === "kubeconfig" ? null : "Not connected: the stored credential could not be used (see the server log)."),
      reachability: g ? reachabilityOf(name) : null,
      version: s?.version ?? 0,
      removal: source === "ibm" ? "ibm" : source === "registered" ? "registered" : null,
      removalNote: source === "kubeconfig" ? KUBECONFIG_REMOVAL : source === "in-cluster" ? IN_CLUSTER_REMOVAL : null,
    };
  });
}

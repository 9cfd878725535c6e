import type { FleetRow } from "@/lib/api/fleet";
import { can, type SessionUser } from "./permissions";

/**
 * Kubeconfig file paths, API server URLs and the identities Pullkeeper connects
 * as describe the installation's attack surface, not coverage: only admins (who
 * manage settings) see them, on Settings and in /api/clusters.
 */
export function canSeeConnectionDetails(user: SessionUser): boolean {
  return can(user, "settings.manage");
}

/** The fleet row as this user may see it: without server, kubeconfig file and identity unless an admin. */
export function clusterRowFor(user: SessionUser, row: FleetRow): FleetRow {
  return canSeeConnectionDetails(user) ? row : { ...row, server: "", sourceFile: null, identity: null };
}

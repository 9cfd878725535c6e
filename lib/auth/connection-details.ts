import type { FleetRow } from "@/lib/api/fleet";
import { can, type SessionUser } from "./permissions";

/**
 * Kubeconfig file paths, API server URLs and the identities Pullkeeper connects
 * as describe the installation's attack surface, not coverage: only admins (who
 * manage settings) see them, on Settings, the fleet and cluster pages and in /api/clusters.
 */
export function canSeeConnectionDetails(user: SessionUser): boolean {
  return can(user, "settings.manage");
}

/**
 * A probe or scan message without the API server's address: connection errors
 * name the URL, host and port they tried. Replaced by "the API server" for non-admins.
 */
export function withoutServerAddress(text: string, server: string): string {
  if (!server) return text;
  const forms = new Set<string>([server.replace(/\/+$/, "")]);
  try {
    const url = new URL(server);
    forms.add(url.host);
    forms.add(url.hostname.replace(/^\[|\]$/g, ""));
  } catch {
    // Not a URL: only the literal value is known.
  }
  let result = text;
  for (const form of [...forms].filter(Boolean).sort((a, b) => b.length - a.length)) result = result.split(form).join("the API server");
  return result;
}

/** The fleet row as this user may see it: without server, kubeconfig file, identity, nor the server's address in messages, unless an admin. */
export function clusterRowFor(user: SessionUser, row: FleetRow): FleetRow {
  if (canSeeConnectionDetails(user)) return row;
  const hide = (text: string) => withoutServerAddress(text, row.server);
  return {
    ...row,
    server: "",
    sourceFile: null,
    identity: null,
    message: hide(row.message),
    scanError: row.scanError === null ? null : hide(row.scanError),
    notes: row.notes.map(hide),
  };
}

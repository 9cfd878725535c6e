/**
 * Parses a registry's `WWW-Authenticate` challenge. Registries differ in
 * quoting: distribution sends `Bearer realm="…",service="…"`, while cp.icr.io
 * has been seen sending unquoted values separated by ", "
 * (shared/reference/ibm-cloud.md §5.3). Pure, so the grammar is unit-tested.
 */

export type RegistryChallenge =
  | { scheme: "bearer"; realm: string; service?: string; scope?: string }
  | { scheme: "basic"; realm?: string }
  | { scheme: "unknown"; raw: string };

export function parseChallenge(header: string | null | undefined): RegistryChallenge | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const space = trimmed.indexOf(" ");
  const scheme = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const params = parseParams(space === -1 ? "" : trimmed.slice(space + 1));
  if (scheme === "bearer") {
    const realm = params.realm;
    if (!realm) return { scheme: "unknown", raw: trimmed };
    return { scheme: "bearer", realm, ...(params.service ? { service: params.service } : {}), ...(params.scope ? { scope: params.scope } : {}) };
  }
  if (scheme === "basic") return { scheme: "basic", ...(params.realm ? { realm: params.realm } : {}) };
  return { scheme: "unknown", raw: trimmed };
}

/** `key="quoted, with commas"` or `key=bare` pairs separated by commas (and optional spaces). */
function parseParams(input: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < input.length) {
    while (i < input.length && (input[i] === "," || input[i] === " ")) i += 1;
    const eq = input.indexOf("=", i);
    if (eq === -1) break;
    const key = input.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let value = "";
    if (input[i] === '"') {
      i += 1;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === "\\" && i + 1 < input.length) i += 1;
        value += input[i];
        i += 1;
      }
      i += 1;
    } else {
      // Unquoted values end at ", " followed by another key=; a bare comma inside a scope list stays.
      const rest = input.slice(i);
      const next = /,\s*[A-Za-z_]+=/.exec(rest);
      value = (next ? rest.slice(0, next.index) : rest).trim();
      i += next ? next.index : rest.length;
    }
    if (key) out[key] = value;
  }
  return out;
}

/**
 * Hosts outside the registry that may receive a password as a token realm:
 * IBM Cloud IAM, whose token service IBM's registries may delegate to. Any
 * other foreign realm would let a registry (or whoever planted its name in a
 * pull secret) forward the credential anywhere.
 */
export const KNOWN_TOKEN_REALM_HOSTS: readonly string[] = ["iam.cloud.ibm.com", "private.iam.cloud.ibm.com", "iam.test.cloud.ibm.com"];

/**
 * The token realm a password may be sent to: a valid URL on the registry's own
 * host (or a {@link KNOWN_TOKEN_REALM_HOSTS} host), and never plain HTTP when
 * the registry itself is HTTPS (a downgrade would expose the credential).
 * Returns the URL, or the reason it is refused.
 */
export function allowedRealm(registryBase: string, realm: string): URL | "not_a_url" | "insecure" | "foreign_host" {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return "not_a_url";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "not_a_url";
  const registry = new URL(registryBase);
  if (registry.protocol === "https:" && url.protocol !== "https:") return "insecure";
  if (url.hostname !== registry.hostname && !KNOWN_TOKEN_REALM_HOSTS.includes(url.hostname)) return "foreign_host";
  return url;
}

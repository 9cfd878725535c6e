import type { Obj } from "./store";

/**
 * Image references and registry credentials as the kubelet and containerd see
 * them: docker's reference normalisation, and the pull secrets' docker config
 * entries matched to a registry host the way the kubelet's keyring does.
 */

export interface ImageRef {
  /** As written in the pod spec. */
  spec: string;
  /** Registry host (`docker.io` for short names). */
  domain: string;
  /** Repository path inside the registry (`library/nginx`, `ns/app`). */
  path: string;
  /** Tag or digest, as the manifest URL takes it. */
  reference: string;
  /** Fully qualified, as containerd prints it (`docker.io/library/nginx:latest`). */
  full: string;
}

export interface RegistryCredential {
  username: string;
  password: string;
}

export function parseImageRef(image: string): ImageRef {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  const hasDomain = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  let domain = hasDomain ? first : "docker.io";
  let remainder = hasDomain ? rest.slice(slash + 1) : rest;
  if (domain === "index.docker.io") domain = "docker.io";
  if (domain === "docker.io" && !remainder.includes("/")) remainder = `library/${remainder}`;
  const colon = remainder.lastIndexOf(":");
  const tag = colon >= 0 ? remainder.slice(colon + 1) : undefined;
  const path = colon >= 0 ? remainder.slice(0, colon) : remainder;
  const reference = digest ?? tag ?? "latest";
  const full = `${domain}/${path}${digest ? `@${digest}` : `:${tag ?? "latest"}`}`;
  return { spec: image, domain, path, reference, full };
}

/**
 * Registries that serve public images anonymously. Every other host is private:
 * the icr.io and bluemix.net registries are checked against the registry
 * simulator, any other host is unreachable unless a verifier decides.
 */
export const PUBLIC_REGISTRIES = new Set(["docker.io", "registry.k8s.io", "k8s.gcr.io", "gcr.io", "quay.io", "ghcr.io", "public.ecr.aws", "mcr.microsoft.com"]);

export const isIbmRegistry = (domain: string) => domain === "icr.io" || domain.endsWith(".icr.io") || domain.endsWith(".bluemix.net");

/** The host a docker config key names (`https://us.icr.io/v1/`, `us.icr.io`, `*.icr.io`). */
function keyHost(key: string): string {
  const noScheme = key.replace(/^[a-z]+:\/\//i, "");
  const host = noScheme.split("/")[0]!.toLowerCase();
  return host === "index.docker.io" || host === "registry-1.docker.io" ? "docker.io" : host;
}

/** Glob match per dot-separated label, as the kubelet keyring matches `*.icr.io`. */
function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.split(".");
  const h = host.split(".");
  if (p.length !== h.length) return false;
  return p.every((label, i) => label === "*" || label === h[i]);
}

function decodeEntry(entry: unknown): RegistryCredential | null {
  if (!entry || typeof entry !== "object") return null;
  const e = entry as Record<string, unknown>;
  if (typeof e.username === "string" && typeof e.password === "string") return { username: e.username, password: e.password };
  if (typeof e.auth === "string") {
    const decoded = Buffer.from(e.auth, "base64").toString("utf8");
    const idx = decoded.indexOf(":");
    if (idx > 0) return { username: decoded.slice(0, idx), password: decoded.slice(idx + 1) };
  }
  return null;
}

/** The docker config entries of one pull secret (`.dockerconfigjson` or legacy `.dockercfg`); malformed data yields none. */
function secretEntries(secret: Obj): Record<string, unknown> {
  try {
    if (secret.type === "kubernetes.io/dockerconfigjson" && secret.data?.[".dockerconfigjson"]) {
      const parsed = JSON.parse(Buffer.from(secret.data[".dockerconfigjson"], "base64").toString("utf8"));
      return parsed && typeof parsed.auths === "object" ? parsed.auths : {};
    }
    if (secret.type === "kubernetes.io/dockercfg" && secret.data?.[".dockercfg"]) {
      const parsed = JSON.parse(Buffer.from(secret.data[".dockercfg"], "base64").toString("utf8"));
      return parsed && typeof parsed === "object" ? parsed : {};
    }
  } catch {
    return {};
  }
  return {};
}

/** Every credential the given pull secrets hold for `domain`, in secret order (the kubelet tries each). */
export function credentialsFor(secrets: Obj[], domain: string): RegistryCredential[] {
  const out: RegistryCredential[] = [];
  for (const secret of secrets) {
    for (const [key, entry] of Object.entries(secretEntries(secret))) {
      if (!hostMatches(keyHost(key), domain)) continue;
      const cred = decodeEntry(entry);
      if (cred) out.push(cred);
    }
  }
  return out;
}

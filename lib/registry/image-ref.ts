import { normalizeRegistryHost, successorDomain } from "./domains";
import { PullkeeperError } from "@/lib/errors";

/** A parsed container image reference, normalised the way the container runtime resolves it. */
export interface ImageReference {
  /** Registry host (with port if any), lowercase; `docker.io` when the reference names none. */
  domain: string;
  /** Repository path under the domain, e.g. `library/nginx` or `team/app/api`. */
  path: string;
  /** First path segment (the registry namespace on icr.io, the user/org on Docker Hub). */
  namespace: string;
  /** The rest of the path after the namespace (`nginx`, `app/api`). */
  repository: string;
  tag?: string;
  digest?: string;
  /** `domain/path[:tag][@digest]`, with the implicit `docker.io` and `library/` made explicit. */
  canonical: string;
}

export class ImageReferenceError extends PullkeeperError {
  override readonly name = "ImageReferenceError";
  constructor(readonly reference: string, readonly reason: string) {
    super("registry", "invalid", `"${reference.slice(0, 200)}" is not a valid image reference: ${reason}`);
  }
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/;

function looksLikeDomain(component: string): boolean {
  return component.includes(".") || component.includes(":") || component === "localhost" || component !== component.toLowerCase();
}

/**
 * Parses an image reference as Docker/containerd do (`nginx` is
 * `docker.io/library/nginx`; a first component with a dot, a colon or equal to
 * `localhost` is a registry host). Throws ImageReferenceError when malformed.
 */
export function parseImageReference(reference: string): ImageReference {
  const input = reference.trim();
  if (input === "") throw new ImageReferenceError(reference, "it is empty");
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ImageReferenceError(reference, "the digest is malformed");
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ImageReferenceError(reference, "the tag is malformed");
  }
  const parts = rest.split("/");
  let domain = "docker.io";
  const first = parts[0] ?? "";
  if (parts.length > 1 && looksLikeDomain(first)) {
    if (!DOMAIN.test(first)) throw new ImageReferenceError(reference, "the registry host is malformed");
    domain = normalizeRegistryHost(first);
    parts.shift();
  }
  if (domain === "docker.io" && parts.length === 1) parts.unshift("library");
  if (parts.length === 0 || parts.some((p) => !PATH_COMPONENT.test(p))) {
    throw new ImageReferenceError(reference, "the repository name must be lowercase letters, digits and separators");
  }
  const path = parts.join("/");
  const [namespace, ...repo] = parts;
  return {
    domain,
    path,
    namespace: namespace ?? "",
    repository: repo.join("/"),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    canonical: formatReference(domain, path, tag, digest),
  };
}

/** Like parseImageReference but returns undefined instead of throwing. */
export function tryParseImageReference(reference: string): ImageReference | undefined {
  try {
    return parseImageReference(reference);
  } catch (e) {
    if (e instanceof ImageReferenceError) return undefined;
    throw e;
  }
}

const domains = new Map<string, string | null>();

/**
 * The registry domain of an image reference, or undefined when it does not parse. Memoised (bounded), because a
 * coverage computation asks it for every image of every pod and Deployment, and clusters run few distinct images.
 */
export function imageDomain(reference: string): string | undefined {
  let hit = domains.get(reference);
  if (hit === undefined) {
    hit = tryParseImageReference(reference)?.domain ?? null;
    if (domains.size >= 10_000) domains.clear();
    domains.set(reference, hit);
  }
  return hit ?? undefined;
}

function formatReference(domain: string, path: string, tag?: string, digest?: string): string {
  return `${domain}/${path}${tag !== undefined ? `:${tag}` : ""}${digest !== undefined ? `@${digest}` : ""}`;
}

/**
 * Rewrites a reference on a discontinued `registry.*.bluemix.net` domain to its
 * icr.io successor, keeping path, tag and digest (`registry.ng.bluemix.net/ns/app:1`
 * becomes `us.icr.io/ns/app:1`). Returns undefined when the image is not on a
 * legacy domain (or cannot be parsed), so callers leave it untouched.
 */
export function rewriteLegacyImage(reference: string): string | undefined {
  const ref = tryParseImageReference(reference);
  if (!ref) return undefined;
  const successor = successorDomain(ref.domain);
  if (!successor) return undefined;
  return formatReference(successor, ref.path, ref.tag, ref.digest);
}

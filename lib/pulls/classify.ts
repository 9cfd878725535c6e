import type { PullCause, PullClassification } from "./types";

/**
 * Reads the cause of a failed pull from the kubelet's own evidence: the
 * container's waiting message and, when that omits the runtime's error (the
 * bare "Back-off pulling image" of kubelets before 1.32), the pod's newest
 * `Failed to pull image` event. Rules match containerd's texts (1.4 to 1.7) and
 * the Docker/CRI-O phrasings still seen on older nodes; texts vary by runtime
 * and release, so each rule keys on a stable fragment rather than a sentence.
 */

export interface PullErrorInput {
  /** The waiting reason: ErrImagePull, ImagePullBackOff, InvalidImageName, ErrImageNeverPull. */
  reason: string;
  /** The waiting message. */
  message: string;
  /** The runtime error of the newest `Failed` event, when read. */
  lastPullError?: string | undefined;
  /** Whether the pod's own pull secrets hold any entry for the image's registry (credentials were sent). */
  hasCredential: boolean;
  /** Docker Hub images are assumed public: an ambiguous denial there means a missing or private repository. */
  publicRegistry?: boolean;
}

const BACK_OFF_WITH_ERROR = /^Back-off pulling image "[^"]*": ErrImagePull: ([\s\S]+)$/;
const BARE_BACK_OFF = /^Back-off pulling image "[^"]*"$/;

/** The runtime's error text and where it came from. */
function runtimeError(input: PullErrorInput): { text: string; evidence: "status" | "event" } | null {
  const message = input.message.trim();
  const appended = BACK_OFF_WITH_ERROR.exec(message)?.[1];
  if (appended) return { text: appended, evidence: "status" };
  if (message && !BARE_BACK_OFF.test(message)) return { text: message, evidence: "status" };
  const event = input.lastPullError?.trim();
  return event ? { text: event, evidence: "event" } : null;
}

const UNREACHABLE = [
  /no such host/i,
  /dial tcp/i,
  /i\/o timeout/i,
  /connection refused/i,
  /connection reset by peer/i,
  /network is unreachable/i,
  /TLS handshake timeout/i,
  /x509: /i,
  /tls: failed to verify/i,
  /context deadline exceeded/i,
  /server misbehaving/i,
  /: (?:500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout)/i,
];

const NOT_FOUND = [
  /code = NotFound/,
  /: not found\s*$/im,
  /manifest unknown/i,
  /name unknown/i,
  /not found: manifest/i,
];

/** Refusals that mean nothing was offered: the registry wanted credentials and got none. */
const ANONYMOUS_REFUSED = [
  /unexpected status from HEAD request to \S+: 401/i,
  /failed to fetch anonymous token/i,
  /no basic auth credentials/i,
];

/** Refusals of credentials that were sent (or that cannot be told apart, decided by `hasCredential`). */
const REFUSED = [
  /failed to fetch oauth token/i,
  /failed to authorize/i,
  /pulling from host \S+ failed with status code \[manifests [^\]]*\]: 40[13]/i,
  /unexpected status from HEAD request to \S+: 403/i,
  /insufficient_scope/i,
  /\bdenied: /i,
  /unauthorized: /i,
  /authentication required/i,
  /\b401 Unauthorized\b/i,
  /\b403 Forbidden\b/i,
];

/** Docker Hub's answer for both a missing and a private repository. */
const AMBIGUOUS_DENIAL = /repository does not exist or may require (?:authorization|'docker login')/i;

function causeOf(text: string, input: PullErrorInput): PullCause {
  if (UNREACHABLE.some((re) => re.test(text))) return "registry_unreachable";
  if (AMBIGUOUS_DENIAL.test(text)) {
    if (input.publicRegistry) return "image_not_found";
    return input.hasCredential ? "credential_rejected" : "no_credential";
  }
  if (NOT_FOUND.some((re) => re.test(text))) return "image_not_found";
  // containerd reports the manifest HEAD's 401 only when it had no credential for the host to answer the challenge with.
  if (ANONYMOUS_REFUSED.some((re) => re.test(text))) return "no_credential";
  if (REFUSED.some((re) => re.test(text))) return input.hasCredential ? "credential_rejected" : "no_credential";
  return "unknown";
}

/** Classifies one failing container. */
export function classifyPullError(input: PullErrorInput): PullClassification {
  if (input.reason === "InvalidImageName") return { cause: "image_not_found", evidence: "status", error: input.message || null };
  if (input.reason === "ErrImageNeverPull") return { cause: "image_not_found", evidence: "status", error: input.message || null };
  const found = runtimeError(input);
  if (!found) return { cause: "unknown", evidence: "none", error: null };
  return { cause: causeOf(found.text, input), evidence: found.evidence, error: found.text };
}

/** The cause in plain words, for one registry. */
export function causeWords(cause: PullCause, registry: string): string {
  switch (cause) {
    case "no_credential":
      return `no credential for ${registry}`;
    case "credential_rejected":
      return `${registry} rejected the credential`;
    case "image_not_found":
      return "the image or tag does not exist (not a credential problem)";
    case "registry_unreachable":
      return `${registry} could not be reached from the node`;
    case "unknown":
      return "the kubelet's message does not say why";
  }
}

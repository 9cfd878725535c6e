/**
 * Where the content of a secret Pullkeeper wrote came from, as annotations on
 * the secret. They are a claim, not a proof (anyone who can edit the secret can
 * write them): proof.ts checks the claim against the audit log.
 */
export const PROVENANCE_ANNOTATIONS = {
  /** The audit operation that last wrote this secret's content. */
  operationId: "pullkeeper.io/operation-id",
  /** What the content was made from: `secret` (a copy), `iam-api-key` (a key the run created), `private-registry` (a form). */
  origin: "pullkeeper.io/origin",
  sourceCluster: "pullkeeper.io/source-cluster",
  sourceNamespace: "pullkeeper.io/source-namespace",
  sourceName: "pullkeeper.io/source-name",
  sourceUid: "pullkeeper.io/source-uid",
  /** The source's credential fingerprint when it was copied (lib/registry/fingerprint.ts). */
  sourceFingerprint: "pullkeeper.io/source-fingerprint",
} as const;

export type ProvenanceOrigin = "secret" | "iam-api-key" | "private-registry";

export interface Provenance {
  operationId: string;
  origin: ProvenanceOrigin | null;
  sourceCluster: string | null;
  sourceNamespace: string | null;
  sourceName: string | null;
  sourceUid: string | null;
  sourceFingerprint: string | null;
}

export interface ProvenanceInput {
  operationId: string;
  origin: ProvenanceOrigin;
  /** The cluster the content was read from (copies are made within one cluster today). */
  sourceCluster: string;
  source?: { namespace: string; name: string; uid?: string | null; fingerprint?: string | null };
}

/** The annotations to write with a secret's content. */
export function provenanceAnnotations(input: ProvenanceInput): Record<string, string> {
  const out: Record<string, string> = {
    [PROVENANCE_ANNOTATIONS.operationId]: input.operationId,
    [PROVENANCE_ANNOTATIONS.origin]: input.origin,
    [PROVENANCE_ANNOTATIONS.sourceCluster]: input.sourceCluster,
  };
  if (input.source) {
    out[PROVENANCE_ANNOTATIONS.sourceNamespace] = input.source.namespace;
    out[PROVENANCE_ANNOTATIONS.sourceName] = input.source.name;
    if (input.source.uid) out[PROVENANCE_ANNOTATIONS.sourceUid] = input.source.uid;
    if (input.source.fingerprint) out[PROVENANCE_ANNOTATIONS.sourceFingerprint] = input.source.fingerprint;
  }
  return out;
}

const ORIGINS: readonly string[] = ["secret", "iam-api-key", "private-registry"];

/** The claim a secret's annotations make, or null when they name no operation. */
export function readProvenance(annotations: Record<string, string> | undefined): Provenance | null {
  const value = (key: string) => {
    const text = annotations?.[key]?.trim();
    return text ? text : null;
  };
  const operationId = value(PROVENANCE_ANNOTATIONS.operationId);
  if (!operationId) return null;
  const origin = value(PROVENANCE_ANNOTATIONS.origin);
  return {
    operationId,
    origin: origin && ORIGINS.includes(origin) ? (origin as ProvenanceOrigin) : null,
    sourceCluster: value(PROVENANCE_ANNOTATIONS.sourceCluster),
    sourceNamespace: value(PROVENANCE_ANNOTATIONS.sourceNamespace),
    sourceName: value(PROVENANCE_ANNOTATIONS.sourceName),
    sourceUid: value(PROVENANCE_ANNOTATIONS.sourceUid),
    sourceFingerprint: value(PROVENANCE_ANNOTATIONS.sourceFingerprint),
  };
}

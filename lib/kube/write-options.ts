/** Options of the port's secret writes (kept apart so port.ts stays readable). */

export interface RefreshCopyOptions {
  /** The target's credential fingerprint the caller planned against; a target that differs is not written. */
  expectedFingerprint?: string;
  /** Added to the target's annotations (provenance); the source's uid and fingerprint are set from the read. */
  annotations?: Record<string, string>;
}

/** A new API key for one pull secret (rotate_api_key): the entries holding a key in `replace` (entry fingerprints) get `apiKey`. */
export interface RotateKeyOptions {
  apiKey: string;
  replace: string[];
  /** Only the entries of these registries change (undo of a rotation puts each entry's own earlier key back); absent: every entry holding a `replace` key. */
  registries?: string[];
  /** The secret's fingerprint the caller planned against (null: not checked). */
  expectedFingerprint: string | null;
  annotations: Record<string, string>;
  /** The secret in `default` a copy follows: its uid and new fingerprint are recorded on the copy. */
  source?: { namespace: string; name: string };
}

/** For a delete: the provenance operation id and content the caller proved; a live secret that differs is not deleted. */
export interface DeleteExpectation {
  operationId: string;
  fingerprint: string | null;
}

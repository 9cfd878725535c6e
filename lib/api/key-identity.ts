/**
 * Who owns the IAM API key inside a pull secret, as IAM's details lookup last
 * answered (lib/iam `identifyApiKey`). Keyed by the credential's fingerprint;
 * holds names, ids and times only, never the key.
 */
export type KeyOwner = { kind: "service_id"; serviceId: string; name: string | null } | { kind: "user" } | { kind: "other" };

export type KeyIdentity = { fingerprint: string; checkedAt: string } & (
  | {
      status: "found";
      keyId: string;
      keyName: string;
      ownerIamId: string;
      accountId: string;
      keyCreatedAt: string | null;
      locked: boolean;
      disabled: boolean;
      owner: KeyOwner;
    }
  /** IAM does not know the key: deleted, rotated away, or never an IBM Cloud key. */
  | { status: "unknown" }
  /** The key belongs to an account or identity Pullkeeper's own API key may not read. */
  | { status: "not_visible" }
  /** The lookup itself failed (IAM unreachable, throttled); `detail` says why. */
  | { status: "error"; detail: string }
);

export const KEY_IDENTITY_STATUSES = ["found", "unknown", "not_visible", "error"] as const;

import type { KeyIdentity } from "@/lib/api/key-identity";
import { describeError } from "@/lib/errors";
import type { ApiKeyLookup, IamPort } from "@/lib/iam/port";

/** How long a lookup answers for the same credential again: one verify checks one key against several registries. */
export const KEY_IDENTITY_REUSE_MS = 60_000;

export interface KeyIdentifier {
  /**
   * Asks IAM who owns the key (at most once per credential while a lookup runs
   * or within the reuse window) and hands the result to `save`. Never throws:
   * a failed lookup is a result with status `error`.
   */
  identify(fingerprint: string, apiKey: string): Promise<KeyIdentity>;
}

export interface KeyIdentifierOptions {
  iam: Pick<IamPort, "identifyApiKey">;
  /** Called with every fresh lookup; a failure is reported to `onSaveError`, the lookup still answers. */
  save: (identity: KeyIdentity) => Promise<void>;
  onSaveError?: (error: unknown, identity: KeyIdentity) => void;
  now?: () => Date;
  reuseMs?: number;
}

export function createKeyIdentifier(options: KeyIdentifierOptions): KeyIdentifier {
  const now = options.now ?? (() => new Date());
  const reuseMs = options.reuseMs ?? KEY_IDENTITY_REUSE_MS;
  const recent = new Map<string, { identity: Promise<KeyIdentity>; at: number }>();

  async function lookUp(fingerprint: string, apiKey: string): Promise<KeyIdentity> {
    let identity: KeyIdentity;
    try {
      identity = identityFrom(fingerprint, now().toISOString(), await options.iam.identifyApiKey(apiKey));
    } catch (error) {
      identity = { fingerprint, checkedAt: now().toISOString(), status: "error", detail: describeError(error).message };
    }
    try {
      await options.save(identity);
    } catch (error) {
      options.onSaveError?.(error, identity);
    }
    return identity;
  }

  return {
    identify(fingerprint, apiKey) {
      const at = now().getTime();
      for (const [key, entry] of recent) if (at - entry.at > reuseMs) recent.delete(key);
      const held = recent.get(fingerprint);
      if (held) return held.identity;
      const identity = lookUp(fingerprint, apiKey);
      recent.set(fingerprint, { identity, at });
      return identity;
    },
  };
}

function identityFrom(fingerprint: string, checkedAt: string, lookup: ApiKeyLookup): KeyIdentity {
  if (lookup.status !== "found") return { fingerprint, checkedAt, status: lookup.status };
  const found = lookup.identity;
  return {
    fingerprint,
    checkedAt,
    status: "found",
    keyId: found.keyId,
    keyName: found.keyName,
    ownerIamId: found.iamId,
    accountId: found.accountId,
    keyCreatedAt: found.createdAt ? normaliseIamTime(found.createdAt) : null,
    locked: found.locked,
    disabled: found.disabled,
    owner: found.owner.kind === "service_id" ? { kind: "service_id", serviceId: found.owner.serviceId, name: found.owner.name ?? null } : found.owner,
  };
}

/** IAM writes `2024-10-04T12:28+0000`; JavaScript dates want `+00:00`. Unparseable times are dropped rather than shown wrong. */
function normaliseIamTime(value: string): string | null {
  const parsed = new Date(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

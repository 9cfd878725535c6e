import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import { saveNewestWins } from "@/lib/db/errors";
import type { KeyOwnerFact } from "@/lib/coverage/types";
import { KEY_IDENTITY_STATUSES, type KeyIdentity, type KeyOwner } from "@/lib/api/key-identity";

/**
 * The `ApiKeyIdentity` table: the newest IAM lookup of each API-key credential,
 * keyed by fingerprint and shared by every server process on the database.
 */
export interface KeyIdentityStore {
  /** Stores the lookup unless the row already holds a newer one for the same credential. */
  save(identity: KeyIdentity): Promise<void>;
  /** The stored lookups of these credentials (one indexed query); absent ones were never looked up. */
  find(fingerprints: readonly string[]): Promise<Map<string, KeyIdentity>>;
}

/** What coverage needs of the stored lookups (lib/coverage KeyOwnerFact): owner, disabled, when; errors and invisible keys count as not known. */
export async function readKeyOwners(store: () => Promise<KeyIdentityStore>, fingerprints: readonly string[], onError: (error: unknown) => void): Promise<Map<string, KeyOwnerFact>> {
  const out = new Map<string, KeyOwnerFact>();
  try {
    for (const [fingerprint, identity] of await (await store()).find(fingerprints)) {
      if (identity.status === "unknown") out.set(fingerprint, { status: "unknown", checkedAt: identity.checkedAt });
      else if (identity.status === "found") {
        out.set(fingerprint, { status: "found", serviceId: identity.owner.kind === "service_id" ? identity.owner.serviceId : null, disabled: identity.disabled, checkedAt: identity.checkedAt });
      }
    }
  } catch (error) {
    onError(error);
  }
  return out;
}

type Row = Awaited<ReturnType<PrismaDatabase["apiKeyIdentity"]["findMany"]>>[number];

const STATUSES: ReadonlySet<string> = new Set(KEY_IDENTITY_STATUSES);

export function createKeyIdentityStore(prisma: PrismaDatabase): KeyIdentityStore {
  const table = prisma.apiKeyIdentity;
  return {
    async save(identity) {
      const checkedAt = new Date(identity.checkedAt);
      const values = { ...columnsOf(identity), checkedAt };
      // One conditional statement on both databases: of two replicas saving at once, the newer lookup wins.
      await saveNewestWins(
        () => table.updateMany({ where: { fingerprint: identity.fingerprint, checkedAt: { lte: checkedAt } }, data: values }),
        () => table.create({ data: { fingerprint: identity.fingerprint, ...values } }),
      );
    },

    async find(fingerprints) {
      const unique = [...new Set(fingerprints)];
      if (unique.length === 0) return new Map();
      const rows = await table.findMany({ where: { fingerprint: { in: unique } } });
      return new Map(rows.flatMap((row) => {
        const identity = identityOf(row);
        return identity ? [[row.fingerprint, identity] as const] : [];
      }));
    },
  };
}

function columnsOf(identity: KeyIdentity) {
  const empty = { keyId: null, keyName: null, ownerIamId: null, ownerKind: null, serviceId: null, serviceIdName: null, accountId: null, keyCreatedAt: null, locked: false, disabled: false, detail: "" };
  if (identity.status === "error") return { ...empty, status: identity.status, detail: identity.detail };
  if (identity.status !== "found") return { ...empty, status: identity.status };
  return {
    ...empty,
    status: identity.status,
    keyId: identity.keyId,
    keyName: identity.keyName,
    ownerIamId: identity.ownerIamId,
    ownerKind: identity.owner.kind,
    serviceId: identity.owner.kind === "service_id" ? identity.owner.serviceId : null,
    serviceIdName: identity.owner.kind === "service_id" ? identity.owner.name : null,
    accountId: identity.accountId,
    keyCreatedAt: identity.keyCreatedAt ? new Date(identity.keyCreatedAt) : null,
    locked: identity.locked,
    disabled: identity.disabled,
  };
}

/** A row this version cannot read (a status written by a newer replica) is left out rather than misread. */
function identityOf(row: Row): KeyIdentity | null {
  if (!STATUSES.has(row.status)) return null;
  const base = { fingerprint: row.fingerprint, checkedAt: row.checkedAt.toISOString() };
  if (row.status === "unknown" || row.status === "not_visible") return { ...base, status: row.status };
  if (row.status === "error") return { ...base, status: "error", detail: row.detail };
  if (!row.keyId || !row.ownerIamId || !row.accountId) return null;
  const owner: KeyOwner =
    row.ownerKind === "service_id" && row.serviceId ? { kind: "service_id", serviceId: row.serviceId, name: row.serviceIdName } : row.ownerKind === "user" ? { kind: "user" } : { kind: "other" };
  return {
    ...base,
    status: "found",
    keyId: row.keyId,
    keyName: row.keyName ?? "",
    ownerIamId: row.ownerIamId,
    accountId: row.accountId,
    keyCreatedAt: row.keyCreatedAt ? row.keyCreatedAt.toISOString() : null,
    locked: row.locked,
    disabled: row.disabled,
    owner,
  };
}

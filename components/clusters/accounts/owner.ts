import type { CloudAccountRecord } from "@/lib/clusters/types";

/** "the service ID pullkeeper-cluster-access (iam-ServiceId-…), key created 3 Dec 2026" — whose key, never the key. */
export function ownerDescription(account: Pick<CloudAccountRecord, "ownerKind" | "ownerName" | "ownerIamId" | "keyCreatedAt">): string {
  const who =
    account.ownerKind === "service_id"
      ? `the key of the service ID ${account.ownerName ? `${account.ownerName} (${account.ownerIamId})` : account.ownerIamId}`
      : account.ownerKind === "user"
        ? `the personal key of ${account.ownerIamId}`
        : `a key of ${account.ownerIamId}`;
  return account.keyCreatedAt ? `${who}, created ${account.keyCreatedAt.slice(0, 10)}` : who;
}

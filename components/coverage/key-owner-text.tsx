import { formatAge } from "@/components/shell/relative-time";
import type { KeyIdentity } from "@/lib/api/key-identity";

/** Server components render once per request, so "now" is the request's time. */
function renderTime(): number {
  return Date.now();
}

/**
 * Whose API key an entry holds, as IAM last answered: "key of service ID
 * `team-payments-puller`, created 412 days ago" / "key no longer exists in IAM" /
 * "owner not checked yet". Names and ages only; the key is never known here.
 */
export function KeyOwnerText({ identity, now }: { identity: KeyIdentity | null; now?: number }) {
  const at = now ?? renderTime();
  if (identity === null) return <span className="text-slate-600">owner not checked yet (Verify asks IAM)</span>;
  const checked = `checked ${formatAge(at - new Date(identity.checkedAt).getTime())}`;
  switch (identity.status) {
    case "unknown":
      return (
        <span className="font-medium text-red-800" title={checked}>
          key no longer exists in IAM
        </span>
      );
    case "not_visible":
      return (
        <span className="text-amber-900" title={checked}>
          key unknown to this IBM Cloud account (or not visible to Pullkeeper&apos;s API key)
        </span>
      );
    case "error":
      return (
        <span className="text-amber-900" title={identity.detail}>
          owner lookup failed {formatAge(at - new Date(identity.checkedAt).getTime())}
        </span>
      );
    case "found": {
      const owner =
        identity.owner.kind === "service_id" ? (
          <>
            service ID <span className="font-mono">{identity.owner.name ?? identity.owner.serviceId}</span>
          </>
        ) : identity.owner.kind === "user" ? (
          <>a user ({identity.ownerIamId})</>
        ) : (
          <>{identity.ownerIamId}</>
        );
      const created = identity.keyCreatedAt ? `, created ${formatAge(at - new Date(identity.keyCreatedAt).getTime())}` : "";
      const flags = [identity.locked ? "locked" : null, identity.disabled ? "disabled" : null].filter(Boolean).join(", ");
      return (
        <span className={identity.disabled ? "text-red-800" : "text-slate-700"} title={`${identity.keyName} (${identity.keyId}); ${checked}`}>
          key of {owner}
          {created}
          {flags ? ` (${flags})` : ""}
        </span>
      );
    }
  }
}

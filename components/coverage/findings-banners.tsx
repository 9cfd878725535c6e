import Link from "next/link";
import type { CoverageFinding } from "@/lib/coverage/types";
import { causeWords } from "@/lib/pulls/classify";
import type { FindingGroup, FindingGroupKind } from "@/lib/api/finding-groups";

const REASONS: Record<string, string> = {
  no_credentials: "no credentials for the registry",
  legacy_only: "only discontinued registry tokens",
  dangling_reference: "references a secret that does not exist",
  discontinued_registry: "image on a discontinued registry",
  credential_rejected: "its pull secret's key is dead (rejected by the registry, or deleted or disabled in IAM)",
};

const STALE_EVIDENCE: Record<Extract<CoverageFinding, { type: "stale_copy" }>["evidence"], string> = {
  annotation: "copied by Pullkeeper",
  iam: "IAM: its key belongs to the source's service ID, but is not the source's current key",
  name_pattern: "evidence: the name the seed's copy recipe gives, same registries and user; key owner not checked with IAM",
};

function describe(f: CoverageFinding): string {
  switch (f.type) {
    case "pull_failure":
      return `Pod ${f.workload.name} ${f.state === "failing" ? "cannot pull" : "will fail when rescheduled:"} ${f.images.map((i) => `${i.image} (${causeWords(i.cause, i.registry)})`).join(", ")}`;
    case "image_pull_at_risk":
      return `${f.workload.kind} ${f.workload.name}: ${f.images.map((i) => `${i.image} (${REASONS[i.reason] ?? i.reason}${i.successor ? `; move to ${i.successor}` : ""})`).join(", ")}`;
    case "stale_copy":
      return `${f.secret} differs from its source ${f.source.namespace}/${f.source.name} (${STALE_EVIDENCE[f.evidence]}${f.keyUnknownToIam ? "; IAM no longer knows its key" : ""})`;
    case "orphaned_copy":
      return `${f.secret} was copied from ${f.source.namespace}/${f.source.name}, which no longer exists`;
    case "dangling_reference":
      return `${f.referencedBy.kind} ${f.referencedBy.name} references ${f.secret}, which does not exist`;
    case "restart_needed":
      return `Pod ${f.workload.name}${f.owner ? ` (${f.owner.kind} ${f.owner.name})` : ""} started before its service account got ${f.missingSecrets.join(", ")}${f.restartFixes ? "; a restart fixes its image pulls" : ""}`;
  }
}

const BANNERS: Record<FindingGroupKind, { title: (n: number) => string; why: string }> = {
  pull_failure: { title: (n) => `${n} pod${n === 1 ? "" : "s"} failing to pull, or running only from a node's image cache`, why: "Read from the kubelet's own errors; a latent pod fails the day it lands on another node." },
  image_pull_at_risk: { title: (n) => `${n} workload${n === 1 ? "" : "s"} would fail to pull an image`, why: "Pods created now would hit ImagePullBackOff (or already do)." },
  stale_copy: { title: (n) => `${n} stale or orphaned cop${n === 1 ? "y" : "ies"} of pull secrets`, why: "Copies made before a key rotation keep the old, revoked key." },
  dangling_reference: { title: (n) => `${n} dangling reference${n === 1 ? "" : "s"} to missing secrets`, why: "kubectl describe shows these as \"(not found)\"; pulls relying on them fail." },
  restart_needed: { title: (n) => `${n} pod${n === 1 ? "" : "s"} need a restart to pick up pull secrets`, why: "Service-account pull secrets reach a pod only when it is created." },
};

/**
 * Expandable banners for the cluster's findings (grouped once per scan, lib/queries/finding-groups.ts), each listing its
 * first few items with a link to the namespace; the matrix's findings filter lists every namespace concerned, so the
 * page does not grow with the cluster.
 */
export function FindingsBanners({ cluster, groups }: { cluster: string; groups: readonly FindingGroup[] }) {
  if (groups.length === 0) {
    return (
      <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
        No workload at risk, no stale copy, no dangling reference and no pending restart.
      </p>
    );
  }
  const base = `/clusters/${encodeURIComponent(cluster)}`;
  return (
    <div className="mb-4 space-y-2">
      {groups.map((g) => (
        <details key={g.kind} className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950">
          <summary className="cursor-pointer font-medium">
            {BANNERS[g.kind].title(g.count)} <span className="font-normal">— {BANNERS[g.kind].why}</span>
          </summary>
          <ul className="mt-2 space-y-1">
            {g.shown.map((f, i) => (
              <li key={`${f.namespace}-${i}`}>
                <Link href={`${base}/namespaces/${encodeURIComponent(f.namespace)}`} prefetch={false} className="font-medium underline">
                  {f.namespace}
                </Link>
                : {describe(f)}
              </li>
            ))}
          </ul>
          {g.count > g.shown.length ? (
            <p className="mt-2">
              …and {g.count - g.shown.length} more.{" "}
              <Link href={`${base}?findings=1`} prefetch={false} className="font-medium underline">
                Show every namespace with findings in the matrix
              </Link>
              ; each namespace&apos;s page lists its own.
            </p>
          ) : null}
        </details>
      ))}
    </div>
  );
}

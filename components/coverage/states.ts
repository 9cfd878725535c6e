import type { CountedState, CredentialDeath, NeedReason } from "@/lib/coverage/types";
import type { CellVerification } from "@/lib/api/matrix";

export interface StateDisplay {
  label: string;
  short: string;
  icon: string;
  className: string;
  /** Red states: the namespace needs something it cannot pull. */
  bad: boolean;
  explain: (registry: string) => string;
}

/** Display of counted coverage states: colour is never the only cue (an icon and a word go with it). */
export const STATE_DISPLAY: Readonly<Record<CountedState, StateDisplay>> = {
  covered: {
    label: "Covered",
    short: "Covered",
    icon: "✓",
    className: "border-covered bg-covered/15",
    bad: false,
    explain: (r) => `The default service account references a pull secret with a current credential (IBM Cloud API key or basic auth) for ${r}. New pods pull from it.`,
  },
  not_attached: {
    label: "Not attached",
    short: "Not attached",
    icon: "○",
    className: "border-unattached bg-unattached/15",
    bad: false,
    explain: (r) => `A pull secret with a current credential for ${r} exists in the namespace, but the default service account does not reference it. Attach it so new pods get it.`,
  },
  legacy_only: {
    label: "Legacy only",
    short: "Legacy",
    icon: "!",
    className: "border-legacy bg-legacy/20",
    bad: false,
    explain: (r) => `The only credentials for ${r} are discontinued registry tokens (they stopped working on 19 Aug 2021) or short-lived IAM tokens. Migrate to an API key.`,
  },
  rejected: {
    label: "Rejected",
    short: "Rejected",
    icon: "⊘",
    className: "border-missing bg-missing/10",
    bad: true,
    explain: (r) => `The pull secrets for ${r} hold a dead credential: the registry rejected it at the last check, or IAM says the API key no longer exists or is disabled. Pods cannot pull with it; rotate the key or copy a live secret.`,
  },
  missing: {
    label: "Missing",
    short: "Missing",
    icon: "✕",
    className: "border-missing bg-missing/10",
    bad: true,
    explain: (r) => `No pull secret in the namespace holds a credential for ${r}, and the namespace needs one. Pods pulling private images from it fail with ImagePullBackOff.`,
  },
  not_needed: {
    label: "Not needed",
    short: "Not needed",
    icon: "–",
    className: "border-slate-300 bg-slate-50 text-slate-600",
    bad: false,
    explain: (r) => `No pull secret in the namespace holds a credential for ${r}, and nothing needs one: no workload here pulls from it, no keeping rule requires it, and it is not one of the icr.io domains the cluster's default namespace holds.`,
  },
};

export const VERIFICATION_DISPLAY: Readonly<Record<CellVerification, { label: string; icon: string } | null>> = {
  valid: { label: "verified valid", icon: "✔" },
  rejected: { label: "rejected by the registry", icon: "⊘" },
  unreachable: { label: "registry unreachable at last check", icon: "?" },
  unknown: null,
};

/** Worst first: the order a registry column sorts in (the server sorts by it too). */
export { STATE_ORDER } from "@/lib/api/matrix-query";

/** "2026-12-07 05:30 UTC": the same text on the server and in the browser. */
function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "rejected by us.icr.io on 2026-12-07 05:30 UTC: us.icr.io rejected … (HTTP 401)" / "key deleted in IAM (checked …)". */
export function rejectionText(death: CredentialDeath): string {
  if (death.by === "registry") return `${death.secret}: rejected by ${death.registry} on ${utc(death.checkedAt)}${death.detail ? `: ${death.detail}` : ""}`;
  const what = death.reason === "deleted" ? "key deleted in IAM (IAM no longer knows it)" : "key disabled in IAM";
  return `${death.secret}: ${what}${death.checkedAt ? `, checked ${utc(death.checkedAt)}` : ""}`;
}

/** "pulled by Pod/web-1, Deployment/web" / "required by a keeping rule" / "IKS convention: default holds a credential for it". */
export function needText(reason: NeedReason): string {
  switch (reason.kind) {
    case "workload": {
      const names = reason.workloads.map((w) => `${w.kind}/${w.name}`);
      return `pulled by ${names.slice(0, 3).join(", ")}${names.length > 3 ? ` and ${names.length - 3} more` : ""}`;
    }
    case "rule":
      return "required by a keeping rule";
    case "convention":
      return `IKS convention: ${reason.sourceNamespace} holds a credential for it, so every namespace should be able to pull from it`;
  }
}

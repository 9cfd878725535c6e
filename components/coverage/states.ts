import type { CoverageState } from "@/lib/coverage/types";
import type { CellVerification } from "@/lib/api/matrix";

/** Display of coverage states: colour is never the only cue (an icon and a word go with it). */
export const STATE_DISPLAY: Readonly<Record<CoverageState, { label: string; short: string; icon: string; className: string; explain: (registry: string) => string }>> = {
  covered: {
    label: "Covered",
    short: "Covered",
    icon: "✓",
    className: "border-covered bg-covered/15",
    explain: (r) => `The default service account references a pull secret with a current credential (IBM Cloud API key or basic auth) for ${r}. New pods pull from it.`,
  },
  not_attached: {
    label: "Not attached",
    short: "Not attached",
    icon: "○",
    className: "border-unattached bg-unattached/15",
    explain: (r) => `A pull secret with a current credential for ${r} exists in the namespace, but the default service account does not reference it. Attach it so new pods get it.`,
  },
  legacy_only: {
    label: "Legacy only",
    short: "Legacy",
    icon: "!",
    className: "border-legacy bg-legacy/20",
    explain: (r) => `The only credentials for ${r} are discontinued registry tokens (they stopped working on 19 Aug 2021) or short-lived IAM tokens. Migrate to an API key.`,
  },
  missing: {
    label: "Missing",
    short: "Missing",
    icon: "✕",
    className: "border-missing bg-missing/10",
    explain: (r) => `No pull secret in the namespace holds a credential for ${r}. Pods pulling private images from it fail with ImagePullBackOff.`,
  },
};

export const VERIFICATION_DISPLAY: Readonly<Record<CellVerification, { label: string; icon: string } | null>> = {
  valid: { label: "verified valid", icon: "✔" },
  rejected: { label: "rejected by the registry", icon: "⊘" },
  unreachable: { label: "registry unreachable at last check", icon: "?" },
  unknown: null,
};

export const STATE_ORDER: readonly CoverageState[] = ["missing", "legacy_only", "not_attached", "covered"];

import { formatAge } from "@/components/shell/relative-time";
import type { VerificationState } from "@/lib/api/verification";

const WORDS: Record<VerificationState["status"], string> = {
  valid: "verified valid",
  rejected: "rejected by the registry",
  unreachable: "registry unreachable",
  tls_error: "registry TLS failure",
  never: "never verified",
};

const TONE: Record<VerificationState["status"], string> = {
  valid: "text-emerald-800",
  rejected: "text-red-800",
  unreachable: "text-amber-900",
  tls_error: "text-amber-900",
  never: "text-slate-600",
};

/** Server components render once per request, so "now" is the request's time; client callers pass their own. */
function renderTime(): number {
  return Date.now();
}

/** "verified valid 3m ago" / "rejected by the registry 1h ago" / "never verified", with the verifier's detail as a title. */
export function VerificationText({ state, now }: { state: VerificationState; now?: number }) {
  const age = state.checkedAt ? ` ${formatAge((now ?? renderTime()) - new Date(state.checkedAt).getTime())}` : "";
  const untested = state.status === "valid" && !state.credentialTested ? " (registry asked for no credentials)" : "";
  return (
    <span className={TONE[state.status]} title={state.detail ?? undefined}>
      {WORDS[state.status]}
      {untested}
      {age}
    </span>
  );
}

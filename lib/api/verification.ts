import type { VerificationResult } from "@/lib/registry-check/port";

/** What the dashboard shows about one registry credential of a secret. */
export interface VerificationState {
  status: VerificationResult | "never";
  /** ISO time of the last check, null when never verified. */
  checkedAt: string | null;
  /** The verifier's operator-readable explanation (never contains the credential). */
  detail: string | null;
  /** False when the registry did not ask for credentials, so the key was not exercised. */
  credentialTested: boolean;
}

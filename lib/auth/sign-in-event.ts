/**
 * The sign-in audit's shape, apart from its recorder (access-audit.ts): the
 * composition root and the auth service take a sink of this type without
 * importing the audit store, which itself reaches the database through the root.
 */
/** A sign-in attempt as the auth hooks see it (server.ts); never the password. */
export interface SignInEvent {
  outcome: "succeeded" | "failed" | "refused";
  /** What was typed into the email field, or the SSO identity's email. */
  email: string;
  method: "password" | "sso";
  address: string | null;
  /** Why it did not succeed (wrong credentials, throttled, deactivated), without the password. */
  reason?: string;
  user?: { role: string };
}

export type SignInAuditSink = (event: SignInEvent) => Promise<void>;

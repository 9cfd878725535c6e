import "server-only";
import type { BetterAuthOptions } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { clientAddress } from "./client-address";
import { PENDING_ROLE } from "./oidc-groups";
import type { SignInAuditSink } from "./sign-in-event";
import type { SingleSignOn } from "./single-sign-on";
import { retryAfterText, type SignInThrottle } from "./throttle";

function signInKeys(ctx: { body?: unknown; headers?: Headers; request?: Request }) {
  const body = (ctx.body ?? {}) as { email?: unknown };
  const headers = ctx.request?.headers ?? ctx.headers ?? new Headers();
  return { account: typeof body.email === "string" ? body.email : "", address: clientAddress(headers) };
}

/**
 * Around every sign-in: the throttle's verdict before a password is checked,
 * the failure or success it counts after, group roles applied after a single
 * sign-on callback, and the audit record of each outcome.
 */
export function signInHooks(throttle: SignInThrottle, applyGroups: SingleSignOn["applyGroups"], signInAudit?: SignInAuditSink): NonNullable<BetterAuthOptions["hooks"]> {
  return {
    before: createAuthMiddleware(async (ctx) => {
      if (ctx.path !== "/sign-in/email") return;
      const keys = signInKeys(ctx);
      const verdict = await throttle.check(keys);
      if (!verdict.allowed) {
        await signInAudit?.({ outcome: "refused", email: keys.account, method: "password", address: keys.address, reason: "too many failed attempts" });
        throw new APIError(
          "TOO_MANY_REQUESTS",
          { message: `Too many failed sign-in attempts. Try again ${retryAfterText(verdict.retryAfterSeconds)}.`, code: "SIGN_IN_THROTTLED" },
          { "Retry-After": String(verdict.retryAfterSeconds) },
        );
      }
      // Past the account's limit: slowed, not refused, so the right password still works from a new address.
      if (verdict.delayMs) await new Promise((resolve) => setTimeout(resolve, verdict.delayMs));
    }),
    after: createAuthMiddleware(async (ctx) => {
      const returned = ctx.context.returned;
      const signedIn = ctx.context.newSession?.user as { id?: string; email?: string; role?: string } | undefined;
      if (ctx.path.startsWith("/callback/")) {
        if (signedIn?.email && signedIn.id) {
          const role = (await applyGroups(signedIn.id, signedIn.email)) ?? String(signedIn.role ?? PENDING_ROLE);
          const address = clientAddress(ctx.request?.headers ?? ctx.headers ?? new Headers());
          await signInAudit?.({ outcome: "succeeded", email: signedIn.email, method: "sso", address, user: { role } });
        }
        return;
      }
      if (ctx.path !== "/sign-in/email") return;
      const keys = signInKeys(ctx);
      if (isAPIError(returned)) {
        if (returned.statusCode === 401) await throttle.recordFailure(keys);
        const reason = returned.statusCode === 401 ? "wrong email or password" : returned.statusCode === 403 ? "account deactivated" : `refused (${returned.statusCode})`;
        await signInAudit?.({ outcome: returned.statusCode === 401 ? "failed" : "refused", email: keys.account, method: "password", address: keys.address, reason });
      } else {
        await throttle.recordSuccess(keys);
        const user = { role: String(signedIn?.role ?? "viewer") };
        await signInAudit?.({ outcome: "succeeded", email: signedIn?.email ?? keys.account, method: "password", address: keys.address, user });
      }
    }),
  };
}

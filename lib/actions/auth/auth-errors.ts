import "server-only";
import { isAPIError } from "better-auth/api";
import { ActionError } from "../safe-action";

/**
 * Turns better-auth's refusals into messages for the sign-in form. A wrong email
 * and a wrong password read the same, so the form does not reveal who has an account.
 */
export function signInFailure(error: unknown): never {
  if (isAPIError(error)) {
    if (error.statusCode === 429 || error.statusCode === 403) throw new ActionError(error.message || "Sign-in refused.");
    if (error.statusCode === 401 || error.statusCode === 400) throw new ActionError("Email or password is wrong.");
  }
  throw error;
}

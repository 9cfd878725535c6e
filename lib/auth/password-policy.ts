/**
 * What a local password must be. Length matters most (NIST SP 800-63B): at
 * least 12 characters, at most 128 (scrypt hashes any length, the cap only
 * bounds the work an attacker can ask for), not a well-known password and not
 * built from the account's own name or email.
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** Passwords every guessing list starts with; any of these, or one of them padded with digits, is refused. */
const COMMON = [
  "password",
  "passw0rd",
  "123456789012",
  "qwertyuiop",
  "letmein",
  "welcome",
  "changeme",
  "administrator",
  "admin",
  "iloveyou",
  "trustno1",
  "pullkeeper",
  "kubernetes",
  "ibmcloud",
];

export interface PasswordContext {
  email?: string;
  name?: string;
}

/** Problems with the password, written for the person choosing it; empty when acceptable. */
export function passwordProblems(password: string, context: PasswordContext = {}): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`Use at least ${PASSWORD_MIN_LENGTH} characters.`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  const lower = password.toLowerCase();
  const core = lower.replace(/[\d\W_]+$/u, "").replace(/^[\d\W_]+/u, "");
  if (COMMON.some((word) => lower === word || core === word || lower.startsWith(`${word}123`))) {
    problems.push("This password is on every guessing list; choose another.");
  }
  if (/^(.)\1+$/u.test(password)) problems.push("Do not repeat a single character.");
  const personal = [context.email?.split("@")[0], context.name]
    .map((part) => part?.toLowerCase().replace(/[^a-z0-9]/g, ""))
    .filter((part): part is string => !!part && part.length >= 4);
  const squashed = lower.replace(/[^a-z0-9]/g, "");
  if (personal.some((part) => squashed.includes(part))) problems.push("Do not use your name or email in the password.");
  return problems;
}

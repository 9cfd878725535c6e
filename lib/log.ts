import "server-only";
import pino from "pino";
import { env } from "@/lib/env";
import { credentialLogPaths, redactCredentials } from "@/lib/redaction/credential-fields";

/**
 * The server's structured logger. Credential fields are censored by path, and
 * `safeContext` runs free-form objects through the same redaction as the audit
 * store, so a log line can never carry a password, API key or Docker config.
 */
export const logger = pino({
  level: env().LOG_LEVEL,
  base: { service: "pullkeeper" },
  redact: { paths: credentialLogPaths(), censor: "[redacted]" },
});

export function safeContext<T extends Record<string, unknown>>(context: T): T {
  return redactCredentials(context);
}

import "server-only";
import pino from "pino";
import { env } from "@/lib/env";
import { credentialLogPaths, redactCredentials } from "@/lib/redaction/credential-fields";

/**
 * The server's structured logger. Credential fields are censored by path, and
 * `safeContext` runs free-form objects through the same redaction as the audit
 * store, so a log line can never carry a password, API key or Docker config.
 *
 * Lines are written to stdout synchronously, as Node writes its own stdout to a
 * pipe. pino's default asynchronous destination flushes at exit, and on a pipe
 * whose reader is gone (Ctrl-C stops the demo's `tee` with the server) that
 * flush retried for ever, so the server never exited (tests/deploy/log-pipe.test.ts).
 * Written synchronously, a broken pipe fails the write at once, pino stops
 * logging, and nothing is left to flush; no line is lost at a crash either.
 */
export const logger = pino(
  {
    level: env().LOG_LEVEL,
    base: { service: "pullkeeper" },
    redact: { paths: credentialLogPaths(), censor: "[redacted]" },
  },
  pino.destination({ dest: 1, sync: true }),
);

export function safeContext<T extends Record<string, unknown>>(context: T): T {
  return redactCredentials(context);
}

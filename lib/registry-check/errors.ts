import type { VerificationResult } from "./port";

/**
 * How a check ended, before it becomes a {@link RegistryVerification}. The
 * checker never throws for registry or network trouble: failures are outcomes
 * with a closed result and an operator-readable detail.
 */
export class Outcome {
  readonly credentialTested: boolean;
  /** Only a registry's verdict (valid/rejected) tests the credential, unless the caller says otherwise. */
  constructor(
    readonly result: VerificationResult,
    readonly detail: string,
    credentialTested?: boolean,
  ) {
    this.credentialTested = credentialTested ?? (result === "valid" || result === "rejected");
  }
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === "string" ? code : "";
}

/** Turns a thrown fetch error into an outcome: timeout, TLS, refused, DNS, or other network failure. */
export function classifyNetworkError(error: unknown, what: string, timeoutMs: number, timedOut: boolean): Outcome {
  const name = (error as { name?: unknown })?.name;
  if (timedOut || name === "TimeoutError" || name === "AbortError") {
    return new Outcome("unreachable", `${what} timed out after ${timeoutMs} ms.`, false);
  }
  const code = errorCode(error);
  if (/CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/i.test(code)) {
    return new Outcome("tls_error", `${what} failed TLS verification (${code}): the registry's certificate is not trusted by this server.`, false);
  }
  if (code === "ECONNREFUSED") return new Outcome("unreachable", `${what} was refused: nothing is listening there (ECONNREFUSED).`, false);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new Outcome("unreachable", `${what} failed: the host name does not resolve (${code}).`, false);
  return new Outcome("unreachable", `${what} failed: ${code || "network error"}.`, false);
}

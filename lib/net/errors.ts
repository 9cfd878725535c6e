import { refusalMessage } from "./outbound";
import { PullkeeperError } from "@/lib/errors";

export const OUTBOUND_REFUSED = "EOUTBOUND_REFUSED";

/**
 * A connection the outbound policy refused before any packet was sent. Told
 * apart by `code` (not by class: the instrumentation and app bundles load
 * separate copies of this module).
 */
/** A connection the outbound policy refused (after DNS): never transient, the address will not change its class. */
export class OutboundRefusedError extends PullkeeperError {
  override readonly name = "OutboundRefusedError";
  readonly code = OUTBOUND_REFUSED;
  constructor(
    readonly host: string,
    readonly port: number,
    setting: string,
  ) {
    super("registry", "forbidden", refusalMessage(host, port, setting), { context: { host, port: String(port) } });
  }
}

/** The refusal inside an error (fetch wraps connection errors in `cause`), if any. */
export function outboundRefusal(error: unknown): { host: string; port: number; message: string } | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth += 1) {
    const candidate = e as { code?: unknown; host?: unknown; port?: unknown; message?: unknown };
    if (candidate.code === OUTBOUND_REFUSED && typeof candidate.host === "string" && typeof candidate.port === "number" && typeof candidate.message === "string") {
      return { host: candidate.host, port: candidate.port, message: candidate.message };
    }
  }
  return undefined;
}

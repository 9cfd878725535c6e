import "server-only";
import http from "node:http";
import { CLIENT_ADDRESS_HEADER, resolveClientAddress, type TrustedProxies } from "./client-address";

const installed = Symbol.for("pullkeeper.clientAddressStamp");

/**
 * Stamps every incoming request with the client's address as resolved from the
 * socket (see resolveClientAddress), before Next handles it. Next exposes no
 * socket address to route handlers or server actions, and fills X-Forwarded-For
 * from the socket only when the client sent none, so this is the one place the
 * peer address is known. Wraps `http.Server.prototype.emit` (every server built
 * by `next start` or a standalone build is an http.Server); installed once per process.
 */
export function installClientAddressStamp(trusted: TrustedProxies): void {
  const prototype = http.Server.prototype as http.Server & { [installed]?: boolean };
  if (prototype[installed]) return;
  const emit = prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  prototype.emit = function stampedEmit(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") stampRequest(args[0] as http.IncomingMessage, trusted);
    return emit.call(this, event, ...args);
  } as typeof prototype.emit;
  prototype[installed] = true;
}

export function stampRequest(request: http.IncomingMessage, trusted: TrustedProxies): void {
  const forwarded = request.headers["x-forwarded-for"];
  const address = resolveClientAddress(request.socket?.remoteAddress, Array.isArray(forwarded) ? forwarded.join(",") : forwarded, trusted);
  if (address) request.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete request.headers[CLIENT_ADDRESS_HEADER];
}

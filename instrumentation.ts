/**
 * Runs once when the server starts: fail fast on bad configuration, bring the
 * database schema forward, and mark operations a previous process left
 * running as interrupted so the audit log never shows a run as live forever.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/server-start");
  await startServer();
  const { installClientAddressStamp } = await import("./lib/auth/client-address-stamp");
  const { parseTrustedProxies } = await import("./lib/auth/client-address");
  const { env } = await import("./lib/env");
  installClientAddressStamp(parseTrustedProxies(env().PULLKEEPER_TRUSTED_PROXIES));
}

/**
 * Runs once when the server starts: fail fast on bad configuration, bring the
 * database schema forward, and mark operations a previous process left
 * running as interrupted so the audit log never shows a run as live forever.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Checked before anything else loads: the logger and the stores read the
  // configuration as they are imported, and Next keeps serving (every request
  // failing) when this hook throws instead of exiting.
  const { env, EnvError } = await import("./lib/env");
  try {
    env();
  } catch (error) {
    console.error(error instanceof EnvError ? error.message : error);
    process.exit(1);
  }
  const { startServer } = await import("./lib/server-start");
  await startServer();
  const { installClientAddressStamp } = await import("./lib/auth/client-address-stamp");
  const { parseTrustedProxies } = await import("./lib/auth/client-address");
  installClientAddressStamp(parseTrustedProxies(env().PULLKEEPER_TRUSTED_PROXIES));
}

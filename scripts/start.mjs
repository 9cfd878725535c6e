// The production entry point: `npm start` and the container image run this file
// from the assembled standalone bundle (scripts/start-assemble.mjs copies it
// there as start.mjs). It starts Next's standalone server in this process; the
// server's instrumentation hook (lib/server-start.ts) then validates the
// configuration, applies or checks migrations, logs what it connected to, and
// takes over SIGTERM for a graceful shutdown (lib/server/graceful-shutdown.ts).
// Plain JavaScript with no dependencies: the image has no shell and no npm.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = fs.existsSync(path.join(here, "server.js")) ? here : path.join(here, "..", ".next", "standalone");
if (!fs.existsSync(path.join(bundle, "server.js")) || !fs.existsSync(path.join(bundle, "start.mjs"))) {
  console.error(`No assembled standalone bundle at ${bundle}: run \`npm run build\` first.`);
  process.exit(1);
}

// Launcher settings, not application configuration (lib/env.ts validates that):
// production mode, SIGTERM left to the app, and the listen address. Kubernetes
// sets HOSTNAME to the pod name, which Next would otherwise bind to.
process.env.NODE_ENV = "production";
process.env.NEXT_MANUAL_SIG_HANDLE = "true";
process.env.HOSTNAME = process.env.PULLKEEPER_LISTEN_ADDRESS || "0.0.0.0";
process.env.PORT = process.env.PORT || "3000";

// The standalone server changes into its own directory; relative paths in the
// configuration (DATABASE_URL=file:./data/…) are taken from where we were started.
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl?.startsWith("file:") && !path.isAbsolute(databaseUrl.slice("file:".length))) {
  process.env.DATABASE_URL = `file:${path.resolve(databaseUrl.slice("file:".length))}`;
}

await import(path.join(bundle, "server.js"));

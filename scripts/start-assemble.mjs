// After `next build`: completes .next/standalone into the directory the image
// copies whole (see Dockerfile): the browser assets Next leaves out of it,
// public/ if any, and the start script. Run by `npm run build`.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const bundle = path.join(root, ".next", "standalone");
if (!fs.existsSync(path.join(bundle, "server.js"))) {
  console.error("No .next/standalone/server.js: next.config.js must keep output: \"standalone\".");
  process.exit(1);
}
const copy = (from, to) => {
  if (!fs.existsSync(from)) return;
  fs.rmSync(to, { recursive: true, force: true });
  // Files, not links: a relative link would be copied as an absolute one into the source tree, which the
  // image (and a non-root user outside that tree) cannot follow.
  fs.cpSync(from, to, { recursive: true, dereference: true });
};
copy(path.join(root, ".next", "static"), path.join(bundle, ".next", "static"));
copy(path.join(root, "public"), path.join(bundle, "public"));
// The schemas and migrations applied at start (the tracer copies them too; this keeps them complete).
copy(path.join(root, "prisma"), path.join(bundle, "prisma"));
fs.copyFileSync(path.join(root, "scripts", "start.mjs"), path.join(bundle, "start.mjs"));
// The tracer keeps the whole project when code reads a directory named by
// configuration (kubeconfig and service-account directories): sources, tests,
// local data. Only what the server runs stays.
const keep = new Set([".next", "node_modules", "package.json", "server.js", "start.mjs", "prisma", "public"]);
for (const entry of fs.readdirSync(bundle)) {
  if (!keep.has(entry)) fs.rmSync(path.join(bundle, entry), { recursive: true, force: true });
}
console.log(`standalone bundle assembled in ${path.relative(root, bundle)}`);

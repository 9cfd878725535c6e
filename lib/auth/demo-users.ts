import type { Role } from "./permissions";

/**
 * The accounts `scripts/seed-demo-users.ts` creates in demo mode (PULLKEEPER_DEMO=true)
 * only, with known passwords so the demo and the Playwright canary can sign in.
 * The sign-in page shows them while demo mode is on; they are never created otherwise.
 */
export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Role; password: string; clusters: string[] | null }> = [
  { email: "demo-admin@pullkeeper.demo", name: "Demo Admin (demo only)", role: "admin", password: "admin-demo-passphrase", clusters: null },
  { email: "demo-operator@pullkeeper.demo", name: "Demo Operator (demo only)", role: "operator", password: "operator-demo-passphrase", clusters: null },
  { email: "demo-viewer@pullkeeper.demo", name: "Demo Viewer (demo only)", role: "viewer", password: "viewer-demo-passphrase", clusters: null },
];

export const DEMO_ADMIN = DEMO_USERS[0]!;

/**
 * Demo mode only (PULLKEEPER_DEMO=true): creates or resets the clearly labelled
 * demo accounts in lib/auth/demo-users.ts, with their known passwords, so the
 * demo and the Playwright canary can sign in. Safe to run again.
 *
 * Usage: PULLKEEPER_DEMO=true npx tsx --conditions=react-server scripts/seed-demo-users.ts
 */
import { DEMO_USERS } from "../lib/auth/demo-users";
import { authService } from "../lib/auth/service";
import { database } from "../lib/db";
import { env } from "../lib/env";

async function main(): Promise<void> {
  if (!env().PULLKEEPER_DEMO) {
    console.error("Refusing: demo accounts have published passwords and are only created with PULLKEEPER_DEMO=true.");
    process.exit(2);
  }
  const { users } = await authService();
  try {
    for (const demo of DEMO_USERS) {
      const existing = await users.findByEmail(demo.email);
      if (!existing) {
        await users.createLocalUser(demo);
      } else {
        if (!existing.active) await users.reactivate(existing.id);
        if (existing.role !== demo.role) await users.changeRole(existing.id, demo.role);
        await users.setClusters(existing.id, demo.clusters);
        await users.setPassword(existing.id, demo.password);
      }
      console.log(`demo account ready: ${demo.email} / ${demo.password} (${demo.role})`);
    }
  } finally {
    await (await database()).close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

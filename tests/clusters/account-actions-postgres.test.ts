import fs from "node:fs";
import pg from "pg";
import { vi } from "vitest";
import { POSTGRES_ADMIN_URL } from "../support/databases";

/** The IBM Cloud accounts actions on PostgreSQL, with pg-boss as the job queue (the suite: account-actions.suite.ts). */
const setup = vi.hoisted(() => {
  const dir = `/tmp/pullkeeper-accounts-pg-${process.pid}-${Date.now()}`;
  const ibmPort = 41000 + Math.floor(Math.random() * 8000);
  const ibm = `http://127.0.0.1:${ibmPort}`;
  const database = `pullkeeper_accounts_${process.pid}_${Date.now()}`;
  const url = new URL(process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${database}`;
  Object.assign(process.env, {
    DATABASE_URL: url.toString(),
    AUTH_SECRET: "accounts-test-secret-0123456789abcdef",
    PULLKEEPER_PUBLIC_URL: "http://pullkeeper.test",
    PULLKEEPER_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
    PULLKEEPER_IN_CLUSTER: "false",
    PULLKEEPER_JOIN_RULE_SCHEDULE: "off",
    KUBECONFIG: `${dir}/kubeconfig`,
    IBMCLOUD_IAM_URL: ibm,
    IBMCLOUD_IAM_IDENTITY_URL: ibm,
    IBMCLOUD_CONTAINERS_URL: `${ibm}/global`,
    IBMCLOUD_TAGGING_URL: ibm,
    LOG_LEVEL: "silent",
  });
  return { dir, ibmPort, database, request: { headers: new Headers(), cookies: new Map<string, string>() } };
});

vi.mock("next/headers", async () => (await import("../support/next-request")).nextHeaders(setup.request));
vi.mock("next/cache", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/cache")>()), revalidatePath: () => undefined }));

import { accountActionsSuite } from "./account-actions.suite";

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  await client.query(sql);
  await client.end();
}

accountActionsSuite("postgresql", {
  request: setup.request,
  dir: setup.dir,
  ibmPort: setup.ibmPort,
  createDatabase: async () => {
    fs.mkdirSync(setup.dir, { recursive: true });
    await admin(`CREATE DATABASE ${setup.database}`);
  },
  dropDatabase: async () => {
    fs.rmSync(setup.dir, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS ${setup.database} WITH (FORCE)`);
  },
});

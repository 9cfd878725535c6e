import fs from "node:fs";
import { vi } from "vitest";

/** The IBM Cloud accounts actions on the embedded SQLite database (the suite: account-actions.suite.ts). */
const setup = vi.hoisted(() => {
  const dir = `/tmp/pullkeeper-accounts-sqlite-${process.pid}-${Date.now()}`;
  // A port for the IBM Cloud simulator, chosen before the configuration is first read (it is read once).
  const ibmPort = 41000 + Math.floor(Math.random() * 8000);
  const ibm = `http://127.0.0.1:${ibmPort}`;
  Object.assign(process.env, {
    DATABASE_URL: `file:${dir}/pullkeeper.db`,
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
  return { dir, ibmPort, request: { headers: new Headers(), cookies: new Map<string, string>() } };
});

vi.mock("next/headers", async () => (await import("../support/next-request")).nextHeaders(setup.request));
vi.mock("next/cache", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/cache")>()), revalidatePath: () => undefined }));

import { accountActionsSuite } from "./account-actions.suite";

accountActionsSuite("sqlite", {
  request: setup.request,
  dir: setup.dir,
  ibmPort: setup.ibmPort,
  sqliteFile: `${setup.dir}/pullkeeper.db`,
  createDatabase: async () => void fs.mkdirSync(setup.dir, { recursive: true }),
  dropDatabase: async () => fs.rmSync(setup.dir, { recursive: true, force: true }),
});

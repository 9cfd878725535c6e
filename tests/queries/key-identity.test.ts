/**
 * Whose key is in a pull secret: every registry check of an IAM API-key
 * credential also asks IAM who owns the key (GET /v1/apikeys/details), and the
 * answer is stored by credential fingerprint, never with the key, on both
 * databases. Wired as the app wires it (lib/server/ports), over HTTP to the
 * simulated IBM Cloud.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeyIdentity } from "@/lib/api/key-identity";
import { createKeyIdentityStore, type KeyIdentityStore } from "@/lib/queries/key-identity-store";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { createPorts, type Ports } from "@/lib/server/ports";
import { CREDENTIAL_CANARY, DEMO_ACCOUNT, DEMO_CLUSTER_SERVICE_IDS, DEMO_OPERATOR, DEMO_PRIVATE_REGISTRY } from "@/sim/demo-credentials";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { LOOPBACK_REGISTRY_HOSTS } from "../support/outbound";
import { PROVIDERS, createMigratedDatabase, type ScratchDatabase } from "../support/databases";
import type { DatabaseConnection } from "@/lib/db/client";

const KEY = DEMO_CLUSTER_SERVICE_IDS.regional.apiKey;
const REVOKED = DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey;
const fingerprintOf = (key: string) => credentialFingerprint("iamapikey", key);

let ibm: IbmCloudSim;
beforeAll(async () => {
  ibm = await startIbmCloudSim();
});
afterAll(async () => ibm?.close());

describe.each(PROVIDERS)("API key owners on %s", (provider) => {
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  let store: KeyIdentityStore;
  let ports: Ports;

  beforeAll(async () => {
    ({ scratch, connection } = await createMigratedDatabase(provider));
    store = createKeyIdentityStore(connection.prisma);
    ports = createPorts({
      kubeconfigPaths: [],
      iam: { apiKey: DEMO_OPERATOR.apiKey, iamUrl: ibm.url },
      registryEndpointTemplate: ibm.registryUrlTemplate,
      registryAllowedHosts: LOOPBACK_REGISTRY_HOSTS,
      verifyTimeoutMs: 5_000,
      onKeyIdentified: (identity) => store.save(identity),
    });
  });

  afterAll(async () => {
    ports?.close();
    await connection?.close();
    await scratch?.drop();
  });

  it("records the owning service ID when a key is checked against a registry, once for several registries", async () => {
    const before = ibm.stats();
    for (const domain of ["us.icr.io", "de.icr.io", "icr.io"]) await ports.verifyRegistry({ domain, username: "iamapikey", password: KEY });
    const lookups = countRoute(ibm.stats(), "GET /v1/apikeys/details") - countRoute(before, "GET /v1/apikeys/details");
    expect(lookups).toBe(1);

    const found = (await store.find([fingerprintOf(KEY)])).get(fingerprintOf(KEY));
    expect(found).toMatchObject({
      status: "found",
      accountId: DEMO_ACCOUNT.id,
      owner: { kind: "service_id", name: DEMO_CLUSTER_SERVICE_IDS.regional.name },
      locked: false,
      disabled: false,
    });
    expect(found?.status === "found" && found.keyCreatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("records a key IAM no longer knows as unknown, and asks nothing for other credential kinds", async () => {
    await ports.verifyRegistry({ domain: "us.icr.io", username: "iamapikey", password: REVOKED });
    expect((await store.find([fingerprintOf(REVOKED)])).get(fingerprintOf(REVOKED))).toMatchObject({ status: "unknown" });

    const before = countRoute(ibm.stats(), "GET /v1/apikeys/details");
    await ports.verifyRegistry({ domain: DEMO_PRIVATE_REGISTRY.server, username: DEMO_PRIVATE_REGISTRY.username, password: DEMO_PRIVATE_REGISTRY.password });
    expect(countRoute(ibm.stats(), "GET /v1/apikeys/details")).toBe(before);
  });

  it("keeps the newest lookup when an older one arrives late, and stores no key byte", async () => {
    const fingerprint = "0123456789ab";
    const newer: KeyIdentity = { fingerprint, checkedAt: "2026-12-06T10:00:00.000Z", status: "unknown" };
    const older: KeyIdentity = { fingerprint, checkedAt: "2026-12-06T09:00:00.000Z", status: "error", detail: "IAM was unreachable" };
    await store.save(newer);
    await store.save(older);
    expect((await store.find([fingerprint])).get(fingerprint)).toEqual(newer);

    const rows = await connection.prisma.apiKeyIdentity.findMany();
    expect(JSON.stringify(rows)).not.toContain(CREDENTIAL_CANARY);
    expect(JSON.stringify(rows)).not.toContain(KEY);
    if (scratch.file) expect(fs.readFileSync(scratch.file).includes(Buffer.from(KEY))).toBe(false);
  });
});

function countRoute(stats: ReturnType<IbmCloudSim["stats"]>, route: string): number {
  return stats.byRoute[route] ?? 0;
}

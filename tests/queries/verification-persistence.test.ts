/**
 * Registry verification results survive a restart and are shared by replicas:
 * each "process" below is its own database connection, synced verification log
 * and ports (lib/server/ports), the way lib/queries and lib/server/context wire
 * them in the app; checks run against the simulated registries over HTTP.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPullSecretCredentials } from "@/lib/workflows";
import type { SessionUser } from "@/lib/auth/permissions";
import { connectDatabase, type DatabaseConnection } from "@/lib/db/client";
import { createVerificationStore } from "@/lib/queries/verification-store";
import { createSyncedVerificationLog, type SyncedVerificationLog } from "@/lib/queries/verification-sync";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import type { RegistryVerification } from "@/lib/registry-check/port";
import { createPorts, type Ports } from "@/lib/server/ports";
import { LOOPBACK_REGISTRY_HOSTS } from "../support/outbound";
import { CREDENTIAL_CANARY, DEMO_CLUSTER_SERVICE_IDS, DEMO_LEGACY_TOKENS } from "@/sim/demo-credentials";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { PROVIDERS, createMigratedDatabase, type ScratchDatabase } from "../support/databases";
import { startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

const API_KEY = DEMO_CLUSTER_SERVICE_IDS.modern.apiKey;
const REVOKED_KEY = DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey;
const keyOf = (domain: string, username: string, password: string) => ({ domain, username, fingerprint: credentialFingerprint(username, password) });

let ibm: IbmCloudSim;
beforeAll(async () => {
  ibm = await startIbmCloudSim();
});
afterAll(async () => ibm?.close());

describe.each(PROVIDERS)("verification results on %s", (provider) => {
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  const opened: DatabaseConnection[] = [];
  const openedPorts: Ports[] = [];

  /** Another server process on the same database: its own connection, verification log and ports. */
  async function startProcess(): Promise<{ verifications: SyncedVerificationLog; ports: Ports }> {
    const own = await connectDatabase(scratch.target);
    opened.push(own);
    const verifications = createSyncedVerificationLog({ store: async () => createVerificationStore(own.prisma) });
    const ports = createPorts({ kubeconfigPaths: [], iam: null, registryEndpointTemplate: ibm.registryUrlTemplate, registryAllowedHosts: LOOPBACK_REGISTRY_HOSTS, verifyTimeoutMs: 5_000, onVerified: verifications.record });
    openedPorts.push(ports);
    return { verifications, ports };
  }

  const rows = () => connection.prisma.registryVerificationResult.findMany({ orderBy: { checkedAt: "asc" } });

  beforeAll(async () => {
    ({ scratch, connection } = await createMigratedDatabase(provider));
  });

  afterAll(async () => {
    for (const ports of openedPorts) ports.close();
    for (const own of opened) await own.close();
    await connection?.close();
    await scratch?.drop();
  });

  it("shows a result saved by one process after a restart and on a replica", async () => {
    const first = await startProcess();
    const replica = await startProcess();
    await replica.verifications.sync();

    const verified = await first.ports.verifyRegistry({ domain: "us.icr.io", username: "iamapikey", password: API_KEY });
    expect(verified.result).toBe("valid");
    const key = keyOf("us.icr.io", "iamapikey", API_KEY);
    // Durable once the check returns: the row is there without waiting for anything else.
    expect(await connection.prisma.registryVerificationResult.findUnique({ where: { registry_username_fingerprint: { registry: "us.icr.io", username: "iamapikey", fingerprint: key.fingerprint } } }))
      .toMatchObject({ result: "valid", credentialTested: true });
    expect(first.verifications.lookup(key)).toMatchObject({ status: "valid", checkedAt: (verified as RegistryVerification).checkedAt });

    expect(replica.verifications.lookup(key).status).toBe("never");
    await replica.verifications.sync();
    expect(replica.verifications.lookup(key)).toEqual(first.verifications.lookup(key));

    const restarted = await startProcess();
    await restarted.verifications.sync();
    expect(restarted.verifications.lookup(key)).toEqual(first.verifications.lookup(key));
    // Differently spelled registry keys of a secret find the same row.
    expect(restarted.verifications.lookup({ ...key, domain: "https://US.ICR.IO/v1/" }).status).toBe("valid");

    // The replica checks again later; the first process learns of it on its next sync.
    const again = (await replica.ports.verifyRegistry({ domain: "us.icr.io", username: "iamapikey", password: API_KEY })) as RegistryVerification;
    await first.verifications.sync();
    expect(first.verifications.lookup(key).checkedAt).toBe(again.checkedAt);
    expect((await rows()).filter((row) => row.fingerprint === key.fingerprint)).toHaveLength(1);
  });

  it("never lets an older result overwrite a newer one, also when replicas race", async () => {
    const store = createVerificationStore(connection.prisma);
    const other = await connectDatabase(scratch.target);
    opened.push(other);
    const replicaStore = createVerificationStore(other.prisma);
    const base = { domain: "de.icr.io", username: "iamapikey", fingerprint: "aaaaaaaaaaaa", latencyMs: 7, credentialTested: true };
    const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, "0")}:00.000Z`;

    await store.save({ ...base, result: "rejected", checkedAt: at(5), detail: "newer" });
    await replicaStore.save({ ...base, result: "valid", checkedAt: at(1), detail: "older" });
    expect(await connection.prisma.registryVerificationResult.findMany({ where: { fingerprint: base.fingerprint } })).toEqual([
      expect.objectContaining({ result: "rejected", detail: "newer", checkedAt: new Date(at(5)) }),
    ]);

    // Twenty checks of a new credential arrive on two connections in a shuffled order: the newest stays.
    const racing = { ...base, fingerprint: "bbbbbbbbbbbb" };
    const minutes = [13, 2, 19, 7, 0, 11, 16, 4, 9, 18, 1, 14, 6, 17, 3, 10, 15, 5, 12, 8];
    await Promise.all(minutes.map((minute, i) => (i % 2 === 0 ? store : replicaStore).save({ ...racing, result: minute === 19 ? "valid" : "rejected", checkedAt: at(minute), detail: `minute ${minute}` })));
    expect(await connection.prisma.registryVerificationResult.findMany({ where: { fingerprint: racing.fingerprint } })).toEqual([
      expect.objectContaining({ result: "valid", detail: "minute 19", checkedAt: new Date(at(19)) }),
    ]);

    // A process that recorded an older result itself converges on the newest at its next sync.
    const late = await startProcess();
    await late.verifications.record({ ...base, result: "valid", checkedAt: at(3), detail: "late and older" });
    expect(late.verifications.lookup(base).detail).toBe("late and older");
    await late.verifications.sync();
    expect(late.verifications.lookup(base)).toMatchObject({ status: "rejected", detail: "newer", checkedAt: at(5) });
    expect(late.verifications.lookup(racing)).toMatchObject({ status: "valid", checkedAt: at(19) });
  });

  it("stores the fingerprint and the verifier's explanation, never the credential", async () => {
    const { ports } = await startProcess();
    const checks = [
      { domain: "us.icr.io", username: "iamapikey", password: API_KEY, expected: "valid" },
      { domain: "us.icr.io", username: "iamapikey", password: REVOKED_KEY, expected: "rejected" },
      { domain: "registry.ng.bluemix.net", username: "token", password: DEMO_LEGACY_TOKENS.regional, expected: "rejected" },
      { domain: "jp.icr.io", username: "iamapikey", password: `typed-${CREDENTIAL_CANARY}-into-a-form`, expected: "rejected" },
    ];
    for (const check of checks) {
      expect(check.password).toContain(CREDENTIAL_CANARY);
      expect((await ports.verifyRegistry(check)).result).toBe(check.expected);
    }
    const stored = await rows();
    for (const check of checks) {
      const key = keyOf(check.domain, check.username, check.password);
      expect(stored).toContainEqual(expect.objectContaining({ registry: key.domain, username: key.username, fingerprint: key.fingerprint, result: check.expected }));
    }
    const traces = [CREDENTIAL_CANARY, CREDENTIAL_CANARY.toLowerCase(), Buffer.from(`iamapikey:${API_KEY}`).toString("base64")];
    for (const trace of traces) expect(JSON.stringify(stored)).not.toContain(trace);
    if (scratch.file) {
      for (const file of [scratch.file, `${scratch.file}-wal`]) {
        if (!fs.existsSync(file)) continue;
        const bytes = fs.readFileSync(file);
        for (const trace of traces) expect(bytes.includes(trace)).toBe(false);
      }
    }
  });
});

describe("a verification whose result cannot be saved", () => {
  it("still returns the registry's verdict and shows it in this process", async () => {
    const verifications = createSyncedVerificationLog({
      store: async () => {
        throw new Error("the database is down");
      },
    });
    const ports = createPorts({ kubeconfigPaths: [], iam: null, registryEndpointTemplate: ibm.registryUrlTemplate, registryAllowedHosts: LOOPBACK_REGISTRY_HOSTS, verifyTimeoutMs: 5_000, onVerified: verifications.record });
    try {
      expect((await ports.verifyRegistry({ domain: "us.icr.io", username: "iamapikey", password: API_KEY })).result).toBe("valid");
      expect(verifications.lookup(keyOf("us.icr.io", "iamapikey", API_KEY)).status).toBe("valid");
    } finally {
      ports.close();
    }
  });
});

describe("the Verify action on the modern demo cluster", () => {
  let harness: WorkflowHarness;
  const operator: SessionUser = { id: "u1", email: "operator@example.com", name: "Operator", role: "operator", clusters: null };

  beforeAll(async () => {
    harness = await startWorkflowHarness(["modern"], { iam: false });
  });
  afterAll(async () => harness?.close());

  it("saves every registry's result through the ports, by fingerprint", async () => {
    const result = await verifyPullSecretCredentials(
      {
        kube: harness.ports.kube,
        verifyRegistry: harness.ports.verifyRegistry,
        audit: harness.audit,
       
        lookup: async (ref) => (await harness.ports.kube.readPullSecretInventory(ref.cluster)).pullSecrets.find((s) => s.namespace === ref.namespace && s.name === ref.secret),
      },
      { cluster: "modern", namespace: "default", secret: "all-icr-io" },
      operator,
    );
    const checked = result.checks.filter((check) => check.fingerprint !== null);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.some((check) => check.result === "valid")).toBe(true);
    const stored = await harness.connection.prisma.registryVerificationResult.findMany();
    for (const check of checked) {
      expect(stored).toContainEqual(expect.objectContaining({ registry: check.registry, username: check.username, fingerprint: check.fingerprint, result: check.result, checkedAt: new Date(check.checkedAt!) }));
    }
    expect(JSON.stringify(stored)).not.toContain(CREDENTIAL_CANARY);
  });
});

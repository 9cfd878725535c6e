/**
 * A pull secret whose key was revoked turns its coverage cells `rejected` once
 * Pullkeeper hears of it: the registry check (which also asks IAM who owns the
 * key) is saved to the database, and a scan in another process, reading only
 * the database, computes coverage with it. Over HTTP to the simulated cluster
 * and IBM Cloud, wired as lib/server/root wires it, on both databases.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/lib/db/client";
import type { CoverageFinding } from "@/lib/coverage";
import { scanCluster, scanSucceeded, type ClusterScan } from "@/lib/queries/cluster-scan";
import { credentialFactsReader } from "@/lib/queries/credential-facts";
import { createKeyIdentityStore, readKeyOwners } from "@/lib/queries/key-identity-store";
import { createVerificationStore } from "@/lib/queries/verification-store";
import { createSyncedVerificationLog } from "@/lib/queries/verification-sync";
import { createPorts, type Ports } from "@/lib/server/ports";
import { DEMO_CLUSTER_SERVICE_IDS, DEMO_OPERATOR } from "@/sim/demo-credentials";
import { startDemoFleet, type DemoFleet } from "@/sim/fleet";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { PROVIDERS, createMigratedDatabase, type ScratchDatabase } from "../support/databases";
import { LOOPBACK_REGISTRY_HOSTS } from "../support/outbound";

const REVOKED = DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey;

let ibm: IbmCloudSim;
let fleet: DemoFleet;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pk-rejected-"));
  [ibm, fleet] = await Promise.all([startIbmCloudSim(), startDemoFleet({ clusters: ["regional"], kubeconfigPath: path.join(dir, "kubeconfig") })]);
});
afterAll(async () => {
  await Promise.all([ibm?.close(), fleet?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(PROVIDERS)("the rejected state on %s", (provider) => {
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  let ports: Ports;

  /** A scan as a fresh server process makes it: what it knows comes from the database only. */
  async function scanFromDatabase(): Promise<ClusterScan> {
    const keyIdentities = createKeyIdentityStore(connection.prisma);
    const verifications = createSyncedVerificationLog({ store: async () => createVerificationStore(connection.prisma) });
    const facts = credentialFactsReader({
      keyOwners: (fingerprints) => readKeyOwners(async () => keyIdentities, fingerprints, (error) => { throw error; }),
      verifications,
      onSyncError: (error) => { throw error; },
    });
    const info = ports.kube.listClusters().find((c) => c.name === "regional")!;
    return scanCluster(ports.kube, info, undefined, facts);
  }

  beforeAll(async () => {
    ({ scratch, connection } = await createMigratedDatabase(provider));
    const verificationStore = createVerificationStore(connection.prisma);
    const keyIdentities = createKeyIdentityStore(connection.prisma);
    ports = createPorts({
      kubeconfigPaths: [path.join(dir, "kubeconfig")],
      iam: { apiKey: DEMO_OPERATOR.apiKey, iamUrl: ibm.url },
      registryEndpointTemplate: ibm.registryUrlTemplate,
      registryAllowedHosts: LOOPBACK_REGISTRY_HOSTS,
      verifyTimeoutMs: 5_000,
      onVerified: (verification) => verificationStore.save(verification),
      onKeyIdentified: (identity) => keyIdentities.save(identity),
    });
  });
  afterAll(async () => {
    ports?.close();
    await connection?.close();
    await scratch?.drop();
  });

  it("shows a revoked key as covered until checked, then rejected with the registry's and IAM's evidence", async () => {
    const before = await scanFromDatabase();
    if (!scanSucceeded(before)) throw new Error(`scan failed: ${before.error?.message}`);
    const cellOf = (scan: typeof before, ns: string, registry: string) => scan.coverage.namespaces.find((n) => n.namespace === ns)!.domains.find((d) => d.registry === registry)!;
    expect(cellOf(before, "checkout", "us.icr.io").state).toBe("covered");
    expect(before.coverage.summary.rejected).toBe(0);

    // What Verify does for checkout-us-icr-io: one registry check of its key, which also asks IAM who owns it.
    const verification = await ports.verifyRegistry({ domain: "us.icr.io", username: "iamapikey", password: REVOKED });
    expect(verification.result).toBe("rejected");

    const after = await scanFromDatabase();
    if (!scanSucceeded(after)) throw new Error(`scan failed: ${after.error?.message}`);
    // Attached, and us.icr.io said no.
    expect(cellOf(after, "checkout", "us.icr.io")).toMatchObject({
      state: "rejected",
      needed: true,
      rejection: { by: "registry", registry: "us.icr.io", secret: "checkout-us-icr-io", detail: expect.stringContaining("HTTP 401"), checkedAt: verification.checkedAt },
    });
    // Never checked against de.icr.io, but IAM says the key no longer exists.
    expect(cellOf(after, "checkout", "de.icr.io")).toMatchObject({ state: "rejected", rejection: { by: "iam", reason: "deleted", secret: "checkout-de-icr-io" } });
    // The same key, unattached (the pod template references it): attaching would not help either.
    expect(cellOf(after, "inventory", "us.icr.io")).toMatchObject({ state: "rejected", secrets: ["inventory-us-icr-io"] });
    // The source's current key is untouched.
    expect(cellOf(after, "default", "us.icr.io").state).toBe("covered");
    expect(after.coverage.summary.rejected).toBe(3);
    const atRisk = after.coverage.findings.filter((f): f is Extract<CoverageFinding, { type: "image_pull_at_risk" }> => f.type === "image_pull_at_risk");
    expect(atRisk.find((f) => f.workload.name === "checkout-web")?.images).toContainEqual(expect.objectContaining({ registry: "de.icr.io", reason: "credential_rejected" }));
    expect(atRisk.find((f) => f.workload.name === "stock-service")?.images).toContainEqual(expect.objectContaining({ registry: "us.icr.io", reason: "credential_rejected" }));
  });
});
